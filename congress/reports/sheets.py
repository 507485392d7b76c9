"""Excel copies of what a page shows (the dashboard, a nominee list): one sheet per table,
a bold header row, dates as dates (dd/mm/yyyy), and text always stored as text.

Cells hold values, never formulas: a text starting with "=", "+", "-" or "@" is written as
a string cell, so a spreadsheet program will not evaluate it (as personnel/exporters.py).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

DATE_FORMAT = "DD/MM/YYYY"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Sheet:
    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]
    widths: Sequence[int] = ()


def _cell(ws, value: Any, *, bold: bool = False) -> WriteOnlyCell | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        value = "Có" if value else "Không"
    if isinstance(value, date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    if isinstance(value, (int, float)):
        return WriteOnlyCell(ws, value=value)
    cell = WriteOnlyCell(ws, value=None)
    cell._value = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    return cell


def workbook(sheets: Sequence[Sheet]) -> bytes:
    wb = Workbook(write_only=True)
    for sheet in sheets:
        ws = wb.create_sheet(sheet.title[:31])
        for i, width in enumerate(sheet.widths):
            ws.column_dimensions[chr(ord("A") + i)].width = width
        ws.append([_cell(ws, h, bold=True) for h in sheet.header])
        for row in sheet.rows:
            ws.append([_cell(ws, v) for v in row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
