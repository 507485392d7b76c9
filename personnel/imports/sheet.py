"""Reading a spreadsheet and finding the table in it.

Boards' files are printed documents before they are tables: Party header rows, a title, a
two-row header with merged group labels, a row of column numbers "(1) (2) …", the people,
a "Tổng cộng" row, and the signature block. `find_table` finds the header under whatever
is above it; `body_rows` walks the rows under it and says where the table ends.

The file is read with python-calamine (fast, and it reports merged cells); `limits` checks
it before anything is parsed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

import python_calamine

from personnel.imports.columns import Header, Spec
from personnel.imports.limits import BROKEN, NOT_XLSX, check_workbook
from personnel.imports.report import FileRefused, ImportReport
from personnel.names import normalize_name

Source = str | Path | IO[bytes]

# How far down a header may start (title rows, Party header blocks, notes).
HEADER_SEARCH_ROWS = 40

_NUMBER_CELL = re.compile(r"^\(?\s*(?:\d{1,3}|[A-Za-z])\s*\)?$")
_SECTION = re.compile(r"^\s*(?:[IVXLC]+|[A-Za-z]|\d{1,2})\s*[.)/-]\s*\S")
_TEXT_DATE = re.compile(r"^\s*\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{2,4}\s*$")


@dataclass
class Sheet:
    name: str
    rows: list[list[Any]]  # rows[i] is spreadsheet row i + 1; an empty cell is ""
    merged: list[tuple[tuple[int, int], tuple[int, int]]]  # ((row, col), (row, col)), 0-based

    @property
    def width(self) -> int:
        return len(self.rows[0]) if self.rows else 0


def read_sheet(source: Source) -> Sheet:
    """The sheet a user sees on opening the file, every row of it, after the size checks.

    Raises `FileRefused` with a message for the user."""
    ref = check_workbook(source)
    if hasattr(source, "seek"):
        source.seek(0)
    try:
        workbook = python_calamine.CalamineWorkbook.from_object(source)
    except python_calamine.PasswordError:
        raise FileRefused("Tệp được đặt mật khẩu: hãy bỏ mật khẩu rồi tải lên lại.") from None
    except (python_calamine.CalamineError, OSError, ValueError) as exc:
        raise FileRefused(NOT_XLSX) from exc
    try:
        sheet = workbook.get_sheet_by_index(ref.index)
        rows = sheet.to_python(skip_empty_area=False)
        merged = list(sheet.merged_cell_ranges or [])
    except (python_calamine.CalamineError, OSError, ValueError, IndexError) as exc:
        raise FileRefused(BROKEN) from exc
    finally:
        workbook.close()
    if not rows:
        raise FileRefused("Trang tính trống: không có bảng nào để nhập.")
    return Sheet(ref.name, rows, merged)


def cell_text(value: Any) -> str:
    """A header or label cell as text: NFC, single spaces, integral numbers without ".0"."""
    if value is None or value == "":
        return ""
    if type(value) is float and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    return normalize_name(str(value))


@dataclass
class Table:
    sheet: Sheet
    header_first: int  # 0-based index of the header's first row
    header_last: int  # 0-based index of its last row (the sub-header row, if any)
    headers: list[Header]
    body_start: int  # 0-based index of the first row under the header (and number row)
    number_row: int | None  # 0-based index of the "(1) (2) …" row, if any

    @property
    def header_numbers(self) -> list[int]:
        """The header rows as the spreadsheet numbers them."""
        return list(range(self.header_first + 1, self.header_last + 2))


def raw_preview(table: Table, count: int = 5) -> list[dict[str, Any]]:
    """The first non-empty rows under the header as the file holds them, one cell per
    header: shown when the columns cannot be placed yet, so the user sees what is where."""
    preview = []
    rows = table.sheet.rows
    for i in range(table.body_start, len(rows)):
        if len(preview) == count:
            break
        row = rows[i]
        if any(row):
            cells = [{"text": cell_text(row[h.index]), "ignored": True} for h in table.headers]
            preview.append({"row": i + 1, "cells": cells})
    return preview


def _looks_like_date(value: Any) -> bool:
    if isinstance(value, datetime | date):
        return True
    return type(value) is str and bool(_TEXT_DATE.match(value))


def _is_number_row(row: list[Any]) -> bool:
    """ "(1) (2) (3) …" or "1 2 3 …" (sometimes "A B 1 2 …") under a header."""
    count = 0
    for v in row:
        if v == "":
            continue
        if type(v) is float:
            if not (v.is_integer() and 0 <= v <= 999):
                return False
        elif type(v) is not str or not _NUMBER_CELL.match(v):
            return False
        count += 1
    return count >= 2


def find_table(sheet: Sheet, spec: Spec) -> Table:
    """The header row (and its sub-header row) of the table, under any title rows."""
    rows = sheet.rows
    limit = min(len(rows), HEADER_SEARCH_ROWS)
    key_fields = set(spec.required[0])
    scored = []
    for i in range(limit):
        texts = [cell_text(v) for v in rows[i] if type(v) is str and v.strip()]
        score = sum(1 for t in texts if spec.is_known(t))
        if score >= 2:
            has_key = any(
                (c := spec.lookup(t)) is not None and c.field in key_fields for t in texts
            )
            scored.append((i, score, has_key))
    if not scored:
        raise FileRefused(
            "Không tìm thấy dòng tiêu đề của bảng trong "
            f"{HEADER_SEARCH_ROWS} dòng đầu (cần ít nhất hai cột như "
            f"“{spec.columns[1].label}”, “{spec.columns[2].label}”)."
        )
    keyed = [s for s in scored if s[2]]
    first = keyed[0][0] if keyed else max(scored, key=lambda s: s[1])[0]

    width = sheet.width
    top = [cell_text(v) for v in rows[first]]
    # Horizontal merges in the header row: a group label over its sub-columns.
    spans: dict[int, int] = {}  # column -> first column of its horizontal merge
    vertical: set[int] = set()  # columns whose header cell covers the next row too
    for (r0, c0), (r1, c1) in sheet.merged:
        if r0 <= first <= r1:
            if c1 > c0:
                for c in range(c0, min(c1, width - 1) + 1):
                    spans[c] = c0
            if r1 > first:
                for c in range(c0, min(c1, width - 1) + 1):
                    vertical.add(c)
    for c, c0 in spans.items():
        top[c] = top[c0]

    sub: list[str] = [""] * width
    last = first
    nxt = first + 1
    if nxt < len(rows) and _is_sub_header(rows[nxt], top, spans, vertical, spec):
        sub = [cell_text(v) for v in rows[nxt]]
        last = nxt
        # A group label typed in its first column only (not merged): the sub-columns to
        # its right with an empty header cell belong to it.
        for c in range(1, width):
            if not top[c] and sub[c] and sub[c - 1] and c not in vertical:
                top[c] = top[c - 1]

    headers = [
        Header(c, top[c], sub[c] if sub[c] != top[c] else "")
        for c in range(width)
        if top[c] or sub[c]
    ]
    body = last + 1
    number_row = None
    if body < len(rows) and _is_number_row(rows[body]):
        number_row = body
        body += 1
    return Table(sheet, first, last, headers, body, number_row)


def _is_sub_header(
    row: list[Any], top: list[str], spans: dict[int, int], vertical: set[int], spec: Spec
) -> bool:
    """Whether the row under the header holds sub-column labels rather than data: text
    only, no dates, and every label sits under a group (a merged or empty header cell, a
    group label, or a field that has sub-columns)."""
    grouped_fields = {col.under for col in spec.columns if col.under}
    found = False
    for c, v in enumerate(row):
        if v == "":
            continue
        if type(v) is not str or _looks_like_date(v) or _is_number_row(row):
            return False
        head = top[c] if c < len(top) else ""
        under_group = (
            not head
            or c in spans
            or spec.is_group(head)
            or ((col := spec.lookup(head)) is not None and col.field in grouped_fields)
        )
        if not under_group or c in vertical:
            return False
        found = True
    return found


# --- the rows of the table ---------------------------------------------------------------


_TOTAL_START = ("tổng cộng", "tổng số", "tổng:", "cộng:", "tong cong", "tong so")
_TOTAL_WHOLE = ("cộng", "tổng")


def _is_total(row: list[Any], lead: int) -> str | None:
    """The text of a "Tổng cộng" / "Tổng số" / "Cộng" row, if this is one: its first text
    cell (within the first columns) says so."""
    for k in range(lead):
        v = row[k]
        if type(v) is str and v:
            if v[0] not in "TtCc \u00a0":
                return None
            low = v.strip().casefold()
            if low.startswith(_TOTAL_START) or low in _TOTAL_WHOLE:
                return v.strip()
            return None
    return None


def _is_section(row: list[Any], index: int, sheet: Sheet) -> str | None:
    """A group heading inside the table ("I. Tái cử", "A. Đảng ủy viên"): one text cell,
    numbered like a heading or merged across several columns."""
    texts = [(c, v) for c, v in enumerate(row) if v != ""]
    if len(texts) != 1 or type(texts[0][1]) is not str:
        return None
    c, text = texts[0]
    if _SECTION.match(text):
        return text.strip()
    for (r0, c0), (r1, c1) in sheet.merged:
        if r0 <= index <= r1 and c0 <= c <= c1 and c1 - c0 >= 2:
            return text.strip()
    return None


def body_rows(
    table: Table,
    report: ImportReport,
    name_at: int,
    key_at: list[int],
) -> list[tuple[int, list[Any]]]:
    """(spreadsheet row number, values) of the table's data rows.

    A row looks like data when it has a name (`name_at`) and one of the key cells
    (`key_at`: birth date, sex, CCCD …). Blank rows are skipped. The table ends at a
    "Tổng cộng" row, or at the first row after a blank row that does not look like data
    (the signature block, "Nơi nhận"); what follows is ignored with a warning, unless it
    looks like data: then it is an error, never a silent loss. Group headings inside the
    table ("I. Tái cử") are skipped with a warning.
    """
    sheet = table.sheet
    rows = sheet.rows
    lead = name_at + 1
    first_key = key_at[0] if key_at else name_at

    def looks_like_data(row: list[Any]) -> bool:
        return row[name_at] != "" and any(row[k] != "" for k in key_at)

    out: list[tuple[int, list[Any]]] = []
    append = out.append
    gap = False
    tail_from = len(rows)  # 0-based index of the first row after the table
    ended_by = ""
    sections: list[str] = []
    for i in range(table.body_start, len(rows)):
        row = rows[i]
        if not any(row):
            gap = True
            continue
        total = _is_total(row, lead)
        if total is not None:
            tail_from, ended_by = i + 1, f"dòng {i + 1} (“{total[:40]}”)"
            break
        if not (row[name_at] != "" and row[first_key] != "") and not looks_like_data(row):
            if gap:
                tail_from, ended_by = i, f"dòng trống trước dòng {i + 1}"
                break
            heading = _is_section(row, i, sheet)
            if heading is not None:
                sections.append(f"dòng {i + 1} (“{heading[:40]}”)")
                continue
        gap = False
        append((i + 1, row))
    if sections:
        report.warn("Đã bỏ qua các dòng tiêu đề nhóm trong bảng: " + ", ".join(sections) + ".")
    tail = [(i + 1, rows[i]) for i in range(tail_from, len(rows)) if any(rows[i])]
    stray = [n for n, row in tail if looks_like_data(row)]
    for n in stray:
        report.error(
            f"Dòng {n}: có dữ liệu nằm dưới phần cuối của bảng ({ended_by}); hãy đưa dòng "
            "này vào trong bảng hoặc xóa đi.",
            n,
        )
    if tail and not stray:
        report.warn(
            f"Bảng kết thúc ở {ended_by}; đã bỏ qua {len(tail)} dòng bên dưới "
            f"(dòng {tail[0][0]}–{tail[-1][0]}, như phần ký tên, nơi nhận)."
        )
    return out
