"""Writes to the registry that other parts of the product react to."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

_PENDING_ATTR = "_congress_pending_units"


def registry_changed(unit_ids: Iterable[int]) -> None:
    """Schedule a structure recompute of these units once the transaction commits.

    Calls within one transaction are coalesced: a 100,000-row import, or a thousand edits in
    one request, enqueue a single recompute of the union of the units they touched.
    """
    ids = {int(u) for u in unit_ids if u is not None}
    if not ids:
        return
    conn = transaction.get_connection()
    pending: set[int] | None = getattr(conn, _PENDING_ATTR, None)
    # A rolled-back transaction drops its callbacks: start afresh when ours is gone.
    registered = conn.in_atomic_block and any(entry[1] is _flush for entry in conn.run_on_commit)
    if pending is None or not registered:
        pending = set()
        setattr(conn, _PENDING_ATTR, pending)
        pending.update(ids)
        transaction.on_commit(_flush)
    else:
        pending.update(ids)


def _flush() -> None:
    conn = transaction.get_connection()
    ids = getattr(conn, _PENDING_ATTR, None) or set()
    setattr(conn, _PENDING_ATTR, None)
    if ids:
        enqueue_recompute(unit_ids=sorted(ids))


def enqueue_recompute(*, unit_ids: list[int] | None = None, root=None):
    """Create a job row and hand it to the worker (in-process when no broker is set)."""
    from congress.models import RecomputeJob
    from congress.tasks import recompute_structure_task
    from personnel.models import PartyUnit

    if root is None:
        first = PartyUnit.objects.filter(pk__in=unit_ids or []).order_by("depth").first()
        if first is None:
            return None
        root = first
    job = RecomputeJob.objects.create(root=root, total=len(unit_ids or []))
    recompute_structure_task.delay(job.pk, unit_ids)
    return job
