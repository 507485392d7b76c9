"""Cadre import: a file is imported whole or not at all; every problem names its row and
column; nothing is written when a file is refused."""

import unicodedata
from datetime import date, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import Workbook

from personnel.imports import import_cadres
from personnel.imports.columns import CADRES
from personnel.imports.sheet import find_table, read_sheet
from personnel.models import Cadre, PoliticalTheory, Sex

HEADERS = [
    "Mã cán bộ",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Dân tộc",
    "Tôn giáo",
    "Số CCCD",
    "Quê quán",
    "Người địa phương",
    "Ngày vào Đảng",
    "Ngày chính thức",
    "Trình độ chuyên môn",
    "Lý luận chính trị",
    "Quản lý nhà nước",
    "Ngoại ngữ",
    "Mã đơn vị",
]


@pytest.fixture(autouse=True)
def registry_hook(monkeypatch):
    """Record registry_changed calls instead of running the structure recompute."""
    from personnel import services

    calls = []
    monkeypatch.setattr(services, "registry_changed", lambda unit_ids: calls.append(list(unit_ids)))
    return calls


def write_xlsx(path, rows):
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def row(**over):
    """A valid row as a dict keyed by header; `over` replaces values (key = header)."""
    base = {
        "Mã cán bộ": "CB001",
        "Họ và tên": "Nguyễn Văn An",
        "Ngày sinh": "14/05/1980",
        "Giới tính": "Nam",
        "Dân tộc": "Kinh",
        "Tôn giáo": "",
        "Số CCCD": "001080012345",
        "Quê quán": "Xã An Bình",
        "Người địa phương": "Có",
        "Ngày vào Đảng": "03/02/2005",
        "Ngày chính thức": "03/02/2006",
        "Trình độ chuyên môn": "Cử nhân Luật",
        "Lý luận chính trị": "Trung cấp",
        "Quản lý nhà nước": "Chuyên viên",
        "Ngoại ngữ": "Tiếng Anh B1",
        "Mã đơn vị": "X01",
    }
    base.update(over)
    return base


def cadres_file(tmp_path, *dict_rows, headers=HEADERS, name="can-bo.xlsx"):
    return write_xlsx(tmp_path / name, [headers, *[[r.get(h) for h in headers] for r in dict_rows]])


@pytest.fixture
def units(commune, grassroots):
    return commune, grassroots


# --------------------------------------------------------------------------- success


def test_valid_file_creates_cadres_with_all_fields(tmp_path, units):
    path = cadres_file(
        tmp_path,
        row(),
        row(
            **{
                "Mã cán bộ": "CB002",
                "Họ và tên": "Trần Thị Bình",
                "Giới tính": "nữ",
                "Ngày sinh": datetime(1985, 1, 2),
                "Ngày vào Đảng": datetime(2010, 3, 4),
                "Ngày chính thức": "",
                "Số CCCD": "",
                "Người địa phương": "không",
                "Lý luận chính trị": "",
                "Dân tộc": "",
                "Mã đơn vị": "CS01",
            }
        ),
    )
    report = import_cadres(path)
    assert report.ok, report.errors
    assert (report.created, report.updated) == (2, 0)
    assert report.summary() == "Đã nhập 2 cán bộ (mới 2, cập nhật 0)."
    an = Cadre.objects.get(code="CB001")
    assert an.birth_date == date(1980, 5, 14)
    assert an.sex == Sex.MALE
    assert an.citizen_id == "001080012345"
    assert an.is_local is True
    assert an.party_entry_date == date(2005, 2, 3)
    assert an.party_confirmed_date == date(2006, 2, 3)
    assert an.political_theory == PoliticalTheory.TRUNG_CAP
    assert an.unit.code == "X01"
    assert an.search_name == "nguyen van an"
    assert an.sort_key
    binh = Cadre.objects.get(code="CB002")
    assert binh.sex == Sex.FEMALE
    assert binh.birth_date == date(1985, 1, 2)  # an Excel date cell
    assert binh.party_entry_date == date(2010, 3, 4)
    assert binh.party_confirmed_date is None
    assert binh.citizen_id is None
    assert binh.is_local is False
    assert binh.political_theory == ""
    assert binh.ethnicity == "Kinh"
    assert binh.unit.code == "CS01"


