"""Reads of congresses and nominee lists. Every queryset a view uses comes from here."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from congress.models import Congress, NomineeList
from personnel.models import Role
from personnel.scope import ALL_ROLES, reaches, unit_q

EDITORS = frozenset({Role.SECRETARY, Role.BOARD_STAFF})
REVIEWERS = frozenset({Role.BOARD_STAFF})


def congresses_visible_to(user) -> QuerySet[Congress]:
    return Congress.objects.filter(unit_q(user, ALL_ROLES, prefix="unit__"))


def lists_visible_to(user, action: str = "view") -> QuerySet[NomineeList]:
    """`view`: anyone whose scope covers the unit; `edit`: the unit's secretary or board
    staff over it; `review` (return, approve): board staff of an enclosing unit only."""
    prefix = "body__congress__unit__"
    if action == "view":
        q = unit_q(user, ALL_ROLES, prefix=prefix)
    elif action == "edit":
        q = unit_q(user, EDITORS, prefix=prefix)
    elif action == "review":
        q = unit_q(user, REVIEWERS, prefix=prefix, strict=True)
    else:
        raise ValueError(action)
    return NomineeList.objects.filter(q)


def list_for(user, pk: int, action: str = "view") -> NomineeList:
    """404 outside the user's scope, 403 in scope without the right to `action`."""
    qs = NomineeList.objects.select_related("body__congress__unit", "body__congress__term")
    try:
        obj = qs.filter(pk=pk).filter(pk__in=lists_visible_to(user, "view").values("pk")).get()
    except NomineeList.DoesNotExist:
        raise Http404("Không tìm thấy danh sách trong phạm vi của bạn.") from None
    if action != "view" and not can(user, obj, action):
        raise PermissionDenied("Bạn không có quyền thực hiện thao tác này với danh sách.")
    return obj


def can(user, nominee_list: NomineeList, action: str) -> bool:
    unit = nominee_list.body.congress.unit
    if action == "view":
        return reaches(user, unit)
    if action == "edit":
        return reaches(user, unit, EDITORS)
    if action == "review":
        return reaches(user, unit, REVIEWERS, strict=True)
    return False
