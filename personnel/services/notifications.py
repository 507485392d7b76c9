"""Notifications of the workflows (nominee lists, planning): in the application, and by
e-mail through Django's backend (the console in development) once the change commits."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction

from personnel.models import Notification, PartyUnit, PartyUnitUserObjectPermission, Role
from personnel.policy import PERM_PREFIX


def users_with_role(unit_ids: Iterable[int], roles: Iterable[str]) -> list:
    """Users granted one of `roles` directly on one of the units."""
    user_ids = PartyUnitUserObjectPermission.objects.filter(
        content_object_id__in=list(unit_ids),
        permission__codename__in=[f"{PERM_PREFIX}{r}" for r in roles],
    ).values("user_id")
    return list(get_user_model().objects.filter(pk__in=user_ids, is_active=True).order_by("pk"))


def board_staff_above(unit: PartyUnit) -> list:
    """Board staff of every strict ancestor of the unit: those who may approve its work."""
    return users_with_role(unit.ancestor_ids(include_self=False), [Role.BOARD_STAFF])


# Levels whose secretaries follow the work of the units under them (the level directly
# above the grassroots and the grassroots committees themselves); a province's secretary is
# told through its board staff instead.
FOLLOWING_LEVELS = ("district", "commune", "grassroots")


def secretaries_above(unit: PartyUnit) -> list:
    """Secretaries of the ancestors of `unit` up to (not including) the province: the
    commune's secretary hears when a grassroots unit under the commune submits."""
    ids = PartyUnit.objects.filter(
        pk__in=unit.ancestor_ids(include_self=False), level__in=FOLLOWING_LEVELS
    ).values_list("pk", flat=True)
    return users_with_role(list(ids), [Role.SECRETARY])


def secretaries_of(unit: PartyUnit) -> list:
    return users_with_role([unit.pk], [Role.SECRETARY])


def notify(users: Iterable, text: str, url: str = "") -> int:
    users = list(users)
    Notification.objects.bulk_create(
        [Notification(user=u, text=text[:500], url=url) for u in users]
    )
    recipients = [u.email for u in users if u.email]
    if recipients:
        # After commit, so that a rolled-back change mails nobody.
        transaction.on_commit(
            lambda: send_mail(
                "[Nhân sự đại hội] " + text[:80],
                text + ("\n" + url if url else ""),
                settings.DEFAULT_FROM_EMAIL,
                recipients,
                fail_silently=True,
            )
        )
    return len(users)
