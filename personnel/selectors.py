"""Reads of the registry. Every queryset a view uses comes from a `visible_to` here."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from personnel.models import Cadre, PartyUnit, Role
from personnel.names import search_key
from personnel.scope import ALL_ROLES, unit_q

# What each action on the registry needs.
UNIT_ACTIONS = {
    "view": ALL_ROLES,
    "manage": frozenset({Role.BOARD_STAFF}),
}
CADRE_ACTIONS = {
    "view": ALL_ROLES,
    "edit": frozenset({Role.BOARD_STAFF}),
    "export": frozenset({Role.BOARD_STAFF}),
}


def units_visible_to(user, action: str = "view") -> QuerySet[PartyUnit]:
    return PartyUnit.objects.filter(unit_q(user, UNIT_ACTIONS[action]))


def cadres_visible_to(user, action: str = "view") -> QuerySet[Cadre]:
    return Cadre.objects.filter(unit_q(user, CADRE_ACTIONS[action], prefix="unit__"))


def cadre_search(qs: QuerySet[Cadre], text: str) -> QuerySet[Cadre]:
    """Accent-insensitive search by name, or exact-prefix search by CCCD or cadre code."""
    text = (text or "").strip()
    if not text:
        return qs
    key = search_key(text)
    q = Q(search_name__contains=key)
    if text.isdigit():
        q |= Q(citizen_id__startswith=text)
    q |= Q(code__iexact=text)
    return qs.filter(q)
