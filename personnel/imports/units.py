"""The unit import: party units by code, created or updated, parents anywhere in the file or
already registered; whole or not at all, every change audited.

A row without a parent goes under the chosen unit (from the web, always one); every unit the
file creates or changes must lie under it and in the uploader's reach (the policy's UNIT
"manage").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import DatabaseError, transaction

from personnel import policy
from personnel.imports.columns import UNITS, plan_columns
from personnel.imports.report import FileRefused, ImportReport
from personnel.imports.sheet import Source, body_rows, find_table, raw_preview, read_sheet
from personnel.imports.values import READERS, Bad, read_column, with_max_length
from personnel.models import Level, PartyUnit
from personnel.policy import Kind

CREATED = "unit.import_create"
CHANGED = "unit.import_update"
_LEVEL_LABEL = dict(Level.choices)


class _Refused(Exception):
    pass


def import_units(
    source: Source,
    *,
    unit: PartyUnit | None = None,
    user=None,
    dry_run: bool = False,
    preset: dict[str, str] | None = None,
    overrides: dict[int, str] | None = None,
    note: str = "",
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Create or update units by code. `unit`: where rows without a parent go, and the
    subtree every row must stay in; `user`: whose reach the policy checks (None: the command
    line)."""
    report = ImportReport("units", dry_run=dry_run)
    step = progress or (lambda percent: None)
    try:
        table = find_table(read_sheet(source), UNITS)
    except FileRefused as exc:
        report.error(str(exc))
        return report
    plan = plan_columns(UNITS, table.headers, preset=preset, overrides=overrides, warn=report.warn)
    report.columns = plan.describe()
    report.header_rows = table.header_numbers
    missing = plan.missing()
    if missing:
        report.error("Thiếu cột bắt buộc: " + ", ".join(f"“{m}”" for m in missing) + ".")
        report.preview = raw_preview(table)
        return report
    step(30)
    at = {c.field: h.index for h, c in plan.used()}
    shown = {c.field: h.shown for h, c in plan.used()}
    # A unit row has a code and a name.
    first, second = sorted((at["code"], at["name"]))
    rows = body_rows(table, report, first, [second])
    report.rows = len(rows)
    if not rows:
        if report.ok:
            report.error("Bảng không có dòng dữ liệu nào dưới dòng tiêu đề.")
        return report
    numbers = [n for n, _ in rows]
    limits = {f.name: f.max_length for f in PartyUnit._meta.concrete_fields if f.max_length}
    values: dict[str, list[Any]] = {}
    for h, col in plan.used():
        reader = with_max_length(
            READERS[col.kind], limits.get(col.field if col.field != "parent" else "code")
        )
        column, bad = read_column([r[h.index] for _, r in rows], reader, {})
        if bad:
            for pos, v in enumerate(column):
                if type(v) is Bad:
                    report.cell_error(numbers[pos], h.shown, v)
                    column[pos] = Bad(v)
        values[col.field] = column
    report.preview = [
        {
            "row": numbers[pos],
            "cells": [
                {"text": _shown_value(values, plan, h, pos, rows[pos][1]),
                 "ignored": plan.assigned.get(h.index) is None}
                for h in plan.headers
            ],
        }
        for pos in range(min(5, len(rows)))
    ]  # fmt: skip

    # (code -> row number, name, level, parent code) for the readable rows.
    parsed: dict[str, tuple[int, str, str, str]] = {}
    parents = values.get("parent") or [None] * len(rows)
    for pos, number in enumerate(numbers):
        code, name, level = values["code"][pos], values["name"][pos], values["level"][pos]
        parent = parents[pos]
        ok = True
        for f, v in (("code", code), ("name", name), ("level", level)):
            if v is None:
                report.cell_error(number, shown[f], "không được để trống.")
                ok = False
            elif type(v) is Bad:
                ok = False
        if type(parent) is Bad:
            ok = False
        if code and type(code) is not Bad and code in parsed:
            report.cell_error(
                number, shown["code"], f"mã “{code}” trùng với dòng {parsed[code][0]}."
            )
            ok = False
        if code and parent and parent == code:
            report.cell_error(
                number,
                shown.get("parent", "Mã đơn vị cấp trên"),
                "đơn vị không thể là cấp trên của chính nó.",
            )
            ok = False
        if ok:
            parsed[code] = (number, name, level, parent or "")
    step(60)
    if dry_run:
        existing = _check(parsed, report, unit=unit, user=user, shown=shown)
        if report.ok:
            _diff(parsed, existing, unit, report)
        return report
    try:
        with transaction.atomic():
            if user is not None and unit is not None:
                policy.require(user, Kind.IMPORT, "run", unit)
            existing = _check(parsed, report, unit=unit, user=user, shown=shown)
            if not report.ok:
                raise _Refused
            diff = _diff(parsed, existing, unit, report)
            touched = _write(diff, user=user, note=note)
    except _Refused:
        return report
    except DatabaseError as exc:
        report.error(f"Lỗi khi ghi vào cơ sở dữ liệu, không ghi dữ liệu nào: {exc}")
        report.created = report.updated = report.unchanged = 0
        return report
    from personnel.imports.announce import registry_changed_after_import

    registry_changed_after_import(touched, report)
    return report


