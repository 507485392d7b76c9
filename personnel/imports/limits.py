"""The gate before a spreadsheet is parsed: size, declared dimension and real extent.

A fast reader (python-calamine) builds the sheet as one dense block from the top-left to the
bottom-right cell it meets, so a 700 KB file that places one cell at row 5,000,000 (or at
column XFD) would make it allocate gigabytes. Before any parsing we therefore look at the
sheet's XML ourselves, streaming it through zlib in one pass and using only byte searches
(no per-cell Python work):

- the declared `<dimension ref="A1:P100001"/>` near the top refuses an oversized sheet at once;
- the real extent is read from every cell reference (the reader places cells by them): any
  reference beyond the row or column limit is found by one regular expression, and a cell
  without a reference (placed where no search can see) refuses the file.

Settings: `IMPORT_MAX_ROWS` (200,000), `IMPORT_MAX_COLUMNS` (64), `IMPORT_MAX_XML_BYTES`
(uncompressed size of the sheet, 1 GB).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.conf import settings

from personnel.imports.report import FileRefused

CHUNK = 1 << 20

NOT_XLSX = "Tệp không phải là tệp Excel .xlsx hợp lệ."
BROKEN = "Tệp Excel bị hỏng, không đọc được."

_DIMENSION = re.compile(rb'<dimension\s+ref="([A-Z]*)(\d*)(?::([A-Z]+)(\d+))?"')
_ACTIVE_TAB = re.compile(rb'<workbookView\b[^>]*?\bactiveTab="(\d+)"')
_SHEET = re.compile(rb"<sheet\b([^>]*)/?>")
_ATTR = re.compile(rb'([\w:]+)="([^"]*)"')
_RELATIONSHIP = re.compile(rb"<Relationship\b([^>]*)/?>")


def max_rows() -> int:
    return int(getattr(settings, "IMPORT_MAX_ROWS", 200_000))


def max_columns() -> int:
    return int(getattr(settings, "IMPORT_MAX_COLUMNS", 64))


def max_xml_bytes() -> int:
    return int(getattr(settings, "IMPORT_MAX_XML_BYTES", 1 << 30))


def column_number(letters: str) -> int:
    """ "A" -> 1, "Z" -> 26, "AA" -> 27."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def column_letters(number: int) -> str:
    """1 -> "A", 27 -> "AA"."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True)
class SheetRef:
    index: int  # the sheet's position in the workbook (what python-calamine opens)
    name: str
    member: str  # the zip member holding its XML


def _beyond(limit_rows: int, limit_columns: int) -> re.Pattern[bytes]:
    """A pattern matching a cell reference whose row or column lies beyond the limits: any
    row number with more digits than the limit has (checked exactly afterwards), or any
    column label after the last allowed one. One pass over the XML, in C."""
    digits = len(str(limit_rows))
    last = column_letters(limit_columns)
    alternatives = [rb"[A-Z]{%d,}" % (len(last) + 1)]
    if len(last) == 1:
        if last != "Z":
            alternatives.append(b"[" + bytes([ord(last) + 1]) + b"-Z]")
    else:  # two letters, e.g. "BL": B[M-Z] and [C-Z][A-Z]
        first, second = last[0], last[1]
        if second != "Z":
            alternatives.append(first.encode() + b"[" + bytes([ord(second) + 1]) + b"-Z]")
        if first != "Z":
            alternatives.append(b"[" + bytes([ord(first) + 1]) + b"-Z][A-Z]")
    columns = b"|".join(alternatives)
    return re.compile(rb'<c r="(?:(?:%s)|[A-Z]+(\d{%d,}))' % (columns, digits))


def find_sheet(zf: zipfile.ZipFile) -> SheetRef:
    """The sheet the user sees when opening the file (the active tab), else the first."""
    try:
        workbook = zf.read("xl/workbook.xml")
        rels = zf.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        raise FileRefused(NOT_XLSX) from None
    targets = {}
    for m in _RELATIONSHIP.finditer(rels):
        attrs = dict(_ATTR.findall(m.group(1)))
        targets[attrs.get(b"Id", b"")] = attrs.get(b"Target", b"").decode("utf-8", "replace")
    sheets = []
    for m in _SHEET.finditer(workbook):
        attrs = dict(_ATTR.findall(m.group(1)))
        rid = next((v for k, v in attrs.items() if k.endswith(b":id")), b"")
        target = targets.get(rid, "")
        member = target.lstrip("/") if target.startswith("/") else "xl/" + target
        name = attrs.get(b"name", b"").decode("utf-8", "replace")
        sheets.append((name, member))
    if not sheets:
        raise FileRefused("Tệp không có trang tính nào.")
    active = _ACTIVE_TAB.search(workbook[:4096])
    index = int(active.group(1)) if active else 0
    if not 0 <= index < len(sheets) or "worksheets/" not in sheets[index][1]:
        index = next((i for i, (_, m) in enumerate(sheets) if "worksheets/" in m), 0)
    name, member = sheets[index]
    if member not in zf.NameToInfo:
        raise FileRefused(BROKEN)
    return SheetRef(index, name, member)


def check_workbook(source: str | Path | IO[bytes]) -> SheetRef:
    """Refuse, before parsing, a file that is not an xlsx or whose sheet is too large.

    Returns which sheet to read. Raises `FileRefused` with a message for the user.
    """
    try:
        zf = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileRefused(NOT_XLSX) from None
    try:
        sheet = find_sheet(zf)
        info = zf.getinfo(sheet.member)
        if info.file_size > max_xml_bytes():
            raise FileRefused(
                "Tệp quá lớn: trang tính khi giải nén vượt giới hạn cho phép; "
                "hãy chia thành nhiều tệp nhỏ hơn."
            )
        _scan(zf, info)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
        raise FileRefused(BROKEN) from exc
    finally:
        zf.close()
    return sheet


def _n(number: int) -> str:
    """12345 -> "12.345" (Vietnamese thousands)."""
    return f"{number:,}".replace(",", ".")


def _too_many_rows(rows: int) -> FileRefused:
    return FileRefused(
        f"Tệp có quá nhiều dòng ({_n(rows)} dòng; tối đa {_n(max_rows())} dòng). "
        "Hãy chia thành nhiều tệp nhỏ hơn."
    )


def _too_wide() -> FileRefused:
    return FileRefused(
        f"Tệp có dữ liệu ở cột quá xa (tối đa {max_columns()} cột, đến cột "
        f"{column_letters(max_columns())}). Hãy xóa các cột thừa rồi tải lên lại."
    )


# Cells with and without their reference (`<c r="B7" …>`, `<c …>`, `<c>`).
_COUNTED = (b"<c ", b"<c>", b'<c r="')


def _scan(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    limit_rows, limit_columns = max_rows(), max_columns()
    beyond = _beyond(limit_rows, limit_columns)
    counts = dict.fromkeys(_COUNTED, 0)
    previous = b""
    with zf.open(info) as stream:
        chunk = stream.read(CHUNK)
        declared = _DIMENSION.search(chunk[:65536])
        if declared:
            last_col = declared.group(3) or declared.group(1)
            last_row = declared.group(4) or declared.group(2)
            if last_row and int(last_row) > limit_rows:
                raise _too_many_rows(int(last_row))
            if last_col and column_number(last_col.decode()) > limit_columns:
                raise _too_wide()
        while chunk:
            for pattern in _COUNTED:
                # Matches inside this chunk, plus those cut by the boundary with the last
                # one (the junction is too short to hold a whole match on either side).
                k = len(pattern) - 1
                counts[pattern] += chunk.count(pattern) + (previous[-k:] + chunk[:k]).count(pattern)
            # Any reference beyond the limits refuses the file, so finding one twice in the
            # overlap is harmless; 32 bytes hold the longest reference (`<c r="XFD1048576`).
            for m in beyond.finditer(previous[-32:] + chunk):
                number = m.group(1)
                if number is None:
                    raise _too_wide()
                if int(number) > limit_rows:
                    raise _too_many_rows(int(number))
            previous = chunk
            chunk = stream.read(CHUNK)
    # Cells normally carry their reference first (Excel, LibreOffice, openpyxl and every
    # library we know write it so). A cell without it is placed after the previous one,
    # where the search above cannot see it.
    if counts[b"<c "] + counts[b"<c>"] != counts[b'<c r="']:
        raise FileRefused(
            "Tệp Excel có cấu trúc không chuẩn (ô không ghi vị trí). "
            "Hãy mở tệp bằng Excel, lưu lại rồi tải lên lại."
        )
