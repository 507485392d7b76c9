from django.conf import settings
from django.urls import get_script_prefix, reverse

from personnel import policy
from personnel.policy import Kind
from personnel.selectors import unread_count


def roles(request):
    """The signed-in user's grants, unread notifications and what the menu may offer, all
    from the one policy."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    return {
        "my_grants": policy.grants_of(user),
        "unread_count": unread_count(user),
        "can_import": policy.any_reach(user, Kind.IMPORT, "run"),
        "can_vet": policy.any_reach(user, Kind.VETTING_CASE, "edit"),
    }


# The menu's links, by URL name: the same on every page, so reversed once per process (and
# per script prefix) instead of a dozen `{% url %}` tags on every page.
MENU = {
    "home": "home",
    "dashboard": "dashboard",
    "lists": "lists:index",
    "units": "personnel:unit_tree",
    "cadres": "personnel:cadre_list",
    "vetting": "vetting:case_list",
    "planning": "planning:index",
    "reports": "reports:home",
    "imports": "imports:upload",
    "notifications": "personnel:notifications",
    "logout": "logout",
}
_menu_urls: dict[str, dict[str, str]] = {}


def menu(request):
    """The menu's links (`menu.home`, `menu.dashboard`, ...)."""
    prefix = get_script_prefix()
    urls = _menu_urls.get(prefix)
    if urls is None:
        urls = _menu_urls[prefix] = {key: reverse(name) for key, name in MENU.items()}
    return {"menu": urls}


def second_factor(request):
    """What the login page says about the second factor."""
    return {
        "otp_required": settings.OTP_REQUIRED,
        "otp_demo_exempt": settings.OTP_EXEMPT_DEMO_USERS,
    }