def _shown_value(values, plan, header, pos, raw) -> str:
    col = plan.assigned.get(header.index)
    if col is None:
        return "" if raw in ("", None) else str(raw)
    v = values[col.field][pos]
    if v is None:
        return ""
    if col.field == "level" and type(v) is not Bad:
        return str(_LEVEL_LABEL.get(v, v))
    return str(v)


def _check(parsed, report: ImportReport, *, unit, user, shown) -> dict[str, dict[str, Any]]:
    """Parents exist (in the file or registered), everything stays under the chosen unit and
    in reach, no unit ends up under itself. Returns the registered units the file names."""
    codes = set(parsed) | {p for (_, _, _, p) in parsed.values() if p}
    existing = {
        u["code"]: u
        for u in PartyUnit.objects.filter(code__in=list(codes)).values(
            "pk", "code", "name", "level", "parent_id", "parent__code", "path"
        )
    }
    parent_label = shown.get("parent", "Mã đơn vị cấp trên")

    def manageable(row: dict[str, Any]) -> bool:
        inside = unit is None or row["path"].startswith(unit.path)
        if user is None:
            return inside
        return inside and policy.allows(
            user, Kind.UNIT, "manage", PartyUnit(pk=row["pk"], path=row["path"])
        )

    for code, (number, _name, _level, parent) in parsed.items():
        if code in existing and not manageable(existing[code]):
            report.cell_error(
                number, shown["code"], f"đơn vị {code} ngoài phạm vi quản lý của bạn."
            )
            continue
        if not parent:
            if unit is None and user is not None and not user.is_superuser:
                report.cell_error(
                    number, parent_label, "không có quyền tạo đơn vị gốc (không có cấp trên)."
                )
            continue
        if parent not in parsed and parent not in existing:
            report.cell_error(number, parent_label, f"không có đơn vị mã “{parent}”.")
        elif parent in existing and not manageable(existing[parent]):
            report.cell_error(
                number, parent_label, f"đơn vị {parent} ngoài phạm vi quản lý của bạn."
            )

    def final_parent(code: str) -> str | None:
        if code in parsed and parsed[code][3]:
            return parsed[code][3]
        if code in parsed and code not in existing:
            return unit.code if unit is not None and code != unit.code else None
        row = existing.get(code)
        if row is None:
            row = PartyUnit.objects.filter(code=code).values("parent__code").first()
            return row["parent__code"] if row else None
        return row["parent__code"]

    if report.ok:
        for code, (number, *_rest) in parsed.items():
            seen = {code}
            up = final_parent(code)
            while up is not None:
                if up in seen:
                    report.cell_error(
                        number,
                        parent_label,
                        f"tạo thành vòng lặp (đơn vị {code} nằm dưới chính nó).",
                    )
                    break
                seen.add(up)
                up = final_parent(up)
    return existing