def test_every_political_theory_label(tmp_path, units):
    labels = ["Sơ cấp", "TRUNG CẤP", " cao cấp ", "Cử nhân", "", "Chưa có"]
    rows = [
        row(**{"Mã cán bộ": f"CB{i}", "Số CCCD": "", "Lý luận chính trị": label})
        for i, label in enumerate(labels)
    ]
    report = import_cadres(cadres_file(tmp_path, *rows))
    assert report.ok, report.errors
    got = dict(Cadre.objects.values_list("code", "political_theory"))
    assert got == {
        "CB0": "so_cap",
        "CB1": "trung_cap",
        "CB2": "cao_cap",
        "CB3": "cu_nhan",
        "CB4": "",
        "CB5": "",
    }


def test_name_is_stored_nfc_with_spaces_collapsed(tmp_path, units):
    nfd = unicodedata.normalize("NFD", "  Nguyễn   Văn  An ")
    assert nfd != unicodedata.normalize("NFC", nfd)
    report = import_cadres(cadres_file(tmp_path, row(**{"Họ và tên": nfd})))
    assert report.ok, report.errors
    cadre = Cadre.objects.get()
    assert cadre.full_name == "Nguyễn Văn An"
    assert unicodedata.is_normalized("NFC", cadre.full_name)
    assert cadre.search_name == "nguyen van an"


def test_headers_in_any_order_case_and_spaces_extra_column_warned(tmp_path, units):
    headers = list(reversed(HEADERS))
    written = ["  " + h.upper() + " " for h in headers] + ["Ghi chú"]
    data = row()
    path = write_xlsx(tmp_path / "f.xlsx", [written, [data[h] for h in headers] + ["bỏ qua tôi"]])
    report = import_cadres(path)
    assert report.ok, report.errors
    assert len(report.warnings) == 1
    assert "Ghi chú" in report.warnings[0]
    assert Cadre.objects.get().full_name == "Nguyễn Văn An"


def test_optional_columns_may_be_absent(tmp_path, units):
    headers = ["Họ và tên", "Ngày sinh", "Giới tính", "Mã đơn vị"]
    report = import_cadres(cadres_file(tmp_path, row(), headers=headers))
    assert report.ok, report.errors
    cadre = Cadre.objects.get()
    assert cadre.code is None and cadre.citizen_id is None and cadre.ethnicity == "Kinh"


def test_reimport_updates_by_cadre_code(tmp_path, units):
    assert import_cadres(cadres_file(tmp_path, row())).ok
    pk = Cadre.objects.get().pk
    path = cadres_file(
        tmp_path,
        row(**{"Họ và tên": "Nguyễn Văn Anh", "Mã đơn vị": "CS01", "Quê quán": "Xã Đông"}),
        row(**{"Mã cán bộ": "CB009", "Số CCCD": "001080099999"}),
        name="lan-2.xlsx",
    )
    report = import_cadres(path)
    assert report.ok, report.errors
    assert (report.created, report.updated) == (1, 1)
    assert report.summary() == "Đã nhập 2 cán bộ (mới 1, cập nhật 1)."
    assert Cadre.objects.count() == 2
    cadre = Cadre.objects.get(pk=pk)
    assert cadre.code == "CB001"
    assert cadre.full_name == "Nguyễn Văn Anh"
    assert cadre.search_name == "nguyen van anh"
    assert cadre.hometown == "Xã Đông"
    assert cadre.unit.code == "CS01"
    # Its own CCCD is not a conflict with itself.
    assert cadre.citizen_id == "001080012345"


def test_update_leaves_columns_absent_from_the_file(tmp_path, units):
    assert import_cadres(cadres_file(tmp_path, row())).ok
    headers = ["Mã cán bộ", "Họ và tên", "Ngày sinh", "Giới tính", "Mã đơn vị"]
    report = import_cadres(
        cadres_file(tmp_path, row(**{"Họ và tên": "Lê An"}), headers=headers, name="b.xlsx")
    )
    assert report.ok and report.updated == 1
    cadre = Cadre.objects.get()
    assert cadre.full_name == "Lê An"
    assert cadre.hometown == "Xã An Bình"
    assert cadre.citizen_id == "001080012345"
    assert cadre.political_theory == PoliticalTheory.TRUNG_CAP


