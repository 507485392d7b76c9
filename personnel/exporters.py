"""Spreadsheets out: cadres in the import's flat layout or in the boards' trích ngang
layout, and the blank import templates. Whatever is exported re-imports unchanged.

Cells hold values, never formulas: every text cell is written as a string cell, even one
starting with "=", "+", "-" or "@", so a spreadsheet program will not evaluate it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, Side

from personnel.imports.columns import CADRES, UNITS, template_headers
from personnel.models import Cadre, PartyUnit, PoliticalTheory, Sex, Tenure

DATE_FORMAT = "DD/MM/YYYY"
LAYOUTS = ("flat", "trich-ngang")

_SEX = dict(Sex.choices)
_THEORY = {value: (str(label) if value else "") for value, label in PoliticalTheory.choices}
# The flat layout: every column of the import that is not a sub-column, in its order.
_FLAT = [c for c in CADRES.columns if not c.under]
_VALUES = [
    "pk", "code", "full_name", "birth_date", "sex", "ethnicity", "religion", "citizen_id",
    "hometown", "is_local", "post_text", "party_entry_date", "party_confirmed_date",
    "education", "political_theory", "state_management", "foreign_language", "it_skill",
    "unit__code",
    # The rest of the résumé form 2C.
    "other_names", "birth_place", "permanent_address", "current_address",
    "recruitment_occupation", "recruited_on", "recruiting_body", "main_duties", "salary_grade",
    "salary_step", "salary_coefficient", "general_education", "academic_title",
    "mass_org_joined", "enlisted_on", "discharged_on", "military_rank", "highest_honour",
    "strengths", "health", "personal_history",
]  # fmt: skip
# Numbers stay numbers in the sheet; a coefficient shows its two decimals ("4,98").
_NUMBER_FORMATS = {int: "0", Decimal: "0.00"}


def _rows(queryset: QuerySet[Cadre]):
    """The cadres as dicts of display values, in the registry's order, with the posts they
    hold now (their stated post when the registry holds none)."""
    qs = queryset.order_by("unit__path", "sort_key", "pk")
    posts = _current_posts(qs)
    for row in qs.values(*_VALUES).iterator(chunk_size=2000):
        row["unit"] = row.pop("unit__code")
        row["post_text"] = row["post_text"] or posts.get(row["pk"], "")
        yield row


def _current_posts(qs: QuerySet[Cadre]) -> dict[int, str]:
    result: dict[int, list[str]] = defaultdict(list)
    tenures = (
        Tenure.objects.current()
        .filter(cadre__in=qs.values("pk"))
        .order_by("cadre_id", "-post__rank", "start")
        .values_list("cadre_id", "post__name")
    )
    for cadre_id, name in tenures:
        if name not in result[cadre_id]:
            result[cadre_id].append(name)
    return {k: ", ".join(v) for k, v in result.items()}


def _display(field: str, value: Any) -> Any:
    if field == "sex":
        return _SEX.get(value, value)
    if field == "political_theory":
        return _THEORY.get(value, value)
    if field == "is_local":
        return "Có" if value else "Không"
    return value


def export_cadres(
    queryset: QuerySet[Cadre], file: str | Path | IO[bytes], *, layout: str = "flat",
    unit: PartyUnit | None = None,
) -> int:  # fmt: skip
    """Write the cadres of `queryset` to `file` (a path or a binary file object) as xlsx,
    in the flat layout or the trích ngang layout (`unit` names the list's unit).

    Returns the number of cadre rows written."""
    if layout == "trich-ngang":
        return _export_trich_ngang(queryset, file, unit)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Cán bộ")
    ws.append([_text_cell(ws, c.label) for c in _FLAT])
    count = 0
    for row in _rows(queryset):
        out: list[Any] = []
        for col in _FLAT:
            value = _display(col.fills, row[col.fills])
            if isinstance(value, date):
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = DATE_FORMAT
                out.append(cell)
            elif type(value) in _NUMBER_FORMATS:
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = _NUMBER_FORMATS[type(value)]
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


def _put(ws, row: int, column: int, value: Any, **style) -> None:
    cell = ws.cell(row=row, column=column)
    if isinstance(value, date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    elif value is not None and value != "":
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", str(value))
        cell.data_type = "s"  # a text, never a formula
    for name, v in style.items():
        setattr(cell, name, v)


# The trích ngang: (group label or None, header, field); a group spans its consecutive
# columns over a second header row, a lone header spans both rows.
TRICH_NGANG: list[tuple[str | None, str, str]] = [
    (None, "STT", ""),
    (None, "Họ và tên", "full_name"),
    ("Ngày sinh", "Nam", "birth_male"),
    ("Ngày sinh", "Nữ", "birth_female"),
    (None, "Dân tộc", "ethnicity"),
    (None, "Tôn giáo", "religion"),
    (None, "Quê quán", "hometown"),
    (None, "Chức vụ hiện nay", "post_text"),
    ("Ngày vào Đảng", "Ngày vào", "party_entry_date"),
    ("Ngày vào Đảng", "Chính thức", "party_confirmed_date"),
    ("Trình độ", "Giáo dục phổ thông", "general_education"),
    ("Trình độ", "Chuyên môn", "education"),
    ("Trình độ", "Học hàm, học vị", "academic_title"),
    ("Trình độ", "Lý luận chính trị", "political_theory"),
    ("Trình độ", "Quản lý nhà nước", "state_management"),
    ("Trình độ", "Ngoại ngữ", "foreign_language"),
    ("Trình độ", "Tin học", "it_skill"),
    (None, "Số CCCD", "citizen_id"),
    (None, "Người địa phương", "is_local"),
    (None, "Mã cán bộ", "code"),
    (None, "Mã đơn vị", "unit"),
    (None, "Ghi chú", ""),
]
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_BOLD = Font(bold=True)


def _export_trich_ngang(queryset: QuerySet[Cadre], file, unit: PartyUnit | None) -> int:
    """The boards' layout: Party header block, title, a two-row header with the birth date
    under Nam / Nữ and the groups "Ngày vào Đảng" and "Trình độ", the column numbers, the
    people, the total and the signature block (the import reads all of it back)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Trích ngang"
    width = len(TRICH_NGANG)
    today = timezone.localdate()
    superior = unit.parent.name if unit and unit.parent_id else ""
    issuer = unit.issuer_name if unit else ""
    _put(ws, 1, 1, superior.upper())
    _put(ws, 2, 1, issuer.upper(), font=_BOLD)
    _put(ws, 3, 1, "*")
    _put(ws, 1, 12, "ĐẢNG CỘNG SẢN VIỆT NAM", font=_BOLD)
    place = (unit.document_place if unit else "") or ""
    _put(
        ws, 2, 12, f"{place + ', ' if place else ''}ngày {today:%d} tháng {today:%m} năm {today:%Y}"
    )
    _put(ws, 5, 1, "DANH SÁCH TRÍCH NGANG", font=_BOLD, alignment=_CENTER)
    ws.merge_cells(start_row=5, start_column=1, end_row=5, end_column=width)
    if unit is not None:
        _put(ws, 6, 1, f"Cán bộ, đảng viên {unit.name}", alignment=_CENTER)
        ws.merge_cells(start_row=6, start_column=1, end_row=6, end_column=width)

    top, sub, numbers = 8, 9, 10
    c = 0
    while c < width:
        group, label, _ = TRICH_NGANG[c]
        if group is None:
            _put(ws, top, c + 1, label, font=_BOLD, alignment=_CENTER, border=_BOX)
            ws.merge_cells(start_row=top, start_column=c + 1, end_row=sub, end_column=c + 1)
            c += 1
            continue
        end = c
        while end + 1 < width and TRICH_NGANG[end + 1][0] == group:
            end += 1
        _put(ws, top, c + 1, group, font=_BOLD, alignment=_CENTER, border=_BOX)
        ws.merge_cells(start_row=top, start_column=c + 1, end_row=top, end_column=end + 1)
        for k in range(c, end + 1):
            _put(ws, sub, k + 1, TRICH_NGANG[k][1], font=_BOLD, alignment=_CENTER, border=_BOX)
        c = end + 1
    for k in range(width):
        _put(ws, numbers, k + 1, f"({k + 1})", alignment=_CENTER, border=_BOX)

    r = numbers
    count = 0
    for row in _rows(queryset):
        r += 1
        count += 1
        for k, (_group, _label, field) in enumerate(TRICH_NGANG):
            if field == "":
                value: Any = count if k == 0 else None
            elif field == "birth_male":
                value = row["birth_date"] if row["sex"] == Sex.MALE else None
            elif field == "birth_female":
                value = row["birth_date"] if row["sex"] == Sex.FEMALE else None
            else:
                value = _display(field, row[field])
            cell = ws.cell(row=r, column=k + 1)
            if k == 0:
                cell.value = count
            else:
                _put(ws, r, k + 1, value)
            cell.border = _BOX
    r += 1
    _put(ws, r, 2, f"Tổng cộng: {count} đồng chí", font=_BOLD)
    r += 3
    _put(ws, r, 2, "Nơi nhận:")
    _put(ws, r, 12, "T/M BAN THƯỜNG VỤ", font=_BOLD)
    _put(ws, r + 1, 12, ((unit.signer_title if unit else "") or "BÍ THƯ").upper(), font=_BOLD)
    if unit is not None and unit.signer_name:
        _put(ws, r + 4, 12, unit.signer_name, font=_BOLD)
    ws.column_dimensions["B"].width = 24
    wb.save(file)
    return count


# --- blank templates ---------------------------------------------------------------------

_EXAMPLES = {
    "cadres": {
        "Mã cán bộ": "",
        "Họ và tên": "Nguyễn Văn An",
        "Ngày sinh": date(1980, 5, 14),
        "Giới tính": "Nam",
        "Dân tộc": "Kinh",
        "Tôn giáo": "Không",
        "Số CCCD": "001080012345",
        "Quê quán": "Xã An Bình, tỉnh Thử Nghiệm",
        "Người địa phương": "Có",
        "Chức vụ hiện nay": "Bí thư Chi bộ thôn Đông",
        "Ngày vào Đảng": date(2005, 2, 3),
        "Ngày chính thức": date(2006, 2, 3),
        "Trình độ chuyên môn": "Cử nhân Luật",
        "Lý luận chính trị": "Trung cấp",
        "Quản lý nhà nước": "Chuyên viên",
        "Ngoại ngữ": "Tiếng Anh B1",
        "Tin học": "Ứng dụng CNTT cơ bản",
        "Mã đơn vị": "",
        "Nơi sinh": "Xã An Bình, tỉnh Thử Nghiệm",
        "Nơi thường trú": "Thôn Đông, xã An Bình, tỉnh Thử Nghiệm",
        "Nơi ở hiện nay": "Thôn Đông, xã An Bình, tỉnh Thử Nghiệm",
        "Ngày tuyển dụng": date(2004, 8, 1),
        "Cơ quan tuyển dụng": "Ủy ban nhân dân xã An Bình",
        "Ngạch công chức, viên chức": "Chuyên viên",
        "Bậc lương": 4,
        "Hệ số lương": "3,33",
        "Giáo dục phổ thông": "12/12",
        "Tình trạng sức khỏe": "Tốt",
    },
    "units": {
        "Mã đơn vị": "CB-DONG",
        "Tên đơn vị": "Chi bộ thôn Đông",
        "Cấp": "Chi bộ",
        "Mã đơn vị cấp trên": "",
    },
}


def import_template(kind: str, file: str | Path | IO[bytes]) -> None:
    """The blank import template of `kind` ("cadres" or "units"): the headers and one
    example row, with a note on the first header saying what to do with the example."""
    spec = CADRES if kind == "cadres" else UNITS
    headers = template_headers(spec)
    wb = Workbook()
    ws = wb.active
    ws.title = "Cán bộ" if kind == "cadres" else "Tổ chức đảng"
    for k, label in enumerate(headers, start=1):
        _put(ws, 1, k, label, font=_BOLD)
        ws.column_dimensions[ws.cell(row=1, column=k).column_letter].width = max(14, len(label) + 2)
        _put(ws, 2, k, _EXAMPLES[kind].get(label))
    required = [c.label for c in spec.columns if c.required]
    note = (
        "Dòng 2 là dòng ví dụ: ghi đè hoặc xóa trước khi nhập. "
        f"Cột bắt buộc: {', '.join(required)}"
        + (", Ngày sinh, Giới tính" if kind == "cadres" else "")
        + ". Ngày ghi dạng dd/mm/yyyy. Tệp cũng có thể có dòng tiêu đề đặt dưới các dòng "
        "tên cơ quan, tên danh sách."
    )
    ws.cell(row=1, column=1).comment = Comment(note, "Nhân sự đại hội")
    ws.freeze_panes = "A2"
    wb.save(file)
