"""Template helpers every app's pages use: Vietnamese name order, dictionary lookups,
finding codes and targets as people read them, audit rows as sentences, and the policy's
`{% can %}`."""

from django import template

from congress.rules import labels
from personnel import history, policy

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
def vn_name(user):
    """A user's name in Vietnamese order: family and middle names, then the given name."""
    if not user:
        return ""
    return " ".join(p for p in (user.last_name, user.first_name) if p).strip()


@register.simple_tag(takes_context=True)
def can(context, kind: str, action: str, obj=None) -> bool:
    """`{% can "nominee_list" "review" list as can_review %}`: the policy's answer for the
    signed-in user on this object (or anywhere, without an object)."""
    user = context["request"].user
    if obj is None:
        return policy.any_reach(user, kind, action)
    unit = obj if getattr(type(obj), "scope_path", None) == "" else policy.unit_of(obj)
    return policy.allows(user, kind, action, unit)


@register.filter
def finding_title(code):
    """A finding code's Vietnamese name (never the code itself)."""
    return labels.finding_title(str(code))


@register.filter
def finding_help(code):
    """What a finding code means and how it is usually resolved."""
    return labels.finding_help(str(code))


@register.filter
def target_text(target):
    """An engine target as people write it: ">= 15" -> "≥ 15 %"."""
    return labels.target_text(target)


@register.filter
def post_label(code):
    return labels.post_label(str(code))


@register.filter
def is_staff_user(user):
    """Staff (administrators) may see the engine's codes in tooltips."""
    return bool(getattr(user, "is_staff", False))


@register.filter
def describe(entry):
    """An audit row as a sentence with its changed fields (personnel.history)."""
    return history.describe(entry)
