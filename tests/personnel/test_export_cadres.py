"""Cadre export: values only (never formulas), the import's headers, a lossless round trip."""

import zipfile
from datetime import date
from io import BytesIO, StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from personnel.exporters import export_cadres
from personnel.imports import CADRES, import_cadres
from personnel.imports.columns import template_headers
from personnel.models import AuditLog, Cadre, PoliticalTheory, Post, Tenure

LABELS = template_headers(CADRES)

FIELDS = [
    "code",
    "full_name",
    "sort_key",
    "search_name",
    "birth_date",
    "sex",
    "ethnicity",
    "religion",
    "citizen_id",
    "hometown",
    "is_local",
    "party_entry_date",
    "party_confirmed_date",
    "education",
    "political_theory",
    "state_management",
    "foreign_language",
    "it_skill",
    "post_text",
    "unit_id",
]


@pytest.fixture(autouse=True)
def registry_hook(monkeypatch):
    """Record registry_changed calls instead of running the structure recompute."""
    from personnel import services

    calls = []
    monkeypatch.setattr(services, "registry_changed", lambda unit_ids: calls.append(list(unit_ids)))
    return calls


@pytest.fixture
def cadres(commune, grassroots, cadre_factory):
    return [
        cadre_factory(
            code="CB1",
            full_name="Nguyễn Văn An",
            unit=commune,
            citizen_id="001080012345",
            hometown="Xã An Bình",
            is_local=True,
            party_entry_date=date(2005, 2, 3),
            party_confirmed_date=date(2006, 2, 3),
            political_theory=PoliticalTheory.CAO_CAP,
            education="Thạc sĩ",
            religion="Phật giáo",
            ethnicity="Tày",
        ),
        cadre_factory(code="CB2", full_name="Trần Thị Bình", unit=grassroots),
        cadre_factory(
            code="CB3",
            full_name='=HYPERLINK("http://x","bấm")',
            hometown="=1+2",
            education="+84 912",
            foreign_language="-tiếng Anh",
            state_management="@SUM(A1)",
            unit=grassroots,
        ),
    ]


def test_export_writes_headers_and_values_never_formulas(cadres, tmp_path):
    path = tmp_path / "out.xlsx"
    assert export_cadres(Cadre.objects.all(), path) == 3
    wb = load_workbook(path)  # not read-only: the full cell model, with data types
    ws = wb.active
    assert [c.value for c in ws[1]] == LABELS
    for row in ws.iter_rows():
        for cell in row:
            assert cell.data_type != "f", (cell.coordinate, cell.value)
    by_code = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    tricky = dict(zip(LABELS, by_code["CB3"], strict=True))
    assert tricky["Họ và tên"] == '=HYPERLINK("http://x","bấm")'
    assert tricky["Quê quán"] == "=1+2"
    assert tricky["Trình độ chuyên môn"] == "+84 912"
    assert tricky["Ngoại ngữ"] == "-tiếng Anh"
    assert tricky["Quản lý nhà nước"] == "@SUM(A1)"
    first = dict(zip(LABELS, by_code["CB1"], strict=True))
    assert first["Ngày sinh"].date() == date(1980, 5, 14)
    assert first["Giới tính"] in ("Nam", "Nữ")
    assert first["Số CCCD"] == "001080012345"  # text, leading zero kept
    assert first["Người địa phương"] == "Có"
    assert first["Lý luận chính trị"] == "Cao cấp"
    assert first["Mã đơn vị"] == "X01"
    # data_only reading (as the importer does) sees the same strings, not computed values.
    ws2 = load_workbook(path, data_only=True).active
    assert {r[0]: r for r in ws2.iter_rows(min_row=2, values_only=True)}["CB3"] == by_code["CB3"]
    # And no formula element anywhere in the sheet's XML.
    with zipfile.ZipFile(path) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert sheets
        for name in sheets:
            assert b"<f>" not in z.read(name) and b"<f " not in z.read(name)


def test_round_trip_reimports_unchanged(cadres, tmp_path):
    before = sorted(Cadre.objects.values_list(*FIELDS))
    buf = BytesIO()
    export_cadres(Cadre.objects.all(), buf)
    buf.seek(0)
    report = import_cadres(buf)
    assert report.ok, report.errors
    assert report.warnings == []
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert sorted(Cadre.objects.values_list(*FIELDS)) == before
    assert not AuditLog.objects.filter(action__startswith="cadre.import").exists()


def test_trich_ngang_round_trip_loses_nothing(cadres, commune, tmp_path):
    """The boards' layout, back through the importer into the same unit: every person
    recognised, nothing changed, nothing created."""
    post = Post.objects.get_or_create(code="secretary", defaults={"name": "Bí thư"})[0]
    Tenure.objects.create(cadre=cadres[0], post=post, unit=commune, start=date(2020, 1, 1))
    cadres[1].post_text = "Bí thư Chi bộ thôn Đông"
    cadres[1].it_skill = "Ứng dụng CNTT cơ bản"
    cadres[1].save()
    before = sorted(Cadre.objects.values_list(*FIELDS))
    path = tmp_path / "trich-ngang.xlsx"
    out = StringIO()
    call_command("export_cadres", "--unit", "X01", "--layout", "trich-ngang", str(path), stdout=out)
    assert "Đã xuất 3 cán bộ" in out.getvalue()
    ws = load_workbook(path).active
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "DANH SÁCH TRÍCH NGANG" in texts and "Tổng cộng: 3 đồng chí" in texts
    assert {"Nam", "Nữ", "Ngày vào", "Chính thức", "(1)"} <= set(texts)
    assert ws.merged_cells.ranges  # two-row header, merged group labels

    report = import_cadres(path, unit=commune)
    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3), [
        m["changes"] for m in report.matches
    ]
    assert sorted(Cadre.objects.values_list(*FIELDS)) == before
    # The signature block and notes under the table are left out, with a warning.
    assert any("đã bỏ qua" in w and "ký tên" in w for w in report.warnings), report.warnings


def test_command_exports_the_unit_subtree(cadres, other_commune, cadre_factory, tmp_path):
    cadre_factory(code="XA2", unit=other_commune)
    path = tmp_path / "x01.xlsx"
    out = StringIO()
    call_command("export_cadres", "--unit", "X01", str(path), stdout=out)
    assert "Đã xuất 3 cán bộ" in out.getvalue()
    codes = [r[0] for r in load_workbook(path).active.iter_rows(min_row=2, values_only=True)]
    assert sorted(codes) == ["CB1", "CB2", "CB3"]

    call_command("export_cadres", "--unit", "CS01", str(path), stdout=StringIO())
    codes = [r[0] for r in load_workbook(path).active.iter_rows(min_row=2, values_only=True)]
    assert sorted(codes) == ["CB2", "CB3"]


def test_command_unknown_unit(db, tmp_path):
    with pytest.raises(CommandError, match="Không có đơn vị mã “KHONG”") as exc:
        call_command("export_cadres", "--unit", "KHONG", str(tmp_path / "x.xlsx"))
    assert exc.value.returncode == 1
    assert not (tmp_path / "x.xlsx").exists()


def test_export_of_nothing_has_the_header_row(db, tmp_path):
    path = tmp_path / "empty.xlsx"
    assert export_cadres(Cadre.objects.none(), path) == 0
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert rows == [tuple(LABELS)]