def test_numeric_cccd_cell_gets_its_leading_zero_back(tmp_path, units):
    report = import_cadres(cadres_file(tmp_path, row(**{"Số CCCD": 1080012345})))
    assert report.ok, report.errors
    assert Cadre.objects.get().citizen_id == "001080012345"


def _many(count, **at):
    """`count` distinct people; `at` maps a row index to its replaced cells."""
    rows = []
    for i in range(count):
        r = row(
            **{
                "Mã cán bộ": f"CB{i:04d}",
                "Họ và tên": f"Người Số {i}",
                "Số CCCD": f"0010800{i:05d}",
            }
        )
        r.update(at.get(f"r{i}", {}))
        rows.append(r)
    return rows


def test_a_long_file_cleans_and_checks_every_cell_as_a_short_one(tmp_path, units):
    nfd = unicodedata.normalize("NFD", "  Lê   Văn  Bình ")
    rows = _many(300, r150={"Họ và tên": nfd, "Mã cán bộ": " CB0150 "})
    report = import_cadres(cadres_file(tmp_path, *rows))
    assert report.ok, report.errors
    assert report.created == 300
    binh = Cadre.objects.get(code="CB0150")
    assert binh.full_name == "Lê Văn Bình"
    assert Cadre.objects.get(code="CB0299").citizen_id == "001080000299"

    rows = _many(300, r120={"Số CCCD": "00108001234A"}, r200={"Mã cán bộ": "X" * 60})
    report = import_cadres(cadres_file(tmp_path, *rows, name="sai.xlsx"))
    assert sorted(report.errors) == [
        "Dòng 122, cột Số CCCD: “00108001234A” không hợp lệ (phải gồm đúng 12 chữ số).",
        "Dòng 202, cột Mã cán bộ: dài quá 32 ký tự.",
    ]
    assert Cadre.objects.count() == 300  # the second file wrote nothing


def test_empty_rows_are_skipped_and_row_numbers_stay_true(tmp_path, units):
    data = row(**{"Giới tính": "X", "Mã cán bộ": "B", "Số CCCD": ""})
    path = write_xlsx(
        tmp_path / "f.xlsx",
        [HEADERS, [row()[h] for h in HEADERS], [None] * len(HEADERS), [data[h] for h in HEADERS]],
    )
    report = import_cadres(path)
    assert report.errors == [
        "Dòng 4, cột Giới tính: giá trị “X” không hợp lệ (chỉ nhận Nam hoặc Nữ)."
    ]


def test_dry_run_reports_and_writes_nothing(tmp_path, units):
    report = import_cadres(cadres_file(tmp_path, row()), dry_run=True)
    assert report.ok
    assert report.created == 1
    assert "Chạy thử" in report.summary()
    assert Cadre.objects.count() == 0


def test_registry_changed_hook_called_once_with_units(tmp_path, units, registry_hook):
    commune, grassroots = units
    path = cadres_file(
        tmp_path, row(), row(**{"Mã cán bộ": "B", "Số CCCD": "", "Mã đơn vị": "CS01"})
    )
    assert import_cadres(path).ok
    assert registry_hook == [sorted([commune.pk, grassroots.pk])]
    # Not called for a refused file or a dry run.
    import_cadres(cadres_file(tmp_path, row(**{"Giới tính": "?"}), name="bad.xlsx"))
    import_cadres(path, dry_run=True)
    assert len(registry_hook) == 1


def test_updates_report_the_unit_a_cadre_left(tmp_path, units, registry_hook):
    commune, grassroots = units
    assert import_cadres(cadres_file(tmp_path, row())).ok
    moved = cadres_file(tmp_path, row(**{"Mã đơn vị": "CS01"}), name="b.xlsx")
    assert import_cadres(moved).ok
    assert registry_hook[-1] == sorted([commune.pk, grassroots.pk])


