from personnel.scope import grants_of


def roles(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    from congress.models import Notification

    unread = Notification.objects.filter(user=user, read_at__isnull=True).count()
    grants = grants_of(user)
    return {
        "my_grants": grants,
        "unread_count": unread,
        "is_board_staff": user.is_superuser or any(g.role == "board_staff" for g in grants),
    }
