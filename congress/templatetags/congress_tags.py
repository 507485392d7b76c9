from django import template

from congress.models import ListState

register = template.Library()


@register.filter
def get_item(mapping, key):
    if mapping is None:
        return None
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def split(value, sep=None):
    return value.split(sep)


@register.filter
def state_label(value):
    try:
        return ListState(value).label
    except ValueError:
        return value


@register.filter
def vn_name(user):
    """A user's name in Vietnamese order: family and middle names, then the given name."""
    if not user:
        return ""
    return " ".join(p for p in (user.last_name, user.first_name) if p).strip()
