"""The files boards already have (issue 17): a commune's trích ngang under its Party header
block and title, with a two-row merged header (the birth date under "Nam" / "Nữ", the party
dates under "Ngày vào Đảng", a "Trình độ" group), the "(1) (2) …" row, a "Tổng cộng" row
and the signature block; and a cell's flat member list headed in other words. Every person
comes in with every field right, into the unit the user chose."""

import unicodedata
from datetime import date, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from personnel.imports import import_cadres
from personnel.models import AuditLog, Cadre, ImportPreset, PoliticalTheory, Sex


@pytest.fixture(autouse=True)
def registry_hook(monkeypatch):
    from personnel import services

    calls = []
    monkeypatch.setattr(services, "registry_changed", lambda unit_ids: calls.append(list(unit_ids)))
    return calls


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


PEOPLE = [
    # name as typed, birth (under Nam or Nữ), sex, ethnicity, religion, hometown, post,
    # entry, confirmed, education, theory, language, IT, state management
    ["  " + nfd("Nguyễn  Văn An") + " ", datetime(1975, 3, 12), "Nam", "Kinh", "Không",
     "Xã An Bình, tỉnh Thử Nghiệm", "Bí thư Đảng ủy xã", "12/03/1998", "12.03.1999",
     "Cử nhân Luật", "Cao cấp LLCT", "Tiếng Anh B", "Cơ bản", "Chuyên viên chính"],
    ["Trần Thị Bình", "5/7/1982", "Nữ", "Kinh", "Phật giáo", "Xã Đông", "Phó Bí thư",
     datetime(2006, 7, 5), "05-07-2007", "Kỹ sư Nông nghiệp", "TC", "", "", ""],
    ["Lê Văn Cường", "20-10-1979", "Nam", "Tày", "", "Xã Tây", "Ủy viên Ban Chấp hành",
     "01/02/2003", "01/02/2004", "Cử nhân Kinh tế", "cao cấp", "Tiếng Trung A", "", ""],
    ["H'Nhi Êban", "01.01.1990", "Nữ", "Ê Đê", "Tin lành", "Buôn Ea", "",
     "15/08/2015", "", "Trung cấp Y", "", "", "", ""],
]  # fmt: skip


def trich_ngang(path, people=PEOPLE, *, total=True, signature=True):
    """A commune's trích ngang, laid out as boards type it."""
    wb = Workbook()
    ws = wb.active
    ws["A1"], ws["K1"] = "ĐẢNG BỘ TỈNH THỬ NGHIỆM", "ĐẢNG CỘNG SẢN VIỆT NAM"
    ws["A2"], ws["K2"] = "ĐẢNG ỦY XÃ AN BÌNH", "An Bình, ngày 05 tháng 02 năm 2026"
    ws["A3"] = "*"
    ws["A5"] = "DANH SÁCH TRÍCH NGANG"
    ws.merge_cells("A5:P5")
    ws["A6"] = "Ban Chấp hành Đảng bộ xã An Bình khóa mới, nhiệm kỳ 2025 – 2030"
    ws.merge_cells("A6:P6")
    single = {"A": "STT", "B": "Họ và tên", "E": "Dân tộc", "F": "Tôn giáo", "G": "Quê quán",
              "H": "Chức vụ hiện nay", "P": "Ghi chú"}  # fmt: skip
    for col, text in single.items():
        ws[f"{col}8"] = text
        ws.merge_cells(f"{col}8:{col}9")
    ws["C8"] = "Ngày, tháng, năm sinh"
    ws.merge_cells("C8:D8")
    ws["C9"], ws["D9"] = "Nam", "Nữ"
    ws["I8"] = "Ngày vào Đảng"
    ws.merge_cells("I8:J8")
    ws["I9"], ws["J9"] = "Ngày vào", "Chính thức"
    ws["K8"] = "Trình độ"
    ws.merge_cells("K8:O8")
    for col, text in zip("KLMNO", ["Chuyên môn", "LLCT", "Ngoại ngữ", "Tin học", "QLNN"],
                         strict=True):  # fmt: skip
        ws[f"{col}9"] = text
    for i, col in enumerate("ABCDEFGHIJKLMNOP", start=1):
        ws[f"{col}10"] = f"({i})"
    r = 10
    for n, p in enumerate(people, start=1):
        r += 1
        name, birth, sex, eth, rel, home, post, entry, conf, edu, theory, lang, it, qlnn = p
        values = [n, name, birth if sex == "Nam" else None, birth if sex == "Nữ" else None,
                  eth, rel, home, post, entry, conf, edu, theory, lang, it, qlnn, None]  # fmt: skip
        for col, v in zip("ABCDEFGHIJKLMNOP", values, strict=True):
            if v not in (None, ""):
                ws[f"{col}{r}"] = v
    if total:
        r += 1
        ws[f"B{r}"] = f"Tổng cộng: {len(people):02d} đồng chí"
        ws.merge_cells(f"B{r}:D{r}")
    if signature:
        ws[f"B{r + 2}"], ws[f"K{r + 2}"] = "Nơi nhận:", "T/M BAN THƯỜNG VỤ"
        ws[f"B{r + 3}"], ws[f"K{r + 3}"] = "- Ban Tổ chức Tỉnh ủy;", "BÍ THƯ"
        ws[f"B{r + 4}"] = "- Lưu."
        ws[f"K{r + 7}"] = "Nguyễn Văn An"
    wb.save(path)
    return path


