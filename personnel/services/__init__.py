"""Writes to the registry that other parts of the product react to.

The registry never calls the apps above it: a change is announced with the
`personnel.signals.units_changed` signal once the transaction commits, and whoever cares
(the congress app recomputes the structure ratios) connects to it in its `ready()`.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from personnel.signals import units_changed

_PENDING_ATTR = "_congress_pending_units"


def registry_changed(unit_ids: Iterable[int]) -> None:
    """Announce, once the transaction commits, that these units' registry data changed.

    Calls within one transaction are coalesced: a 100,000-row import, or a thousand edits in
    one request, send a single `units_changed` with the union of the units they touched.
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
        units_changed.send(sender=None, unit_ids=sorted(ids))
