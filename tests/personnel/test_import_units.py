"""Unit import: parents anywhere in the file or already in the database, paths computed,
re-import updates, a bad row refuses the whole file."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from personnel.imports import import_units
from personnel.models import Level, PartyUnit

HEADERS = ["Mã đơn vị", "Tên đơn vị", "Cấp", "Mã đơn vị cấp trên"]


def write_xlsx(path, rows):
    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def units_file(tmp_path, *rows, headers=HEADERS, name="don-vi.xlsx"):
    return write_xlsx(tmp_path / name, [headers, *rows])


def unit(code):
    return PartyUnit.objects.get(code=code)


def test_children_before_parents_and_paths(tmp_path, db):
    path = units_file(
        tmp_path,
        ["CB1", "Chi bộ 1", "Chi bộ", "CS1"],
        ["CS1", "Đảng bộ cơ sở 1", "Cơ sở", "X1"],
        ["X1", "Đảng bộ xã 1", "xã", "T1"],
        ["T1", "Đảng bộ tỉnh", "TỈNH", None],
    )
    report = import_units(path)
    assert report.ok, report.errors
    assert (report.created, report.updated) == (4, 0)
    assert report.summary() == "Đã nhập 4 đơn vị (mới 4, cập nhật 0)."
    t1, x1, cs1, cb1 = unit("T1"), unit("X1"), unit("CS1"), unit("CB1")
    assert t1.parent is None and t1.path == f"/{t1.pk}/" and t1.depth == 0
    assert x1.parent == t1 and x1.path == f"/{t1.pk}/{x1.pk}/" and x1.depth == 1
    assert cs1.parent == x1 and cs1.depth == 2
    assert cb1.path == f"/{t1.pk}/{x1.pk}/{cs1.pk}/{cb1.pk}/" and cb1.depth == 3
    assert cb1.level == Level.CELL and t1.level == Level.PROVINCE
    assert list(t1.subtree().values_list("code", flat=True)) == ["T1", "X1", "CS1", "CB1"]


def test_parent_already_in_the_database(tmp_path, province):
    report = import_units(units_file(tmp_path, ["X9", "Đảng bộ xã 9", "Xã", "T01"]))
    assert report.ok, report.errors
    x9 = unit("X9")
    assert x9.path == province.path + f"{x9.pk}/" and x9.depth == 1


def test_reimport_updates_name_level_parent_and_moves_subtree(tmp_path, grassroots, other_commune):
    # grassroots CS01 is under X01; move it under X02 and rename it.
    report = import_units(
        units_file(
            tmp_path,
            ["CS01", "Chi bộ thôn Đông mới", "Chi bộ", "X02"],
            ["C9", "Chi bộ 9", "Chi bộ", "CS01"],
        )
    )
    assert report.ok, report.errors
    assert (report.created, report.updated) == (1, 1)
    moved = unit("CS01")
    assert moved.name == "Chi bộ thôn Đông mới"
    assert moved.level == Level.CELL
    assert moved.parent == other_commune
    assert moved.path == other_commune.path + f"{moved.pk}/" and moved.depth == 2
    child = unit("C9")
    assert child.path == moved.path + f"{child.pk}/" and child.depth == 3


def test_headers_any_order_case_spaces_and_extra_column(tmp_path, db):
    path = write_xlsx(
        tmp_path / "f.xlsx",
        [[" cấp ", "GHI CHÚ", "mã ĐƠN VỊ", "Tên đơn vị  "], ["Tỉnh", "x", "T7", "Tỉnh 7"]],
    )
    report = import_units(path)
    assert report.ok, report.errors
    assert "GHI CHÚ" in report.warnings[0]
    assert unit("T7").name == "Tỉnh 7"


def test_parent_column_is_optional(tmp_path, db):
    report = import_units(units_file(tmp_path, ["T1", "Tỉnh", "Tỉnh"], headers=HEADERS[:3]))
    assert report.ok, report.errors
    assert unit("T1").parent is None


BAD = [
    pytest.param(["X1", "Xã", "Thôn", "T1"], "Cấp", "không hợp lệ", id="unknown-level"),
    pytest.param(["X1", "Xã", None, "T1"], "Cấp", "không được để trống", id="level-empty"),
    pytest.param(["X1", "  ", "Xã", "T1"], "Tên đơn vị", "không được để trống", id="name-empty"),
    pytest.param([None, "Xã", "Xã", "T1"], "Mã đơn vị", "không được để trống", id="code-empty"),
    pytest.param(["X1", "Xã", "Xã", "KHONG"], "Mã đơn vị cấp trên", "không có đơn vị", id="parent"),
    pytest.param(["X1", "Xã", "Xã", "X1"], "Mã đơn vị cấp trên", "chính nó", id="self-parent"),
    pytest.param(["T1", "Trùng", "Xã", None], "Mã đơn vị", "trùng với dòng 2", id="dup-code"),
    pytest.param(["X" * 40, "Xã", "Xã", "T1"], "Mã đơn vị", "dài quá", id="code-too-long"),
]


@pytest.mark.parametrize(("bad", "column", "text"), BAD)
def test_bad_row_refuses_the_file(tmp_path, db, bad, column, text):
    report = import_units(units_file(tmp_path, ["T1", "Tỉnh", "Tỉnh", None], bad))
    assert not report.ok
    assert any(e.startswith(f"Dòng 3, cột {column}: ") and text in e for e in report.errors), (
        report.errors
    )
    assert PartyUnit.objects.count() == 0


def test_cycle_within_the_file(tmp_path, db):
    report = import_units(units_file(tmp_path, ["A", "A", "Xã", "B"], ["B", "B", "Xã", "A"]))
    assert any(
        "vòng lặp" in e and e.startswith("Dòng 2, cột Mã đơn vị cấp trên") for e in report.errors
    )
    assert PartyUnit.objects.count() == 0


def test_cycle_through_the_database(tmp_path, grassroots):
    # Put the province under its own grandchild.
    report = import_units(units_file(tmp_path, ["T01", "Tỉnh", "Tỉnh", "CS01"]))
    assert any("vòng lặp" in e for e in report.errors), report.errors
    assert unit("T01").parent is None


def test_scope_limits_changes(tmp_path, commune, other_commune, make_user):
    staff = make_user("board_staff", commune)
    report = import_units(
        units_file(
            tmp_path,
            ["X02", "Đổi tên", "Xã", "T01"],
            ["N1", "Mới", "Chi bộ", "X02"],
            ["N2", "Mới", "Chi bộ", "X01"],
            ["R", "Gốc mới", "Tỉnh", None],
        ),
        user=staff,
    )
    assert sorted(e.split(":")[0] for e in report.errors) == [
        "Dòng 2, cột Mã đơn vị",
        "Dòng 3, cột Mã đơn vị cấp trên",
        "Dòng 5, cột Mã đơn vị cấp trên",
    ]
    assert unit("X02").name == "Đảng bộ xã Bình Minh"
    assert PartyUnit.objects.count() == 3


def test_missing_column_empty_sheet_not_xlsx(tmp_path, db):
    assert import_units(units_file(tmp_path, ["T1", "Tỉnh"], headers=HEADERS[:2])).errors == [
        "Thiếu cột bắt buộc: “Cấp”."
    ]
    assert "trống" in import_units(write_xlsx(tmp_path / "e.xlsx", [])).errors[0]
    bad = tmp_path / "x.xlsx"
    bad.write_text("Mã đơn vị,Tên đơn vị\n")
    assert import_units(bad).errors == ["Tệp không phải là tệp Excel .xlsx hợp lệ."]
    assert PartyUnit.objects.count() == 0


def test_dry_run_writes_nothing(tmp_path, db):
    report = import_units(units_file(tmp_path, ["T1", "Tỉnh", "Tỉnh", None]), dry_run=True)
    assert report.ok and report.created == 1
    assert PartyUnit.objects.count() == 0


def test_command_success_and_refusal(tmp_path, db):
    out, err = StringIO(), StringIO()
    call_command(
        "import_units",
        str(units_file(tmp_path, ["T1", "Tỉnh", "Tỉnh", None])),
        stdout=out,
        stderr=err,
    )
    assert "Đã nhập 1 đơn vị (mới 1, cập nhật 0)." in out.getvalue()

    bad = units_file(
        tmp_path, ["X1", "Xã", "Thôn", "T1"], ["X2", "Xã", "Xã", "ZZ"], name="bad.xlsx"
    )
    err = StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("import_units", str(bad), stdout=StringIO(), stderr=err)
    assert exc.value.returncode == 1
    assert "Dòng 2, cột Cấp:" in err.getvalue()
    assert "Dòng 3, cột Mã đơn vị cấp trên:" in err.getvalue()
    assert PartyUnit.objects.count() == 1


def test_command_dry_run(tmp_path, db):
    out = StringIO()
    path = units_file(tmp_path, ["T1", "Tỉnh", "Tỉnh", None])
    call_command("import_units", str(path), "--dry-run", stdout=out, stderr=StringIO())
    assert "Chạy thử" in out.getvalue()
    assert PartyUnit.objects.count() == 0
