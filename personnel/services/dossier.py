"""Who looked at a dossier: a row per cadre for every page view, résumé, export and document
download (`personnel.models.DossierAccess`), with who, when and from where (the request or
command, `personnel.origin`).

Called before the data leaves the server, in the request's transaction: if the row cannot be
written, the page or the file is not served.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet

from personnel.models import AccessKind, Cadre, DossierAccess, PartyUnit
from personnel.origin import current_origin

BATCH = 2000


def _user(user):
    return user if user is not None and getattr(user, "pk", None) else None


@transaction.atomic
def dossier_access_record(
    *,
    user,
    kind: str,
    cadres: QuerySet[Cadre] | Iterable[Cadre | int] = (),
    unit: PartyUnit | None = None,
    label: str = "",
) -> int:
    """Log one access: a row per cadre in `cadres` (a queryset, cadres or ids); with no
    cadre, one row for `unit` (a document of a whole unit). Returns the rows written."""
    AccessKind(kind)  # an unknown kind fails here, not in a report later
    origin = current_origin()
    common = {
        "user": _user(user),
        "kind": kind,
        "label": label[:255],
        "source": origin.source,
        "origin": origin.name[:255],
        "request_id": origin.request_id,
        "ip_address": origin.ip,
    }
    if isinstance(cadres, QuerySet):
        pairs = cadres.order_by().values_list("pk", "unit_id").iterator(chunk_size=BATCH)
    else:
        items = list(cadres)
        loaded = {c.pk: c.unit_id for c in items if isinstance(c, Cadre)}
        ids = [c for c in items if not isinstance(c, Cadre)]
        if ids:
            loaded.update(Cadre.objects.filter(pk__in=ids).values_list("pk", "unit_id"))
        pairs = iter(loaded.items())
    written = 0
    batch: list[DossierAccess] = []
    for cadre_id, unit_id in pairs:
        batch.append(DossierAccess(cadre_id=cadre_id, unit_id=unit_id, **common))
        if len(batch) >= BATCH:
            written += len(DossierAccess.objects.bulk_create(batch))
            batch = []
    if batch:
        written += len(DossierAccess.objects.bulk_create(batch))
    if not written and unit is not None:
        DossierAccess.objects.create(unit=unit, **common)
        written = 1
    return written


def document_access_record(*, user, kind: str, params: dict, unit: PartyUnit, label: str) -> int:
    """A document downloaded: a résumé (kind "resume") names its cadre, any other document
    (a nominee list, a plan, minutes) its unit, whose dossiers it may hold."""
    cadre_id = params.get("cadre") if kind == "resume" else None
    return dossier_access_record(
        user=user,
        kind=AccessKind.RESUME if cadre_id else AccessKind.DOCUMENT,
        cadres=[int(cadre_id)] if cadre_id else (),
        unit=unit,
        label=label,
    )
