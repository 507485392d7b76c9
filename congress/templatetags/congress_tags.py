from django import template

from congress.models import ListState

register = template.Library()


@register.filter
def state_label(value):
    try:
        return ListState(value).label
    except ValueError:
        return value
