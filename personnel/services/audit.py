"""The audit trail: one row per change, written inside the caller's transaction."""

from __future__ import annotations

from typing import Any

from django.db import models

from personnel.models import AuditLog


def audit(
    *,
    actor,
    action: str,
    obj: models.Model,
    before: Any = None,
    after: Any = None,
    unit=None,
    note: str = "",
) -> AuditLog:
    return AuditLog.objects.create(
        actor=actor if actor is not None and getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_label=str(obj)[:255],
        unit=unit,
        before=before,
        after=after,
        note=note,
    )


def audit_bulk(*, actor, action: str, rows: list[tuple[models.Model, Any, Any]], unit=None) -> int:
    """One audit row per changed object of a bulk operation, in one INSERT."""
    entries = [
        AuditLog(
            actor=actor if actor is not None and getattr(actor, "pk", None) else None,
            action=action,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            object_label=str(obj)[:255],
            unit=unit,
            before=before,
            after=after,
        )
        for obj, before, after in rows
    ]
    AuditLog.objects.bulk_create(entries, batch_size=2000)
    return len(entries)
