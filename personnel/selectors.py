"""Reads of the registry, the audit trail and notifications. Every queryset a view uses
comes from a selector; every selector asks `personnel.policy`."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from personnel import policy
from personnel.models import (
    AuditLog,
    Cadre,
    DossierAccess,
    ImportJob,
    ImportPreset,
    Notification,
    PartyUnit,
    Post,
    Term,
)
from personnel.names import search_key
from personnel.policy import Kind


def _archive_filter(qs, archived: bool | None):
    """Listings show live rows (`archived=False`, the default); the archive page the
    archived ones (`True`); `None` takes both."""
    if archived is None:
        return qs
    return qs.archived() if archived else qs.live()


def units_visible_to(
    user, action: str = "view", *, archived: bool | None = False
) -> QuerySet[PartyUnit]:
    return _archive_filter(
        policy.scoped(user, Kind.UNIT, action, PartyUnit.objects.all()), archived
    )


def unit_for(user, code: str, action: str = "view") -> PartyUnit:
    """One unit, archived or not (its page and history stay readable)."""
    return policy.object_for(user, Kind.UNIT, action, PartyUnit.objects.all(), code=code)


def cadres_visible_to(
    user, action: str = "view", *, archived: bool | None = False
) -> QuerySet[Cadre]:
    return _archive_filter(policy.scoped(user, Kind.CADRE, action, Cadre.objects.all()), archived)


def cadre_for(user, pk: int, action: str = "view") -> Cadre:
    """One cadre, archived or not (an archived record keeps its page and its history)."""
    return policy.object_for(user, Kind.CADRE, action, Cadre.objects.select_related("unit"), pk=pk)


def cadre_search(qs: QuerySet[Cadre], text: str) -> QuerySet[Cadre]:
    """Accent-insensitive search by name, or by the exact CCCD or cadre code. A CCCD is
    matched whole, never by prefix: a prefix search would let anyone probe numbers."""
    text = (text or "").strip()
    if not text:
        return qs
    q = Q(search_name__contains=search_key(text)) | Q(code__iexact=text)
    if text.isascii() and text.isdigit() and len(text) == 12:
        q |= Q(citizen_id=text)
    return qs.filter(q)


def unit_children(user, unit: PartyUnit) -> QuerySet[PartyUnit]:
    return units_visible_to(user).filter(parent=unit).order_by("code")


def object_history(obj, *, extra: Q | None = None) -> QuerySet[AuditLog]:
    """The audit rows of one object (and whatever `extra` adds), newest first. The caller
    has already fetched `obj` through the policy."""
    q = Q(object_type=obj._meta.label_lower, object_id=str(obj.pk))
    if extra is not None:
        q |= extra
    return AuditLog.objects.filter(q).select_related("actor").order_by("-at", "-id")


def cadre_history(cadre: Cadre, extra: Q | None = None) -> QuerySet[AuditLog]:
    """A cadre's own audit rows, the rows of any object that names the cadre in its state
    (a nominee added, a planning entry), and what the other apps add (`extra`)."""
    q = Q(after__cadre=cadre.pk) | Q(before__cadre=cadre.pk)
    return object_history(cadre, extra=q if extra is None else q | extra)


def dossier_accesses(cadre: Cadre) -> QuerySet[DossierAccess]:
    """Every logged access to this cadre's dossier, newest first. The caller has already
    fetched `cadre` through the policy's "view_access_log"."""
    return DossierAccess.objects.filter(cadre=cadre).select_related("user").order_by("-at", "-id")


def unit_document_accesses(cadre: Cadre) -> QuerySet[DossierAccess]:
    """Downloads of whole-unit documents (no cadre named) of the cadre's unit or a unit
    above it: they may hold the cadre's data."""
    return (
        DossierAccess.objects.filter(
            cadre__isnull=True, unit_id__in=cadre.unit.ancestor_ids(include_self=True)
        )
        .select_related("user", "unit")
        .order_by("-at", "-id")
    )


def notifications_of(user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user)


def unread_notifications(user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user, read_at__isnull=True)


def unread_count(user) -> int:
    """The menu's badge. A page that has counted them already in one of its own queries
    (the dashboard, with its data version: `remember_unread`) spares the menu a query."""
    counted = getattr(user, "_unread_count", None)
    if counted is not None:
        del user._unread_count  # once: a later count in the same request reads again
        return counted
    return unread_notifications(user).count()


def remember_unread(user, count: int) -> None:
    """Leave a count just read for the menu of the same request (`unread_count` takes it)."""
    user._unread_count = count


# --- the catalogue ------------------------------------------------------------------------


def posts_by_rank() -> QuerySet[Post]:
    return Post.objects.order_by("-rank", "code")


def known_post_codes(codes) -> set[str]:
    """Which of these post codes the catalogue has."""
    return set(Post.objects.filter(code__in=list(codes)).values_list("code", flat=True))


def terms() -> QuerySet[Term]:
    return Term.objects.order_by("-start")


def term_by_code(code: str) -> Term | None:
    return Term.objects.filter(code=code).first()


# --- imports ------------------------------------------------------------------------------


def import_units_for(user) -> QuerySet[PartyUnit]:
    """The units a user may import into."""
    return policy.scoped(user, Kind.IMPORT, "run", PartyUnit.objects.all()).order_by("path")


def import_unit_for(user, code: str) -> PartyUnit:
    return policy.object_for(user, Kind.IMPORT, "run", PartyUnit.objects.all(), code=code)


def import_jobs_of(user) -> QuerySet[ImportJob]:
    """An import job is its uploader's, and only while its unit stays in their reach."""
    return policy.scoped(user, Kind.IMPORT, "view", ImportJob.objects.filter(user=user))


def import_job_for(user, pk: int, action: str = "view") -> ImportJob:
    qs = ImportJob.objects.filter(user=user).select_related("unit", "preset")
    return policy.object_for(user, Kind.IMPORT, action, qs, pk=pk)


def import_presets(kind: str | None = None) -> QuerySet[ImportPreset]:
    qs = ImportPreset.objects.order_by("kind", "name")
    return qs.filter(kind=kind) if kind else qs
