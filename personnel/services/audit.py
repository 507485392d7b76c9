"""The audit trail: one row per change, written inside the caller's transaction, with the
origin of the change (the request or command, `personnel.origin`) read from the context."""

from __future__ import annotations

import datetime
import decimal
import json
import uuid
from collections.abc import Iterable, Iterator, Sequence
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


def audit_bulk(
    *,
    actor,
    action: str,
    rows: list[tuple[models.Model, Any, Any]] | list[tuple[models.Model, Any, Any, Any]],
    unit=None,
    note: str = "",
) -> int:
    """One audit row per changed object of a bulk operation, in one INSERT. A row may
    carry its own unit as a fourth item (objects of several units in one operation)."""
    origin = _origin_fields()
    entries = [
        AuditLog(
            actor=_actor(actor),
            action=action,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            object_label=str(obj)[:255],
            unit=row[3] if len(row) > 3 else unit,
            before=row[1],
            after=row[2],
            note=note,
            **origin,
        )
        for row in rows
        for obj in (row[0],)
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


def audit_created_copy(
    *,
    actor,
    action: str,
    model: type[models.Model],
    batches: Iterable[dict[str, Sequence[Any]]],
    fields: list[str],
    label_field: str,
    unit_field: str,
    note: str = "",
) -> int:
    """One audit row per row of `model` just inserted (PostgreSQL), sent with COPY: for
    imports of many thousands of rows, where one `INSERT` per audit row would cost more
    than the import itself.

    `batches` are the new rows as they were written (`insert_batches`: attname -> one value
    per row, the primary key included). `after` holds `fields` as an ORM-written row would
    (foreign keys as ids, under the field's name), the label and unit come from the row;
    the JSON is built column by column, each distinct value encoded once, in the thread
    that feeds the COPY while the server writes the previous batch. Every other column
    gets its model default.
    """
    from personnel.imports.writing import insert_batches

    opts = model._meta
    recorded = [(name, opts.get_field(name)) for name in fields]
    label, unit = opts.get_field(label_field).attname, opts.get_field(unit_field).attname
    pk = opts.pk.attname
    constants: dict[str, Any] = {
        "actor_id": actor.pk if actor is not None and getattr(actor, "pk", None) else None,
        "action": action,
        "object_type": opts.label_lower,
        "before": None,
        "note": note,
        **_origin_fields(),  # the request or command that imported them
    }
    per_row = {"object_id", "object_label", "unit_id", "after"}
    columns = [f for f in AuditLog._meta.concrete_fields if not f.primary_key]
    for f in columns:  # the time, and a column added later: the model default, once
        if f.attname not in constants and f.attname not in per_row:
            constants[f.attname] = f.get_default()
    written = [f.attname for f in columns]
    count = 0

    def rows() -> Iterator[dict[str, Sequence[Any]]]:
        nonlocal count
        for batch in batches:
            n = len(batch[pk])
            if not n:
                continue
            count += n
            out: dict[str, Sequence[Any]] = {k: [v] * n for k, v in constants.items()}
            out["object_id"] = list(map(str, batch[pk]))
            out["object_label"] = [text[:255] for text in batch[label]]
            out["unit_id"] = batch[unit]
            out["after"] = json_objects([(name, f, batch[f.attname]) for name, f in recorded])
            yield out

    insert_batches(AuditLog, rows(), fields=written)
    return count


def json_objects(columns: list[tuple[str, models.Field, Sequence[Any]]]) -> list[str]:
    """One JSON object per row (as text) from columns of model values: {name: value}, with
    the values PostgreSQL's `to_jsonb` gives the column (dates as ISO text, decimals with
    the field's scale, None as null)."""
    parts = []
    for name, field, values in columns:
        key = json.dumps(name) + ": "
        scale = getattr(field, "decimal_places", None)
        encoded = {v: key + _json_text(v, scale) for v in set(values)}
        parts.append(list(map(encoded.__getitem__, values)))
    return ["{" + ", ".join(row) + "}" for row in zip(*parts, strict=True)]


def _json_text(value: Any, scale: int | None) -> str:
    t = type(value)
    if value is None:
        return "null"
    if t is bool:
        return "true" if value else "false"
    if t is str:
        return json.dumps(value, ensure_ascii=False)
    if t is int:
        return str(value)
    if t is decimal.Decimal:
        if scale is not None:
            value = value.quantize(decimal.Decimal(1).scaleb(-scale))
        return str(value)
    return json.dumps(_plain(value), ensure_ascii=False)