def test_a_failing_hook_keeps_the_data_and_warns(tmp_path, units, monkeypatch):
    from personnel import services

    def broken(unit_ids):
        raise RuntimeError("hỏng")

    monkeypatch.setattr(services, "registry_changed", broken)
    report = import_cadres(cadres_file(tmp_path, row()))
    assert report.ok
    assert "tính lại cơ cấu" in report.warnings[-1]
    assert Cadre.objects.count() == 1


# --------------------------------------------------------------------------- refusals


def _future():
    return (timezone.localdate() + timedelta(days=3)).strftime("%d/%m/%Y")


BAD_CASES = [
    pytest.param({"Ngày sinh": "31/02/1980"}, "Ngày sinh", "không tồn tại", id="impossible-date"),
    pytest.param({"Ngày sinh": "1980-05-14"}, "Ngày sinh", "dd/mm/yyyy", id="not-a-date"),
    pytest.param({"Ngày vào Đảng": "30/13/2005"}, "Ngày vào Đảng", "không tồn tại", id="bad-month"),
    pytest.param({"Ngày sinh": None}, "Ngày sinh", "không được để trống", id="birth-empty"),
    pytest.param({"Ngày sinh": "FUTURE"}, "Ngày sinh", "ở tương lai", id="birth-in-future"),
    pytest.param(
        {"Ngày vào Đảng": "13/05/1998"},
        "Ngày vào Đảng",
        "trước khi đủ 18 tuổi",
        id="party-under-18",
    ),
    pytest.param(
        {"Ngày chính thức": "01/01/2004"},
        "Ngày chính thức",
        "trước ngày vào Đảng",
        id="confirmed-before-entry",
    ),
    pytest.param({"Giới tính": "Khác"}, "Giới tính", "không hợp lệ", id="unknown-sex"),
    pytest.param({"Giới tính": "  "}, "Giới tính", "không được để trống", id="sex-empty"),
    pytest.param({"Họ và tên": "   "}, "Họ và tên", "không được để trống", id="name-empty"),
    pytest.param({"Mã đơn vị": "KHONG-CO"}, "Mã đơn vị", "không có đơn vị mã", id="unknown-unit"),
    pytest.param({"Mã đơn vị": None}, "Mã đơn vị", "không được để trống", id="unit-empty"),
    pytest.param({"Số CCCD": "12345"}, "Số CCCD", "12 chữ số", id="cccd-short"),
    pytest.param({"Số CCCD": "00108001234A"}, "Số CCCD", "12 chữ số", id="cccd-not-digits"),
    pytest.param({"Số CCCD": "0010800123456"}, "Số CCCD", "12 chữ số", id="cccd-13-digits"),
    pytest.param(
        {"Lý luận chính trị": "Tiến sĩ"}, "Lý luận chính trị", "không hợp lệ", id="theory"
    ),
    pytest.param({"Người địa phương": "Có lẽ"}, "Người địa phương", "không hợp lệ", id="local"),
    pytest.param({"Họ và tên": "A" * 200}, "Họ và tên", "dài quá", id="name-too-long"),
]


@pytest.mark.parametrize(("over", "column", "text"), BAD_CASES)
def test_bad_row_refuses_the_whole_file(tmp_path, units, over, column, text):
    over = {k: (_future() if v == "FUTURE" else v) for k, v in over.items()}
    good = row(**{"Mã cán bộ": "OK1", "Số CCCD": "001080000001"})
    path = cadres_file(tmp_path, good, row(**over))
    report = import_cadres(path)
    assert not report.ok
    assert any(e.startswith(f"Dòng 3, cột {column}: ") and text in e for e in report.errors), (
        report.errors
    )
    assert all(e.startswith("Dòng 3, ") for e in report.errors), report.errors
    assert Cadre.objects.count() == 0  # not even the good row
    assert (report.created, report.updated) == (0, 0)


