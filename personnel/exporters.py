"""Spreadsheet export of cadres, in the import's own format (an export re-imports unchanged).

Cells hold values, never formulas: every text cell is written as a string cell, even one
starting with "=", "+", "-" or "@", so a spreadsheet program will not evaluate it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import IO, Any

from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from personnel.importers import CADRE_COLUMNS
from personnel.models import Cadre, PoliticalTheory, Sex

DATE_FORMAT = "DD/MM/YYYY"

_FIELDS = tuple("unit__code" if c.field == "unit" else c.field for c in CADRE_COLUMNS)
_SEX = dict(Sex.choices)
_THEORY = {value: (str(label) if value else "") for value, label in PoliticalTheory.choices}


def export_cadres(queryset: QuerySet[Cadre], file: str | Path | IO[bytes]) -> int:
    """Write the cadres of `queryset` to `file` (a path or a binary file object) as xlsx.

    Returns the number of cadre rows written (the header row not counted)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Cán bộ")
    ws.append([_text_cell(ws, c.label) for c in CADRE_COLUMNS])

    count = 0
    rows = queryset.order_by("unit__path", "sort_key", "pk").values_list(*_FIELDS)
    for row in rows.iterator(chunk_size=2000):
        out: list[Any] = []
        for name, value in zip(_FIELDS, row, strict=True):
            if name == "sex":
                value = _SEX.get(value, value)
            elif name == "political_theory":
                value = _THEORY.get(value, value)
            elif name == "is_local":
                value = "Có" if value else "Không"
            if isinstance(value, date):
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = DATE_FORMAT
                out.append(cell)
            elif value is None or value == "":
                out.append(None)
            else:
                out.append(_text_cell(ws, str(value)))
        ws.append(out)
        count += 1
    wb.save(file)
    return count


def _text_cell(ws, text: str) -> WriteOnlyCell:
    """A cell that is a string whatever its content: openpyxl would otherwise store a text
    starting with "=" as a formula."""
    cell = WriteOnlyCell(ws, value=None)
    cell._value = ILLEGAL_CHARACTERS_RE.sub("", text)
    cell.data_type = "s"
    return cell
