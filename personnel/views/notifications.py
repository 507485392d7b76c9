"""A user's own notifications (the workflows of every app write them)."""

from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from personnel import selectors
from personnel.policy import open_view


@require_GET
@open_view
def notifications(request):
    items = selectors.notifications_of(request.user)[:100]
    return render(request, "personnel/notifications.html", {"items": items})


@require_POST
@open_view
def notifications_read(request):
    selectors.notifications_of(request.user).filter(read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return redirect("personnel:notifications")
