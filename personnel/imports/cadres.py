"""The cadre import: a board's file of people into the registry, whole or not at all.

The table is found (`sheet`) and its columns placed (`columns`); then the rows are worked
in batches, column by column: every cell read by its column's reader (`values`, each
distinct text once), the people matched to what the registry holds (loaded beforehand with
a fixed number of queries), every problem collected as "Dòng N, cột <header as the file
shows it>: …". On PostgreSQL the new people of each batch go to `COPY` as soon as the batch
is checked, so the server writes one batch while the next is read; a problem anywhere rolls
the whole transaction back. Changed people are written with `bulk_update`; each created or
changed person gets one audit row.

Matching an existing person: by cadre code, else by CCCD, else by full name and birth date
among the cadres under the chosen unit. A person the uploader may not edit (the policy's
CADRE "edit", asked about the cadre's *current* unit) refuses the file, with a message that
says nothing about where, or whether, that person is registered.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import DatabaseError, connections, transaction
from django.utils import timezone

from personnel import policy
from personnel.imports.columns import CADRES, CCCD, CODE, DATE, ColumnPlan, fold, plan_columns
from personnel.imports.report import FileRefused, ImportReport
from personnel.imports.sheet import (
    Source,
    Table,
    body_rows,
    find_table,
    raw_preview,
    read_sheet,
)
from personnel.imports.values import READERS, Bad, read_column, with_max_length
from personnel.imports.writing import (
    BLOCK,
    insert_batches,
    is_postgresql,
    lock_for_insert,
    reserve_ids,
)
from personnel.models import Cadre, PartyUnit, PoliticalTheory, Post, Sex, Tenure, add_years
from personnel.names import search_key, sort_key
from personnel.policy import Kind

# Audit actions (the history pages word them).
CREATED = "cadre.import_create"
CHANGED = "cadre.import_update"

BATCH = 5000
PREVIEW_ROWS = 5

# The dossier fields an import may fill beyond name, birth date, sex and unit, with what a
# new cadre gets when the file has no such column or leaves the cell empty.
DEFAULTS: dict[str, Any] = {
    "code": None,
    "citizen_id": None,
    "ethnicity": "Kinh",
    "religion": "",
    "hometown": "",
    "is_local": False,
    "party_entry_date": None,
    "party_confirmed_date": None,
    "education": "",
    "political_theory": PoliticalTheory.NONE,
    "state_management": "",
    "foreign_language": "",
    "it_skill": "",
    "post_text": "",
    # The rest of the résumé form 2C.
    "other_names": "",
    "birth_place": "",
    "permanent_address": "",
    "current_address": "",
    "recruitment_occupation": "",
    "recruited_on": None,
    "recruiting_body": "",
    "main_duties": "",
    "salary_grade": "",
    "salary_step": None,
    "salary_coefficient": None,
    "general_education": "",
    "academic_title": "",
    "mass_org_joined": "",
    "enlisted_on": None,
    "discharged_on": None,
    "military_rank": "",
    "highest_honour": "",
    "strengths": "",
    "health": "",
    "personal_history": "",
}
# The salary coefficient's bounds (`Cadre.clean`): above 0 and under 20.
COEFFICIENT_MAX = Decimal(20)
_SEX_LABEL = {k: str(v) for k, v in Sex.choices}
_THEORY_LABEL = {v: str(label) for v, label in PoliticalTheory.choices}


class _Refused(Exception):
    """Raised inside the transaction to roll it back when the file has problems."""


def import_cadres(
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
    """Import the people of a spreadsheet into `unit` (or into the units its "Mã đơn vị"
    column names, which must lie under `unit` when one is given).

    `user` is the uploader, whose reach the policy checks for every row (None: the command
    line, unrestricted). `preset` and `overrides` adjust the proposed column mapping. The
    report says what was (or, on a dry run, would be) created, changed and left unchanged,
    every problem, and the mapping used.
    """
    report = ImportReport("cadres", dry_run=dry_run)
    step = progress or (lambda percent: None)
    try:
        table = find_table(read_sheet(source), CADRES)
    except FileRefused as exc:
        report.error(str(exc))
        return report
    step(30)
    plan = plan_columns(CADRES, table.headers, preset=preset, overrides=overrides, warn=report.warn)
    report.columns = plan.describe()
    report.header_rows = table.header_numbers
    missing = plan.missing()
    if missing:
        report.error("Thiếu cột bắt buộc: " + ", ".join(f"“{m}”" for m in missing) + ".")
        report.preview = raw_preview(table)
        return report
    if unit is None and not plan.indices("unit"):
        report.error("Tệp không có cột “Mã đơn vị”: hãy chọn đơn vị nhận những người trong tệp.")
        return report
    run = _CadreRun(table, plan, report, unit=unit, user=user, note=note)
    if not run.prepare():
        return report
    if dry_run:
        run.load()
        for _batch in run.batches(build=False, progress=step):
            pass
        run.finish()
        return report
    try:
        with transaction.atomic():
            if user is not None and unit is not None:
                policy.require(user, Kind.IMPORT, "run", unit)
            if is_postgresql(Cadre) and run.rows > BLOCK:
                # Nobody adds a cadre between the checks and the writing, and the new
                # cadres' keys are drawn as one block.
                lock_for_insert(Cadre)
            # Matched against the registry as it stands inside the writing transaction.
            run.load()
            run.write(step)
            if not report.ok:
                raise _Refused
    except _Refused:
        pass
    except DatabaseError as exc:
        report.error(f"Lỗi khi ghi vào cơ sở dữ liệu, không ghi dữ liệu nào: {exc}")
    run.finish()
    if report.ok:
        from personnel.imports.announce import registry_changed_after_import

        registry_changed_after_import(run.touched_units, report)
    return report


class _CadreRun:
    def __init__(self, table: Table, plan: ColumnPlan, report: ImportReport, *, unit, user, note):
        self.table, self.plan, self.report = table, plan, report
        self.unit: PartyUnit | None = unit
        self.user = user
        self.note = note
        self.numbers: list[int] = []
        self.data: list[list[Any]] = []
        # Across batches: who is already in the file.
        self.code_rows: dict[str, int] = {}
        self.cccd_rows: dict[str, int] = {}
        self.person_rows: dict[int, int] = {}
        self.created = 0
        self.new = 0
        self.read_ahead: dict[int, list[Any]] = {}
        self.new_ids: range | list[int] | None = None
        self.changes: list[tuple[dict[str, Any], dict[str, tuple[Any, Any]]]] = []
        self.unchanged = 0
        self.touched_units: set[int] = set()
        self.unknown_posts: dict[str, list[int]] = {}
        # The columns: header shown per target field, and how each used column is read.
        self.shown: dict[str, str] = {}
        self.targets = plan.by_target()
        limits = {f.name: f.max_length for f in Cadre._meta.concrete_fields if f.max_length}
        self.readers = {}
        caches: dict[tuple[str, int | None], dict] = {}
        for header, col in plan.used():
            limit = None if col.kind == DATE else limits.get(col.fills)
            # Codes and CCCDs are unique per row: remembering them would only cost.
            cache = {} if col.kind in (CODE, CCCD) else caches.setdefault((col.kind, limit), {})
            self.readers[header.index] = (with_max_length(READERS[col.kind], limit), cache)
        for target, sources in self.targets.items():
            self.shown[target] = sources[0][0].shown
        self.shown.setdefault("sex", self.shown.get("birth_date", "Giới tính"))
        self.key_cache: dict[str, tuple[str, str]] = {}
        self.adult: dict[date, date] = {}
        self.today = timezone.localdate()
        self.now = timezone.now()

    # --- before the rows ---------------------------------------------------------------------

    @property
    def rows(self) -> int:
        return len(self.numbers)

    def prepare(self) -> bool:
        """Find the data rows; False (with an error) when there are none."""
        plan = self.plan
        name_at = plan.indices("full_name")[0]
        key_at = [
            i
            for f in ("birth_date", "birth_date_male", "birth_date_female", "sex", "citizen_id",
                      "party_entry_date", "code")
            for i in plan.indices(f)
        ]  # fmt: skip
        rows = body_rows(self.table, self.report, name_at, key_at)
        self.report.rows = len(rows)
        if not rows:
            if self.report.ok:
                self.report.error("Bảng không có dòng dữ liệu nào dưới dòng tiêu đề.")
            return False
        self.numbers = [n for n, _ in rows]
        self.data = [r for _, r in rows]
        return True

    def load(self) -> None:
        """Everything the batches need from the database, read now: on PostgreSQL the
        connection is busy copying while the batches are worked."""
        self.allows = self._allows()
        # Units the rows may name (by code, or by exact name under the chosen unit).
        self.units: dict[int, tuple[str, str]] = {}  # pk -> (code, path)
        self.unit_by_code: dict[str, int] = {}
        self.unit_by_name: dict[str, list[int]] = defaultdict(list)
        units = PartyUnit.objects.all()
        if self.unit is not None:
            units = units.filter(path__startswith=self.unit.path)
        if "unit" in self.targets or self.unit is not None:
            for pk, code, name, path in units.values_list("pk", "code", "name", "path"):
                self.units[pk] = (code, path)
                self.unit_by_code[code] = pk
                self.unit_by_name[fold(name)].append(pk)
        # People the file names by code or CCCD, and (with a chosen unit) everyone under it.
        codes = self._column_values("code")
        cccds = self._column_values("citizen_id")
        fields = [f for f in self.targets if f != "unit"]
        people = _load_people(codes=codes, cccds=cccds, fields=fields)
        self.by_code = {p["code"]: p for p in people if p["code"]}
        self.by_cccd = {p["citizen_id"]: p for p in people if p["citizen_id"]}
        self.by_name: dict[tuple[str, date], list[dict[str, Any]]] = defaultdict(list)
        if self.unit is not None:
            for p in _load_people(under=self.unit, fields=fields):
                self.by_name[(p["full_name"].casefold(), p["birth_date"])].append(p)
        for p in (*people, *(q for v in self.by_name.values() for q in v)):
            self.units.setdefault(p["unit_id"], (p["unit__code"], p["unit__path"]))
        self.known_posts = {fold(n) for n in Post.objects.values_list("name", flat=True)}

    def _column_values(self, target: str) -> set[str]:
        """The readable values of a key column over all rows, read now for the lookups and
        kept for the batches."""
        sources = self.targets.get(target)
        if not sources:
            return set()
        header = sources[0][0]
        reader, _cache = self.readers[header.index]
        i = header.index
        values, _bad = read_column([r[i] for r in self.data], reader, {})
        self.read_ahead[i] = values
        return {v for v in values if v and type(v) is not Bad}

    def _allows(self) -> Callable[[int, str], bool]:
        """Whether the uploader may edit cadres of a unit (by id and path), asked of the
        policy once per unit; the grants are read now, not while copying."""
        answers: dict[int, bool] = {}
        user = self.user
        if user is not None:
            policy.grants_of(user)

        def allows(unit_id: int, path: str) -> bool:
            if user is None:
                return True
            if unit_id not in answers:
                answers[unit_id] = policy.allows(
                    user, Kind.CADRE, "edit", PartyUnit(pk=unit_id, path=path)
                )
            return answers[unit_id]

        return allows

    # --- the rows, batch by batch --------------------------------------------------------------

    def batches(self, *, build: bool, progress=None) -> Iterator[dict[str, list[Any]]]:
        """Work every batch; yield the new cadres of each (column by column) while the file
        is still importable and `build` asks for them."""
        n = len(self.numbers)
        for start in range(0, n, BATCH):
            end = min(n, start + BATCH)
            out = self._batch(start, end, build=build and self.report.ok)
            if progress is not None:
                progress(40 + 50 * end // n)
            if out is not None and self.report.ok:
                yield out

    def _batch(self, start: int, end: int, *, build: bool) -> dict[str, list[Any]] | None:
        report = self.report
        numbers = self.numbers[start:end]
        count = end - start
        columns = list(zip(*self.data[start:end], strict=True))
        bad: set[int] = set()  # positions in the batch
        parsed: dict[int, list[Any]] = {}
        for header, _col in self.plan.used():
            if header.index in self.read_ahead:
                values = self.read_ahead[header.index][start:end]
                any_bad = any(type(v) is Bad for v in values)
            else:
                reader, cache = self.readers[header.index]
                values, any_bad = read_column(columns[header.index], reader, cache)
            if any_bad:
                for pos, v in enumerate(values):
                    if type(v) is Bad:
                        report.cell_error(numbers[pos], header.shown, v)
                        bad.add(pos)
                        values[pos] = None
            parsed[header.index] = values
        values = self._combine(parsed, numbers, bad, count)
        if start == 0:
            self._preview(numbers, columns, parsed)
        names, births, sexes = values["full_name"], values["birth_date"], values["sex"]
        for pos in range(count):
            if not names[pos]:
                self._fail(numbers, bad, pos, "full_name", "không được để trống.")
            if births[pos] is None and pos not in bad:
                self._fail(numbers, bad, pos, "birth_date", "không được để trống.")
            if sexes[pos] is None and pos not in bad:
                self._fail(numbers, bad, pos, "sex", "không được để trống.")
        unit_ids = self._units(values, numbers, bad, count)
        matched = self._match(values, numbers, bad, count)
        self._check_dates(values, numbers, bad, matched, count)
        self._check_dossier(values, numbers, bad, matched, count)
        new = self._decide(values, numbers, bad, matched, unit_ids, count)
        self.new += len(new)
        if not build or not report.ok:
            return None
        return self._new_cadres(values, unit_ids, new)

    def _fail(self, numbers, bad: set[int], pos: int, target: str, message: str) -> None:
        shown = self.shown.get(target) or _LABELS.get(target, target)
        self.report.cell_error(numbers[pos], shown, message)
        bad.add(pos)

    def _combine(self, parsed, numbers, bad, count) -> dict[str, list[Any]]:
        """One list per model field from the columns that fill it: the birth date under
        "Nam" or "Nữ" (which says the sex), a tick under "Nam" or "Nữ", a post in parts."""
        values: dict[str, list[Any]] = {}
        implied: list[str | None] | None = None
        for target, sources in self.targets.items():
            if len(sources) == 1 and sources[0][1].implies is None:
                values[target] = parsed[sources[0][0].index]
                continue
            if target == "post_text":
                parts = [parsed[h.index] for h, _ in sources]
                values[target] = [
                    ", ".join(p for p in ps if p) or None for ps in zip(*parts, strict=True)
                ]
                continue
            merged: list[Any] = [None] * count
            says: list[str | None] = [None] * count
            for h, col in sources:
                column = parsed[h.index]
                for pos in range(count):
                    v = column[pos]
                    if v is None:
                        continue
                    if merged[pos] is not None:
                        first = next(x for x, _ in sources if parsed[x.index][pos] is not None)
                        self.report.error(
                            f"Dòng {numbers[pos]}: có giá trị ở cả cột “{first.shown}” và cột "
                            f"“{h.shown}”; chỉ được ghi ở một cột.",
                            numbers[pos],
                        )
                        bad.add(pos)
                        continue
                    merged[pos] = v
                    if col.implies:
                        says[pos] = col.implies[1]
            values[target] = merged if target != "sex" else says
            if target != "sex" and any(says):
                implied = says
        if "sex" not in values:
            values["sex"] = implied or [None] * count
        elif implied is not None:
            sexes = list(values["sex"])
            for pos, (said, by_column) in enumerate(zip(sexes, implied, strict=True)):
                if said and by_column and said != by_column:
                    self._fail(
                        numbers,
                        bad,
                        pos,
                        "sex",
                        f"“{_SEX_LABEL[said]}” khác với cột ngày sinh "
                        f"(cột {_SEX_LABEL[by_column]}).",
                    )
                elif by_column and not said:
                    sexes[pos] = by_column
            values["sex"] = sexes
        return values

    def _preview(self, numbers, columns, parsed) -> None:
        """The first rows as they will be imported, for the mapping screen."""
        preview = []
        for pos in range(min(PREVIEW_ROWS, len(numbers))):
            cells = []
            errors = self.report.row_errors.get(numbers[pos], [])
            for h in self.plan.headers:
                col = self.plan.assigned.get(h.index)
                if col is None:
                    cells.append({"text": _display(columns[h.index][pos]), "ignored": True})
                    continue
                wrong = [e for e in errors if e.startswith(f"Dòng {numbers[pos]}, cột {h.shown}:")]
                text = (
                    wrong[0].split(": ", 1)[1]
                    if wrong
                    else _display(parsed[h.index][pos], col.kind)
                )
                cells.append({"text": text, "error": bool(wrong)})
            preview.append({"row": numbers[pos], "cells": cells})
        self.report.preview = preview

    def _units(self, values, numbers, bad, count) -> list[int | None]:
        """The unit of each row: the chosen one, or the one its unit column names (by code,
        or by exact name under the chosen unit), which must be in the uploader's reach."""
        chosen = self.unit
        column = values.get("unit")
        if column is None:
            return [chosen.pk] * count  # type: ignore[union-attr]
        ids: list[int | None] = []
        for pos, text in enumerate(column):
            if not text:
                if chosen is None and pos not in bad:
                    self._fail(numbers, bad, pos, "unit", "không được để trống.")
                ids.append(chosen.pk if chosen else None)
                continue
            pk = self.unit_by_code.get(text)
            if pk is None:
                named = self.unit_by_name.get(fold(text), ())
                pk = named[0] if len(named) == 1 else None
            if pk is None:
                where = f" trong {chosen.name}" if chosen else ""
                self._fail(numbers, bad, pos, "unit", f"không có đơn vị mã “{text}”{where}.")
            elif not self.allows(pk, self.units[pk][1]):
                self._fail(
                    numbers, bad, pos, "unit", f"đơn vị {text} ngoài phạm vi quản lý của bạn."
                )
                pk = None
            ids.append(pk)
        return ids

    def _match(self, values, numbers, bad, count) -> dict[int, dict[str, Any]]:
        """Who each row is: by code, by CCCD, else by name and birth date under the chosen
        unit; a row repeating another's code, CCCD or person is refused. A person outside
        the uploader's reach refuses the row."""
        report = self.report
        codes = values.get("code") or [None] * count
        cccds = values.get("citizen_id") or [None] * count
        names, births = values["full_name"], values["birth_date"]
        by_code, by_cccd, by_name = self.by_code, self.by_cccd, self.by_name
        matched: dict[int, dict[str, Any]] = {}
        for pos in range(count):
            number, code, cccd = numbers[pos], codes[pos], cccds[pos]
            if code:
                if code in self.code_rows:
                    self._fail(
                        numbers,
                        bad,
                        pos,
                        "code",
                        f"mã “{code}” trùng với dòng {self.code_rows[code]}.",
                    )
                    continue
                self.code_rows[code] = number
            if cccd:
                if cccd in self.cccd_rows:
                    self._fail(
                        numbers,
                        bad,
                        pos,
                        "citizen_id",
                        f"số {cccd} trùng với dòng {self.cccd_rows[cccd]}.",
                    )
                    continue
                self.cccd_rows[cccd] = number
            person = by_code.get(code) if code else None
            by = "mã cán bộ"
            owner = by_cccd.get(cccd) if cccd else None
            if person is None and owner is not None:
                person, by = owner, "số CCCD"
            elif person is not None and owner is not None and owner["pk"] != person["pk"]:
                # The code names one person and the CCCD another.
                if not self.allows(owner["unit_id"], owner["unit__path"]):
                    self._out_of_reach(numbers, bad, pos, names[pos])
                else:
                    self._fail(
                        numbers,
                        bad,
                        pos,
                        "citizen_id",
                        f"số {cccd} đã ghi cho cán bộ {owner['full_name']} "
                        f"({owner['code'] or 'chưa có mã'}), không phải người mang mã {code}.",
                    )
                continue
            if person is None and by_name and names[pos] and births[pos]:
                found = by_name.get((names[pos].casefold(), births[pos]))
                if found and len(found) > 1:
                    report.error(
                        f"Dòng {number}: có {len(found)} cán bộ cùng họ tên và ngày sinh trong "
                        f"{self.unit.name}; hãy ghi số CCCD hoặc mã cán bộ để phân biệt.",  # type: ignore[union-attr]
                        number,
                    )
                    bad.add(pos)
                    continue
                if found:
                    person, by = found[0], "họ tên và ngày sinh"
            if person is None:
                continue
            if not self.allows(person["unit_id"], person["unit__path"]):
                self._out_of_reach(numbers, bad, pos, names[pos])
                continue
            if person["pk"] in self.person_rows:
                report.error(
                    f"Dòng {number}: cùng một người với dòng {self.person_rows[person['pk']]}.",
                    number,
                )
                bad.add(pos)
                continue
            if code and person["code"] and person["code"] != code:
                self._fail(
                    numbers,
                    bad,
                    pos,
                    "code",
                    f"người này (tìm theo {by}) đã có mã {person['code']}, khác mã “{code}”.",
                )
                continue
            if cccd and person["citizen_id"] and person["citizen_id"] != cccd and by != "số CCCD":
                self._fail(
                    numbers,
                    bad,
                    pos,
                    "citizen_id",
                    f"người này (tìm theo {by}) đã có số CCCD khác ({person['citizen_id']}).",
                )
                continue
            self.person_rows[person["pk"]] = number
            matched[pos] = {**person, "_by": by}
        return matched

    def _out_of_reach(self, numbers, bad, pos: int, name: str | None) -> None:
        """The same words whether the person was found by code or by CCCD, and nothing about
        where they are: a CCCD's owner elsewhere is none of the uploader's business."""
        number = numbers[pos]
        self.report.error(
            f"Dòng {number}: cán bộ {name or '(không tên)'} không thuộc phạm vi của bạn.", number
        )
        bad.add(pos)

    def _check_dates(self, values, numbers, bad, matched, count) -> None:
        """Birth, party entry and confirmation in order; a matched person's stored dates
        stand in for columns the file does not have or cells it leaves empty."""
        today, adult = self.today, self.adult
        births = values["birth_date"]
        none = [None] * count
        entries = values.get("party_entry_date") or none
        confs = values.get("party_confirmed_date") or none
        for pos in range(count):
            b, e, c = births[pos], entries[pos], confs[pos]
            person = matched.get(pos)
            if person is not None:
                b = b or person["birth_date"]
                e = e or person.get("party_entry_date")
                c = c or person.get("party_confirmed_date")
            if b is not None and b > today:
                self._fail(numbers, bad, pos, "birth_date", f"{b:%d/%m/%Y} ở tương lai.")
            if e is not None:
                if e > today:
                    self._fail(numbers, bad, pos, "party_entry_date", f"{e:%d/%m/%Y} ở tương lai.")
                elif b is not None:
                    limit = adult.get(b)
                    if limit is None:
                        limit = adult[b] = add_years(b, 18)
                    if e < limit:
                        self._fail(
                            numbers,
                            bad,
                            pos,
                            "party_entry_date",
                            f"{e:%d/%m/%Y} trước khi đủ 18 tuổi (sinh {b:%d/%m/%Y}).",
                        )
            if c is not None:
                if c > today:
                    self._fail(
                        numbers, bad, pos, "party_confirmed_date", f"{c:%d/%m/%Y} ở tương lai."
                    )
                elif e is not None and c < e:
                    self._fail(
                        numbers,
                        bad,
                        pos,
                        "party_confirmed_date",
                        f"{c:%d/%m/%Y} trước ngày vào Đảng ({e:%d/%m/%Y}).",
                    )

    def _check_dossier(self, values, numbers, bad, matched, count) -> None:
        """The 2C fields' own rules (`Cadre.clean`): recruited after birth, discharged after
        enlisting, a salary coefficient above 0 and under 20. As for the party dates, a
        matched person's stored values stand in for absent columns and empty cells."""
        wanted = ("recruited_on", "enlisted_on", "discharged_on", "salary_coefficient")
        if not any(f in values for f in wanted):
            return
        none = [None] * count
        births = values["birth_date"]
        recruits = values.get("recruited_on") or none
        enlists = values.get("enlisted_on") or none
        discharges = values.get("discharged_on") or none
        coefficients = values.get("salary_coefficient") or none
        for pos in range(count):
            b, r, e, x = births[pos], recruits[pos], enlists[pos], discharges[pos]
            person = matched.get(pos)
            if person is not None:
                b = b or person["birth_date"]
                r = r or person.get("recruited_on")
                e = e or person.get("enlisted_on")
                x = x or person.get("discharged_on")
            if b is not None and r is not None and r < b:
                self._fail(
                    numbers, bad, pos, "recruited_on",
                    f"{r:%d/%m/%Y} trước ngày sinh ({b:%d/%m/%Y}).",
                )  # fmt: skip
            if e is not None and x is not None and x < e:
                self._fail(
                    numbers, bad, pos, "discharged_on",
                    f"{x:%d/%m/%Y} trước ngày nhập ngũ ({e:%d/%m/%Y}).",
                )  # fmt: skip
            c = coefficients[pos]
            if c is not None and not 0 < c < COEFFICIENT_MAX:
                self._fail(
                    numbers, bad, pos, "salary_coefficient",
                    f"{_display(c)} không hợp lệ (phải lớn hơn 0 và nhỏ hơn {COEFFICIENT_MAX}).",
                )  # fmt: skip

    def _decide(self, values, numbers, bad, matched, unit_ids, count) -> list[int]:
        """New or changed, and what changes (shown before confirming); posts the catalogue
        does not know are noted for a warning. Returns the positions of new cadres."""
        new: list[int] = []
        targets = [f for f in values if f != "unit"]
        chosen = self.unit
        has_unit_column = "unit" in values
        posts = values.get("post_text")
        for pos in range(count):
            if pos in bad:
                continue
            if posts is not None and posts[pos]:
                self._note_posts(posts[pos], numbers[pos])
            person = matched.get(pos)
            if person is None:
                new.append(pos)
                continue
            changes: dict[str, tuple[Any, Any]] = {}
            for f in targets:
                value = values[f][pos]
                if value is None:  # an empty cell never erases what the registry holds
                    continue
                if f == "post_text" and value == person.get("_posts"):
                    continue  # the catalogue's own posts, as the export writes them
                if value != person.get(f):
                    changes[f] = (person.get(f), value)
            if has_unit_column:
                if values["unit"][pos] and unit_ids[pos] != person["unit_id"]:
                    changes["unit_id"] = (person["unit_id"], unit_ids[pos])
            elif chosen is not None and not person["unit__path"].startswith(chosen.path):
                # Registered elsewhere in the uploader's reach: the file moves them here.
                changes["unit_id"] = (person["unit_id"], chosen.pk)
            if changes:
                self.changes.append((person, changes))
            else:
                self.unchanged += 1
            self.report.match(
                {
                    "row": numbers[pos],
                    "name": person["full_name"],
                    "birth": f"{person['birth_date']:%d/%m/%Y}",
                    "code": person["code"] or "",
                    "unit": person["unit__code"],
                    "by": person["_by"],
                    "changes": [
                        [_LABELS.get(f, f), self._shown_value(f, old), self._shown_value(f, v)]
                        for f, (old, v) in changes.items()
                    ],
                }
            )
        return new

    def _shown_value(self, field: str, value: Any) -> str:
        if field == "unit_id":
            return self.units.get(value, (str(value), ""))[0] if value else ""
        return _display(value, _KINDS.get(field))

    def _note_posts(self, text: str, number: int) -> None:
        for part in text.replace(";", ",").split(","):
            part = part.strip()
            if part and fold(part) not in self.known_posts:
                self.unknown_posts.setdefault(part, []).append(number)

    def _new_cadres(self, values, unit_ids, new: list[int]) -> dict[str, list[Any]]:
        """The new cadres of a batch, one list per model field (defaults filled, keys
        computed as `Cadre.fill_keys` would), with the ids taken beforehand."""
        every = len(new) == len(unit_ids)

        def pick(column: list[Any]) -> list[Any]:
            return column if every else [column[p] for p in new]

        count = len(new)
        names = pick(values["full_name"])
        keys = self.key_cache
        sort_keys, search_names = [], []
        for name in names:
            k = keys.get(name)
            if k is None:
                k = keys[name] = (sort_key(name), search_key(name))
            sort_keys.append(k[0])
            search_names.append(k[1])
        out: dict[str, list[Any]] = {
            "full_name": names,
            "sort_key": sort_keys,
            "search_name": search_names,
            "birth_date": pick(values["birth_date"]),
            "sex": pick(values["sex"]),
            "unit_id": pick(unit_ids),
        }
        for f, default in DEFAULTS.items():
            if f not in values:
                out[f] = [default] * count
            elif default is None:
                out[f] = pick(values[f])
            else:
                out[f] = [default if v is None else v for v in pick(values[f])]
        for f in Cadre._meta.concrete_fields:
            if f.attname in out:
                continue
            if f.primary_key:
                if self.new_ids is None:
                    out[f.attname] = [None] * count
                else:
                    out[f.attname] = list(self.new_ids[self.created : self.created + count])
            elif f.attname in ("created_at", "updated_at"):
                out[f.attname] = [self.now] * count
            else:
                out[f.attname] = [f.get_default()] * count
        self.created += count
        self.touched_units.update(out["unit_id"])
        return out

    # --- writing -----------------------------------------------------------------------------

    def write(self, step) -> None:
        from personnel.services.audit import audit_bulk, audit_created_copy

        actor = self.user if self.user is not None and getattr(self.user, "pk", None) else None
        recorded = ["code", "full_name", "birth_date", "sex", "unit"] + [
            f for f in DEFAULTS if f in self.targets and f != "code"
        ]
        kept = ["id", "full_name", "unit_id", *(_attname(f) for f in recorded)]
        written: list[dict[str, list[Any]]] = []

        def keep(batches: Iterator[dict[str, list[Any]]]) -> Iterator[dict[str, list[Any]]]:
            # The columns the audit rows need, as written: no reading the rows back.
            for batch in batches:
                written.append({k: batch[k] for k in kept})
                yield batch

        if is_postgresql(Cadre):
            self.new_ids = reserve_ids(Cadre, len(self.numbers))
        created = insert_batches(Cadre, keep(self.batches(build=True, progress=step)))
        if not self.report.ok:
            return
        if created is None:
            audit_created_copy(
                actor=actor,
                action=CREATED,
                model=Cadre,
                batches=written,
                fields=recorded,
                label_field="full_name",
                unit_field="unit",
                note=self.note,
            )
        elif created:
            units = PartyUnit.objects.in_bulk({c.unit_id for c in created})
            audit_bulk(
                actor=actor,
                action=CREATED,
                note=self.note,
                rows=[(c, None, _snapshot(c, recorded), units[c.unit_id]) for c in created],
            )
        if self.changes:
            self._update(actor, audit_bulk)

    def _update(self, actor, audit_bulk) -> None:
        """Changed people, grouped by the fields that change (each group one `bulk_update`
        writing only those), one audit row each with the fields before and after."""
        groups: dict[tuple[str, ...], list[Cadre]] = defaultdict(list)
        rows = []
        for person, changes in self.changes:
            cadre = Cadre(pk=person["pk"], full_name=person["full_name"], updated_at=self.now)
            written = {"updated_at", *changes}
            for f, (_old, new) in changes.items():
                setattr(cadre, f, new)
            if "full_name" in changes:
                cadre.sort_key = sort_key(cadre.full_name)
                cadre.search_name = search_key(cadre.full_name)
                written.update(("sort_key", "search_name"))
            groups[tuple(sorted(written))].append(cadre)
            new_unit = changes.get("unit_id", (None, person["unit_id"]))[1]
            self.touched_units.update((person["unit_id"], new_unit))
            before = {_audit_name(f): _json(old) for f, (old, _) in changes.items()}
            after = {_audit_name(f): _json(new) for f, (_, new) in changes.items()}
            rows.append((cadre, before, after, new_unit))
        for fields, cadres in groups.items():
            Cadre.objects.bulk_update(cadres, list(fields), batch_size=500)
        units = PartyUnit.objects.in_bulk({r[3] for r in rows})
        audit_bulk(
            actor=actor,
            action=CHANGED,
            note=self.note,
            rows=[(c, b, a, units[u]) for c, b, a, u in rows],
        )

    # --- after ---------------------------------------------------------------------------------

    def finish(self) -> None:
        report = self.report
        for text, numbers in list(self.unknown_posts.items())[:50]:
            where = ", ".join(str(n) for n in numbers[:5]) + (" …" if len(numbers) > 5 else "")
            report.warn(
                f"Cột “{self.shown['post_text']}”: “{text}” (dòng {where}) không khớp chức vụ nào "
                "trong danh mục; đã giữ nguyên như ghi trong tệp."
            )
        if len(self.unknown_posts) > 50:
            report.warn(
                f"… và {len(self.unknown_posts) - 50} chức vụ khác không có trong danh mục."
            )
        if not report.ok:
            report.created = report.updated = report.unchanged = 0
            return
        report.created = self.new
        report.updated = len(self.changes)
        report.unchanged = self.unchanged