def _diff(parsed, existing, unit, report: ImportReport) -> dict[str, Any]:
    """What the file creates and changes (row by row, before and after), for the report
    and the writing."""
    default_parent = unit.code if unit is not None else ""
    created, changed = [], []
    for code, (number, name, level, parent) in parsed.items():
        if not parent:
            # An empty cell: a registered unit keeps its parent, a new one goes under the
            # chosen unit.
            if code in existing:
                parent = existing[code]["parent__code"] or ""
            elif code != default_parent:
                parent = default_parent
        after = {"name": name, "level": level, "parent": parent or None}
        if code not in existing:
            created.append((code, after))
            continue
        old = existing[code]
        before = {"name": old["name"], "level": old["level"], "parent": old["parent__code"]}
        keys = [k for k in after if after[k] != before[k]]
        if keys:
            changed.append((code, {k: before[k] for k in keys}, {k: after[k] for k in keys}))
        labels = {"name": "Tên đơn vị", "level": "Cấp", "parent": "Mã đơn vị cấp trên"}
        report.match(
            {
                "row": number,
                "name": old["name"],
                "code": code,
                "unit": old["parent__code"] or "",
                "by": "mã đơn vị",
                "changes": [[labels[k], _level(k, before[k]), _level(k, after[k])] for k in keys],
            }
        )
    report.created, report.updated = len(created), len(changed)
    report.unchanged = len(parsed) - len(created) - len(changed)
    return {"created": created, "changed": changed, "existing": existing, "unit": unit}


def _level(key: str, value: Any) -> str:
    if value is None:
        return ""
    return str(_LEVEL_LABEL.get(value, value)) if key == "level" else str(value)


def _write(diff: dict[str, Any], *, user, note: str) -> set[int]:
    from personnel.services.audit import audit_bulk

    actor = user if user is not None and getattr(user, "pk", None) else None
    PartyUnit.objects.bulk_create(
        [
            PartyUnit(code=c, name=a["name"], level=a["level"], path="", depth=0)
            for c, a in diff["created"]
        ],
        batch_size=2000,
    )
    rows = [(c, a) for c, a in diff["created"]] + [(c, a) for c, _b, a in diff["changed"]]
    codes = {c for c, _ in rows} | {a["parent"] for _, a in rows if a.get("parent")}
    pk_of = dict(PartyUnit.objects.filter(code__in=list(codes)).values_list("code", "pk"))
    written = []
    for code, after in diff["created"]:
        parent = after["parent"]
        written.append(
            PartyUnit(
                pk=pk_of[code],
                name=after["name"],
                level=after["level"],
                parent_id=pk_of[parent] if parent else None,
            )
        )
    existing = diff["existing"]
    for code, _before, after in diff["changed"]:
        old = existing[code]
        if "parent" in after:
            parent_id = pk_of[after["parent"]] if after["parent"] else None
        else:
            parent_id = old["parent_id"]
        written.append(
            PartyUnit(
                pk=old["pk"],
                name=after.get("name", old["name"]),
                level=after.get("level", old["level"]),
                parent_id=parent_id,
            )
        )
    PartyUnit.objects.bulk_update(written, ["name", "level", "parent"], batch_size=500)
    _rebuild_paths()
    units = PartyUnit.objects.in_bulk([u.pk for u in written])
    audit_rows = []
    for code, after in diff["created"]:
        obj = units[pk_of[code]]
        audit_rows.append((obj, None, {"code": code, **after}, obj))
    if audit_rows:
        audit_bulk(actor=actor, action=CREATED, rows=audit_rows, note=note)
    changed_rows = []
    for code, before, after in diff["changed"]:
        obj = units[existing[code]["pk"]]
        changed_rows.append((obj, before, after, obj))
    if changed_rows:
        audit_bulk(actor=actor, action=CHANGED, rows=changed_rows, note=note)
    touched = {u.pk for u in written}
    touched.update(u.parent_id for u in written if u.parent_id)
    touched.update(
        existing[c]["parent_id"] for c, _b, _a in diff["changed"] if existing[c]["parent_id"]
    )
    return touched


def _rebuild_paths() -> None:
    """Recompute path/depth of every unit from the parent links; write the changed ones."""
    rows = list(PartyUnit.objects.values_list("pk", "parent_id", "path"))
    parent_of = {pk: parent_id for pk, parent_id, _ in rows}
    paths: dict[int, str] = {}

    def path_of(pk: int) -> str:
        chain = []
        node: int | None = pk
        while node is not None and node not in paths:
            chain.append(node)
            node = parent_of[node]
        prefix = paths[node] if node is not None else "/"
        for n in reversed(chain):
            prefix = prefix + f"{n}/"
            paths[n] = prefix
        return paths[pk]

    stale = []
    for pk, _parent, old in rows:
        new = path_of(pk)
        if new != old:
            stale.append(PartyUnit(pk=pk, path=new, depth=new.count("/") - 2))
    PartyUnit.objects.bulk_update(stale, ["path", "depth"], batch_size=500)
