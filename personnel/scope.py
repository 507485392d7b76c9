"""Who may see and do what, in one place.

Roles are guardian object permissions on `PartyUnit` (direct foreign-key table, one row per
grant). A grant reaches the unit's whole subtree through the materialized path, except the
secretary role, which reaches the unit itself only. Every selector builds its queryset from
`unit_q`, so pages, exports, search, counts and PDFs share the same scope.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from personnel.models import PartyUnitUserObjectPermission, Role

PERM_PREFIX = "role_"

ALL_ROLES = frozenset(Role.values)


@dataclass(frozen=True)
class Grant:
    role: str
    unit_id: int
    unit_code: str
    unit_name: str
    path: str

    @property
    def role_label(self) -> str:
        return Role(self.role).label


def grants_of(user) -> list[Grant]:
    """The user's role grants, cached on the user object for the request."""
    if not user or not user.is_authenticated:
        return []
    cached = getattr(user, "_congress_grants", None)
    if cached is not None:
        return cached
    rows = (
        PartyUnitUserObjectPermission.objects.filter(
            user_id=user.pk, permission__codename__startswith=PERM_PREFIX
        )
        .select_related("permission", "content_object")
        .order_by("content_object__path")
    )
    result = []
    for row in rows:
        role = row.permission.codename[len(PERM_PREFIX) :]
        if role in ALL_ROLES:
            unit = row.content_object
            result.append(Grant(role, unit.pk, unit.code, unit.name, unit.path))
    user._congress_grants = result
    return result


def has_any_role(user, roles: frozenset[str] | set[str] = ALL_ROLES) -> bool:
    return user.is_superuser or any(g.role in roles for g in grants_of(user))


def unit_q(
    user,
    roles: frozenset[str] | set[str] = ALL_ROLES,
    prefix: str = "",
    strict: bool = False,
) -> Q:
    """A filter on units (or on rows related to a unit through `prefix`, e.g. "unit__")
    matching the reach of the user's grants of the given roles. `strict` excludes the
    granted unit itself (for actions reserved to the level above, like approving)."""
    if user.is_superuser:
        return Q()
    q = Q(pk__in=[])
    for g in grants_of(user):
        if g.role not in roles:
            continue
        if g.role == Role.SECRETARY:
            if not strict:
                q |= Q(**{f"{prefix}pk": g.unit_id})
            continue
        sub = Q(**{f"{prefix}path__startswith": g.path})
        if strict:
            sub &= ~Q(**{f"{prefix}pk": g.unit_id})
        q |= sub
    return q


def reaches(user, unit, roles: frozenset[str] | set[str] = ALL_ROLES, strict: bool = False) -> bool:
    """The same test as `unit_q`, in Python, for one unit already loaded."""
    if user.is_superuser:
        return True
    for g in grants_of(user):
        if g.role not in roles:
            continue
        if g.role == Role.SECRETARY:
            if not strict and unit.pk == g.unit_id:
                return True
            continue
        if unit.path.startswith(g.path) and not (strict and unit.pk == g.unit_id):
            return True
    return False
