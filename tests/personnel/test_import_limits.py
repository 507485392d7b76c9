"""Hostile or oversized spreadsheets are refused before they are parsed, with a message,
leaving nothing behind; problems stop being listed at a cap (issue 13)."""

import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from personnel.imports import import_cadres
from personnel.imports.limits import check_workbook
from personnel.imports.report import FileRefused
from personnel.models import Cadre, ImportJob

_CT = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
    '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
    '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'spreadsheetml.worksheet+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target='
    '"xl/workbook.xml"/></Relationships>'
)
_WB = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WBRELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/worksheet" Target='
    '"worksheets/sheet1.xml"/></Relationships>'
)


def hand_made(path, sheet_data: str, dimension: str = "A1:C3"):
    """An xlsx written by hand, as an attacker (or a broken generator) would."""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats'
        f'.org/spreadsheetml/2006/main"><dimension ref="{dimension}"/><sheetData>{sheet_data}'
        "</sheetData></worksheet>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WB)
        z.writestr("xl/_rels/workbook.xml.rels", _WBRELS)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


def cell(ref: str, text: str = "x") -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def sparse_rows(count: int, step: int) -> str:
    return "".join(f'<row r="{i}">{cell(f"P{i}")}</row>' for i in range(1, count + 1, step))


def test_five_million_declared_sparse_rows_are_refused_before_parsing(tmp_path, db):
    path = hand_made(tmp_path / "bom.xlsx", sparse_rows(5_000_000, 50), "A1:P5000000")
    assert path.stat().st_size < 1_000_000
    tracemalloc.start()
    report = import_cadres(path)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert report.errors == [
        "Tệp có quá nhiều dòng (5.000.000 dòng; tối đa 200.000 dòng). "
        "Hãy chia thành nhiều tệp nhỏ hơn."
    ]
    assert peak < 20 * 1024 * 1024  # no list of rows, no millions of messages
    assert Cadre.objects.count() == 0


def test_a_small_declared_dimension_does_not_hide_a_far_cell(tmp_path):
    rows = f'<row r="1">{cell("A1", "Họ và tên")}{cell("B1", "Ngày sinh")}</row>'
    rows += f'<row r="2">{cell("A5000000")}</row>'
    with pytest.raises(FileRefused, match="5.000.000 dòng"):
        check_workbook(hand_made(tmp_path / "lie.xlsx", rows, "A1:B2"))


def test_a_cell_in_a_far_column_is_refused(tmp_path):
    rows = f'<row r="1">{cell("A1")}{cell("XFD1")}</row>'
    with pytest.raises(FileRefused, match="cột quá xa"):
        check_workbook(hand_made(tmp_path / "wide.xlsx", rows, "A1:B1"))
    rows = f'<row r="1">{cell("A1")}{cell("BM1")}</row>'  # column 65, one past the limit
    with pytest.raises(FileRefused, match=r"tối đa 64 cột, đến cột BL"):
        check_workbook(hand_made(tmp_path / "wide2.xlsx", rows, "A1:B1"))
    rows = f'<row r="1">{cell("A1")}{cell("BL1")}</row>'
    check_workbook(hand_made(tmp_path / "ok.xlsx", rows, "A1:BL1"))


def test_cells_without_a_reference_are_refused(tmp_path):
    rows = '<row r="1"><c t="inlineStr"><is><t>x</t></is></c><c><v>1</v></c></row>'
    with pytest.raises(FileRefused, match="cấu trúc không chuẩn"):
        check_workbook(hand_made(tmp_path / "noref.xlsx", rows))


def test_the_row_limit_is_a_setting(tmp_path, settings, commune):
    settings.IMPORT_MAX_ROWS = 5
    wb = Workbook()
    wb.active.append(["Họ và tên", "Ngày sinh", "Giới tính"])
    for i in range(8):
        wb.active.append([f"Người {i}", "01/01/1980", "Nam"])
    wb.save(tmp_path / "f.xlsx")
    report = import_cadres(tmp_path / "f.xlsx", unit=commune)
    assert report.errors[0].startswith("Tệp có quá nhiều dòng (9 dòng; tối đa 5 dòng).")


def test_an_enormous_sheet_once_unzipped_is_refused(tmp_path, settings):
    settings.IMPORT_MAX_XML_BYTES = 10_000
    rows = "".join(f'<row r="{i}">{cell(f"A{i}")}</row>' for i in range(1, 2000))
    with pytest.raises(FileRefused, match="khi giải nén vượt giới hạn"):
        check_workbook(hand_made(tmp_path / "big.xlsx", rows, "A1:A1999"))


def test_errors_stop_at_a_cap(tmp_path, commune):
    wb = Workbook()
    wb.active.append(["Họ và tên", "Ngày sinh", "Giới tính"])
    for i in range(250):
        wb.active.append([f"Người {i}", "không rõ", "Nam"])
    wb.save(tmp_path / "f.xlsx")
    report = import_cadres(tmp_path / "f.xlsx", unit=commune)
    assert report.errors_total == 250
    assert len(report.errors) == 200
    assert report.problem_lines()[-1] == "… và 50 lỗi khác."
    assert Cadre.objects.count() == 0


def test_a_hostile_upload_leaves_nothing_behind(client, make_user, commune, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(make_user("board_staff", commune))
    body = hand_made(tmp_path / "bom.xlsx", sparse_rows(5_000_000, 50), "A1:P5000000").read_bytes()
    response = client.post(
        "/nhap-du-lieu/",
        {"kind": "cadres", "unit": "X01", "file": SimpleUploadedFile("bom.xlsx", body)},
    )
    assert response.status_code == 422
    assert "Tệp có quá nhiều dòng (5.000.000 dòng" in response.content.decode()
    assert not list((tmp_path / "media" / "imports").glob("*"))
    assert not ImportJob.objects.exists()