def test_a_trich_ngang_imports_every_person_with_every_field(tmp_path, commune, registry_hook):
    report = import_cadres(trich_ngang(tmp_path / "tn.xlsx"), unit=commune)
    assert report.ok, report.errors
    assert (report.rows, report.created) == (4, 4)
    assert report.header_rows == [8, 9]
    by_field = {c["field"]: c["header"] for c in report.columns if c["field"]}
    assert by_field["birth_date_male"] == "Ngày, tháng, năm sinh › Nam"
    assert by_field["birth_date_female"] == "Ngày, tháng, năm sinh › Nữ"
    assert by_field["party_entry_date"] == "Ngày vào Đảng › Ngày vào"
    assert by_field["party_confirmed_date"] == "Ngày vào Đảng › Chính thức"
    assert by_field["political_theory"] == "Trình độ › LLCT"
    assert by_field["state_management"] == "Trình độ › QLNN"

    an = Cadre.objects.get(full_name="Nguyễn Văn An")  # NFC, single spaces
    assert unicodedata.is_normalized("NFC", an.full_name)
    assert (an.birth_date, an.sex, an.unit) == (date(1975, 3, 12), Sex.MALE, commune)
    assert (an.ethnicity, an.religion, an.hometown) == (
        "Kinh",
        "Không",
        "Xã An Bình, tỉnh Thử Nghiệm",
    )
    assert an.post_text == "Bí thư Đảng ủy xã"
    assert (an.party_entry_date, an.party_confirmed_date) == (date(1998, 3, 12), date(1999, 3, 12))
    assert (an.education, an.political_theory) == ("Cử nhân Luật", PoliticalTheory.CAO_CAP)
    assert (an.foreign_language, an.it_skill, an.state_management) == (
        "Tiếng Anh B", "Cơ bản", "Chuyên viên chính",
    )  # fmt: skip
    assert an.search_name == "nguyen van an" and an.code is None and an.citizen_id is None

    binh = Cadre.objects.get(full_name="Trần Thị Bình")
    assert (binh.birth_date, binh.sex) == (date(1982, 7, 5), Sex.FEMALE)
    assert (binh.party_entry_date, binh.party_confirmed_date) == (
        date(2006, 7, 5),
        date(2007, 7, 5),
    )
    assert binh.political_theory == PoliticalTheory.TRUNG_CAP and binh.religion == "Phật giáo"
    assert binh.post_text == "Phó Bí thư"

    cuong = Cadre.objects.get(full_name="Lê Văn Cường")
    assert (cuong.birth_date, cuong.sex, cuong.ethnicity) == (date(1979, 10, 20), Sex.MALE, "Tày")
    assert cuong.political_theory == PoliticalTheory.CAO_CAP

    nhi = Cadre.objects.get(full_name="H'Nhi Êban")
    assert (nhi.birth_date, nhi.sex, nhi.ethnicity) == (date(1990, 1, 1), Sex.FEMALE, "Ê Đê")
    assert nhi.party_confirmed_date is None and nhi.political_theory == PoliticalTheory.NONE
    assert set(Cadre.objects.values_list("unit", flat=True)) == {commune.pk}
    assert registry_hook == [[commune.pk]]

    # A post the catalogue lacks is kept as typed, with a warning; the signature block and
    # the notes column are left out, with warnings, never errors.
    warnings = " ".join(report.warnings)
    assert "“Bí thư Đảng ủy xã” (dòng 11) không khớp chức vụ nào trong danh mục" in warnings
    assert "Phó Bí thư" not in warnings  # a post of the catalogue
    assert "“Ghi chú” (cột P)" in warnings
    assert "Bảng kết thúc ở dòng 15 (“Tổng cộng: 04 đồng chí”)" in warnings
    assert "như phần ký tên" in warnings


def test_without_a_total_row_the_signature_block_still_ends_the_table(tmp_path, commune):
    report = import_cadres(trich_ngang(tmp_path / "tn.xlsx", total=False), unit=commune)
    assert report.ok, report.errors
    assert report.created == 4
    assert any("Bảng kết thúc ở dòng trống trước dòng 16" in w for w in report.warnings)


