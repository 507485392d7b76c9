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
    entries = [
        AuditLog(
            actor=actor if actor is not None and getattr(actor, "pk", None) else None,
            action=action,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            object_label=str(obj)[:255],
            unit=row[3] if len(row) > 3 else unit,
            before=row[1],
            after=row[2],
            note=note,
        )
        for row in rows
        for obj in (row[0],)
    ]
    AuditLog.objects.bulk_create(entries, batch_size=2000)
    return len(entries)


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
    }
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
