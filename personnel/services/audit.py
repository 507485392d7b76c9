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


def audit_created_rows(
    *,
    actor,
    action: str,
    model: type[models.Model],
    ids: range | list[int],
    fields: list[str],
    label_field: str,
    unit_field: str,
    note: str = "",
) -> int:
    """One audit row per row of `model` just inserted (PostgreSQL), built by the database
    from the rows themselves: `after` holds `fields`, the label and unit come from the row.

    For imports of many thousands of rows, where building and sending each row's JSON
    from Python would cost more than the import itself. Every other column of the audit
    row gets its model default.
    """
    from django.db import connections

    if not ids:
        return 0
    connection = connections[AuditLog.objects.db]
    quote = connection.ops.quote_name
    opts = model._meta
    source = {f.name: f for f in opts.concrete_fields}
    pairs = ", ".join(f"'{name}', src.{quote(source[name].column)}" for name in fields)
    given = {
        "actor": "%s",
        "action": "%s",
        "object_type": "%s",
        "object_id": f"src.{quote(opts.pk.column)}::text",
        "object_label": f"left(src.{quote(source[label_field].column)}, 255)",
        "unit": f"src.{quote(source[unit_field].column)}",
        "before": "NULL",
        "after": f"jsonb_build_object({pairs})",
        "note": "%s",
    }
    params_for = {
        "actor": actor.pk if actor is not None and getattr(actor, "pk", None) else None,
        "action": action,
        "object_type": opts.label_lower,
        "note": note,
        **_origin_fields(),  # the request or command that imported them
    }
    given.update({name: "%s" for name in _origin_fields()})
    # Columns in the model's order; parameters follow their placeholders.
    columns, values, params = [], [], []
    for f in AuditLog._meta.concrete_fields:
        if f.primary_key:
            continue
        columns.append(quote(f.column))
        if f.name in given:
            values.append(given[f.name])
            if f.name in params_for:
                params.append(params_for[f.name])
        else:  # a column added later: its model default, as an ORM insert would write
            values.append("%s")
            params.append(f.get_db_prep_save(f.get_default(), connection))
    pk = f"src.{quote(opts.pk.column)}"
    if isinstance(ids, range) and ids.step == 1:  # a block of keys: one range scan
        where, keys = f"{pk} BETWEEN %s AND %s", [ids.start, ids.stop - 1]
    else:
        where, keys = f"{pk} = ANY(%s)", [list(ids)]
    sql = (
        f"INSERT INTO {quote(AuditLog._meta.db_table)} ({', '.join(columns)}) "
        f"SELECT {', '.join(values)} FROM {quote(opts.db_table)} src "
        f"WHERE {where} ORDER BY {pk}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *keys])
        return cursor.rowcount