def test_every_problem_is_reported_not_just_the_first(tmp_path, units):
    path = cadres_file(
        tmp_path,
        row(**{"Giới tính": "?", "Ngày sinh": "32/01/1980"}),
        row(**{"Mã cán bộ": "B", "Số CCCD": "1", "Mã đơn vị": "ZZ"}),
    )
    report = import_cadres(path)
    columns = sorted(e.split(":")[0] for e in report.errors)
    assert columns == [
        "Dòng 2, cột Giới tính",
        "Dòng 2, cột Ngày sinh",
        "Dòng 3, cột Mã đơn vị",
        "Dòng 3, cột Số CCCD",
    ]


def test_cccd_repeated_within_the_file(tmp_path, units):
    path = cadres_file(tmp_path, row(), row(**{"Mã cán bộ": "CB002"}))
    report = import_cadres(path)
    assert report.errors == ["Dòng 3, cột Số CCCD: số 001080012345 trùng với dòng 2."]
    assert Cadre.objects.count() == 0


def test_cccd_of_another_cadre_with_another_code_is_refused(tmp_path, units, cadre_factory):
    cadre_factory(citizen_id="001080012345", code="KHAC", unit=units[0])
    report = import_cadres(cadres_file(tmp_path, row()))
    assert report.errors == [
        "Dòng 2, cột Mã cán bộ: người này (tìm theo số CCCD) đã có mã KHAC, khác mã “CB001”."
    ]
    assert Cadre.objects.count() == 1


def test_a_row_without_code_is_matched_by_cccd(tmp_path, units, cadre_factory):
    known = cadre_factory(citizen_id="001080012345", code="KHAC", unit=units[0])
    report = import_cadres(cadres_file(tmp_path, row(**{"Mã cán bộ": None, "Quê quán": "Xã Mới"})))
    assert report.ok, report.errors
    assert (report.created, report.updated) == (0, 1)
    assert report.matches[0]["by"] == "số CCCD"
    known.refresh_from_db()
    assert known.hometown == "Xã Mới" and known.full_name == "Nguyễn Văn An"
    assert Cadre.objects.count() == 1


def test_cadre_code_repeated_within_the_file(tmp_path, units):
    path = cadres_file(tmp_path, row(), row(**{"Số CCCD": "001080099999"}))
    report = import_cadres(path)
    assert report.errors == ["Dòng 3, cột Mã cán bộ: mã “CB001” trùng với dòng 2."]
    assert Cadre.objects.count() == 0


def test_unit_outside_the_uploaders_reach(tmp_path, units, other_commune, make_user):
    commune, grassroots = units
    staff = make_user("board_staff", commune)
    path = cadres_file(
        tmp_path, row(), row(**{"Mã cán bộ": "B", "Số CCCD": "", "Mã đơn vị": "X02"})
    )
    report = import_cadres(path, user=staff)
    assert report.errors == ["Dòng 3, cột Mã đơn vị: đơn vị X02 ngoài phạm vi quản lý của bạn."]
    assert Cadre.objects.count() == 0


def test_missing_required_column(tmp_path, units):
    headers = [h for h in HEADERS if h != "Ngày sinh"]
    report = import_cadres(cadres_file(tmp_path, row(), headers=headers))
    assert report.errors == ["Thiếu cột bắt buộc: “Ngày sinh”."]
    assert Cadre.objects.count() == 0


def test_empty_sheet(tmp_path, units):
    report = import_cadres(write_xlsx(tmp_path / "trong.xlsx", []))
    assert not report.ok
    assert "trống" in report.errors[0]
    assert Cadre.objects.count() == 0


def test_header_only(tmp_path, units):
    report = import_cadres(write_xlsx(tmp_path / "f.xlsx", [HEADERS]))
    assert report.errors == ["Bảng không có dòng dữ liệu nào dưới dòng tiêu đề."]


def test_a_field_named_twice_keeps_the_first_column_and_warns(tmp_path, units):
    data = row()
    path = write_xlsx(
        tmp_path / "f.xlsx",
        [[*HEADERS, "họ và tên"], [*(data[h] for h in HEADERS), "Tên Khác Hẳn"]],
    )
    report = import_cadres(path)
    assert report.ok, report.errors
    assert any("cùng là “Họ và tên”" in w for w in report.warnings)
    assert Cadre.objects.get().full_name == "Nguyễn Văn An"