_LABELS = {
    "code": "Mã cán bộ",
    "full_name": "Họ và tên",
    "birth_date": "Ngày sinh",
    "sex": "Giới tính",
    "unit_id": "Đơn vị",
    **{c.fills: c.label for c in CADRES.columns if not c.under},
}
_KINDS = {c.fills: c.kind for c in CADRES.columns if not c.under}


def _display(value: Any, kind: str | None = None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if kind == "sex":
        return _SEX_LABEL.get(value, str(value))
    if kind == "theory":
        return _THEORY_LABEL.get(value, str(value))
    if type(value) is bool:
        return "Có" if value else "Không"
    if type(value) is float:
        return str(int(value)) if value.is_integer() else str(value)
    if type(value) is Decimal:
        return f"{value:.2f}".replace(".", ",")
    return str(value)


def _attname(f: str) -> str:
    return "unit_id" if f == "unit" else f


def _audit_name(f: str) -> str:
    return "unit" if f == "unit_id" else f


def _json(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if type(value) is Decimal:
        return str(value)
    return value


def _snapshot(cadre: Cadre, fields: list[str]) -> dict[str, Any]:
    return {f: _json(getattr(cadre, "unit_id" if f == "unit" else f)) for f in fields}


_PERSON = ["pk", "code", "citizen_id", "full_name", "birth_date", "sex", "unit_id", "unit__path",
           "unit__code"]  # fmt: skip


def _load_people(
    *,
    codes: set[str] | None = None,
    cccds: set[str] | None = None,
    under: PartyUnit | None = None,
    fields: list[str],
) -> list[dict[str, Any]]:
    """The cadres a file names (by code or CCCD), or those under a unit, with the stored
    values of the fields the file fills: a fixed number of queries whatever the size of
    the file (on PostgreSQL the keys go as one array each)."""
    wanted = _PERSON + [f for f in fields if f not in _PERSON]
    qs = Cadre.objects.all()
    rows: list[dict[str, Any]] = []
    if under is not None:
        rows = list(qs.filter(unit__path__startswith=under.path).values(*wanted))
    elif is_postgresql(Cadre):
        codes, cccds = codes or set(), cccds or set()
        if len(codes) + len(cccds) > _table_size() // 2:
            # The file names about as many people as the registry holds: reading the two
            # keys of every cadre is cheaper than looking up each key. One plain query,
            # fetched whole: a server-side cursor (`.iterator()`) costs several times more
            # in round trips and model machinery than the three columns themselves.
            pks = [
                pk
                for pk, code, cccd in _all_keys()
                if (code is not None and code in codes) or (cccd is not None and cccd in cccds)
            ]
            if pks:
                rows = _values_any(wanted, "pk", pks)
        else:
            for name, keys in (("code", codes), ("citizen_id", cccds)):
                if keys:
                    rows.extend(_values_any(wanted, name, sorted(keys)))
    else:
        for name, keys in (("code", codes), ("citizen_id", cccds)):
            ordered = sorted(keys or ())
            for start in range(0, len(ordered), 500):
                chunk = ordered[start : start + 500]
                rows.extend(qs.filter(**{f"{name}__in": chunk}).values(*wanted))
    seen: set[int] = set()
    rows = [r for r in rows if not (r["pk"] in seen or seen.add(r["pk"]))]
    if "post_text" in fields and rows:
        posts = _catalogue_posts([r["pk"] for r in rows])
        for r in rows:
            r["_posts"] = posts.get(r["pk"], "")
    return rows


def _all_keys() -> list[tuple[int, str | None, str | None]]:
    """(pk, code, CCCD) of every cadre, archived ones included (as `Cadre.objects.all()`)."""
    connection = connections[Cadre.objects.db]
    quote = connection.ops.quote_name
    opts = Cadre._meta
    columns = (opts.pk.column, opts.get_field("code").column, opts.get_field("citizen_id").column)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(map(quote, columns))} FROM {quote(opts.db_table)}")
        return cursor.fetchall()


def _table_size() -> int:
    """PostgreSQL's estimate of the number of cadres (no count of the table)."""
    with connections[Cadre.objects.db].cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
            [Cadre._meta.db_table],
        )
        row = cursor.fetchone()
    return max(int(row[0]) if row else 0, 0)