def test_one_unreadable_date_refuses_the_whole_file_naming_row_and_header(tmp_path, commune):
    people = [list(p) for p in PEOPLE]
    people[1][7] = "05/13/2006"  # month 13: never guessed as 13 May
    report = import_cadres(trich_ngang(tmp_path / "tn.xlsx", people), unit=commune)
    assert report.errors == [
        "Dòng 12, cột Ngày vào Đảng › Ngày vào: ngày “05/13/2006” không tồn tại."
    ]
    assert Cadre.objects.count() == 0
    people[1][7] = "mùng 5 tháng 7"
    report = import_cadres(trich_ngang(tmp_path / "tn2.xlsx", people), unit=commune)
    assert report.errors == [
        "Dòng 12, cột Ngày vào Đảng › Ngày vào: “mùng 5 tháng 7” không phải ngày hợp lệ "
        "(cần dạng dd/mm/yyyy)."
    ]
    assert Cadre.objects.count() == 0


def test_a_date_under_both_nam_and_nu_is_an_error(tmp_path, commune):
    path = trich_ngang(tmp_path / "tn.xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(path)
    wb.active["D11"] = "12/03/1975"
    wb.save(path)
    report = import_cadres(path, unit=commune)
    assert report.errors == [
        "Dòng 11: có giá trị ở cả cột “Ngày, tháng, năm sinh › Nam” và cột "
        "“Ngày, tháng, năm sinh › Nữ”; chỉ được ghi ở một cột."
    ]


def test_a_person_row_under_the_signature_is_an_error_not_a_loss(tmp_path, commune):
    path = trich_ngang(tmp_path / "tn.xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(path)
    wb.active["B25"], wb.active["C25"] = "Vũ Văn Sót", "01/01/1980"
    wb.save(path)
    report = import_cadres(path, unit=commune)
    assert report.errors == [
        "Dòng 25: có dữ liệu nằm dưới phần cuối của bảng (dòng 15 (“Tổng cộng: 04 đồng chí”)); "
        "hãy đưa dòng này vào trong bảng hoặc xóa đi."
    ]


def member_list(path):
    """A cell's member list: a title, a note, then a flat header in other words."""
    wb = Workbook()
    ws = wb.active
    ws.append(["DANH SÁCH ĐẢNG VIÊN CHI BỘ THÔN ĐÔNG"])
    ws.merge_cells("A1:K1")
    ws.append(["(Kèm theo Công văn số 12-CV/ĐU ngày 01/02/2026)"])
    ws.append([])
    ws.append(["TT", "Họ tên", "Giới tính", "Ngày, tháng, năm sinh", "Số CCCD/CMND",
               "Nguyên quán", "Trình độ LLCT", "Ngày vào Đảng", "Ngày chính thức",
               "Chuyên môn", "Ghi chú"])  # fmt: skip
    ws.append([1, "Phạm Văn Dũng", "nam", "03/04/1985", 1085012345, "Xã Đông", "Trung cấp",
               "03/04/2010", "03/04/2011", "Kỹ sư", ""])  # fmt: skip
    ws.append([2, "PHẠM THỊ EM", "NỮ", date(1990, 12, 1), "001 190 012 345", "Xã Đông",
               "SC", datetime(2015, 1, 2), "02.01.2016", "", "chuyển đến"])  # fmt: skip
    ws.append([3, "Đỗ Văn Phúc", "Nam", "7/9/1970", "034070001234", "Xã Nam", "Cử nhân",
               "7-9-1995", "7-9-1996", "Cử nhân Chính trị", ""])  # fmt: skip
    ws.append([])
    ws.append([None, None, None, None, None, None, "Người lập biểu", None, "Bí thư chi bộ"])
    ws.append([])
    ws.append([None, None, None, None, None, None, "Lê Thị Lập", None, "Phạm Văn Dũng"])
    wb.save(path)
    return path


def test_a_flat_member_list_with_other_words(tmp_path, grassroots):
    report = import_cadres(member_list(tmp_path / "ds.xlsx"), unit=grassroots)
    assert report.ok, report.errors
    assert report.created == 3 and report.header_rows == [4]
    dung = Cadre.objects.get(full_name="Phạm Văn Dũng")
    assert (dung.sex, dung.birth_date, dung.citizen_id) == (
        Sex.MALE,
        date(1985, 4, 3),
        "001085012345",
    )
    assert (dung.hometown, dung.political_theory) == ("Xã Đông", PoliticalTheory.TRUNG_CAP)
    assert (dung.party_entry_date, dung.party_confirmed_date) == (
        date(2010, 4, 3),
        date(2011, 4, 3),
    )
    em = Cadre.objects.get(full_name="PHẠM THỊ EM")  # as typed
    assert (em.sex, em.birth_date, em.citizen_id) == (Sex.FEMALE, date(1990, 12, 1), "001190012345")
    assert (em.political_theory, em.party_confirmed_date) == (
        PoliticalTheory.SO_CAP,
        date(2016, 1, 2),
    )
    phuc = Cadre.objects.get(full_name="Đỗ Văn Phúc")
    assert (phuc.birth_date, phuc.citizen_id) == (date(1970, 9, 7), "034070001234")
    assert (phuc.political_theory, phuc.education) == (PoliticalTheory.CU_NHAN, "Cử nhân Chính trị")
    assert (phuc.party_entry_date, phuc.party_confirmed_date) == (
        date(1995, 9, 7),
        date(1996, 9, 7),
    )
    assert set(Cadre.objects.values_list("unit", flat=True)) == {grassroots.pk}
    assert any("như phần ký tên" in w for w in report.warnings)


def test_level_words_in_any_form(tmp_path, grassroots):
    words = {"cao cấp": "cao_cap", "CC": "cao_cap", "Cao cấp LLCT": "cao_cap",
             "Cao cấp lý luận chính trị": "cao_cap", "cử nhân chính trị": "cu_nhan",
             "tc": "trung_cap", "Sơ Cấp": "so_cap", "chưa có": ""}  # fmt: skip
    wb = Workbook()
    wb.active.append(["Họ và tên", "Ngày sinh", "Giới tính", "Trình độ LLCT"])
    for i, word in enumerate(words):
        wb.active.append([f"Người Số {i}", "01/01/1980", "Nam", word])
    wb.save(tmp_path / "l.xlsx")
    report = import_cadres(tmp_path / "l.xlsx", unit=grassroots)
    assert report.ok, report.errors
    got = dict(Cadre.objects.values_list("full_name", "political_theory"))
    assert [got[f"Người Số {i}"] for i in range(len(words))] == list(words.values())


def test_a_known_person_is_matched_by_name_and_birth_date_and_shown_first(
    tmp_path, commune, grassroots, cadre_factory
):
    known = cadre_factory(full_name="Lê Văn Cường", birth_date=date(1979, 10, 20),
                          unit=grassroots, sex="male", hometown="")  # fmt: skip
    path = trich_ngang(tmp_path / "tn.xlsx")
    check = import_cadres(path, unit=commune, dry_run=True)
    assert check.ok, check.errors
    assert (check.created, check.updated) == (3, 1)
    (match,) = check.matches
    assert match["row"] == 13 and match["by"] == "họ tên và ngày sinh" and match["unit"] == "CS01"
    assert ["Quê quán", "", "Xã Tây"] in match["changes"]
    assert Cadre.objects.count() == 1  # a dry run writes nothing

    report = import_cadres(path, unit=commune)
    assert report.ok and (report.created, report.updated) == (3, 1)
    known.refresh_from_db()
    assert known.hometown == "Xã Tây"
    assert known.unit == grassroots  # already under the chosen unit: stays in its cell
    assert Cadre.objects.count() == 4
    audit = AuditLog.objects.get(action="cadre.import_update", object_id=str(known.pk))
    assert audit.before["hometown"] == "" and audit.after["hometown"] == "Xã Tây"


def test_command_prints_the_mapping_and_takes_a_preset(tmp_path, commune):
    path = trich_ngang(tmp_path / "tn.xlsx")
    out, err = StringIO(), StringIO()
    call_command("import_cadres", str(path), "--unit", "X01", "--dry-run", stdout=out, stderr=err)
    assert "Chạy thử" in out.getvalue()
    text = err.getvalue()
    assert "Cột C “Ngày, tháng, năm sinh › Nam” → Ngày sinh (cột Nam)" in text
    assert "Cột P “Ghi chú” → bỏ qua" in text
    # A preset read "Ghi chú" as the religion (a silly choice, but the user's).
    ImportPreset.objects.create(
        name="Trích ngang xã", kind="cadres", columns={"ghi chu": "religion", "ton giao": ""}
    )
    err = StringIO()
    call_command("import_cadres", str(path), "--unit", "X01", "--mapping", "Trích ngang xã",
                 stdout=StringIO(), stderr=err)  # fmt: skip
    assert "Cột P “Ghi chú” → Tôn giáo" in err.getvalue()
    assert set(Cadre.objects.values_list("religion", flat=True)) == {""}


def test_command_without_unit_for_a_file_without_unit_column(tmp_path, commune):
    with pytest.raises(CommandError) as exc:
        call_command("import_cadres", str(trich_ngang(tmp_path / "tn.xlsx")),
                     stdout=StringIO(), stderr=StringIO())  # fmt: skip
    assert exc.value.returncode == 1
    with pytest.raises(CommandError, match="Không có mẫu cột “Không có”"):
        call_command("import_cadres", str(tmp_path / "tn.xlsx"), "--unit", "X01",
                     "--mapping", "Không có", stdout=StringIO(), stderr=StringIO())  # fmt: skip
