"""A refused file, back to its user with one more column: what is wrong on each row.

The board's own layout is kept (title rows, merged headers, formats): the file is opened
with openpyxl, the column is added to the right of the table, and the rows with problems
get their messages in it, in red. A file too large to open that way (above
`IMPORT_ERROR_FILE_FULL_BYTES`, 5 MB) comes back as its values only.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

import openpyxl
from django.conf import settings
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from personnel.imports.limits import check_workbook
from personnel.imports.report import ImportReport

HEADER = "Lỗi cần sửa (hệ thống ghi)"
_RED = Font(color="C00000")
_BOLD_RED = Font(color="C00000", bold=True)
_FILL = PatternFill("solid", fgColor="FDE9E7")
_WRAP = Alignment(wrap_text=True, vertical="top")


def write_error_file(source: Path, report: ImportReport, out: str | Path | IO[bytes]) -> None:
    """`source` with an error column beside the table: for every row the report names,
    its messages (without the "Dòng N" each starts with); file-wide problems in the
    header row's cell note."""
    sheet_ref = check_workbook(source)
    header_row = report.header_rows[-1] if report.header_rows else 1
    general = [e for e in report.errors if not any(e in m for m in report.row_errors.values())]
    limit = int(getattr(settings, "IMPORT_ERROR_FILE_FULL_BYTES", 5 * 1024 * 1024))
    if source.stat().st_size <= limit:
        wb = openpyxl.load_workbook(source)
        ws = wb.worksheets[sheet_ref.index]
        column = ws.max_column + 1
    else:  # values only, through the fast reader
        from personnel.imports.sheet import read_sheet

        rows = read_sheet(source).rows
        wb = openpyxl.Workbook(write_only=False)
        ws = wb.active
        for r in rows:
            ws.append([None if v == "" else v for v in r])
        column = (len(rows[0]) if rows else 0) + 1
    title = HEADER if not general else HEADER + ": " + " ".join(general)
    cell = ws.cell(row=header_row, column=column, value=title)
    cell.font, cell.alignment = _BOLD_RED, _WRAP
    for number, messages in sorted(report.row_errors.items()):
        text = "; ".join(_without_row(m, number) for m in messages)
        cell = ws.cell(row=number, column=column, value=text)
        cell.data_type = "s"
        cell.font, cell.fill, cell.alignment = _RED, _FILL, _WRAP
    if report.errors_total > len(report.errors) and report.row_errors:
        last = max(report.row_errors)
        ws.cell(
            row=last + 1,
            column=column,
            value=f"… và {report.errors_total - sum(map(len, report.row_errors.values()))} lỗi "
            "khác chưa ghi vào tệp này.",
        ).font = _RED
    ws.column_dimensions[get_column_letter(column)].width = 60
    wb.save(out)


def _without_row(message: str, number: int) -> str:
    for prefix in (f"Dòng {number}, cột ", f"Dòng {number}: "):
        if message.startswith(prefix):
            rest = message[len(prefix) :]
            return ("Cột " + rest) if prefix.endswith("cột ") else rest
    return message