@pytest.mark.parametrize("content", [b"Ho va ten;Ngay sinh\n", b"PK\x03\x04 not really a zip", b""])
def test_not_an_xlsx_file(tmp_path, units, content):
    path = tmp_path / "tep.xlsx"
    path.write_bytes(content)
    report = import_cadres(path)
    assert report.errors == ["Tệp không phải là tệp Excel .xlsx hợp lệ."]
    assert Cadre.objects.count() == 0


def test_file_object_is_accepted(tmp_path, units):
    path = cadres_file(tmp_path, row())
    with open(path, "rb") as fh:
        assert import_cadres(fh).ok
    assert Cadre.objects.count() == 1


def test_rows_keep_their_spreadsheet_numbers(tmp_path, units):
    path = write_xlsx(
        tmp_path / "f.xlsx",
        [
            [" Họ và tên ", None, "Ngày sinh", "Giới tính"],
            ["A", None, "01/01/1980", "Nam"],
            [],
            ["B", None, "x", "Nữ"],
        ],
    )
    table = find_table(read_sheet(path), CADRES)
    assert [(h.index, h.shown) for h in table.headers] == [
        (0, "Họ và tên"),
        (2, "Ngày sinh"),
        (3, "Giới tính"),
    ]
    report = import_cadres(path, unit=units[0])
    assert "Dòng 4, cột Ngày sinh: “x” không phải ngày hợp lệ (cần dạng dd/mm/yyyy)." in (
        report.errors
    )


# --------------------------------------------------------------------------- command


def test_command_success_summary(tmp_path, units):
    out = StringIO()
    path = cadres_file(tmp_path, row(), row(**{"Mã cán bộ": "B", "Số CCCD": ""}))
    call_command("import_cadres", str(path), stdout=out, stderr=StringIO())
    assert "Đã nhập 2 cán bộ (mới 2, cập nhật 0)." in out.getvalue()
    assert Cadre.objects.count() == 2


def test_command_refusal_prints_every_problem_and_exits_non_zero(tmp_path, units):
    err = StringIO()
    path = cadres_file(
        tmp_path, row(**{"Giới tính": "?"}), row(**{"Mã cán bộ": "B", "Mã đơn vị": "ZZ"})
    )
    with pytest.raises(CommandError) as exc:
        call_command("import_cadres", str(path), stdout=StringIO(), stderr=err)
    assert exc.value.returncode == 1
    text = err.getvalue()
    assert "Dòng 2, cột Giới tính:" in text
    assert "Dòng 3, cột Mã đơn vị:" in text
    assert "Dòng 3, cột Số CCCD:" in text  # same CCCD as row 2
    assert Cadre.objects.count() == 0


def test_command_exit_status_from_the_command_line(tmp_path, units, capsys):
    """Through run_from_argv, as manage.py does: stderr and exit status 1."""
    from django.core.management import load_command_class

    path = tmp_path / "x.xlsx"
    path.write_text("không phải excel")
    command = load_command_class("personnel", "import_cadres")
    with pytest.raises(SystemExit) as exc:
        command.run_from_argv(["manage.py", "import_cadres", str(path)])
    assert exc.value.code == 1
    assert "Tệp không phải là tệp Excel .xlsx hợp lệ." in capsys.readouterr().err


def test_command_dry_run_writes_nothing(tmp_path, units):
    out = StringIO()
    call_command(
        "import_cadres",
        str(cadres_file(tmp_path, row())),
        "--dry-run",
        stdout=out,
        stderr=StringIO(),
    )
    assert "Chạy thử" in out.getvalue()
    assert Cadre.objects.count() == 0


def test_command_warns_about_extra_columns(tmp_path, units):
    err = StringIO()
    data = row()
    path = write_xlsx(
        tmp_path / "f.xlsx", [[*HEADERS, "Ghi chú"], [*(data[h] for h in HEADERS), "x"]]
    )
    call_command("import_cadres", str(path), stdout=StringIO(), stderr=err)
    assert "Ghi chú" in err.getvalue()