def _values_any(wanted: list[str], name: str, keys: list[str]) -> list[dict[str, Any]]:
    """`Cadre.objects.filter(<name>__in=keys).values(*wanted)` as one PostgreSQL query with
    the keys as one array: an IN list of 100,000 parameters costs more than the import."""
    connection = connections[Cadre.objects.db]
    quote = connection.ops.quote_name
    opts, unit_opts = Cadre._meta, PartyUnit._meta
    select = []
    for w in wanted:
        if w == "pk":
            select.append(f"c.{quote(opts.pk.column)}")
        elif w.startswith("unit__"):
            select.append(f"u.{quote(unit_opts.get_field(w[6:]).column)}")
        elif w == "unit_id":
            select.append(f"c.{quote(opts.get_field('unit').column)}")
        else:
            select.append(f"c.{quote(opts.get_field(w).column)}")
    sql = (
        f"SELECT {', '.join(select)} FROM {quote(opts.db_table)} c "
        f"JOIN {quote(unit_opts.db_table)} u "
        f"ON u.{quote(unit_opts.pk.column)} = c.{quote(opts.get_field('unit').column)} "
        f"WHERE c.{quote(opts.pk.column if name == 'pk' else opts.get_field(name).column)} "
        "= ANY(%s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [keys])
        return [dict(zip(wanted, row, strict=True)) for row in cursor.fetchall()]


def _catalogue_posts(cadre_ids: list[int]) -> dict[int, str]:
    """The posts people hold now per the registry's tenures, as the export writes them."""
    result: dict[int, list[str]] = defaultdict(list)
    tenures = (
        Tenure.objects.current()
        .filter(cadre_id__in=cadre_ids)
        .order_by("cadre_id", "-post__rank", "start")
        .values_list("cadre_id", "post__name")
    )
    for cadre_id, name in tenures:
        if name not in result[cadre_id]:
            result[cadre_id].append(name)
    return {k: ", ".join(v) for k, v in result.items()}
