"""Reads of political-vetting cases.

Two levels of confidentiality: the outcome (conclusion and its date) is visible to every role
whose scope covers the cadre; the items (the findings themselves) only to vetting officers
whose scope covers the cadre, and only through `read_items`, which logs every read.
"""

from __future__ import annotations

import ipaddress
import logging

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from personnel.models import Role
from personnel.scope import ALL_ROLES, reaches, unit_q
from vetting.models import ItemKind, VettingCase, VettingItem, VettingReadLog

access_log = logging.getLogger("vetting.access")

# What each action on a case needs.
CASE_ACTIONS: dict[str, frozenset[str]] = {
    "view_outcome": ALL_ROLES,
    "view_items": frozenset({Role.VETTING_OFFICER}),
    "edit": frozenset({Role.VETTING_OFFICER}),
}

_KIND_ORDER = {kind: i for i, kind in enumerate(ItemKind.values)}

NOT_ALLOWED = {
    "view_items": "Nội dung thẩm tra là tài liệu mật: chỉ cán bộ bảo vệ chính trị nội bộ được xem.",
    "edit": "Chỉ cán bộ bảo vệ chính trị nội bộ được cập nhật hồ sơ thẩm tra.",
}


def cases_visible_to(user, action: str = "view_outcome") -> QuerySet[VettingCase]:
    """The cases on which `user` may perform `action` (a key of CASE_ACTIONS)."""
    return VettingCase.objects.filter(unit_q(user, CASE_ACTIONS[action], prefix="cadre__unit__"))


def case_allows(user, case: VettingCase, action: str) -> bool:
    """Whether `user` may perform `action` on this loaded case (same test as the queryset)."""
    return reaches(user, case.cadre.unit, CASE_ACTIONS[action])


def case_for_user(user, pk: int, action: str = "view_outcome") -> VettingCase:
    """The case, or 404 when it lies outside the user's scope altogether, or 403 when the user
    sees it but may not perform `action` on it."""
    case = (
        cases_visible_to(user, "view_outcome")
        .select_related("cadre__unit", "congress", "requested_by")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404("Không tìm thấy hồ sơ thẩm tra.")
    if action != "view_outcome" and not case_allows(user, case, action):
        raise PermissionDenied(
            NOT_ALLOWED.get(action, "Bạn không có quyền thực hiện thao tác này.")
        )
    return case


def client_ip(request: HttpRequest | None) -> str | None:
    """The first address of X-Forwarded-For (set by our reverse proxy), else REMOTE_ADDR.
    Anything that does not parse as an IP address is dropped rather than stored."""
    if request is None:
        return None
    candidates = []
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        candidates.append(forwarded.split(",")[0].strip())
    candidates.append(request.META.get("REMOTE_ADDR", ""))
    for value in candidates:
        try:
            return str(ipaddress.ip_address(value))
        except ValueError:
            continue
    return None


def read_items(user, case: VettingCase, request: HttpRequest | None = None) -> list[VettingItem]:
    """The confidential items of a case, for a vetting officer whose scope covers the cadre.

    The only way items are read anywhere (pages, forms, admin). The log row is written in the
    same transaction as the read, before the items are fetched: if the log cannot be written,
    nothing is returned.
    """
    if not case_allows(user, case, "view_items"):
        raise PermissionDenied(NOT_ALLOWED["view_items"])
    ip = client_ip(request)
    path = request.get_full_path()[:255] if request is not None else ""
    with transaction.atomic():
        VettingReadLog.objects.create(case=case, user=user, ip_address=ip, path=path)
        items = list(case.items.all())
    # In the order of Quy định 58 (the order of ItemKind), not alphabetically.
    items.sort(key=lambda item: _KIND_ORDER.get(item.kind, len(_KIND_ORDER)))
    access_log.info("read case=%s user=%s ip=%s path=%s", case.pk, user.pk, ip, path)
    return items
