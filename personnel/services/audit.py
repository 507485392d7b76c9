"""The audit trail: one row per change, written inside the caller's transaction, with the
origin of the change (the request or command, `personnel.origin`) read from the context."""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

from django.db import models

from personnel.models import AuditLog
from personnel.origin import current_origin


def _actor(actor):
    return actor if actor is not None and getattr(actor, "pk", None) else None


def _origin_fields() -> dict[str, Any]:
    origin = current_origin()
    return {
        "source": origin.source,
        "origin": origin.name[:255],
        "request_id": origin.request_id,
        "ip_address": origin.ip,
    }


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
        actor=_actor(actor),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_label=str(obj)[:255],
        unit=unit,
        before=before,
        after=after,
        note=note,
        **_origin_fields(),
    )


def audit_bulk(*, actor, action: str, rows: list[tuple[models.Model, Any, Any]], unit=None) -> int:
    """One audit row per changed object of a bulk operation, in one INSERT."""
    origin = _origin_fields()
    entries = [
        AuditLog(
            actor=_actor(actor),
            action=action,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            object_label=str(obj)[:255],
            unit=unit,
            before=before,
            after=after,
            **origin,
        )
        for obj, before, after in rows
    ]
    AuditLog.objects.bulk_create(entries, batch_size=2000)
    return len(entries)


# --- the state of a row, for before/after ------------------------------------------------

# Fields never copied into the audit trail: derived keys, and secrets (password hashes, the
# TOTP key and backup codes of the second factor).
NEVER_AUDITED = frozenset({"sort_key", "search_name", "path", "depth", "password", "key", "token"})


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return None
    return value


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The row's own fields as JSON values (foreign keys as ids): what an audit row keeps
    of an object created, changed or deleted outside a service (the admin)."""
    out: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        if f.primary_key or f.name in NEVER_AUDITED or (fields and f.name not in fields):
            continue
        out[f.name] = _plain(getattr(obj, f.attname))
    return out


def changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict, dict]:
    """Only the fields that differ, before and after."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    keys += [k for k in before if k not in after]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}
