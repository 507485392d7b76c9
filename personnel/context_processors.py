from django.conf import settings

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


def second_factor(request):
    """What the login page says about the second factor."""
    return {
        "otp_required": settings.OTP_REQUIRED,
        "otp_demo_exempt": settings.OTP_EXEMPT_DEMO_USERS,
    }
