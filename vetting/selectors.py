"""Reads of political-vetting cases.

Two levels of confidentiality: the outcome (conclusion and its date) is visible to every role
whose scope covers the cadre; the items (the findings themselves) only to vetting officers
whose scope covers the cadre, and only through `read_items`, which logs every read.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from personnel import policy
from personnel.models import Cadre, Term
from personnel.names import search_key
from personnel.origin import client_ip
from personnel.policy import Kind
from personnel.selectors import cadre_search, units_visible_to
from vetting.models import Conclusion, ItemKind, VettingCase, VettingItem, VettingReadLog

access_log = logging.getLogger("vetting.access")

_KIND_ORDER = {kind: i for i, kind in enumerate(ItemKind.values)}


def cases_visible_to(
    user, action: str = "view", *, archived: bool | None = False
) -> QuerySet[VettingCase]:
    """The cases on which `user` may perform `action` (an action of the policy's
    vetting-case row: view, view_items, edit); live ones unless `archived` says otherwise."""
    qs = policy.scoped(user, Kind.VETTING_CASE, action, VettingCase.objects.all())
    return qs if archived is None else (qs.archived() if archived else qs.live())


def case_allows(user, case: VettingCase, action: str) -> bool:
    """Whether `user` may perform `action` on this loaded case (same test as the queryset)."""
    return policy.allows(user, Kind.VETTING_CASE, action, case.cadre.unit)


def case_for_user(user, pk: int, action: str = "view") -> VettingCase:
    """The case, or 404 when it lies outside the user's scope altogether, or 403 when the user
    sees it but may not perform `action` on it."""
    qs = VettingCase.objects.select_related("cadre__unit", "term", "requested_by")
    return policy.object_for(user, Kind.VETTING_CASE, action, qs, pk=pk)


def read_items(user, case: VettingCase, request: HttpRequest | None = None) -> list[VettingItem]:
    """The confidential items of a case, for a vetting officer whose scope covers the cadre.

    The only way items are read anywhere (pages, forms, admin). The log row is written in the
    same transaction as the read, before the items are fetched: if the log cannot be written,
    nothing is returned.
    """
    policy.require(user, Kind.VETTING_CASE, "view_items", case)
    ip = client_ip(request)
    path = request.get_full_path()[:255] if request is not None else ""
    with transaction.atomic():
        VettingReadLog.objects.create(case=case, user=user, ip_address=ip, path=path)
        items = list(case.items.all())
    # In the order of Quy định 58 (the order of ItemKind), not alphabetically.
    items.sort(key=lambda item: _KIND_ORDER.get(item.kind, len(_KIND_ORDER)))
    access_log.info("read case=%s user=%s ip=%s path=%s", case.pk, user.pk, ip, path)
    return items


# A unit search on the case list that matches more units than this asks for a closer name.
UNIT_MATCH_LIMIT = 30


def units_matching(user, text: str) -> list:
    """The units the user sees whose code is `text` or whose name contains it, accents and
    case ignored ("yen tien" finds "Đảng bộ xã Yên Tiến")."""
    text = text.strip()
    if not text:
        return []
    units = units_visible_to(user).only("pk", "code", "name", "path")
    exact = [u for u in units.filter(code__iexact=text)]
    if exact:
        return exact
    key = search_key(text)
    return [u for u in units.order_by("path") if key in search_key(u.name)]


def case_search(user, *, q: str = "", units=None, state: str = "", conclusion: str = "", term=None):
    """The cases the user sees, narrowed by the case list's filters."""
    qs = cases_visible_to(user)
    if q.strip():
        qs = qs.filter(cadre__in=cadre_search(Cadre.objects.all(), q).values("pk"))
    if units is not None:
        where = Q(pk__in=[])
        for u in units:
            where |= Q(cadre__unit__path__startswith=u.path)
        qs = qs.filter(where)
    if state == "pending":
        qs = qs.filter(conclusion=Conclusion.PENDING)
    elif state == "concluded":
        qs = qs.exclude(conclusion=Conclusion.PENDING)
    if conclusion:
        qs = qs.filter(conclusion=conclusion)
    if term is not None:
        qs = qs.filter(term=term)
    return qs


def default_term() -> Term | None:
    """The term a new case is for unless the user says otherwise: the one under way today
    (the congresses being prepared), else the latest one."""
    today = timezone.localdate()
    current = Term.objects.filter(start__lte=today, end__gte=today).order_by("-start").first()
    return current or Term.objects.order_by("-start").first()
