from personnel.scope import grants_of


def roles(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    from congress.models import Notification

    unread = Notification.objects.filter(user=user, read_at__isnull=True).count()
    return {"my_grants": grants_of(user), "unread_count": unread}
