"""The résumé (2C) fields in the cadre import and export: optional columns a board's sheet
may carry, read with the same care as the others, exported under the same headers so the
file re-imports; files without them import as before."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook

from personnel.exporters import export_cadres
from personnel.imports import import_cadres
from personnel.models import AuditLog, Cadre, PoliticalTheory

pytestmark = pytest.mark.django_db

DOSSIER = {
    "other_names": "Tư Sáng",
    "birth_place": "Bệnh viện đa khoa tỉnh An Hòa",
    "permanent_address": "Thôn Đông, xã An Bình, tỉnh An Hòa",
    "current_address": "Số 5 đường Lê Lợi, phường Yên Tiến, tỉnh An Hòa",
    "recruitment_occupation": "Giáo viên",
    "recruited_on": date(2003, 9, 1),
    "recruiting_body": "Ủy ban nhân dân xã An Bình",
    "main_duties": "Theo dõi, phụ trách lĩnh vực văn hóa - xã hội",
    "salary_grade": "Chuyên viên chính (01.002)",
    "salary_step": 5,
    "salary_coefficient": Decimal("5.76"),
    "general_education": "12/12",
    "academic_title": "Thạc sĩ",
    "mass_org_joined": "26/03/1996, Đoàn Thanh niên Cộng sản Hồ Chí Minh",
    "enlisted_on": date(1998, 2, 10),
    "discharged_on": date(2000, 2, 10),
    "military_rank": "Thượng sĩ",
    "highest_honour": "Nhà giáo ưu tú",
    "strengths": "Công tác dân vận",
    "health": "Tốt",
    "personal_history": "Lịch sử bản thân rõ ràng.\nKhông bị bắt, bị tù.",
}
FIELDS = [
    "code", "full_name", "birth_date", "sex", "ethnicity", "religion", "citizen_id",
    "hometown", "is_local", "party_entry_date", "party_confirmed_date", "education",
    "political_theory", "state_management", "foreign_language", "it_skill", "post_text",
    "unit_id", *DOSSIER,
]  # fmt: skip
# The headers of the cadre template before the 2C columns were added.
OLD_HEADERS = [
    "Mã cán bộ", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Tôn giáo", "Số CCCD",
    "Quê quán", "Người địa phương", "Chức vụ hiện nay", "Ngày vào Đảng", "Ngày chính thức",
    "Trình độ chuyên môn", "Lý luận chính trị", "Quản lý nhà nước", "Ngoại ngữ", "Tin học",
    "Mã đơn vị",
]  # fmt: skip


@pytest.fixture(autouse=True)
def registry_hook(monkeypatch):
    """Record registry_changed calls instead of running the structure recompute."""
    from personnel import services

    calls = []
    monkeypatch.setattr(services, "registry_changed", lambda unit_ids: calls.append(list(unit_ids)))
    return calls


@pytest.fixture
def full(commune, cadre_factory):
    """A cadre whose every 2C field is filled."""
    return cadre_factory(
        code="CB1",
        full_name="Nguyễn Văn An",
        birth_date=date(1978, 5, 14),
        unit=commune,
        citizen_id="001078012345",
        party_entry_date=date(2005, 2, 3),
        party_confirmed_date=date(2006, 2, 3),
        political_theory=PoliticalTheory.CAO_CAP,
        religion="Phật giáo",
        **DOSSIER,
    )


def xlsx(rows) -> BytesIO:
    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    buf = BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


def exported(queryset) -> BytesIO:
    buf = BytesIO()
    export_cadres(queryset, buf)
    buf.seek(0)
    return buf


def values(**where):
    return list(Cadre.objects.filter(**where).order_by("code").values_list(*FIELDS))


def test_the_export_carries_every_2c_field_under_its_header(full):
    ws = load_workbook(exported(Cadre.objects.all())).active
    header, row = (list(r) for r in ws.iter_rows(max_row=2, values_only=True))
    cells = dict(zip(header, row, strict=True))
    assert cells["Tên gọi khác"] == "Tư Sáng"
    assert cells["Ngày tuyển dụng"].date() == date(2003, 9, 1)
    assert cells["Bậc lương"] == 5  # numbers stay numbers
    assert cells["Hệ số lương"] == 5.76
    assert ws.cell(row=2, column=header.index("Hệ số lương") + 1).number_format == "0.00"
    assert cells["Giáo dục phổ thông"] == "12/12"  # text, never a date
    assert cells["Đặc điểm lịch sử bản thân"] == DOSSIER["personal_history"]


def test_round_trip_into_an_empty_registry_restores_every_field(full):
    before = values()
    buf = exported(Cadre.objects.all())
    # Cadres are never deleted: the stored one loses its keys, so that to the import the
    # file's person is new, as in a fresh registry, and is created from the file alone.
    Cadre.objects.filter(pk=full.pk).update(code="CU", citizen_id=None)
    report = import_cadres(buf)
    assert report.ok, report.errors
    assert report.warnings == []
    assert (report.created, report.updated) == (1, 0)
    assert values(code="CB1") == before
    created = AuditLog.objects.get(action="cadre.import_create").after
    assert created["salary_coefficient"] in ("5.76", 5.76) and created["salary_step"] == 5


def test_round_trip_as_an_update_puts_back_every_field(full):
    before = values()
    buf = exported(Cadre.objects.all())
    Cadre.objects.filter(pk=full.pk).update(
        **{f: None if f in ("recruited_on", "enlisted_on", "discharged_on", "salary_step",
                            "salary_coefficient") else "" for f in DOSSIER}
    )  # fmt: skip
    report = import_cadres(buf)
    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    assert values() == before
    after = AuditLog.objects.get(action="cadre.import_update").after
    assert after["salary_coefficient"] == "5.76" and after["recruited_on"] == "2003-09-01"


def test_the_trich_ngang_carries_the_schooling_and_academic_title_and_re_imports(full, commune):
    """DOCUMENTS.md §5: under "Trình độ", giáo dục phổ thông and học hàm, học vị too."""
    buf = BytesIO()
    export_cadres(Cadre.objects.all(), buf, layout="trich-ngang", unit=commune)
    ws = load_workbook(BytesIO(buf.getvalue())).active
    subs = [c.value for c in ws[9]]
    assert subs.index("Giáo dục phổ thông") < subs.index("Chuyên môn")
    assert subs.index("Học hàm, học vị") < subs.index("Lý luận chính trị")
    assert "12/12" in [c.value for c in ws[11]]  # a text, not a date
    Cadre.objects.filter(pk=full.pk).update(general_education="", academic_title="")
    buf.seek(0)
    report = import_cadres(buf, unit=commune)
    assert report.ok, report.errors
    full.refresh_from_db()
    assert (full.general_education, full.academic_title) == ("12/12", "Thạc sĩ")


def test_unchanged_2c_fields_re_import_as_unchanged(full):
    report = import_cadres(exported(Cadre.objects.all()))
    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)


def test_an_old_file_without_the_new_columns_imports_and_keeps_the_dossier(full, commune):
    before = values()
    rows = [
        OLD_HEADERS,
        ["CB1", "Nguyễn Văn An", "14/05/1978", "Nam", "Kinh", "Phật giáo", "001078012345",
         "Xã An Bình", "Có", "", "03/02/2005", "03/02/2006", "Cử nhân Luật", "Cao cấp", "", "",
         "", "X01"],
        ["", "Trần Thị Bình", "02/03/1985", "Nữ", "Kinh", "", "", "Xã An Bình", "Không", "",
         "", "", "", "", "", "", "", "X01"],
    ]  # fmt: skip
    report = import_cadres(xlsx(rows))
    assert report.ok, report.errors
    assert report.warnings == []
    assert (report.created, report.updated) == (1, 1)
    kept = dict(zip(FIELDS, values(pk=full.pk)[0], strict=True))
    # The file set the things it has; every 2C field it does not have stays as it was.
    assert kept["education"] == "Cử nhân Luật" and kept["is_local"] is True
    assert {f: kept[f] for f in DOSSIER} == {
        f: v for f, v in zip(FIELDS, before[0], strict=True) if f in DOSSIER
    }
    new = Cadre.objects.get(full_name="Trần Thị Bình")
    assert (new.birth_place, new.salary_step, new.salary_coefficient, new.recruited_on) == (
        "",
        None,
        None,
        None,
    )


def test_a_2c_sheet_with_a_boards_own_words_is_read(commune):
    """Other headers boards write, a salary group over its parts, a decimal comma, the
    grade Excel turned into a date, a history over several lines."""
    wb = Workbook()
    ws = wb.active
    ws.append(["Họ và tên", "Ngày sinh", "Giới tính", "Hộ khẩu thường trú", "Chỗ ở hiện nay",
               "Trình độ văn hóa", "Lương", None, None, "Sức khoẻ", "Ngày được tuyển dụng",
               "Lịch sử bản thân"])  # fmt: skip
    ws.append([None, None, None, None, None, None, "Ngạch", "Bậc", "Hệ số", None, None, None])
    ws.merge_cells("G1:I1")
    ws.append(["Lê Văn Cường", "01/02/1980", "Nam", "Thôn Đông", "Thôn Tây",
               date(2026, 12, 12), "Chuyên viên", "3", "3,33", "Tốt", "15/08/2004",
               "Dòng một\r\n  Dòng   hai  \n"])  # fmt: skip
    buf = BytesIO()
    wb.save(buf)
    buf.seek(0)
    report = import_cadres(buf, unit=commune)
    assert report.ok, report.errors
    c = Cadre.objects.get()
    assert (c.permanent_address, c.current_address, c.health) == ("Thôn Đông", "Thôn Tây", "Tốt")
    assert c.general_education == "12/12"
    assert (c.salary_grade, c.salary_step, c.salary_coefficient) == (
        "Chuyên viên",
        3,
        Decimal("3.33"),
    )
    assert c.recruited_on == date(2004, 8, 15)
    assert c.personal_history == "Dòng một\nDòng hai"


@pytest.mark.parametrize(
    ("header", "value", "message"),
    [
        ("Ngày tuyển dụng", "31/02/2020", "Dòng 3, cột Ngày tuyển dụng: ngày “31/02/2020” không tồn tại."),
        ("Bậc lương", "abc", "Dòng 3, cột Bậc lương: “abc” không phải số nguyên dương."),
        ("Bậc lương", "2,5", "Dòng 3, cột Bậc lương: “2,5” không phải số nguyên dương."),
        ("Hệ số lương", "4,988", "Dòng 3, cột Hệ số lương: “4,988” có quá 2 chữ số thập phân."),
        ("Hệ số lương", "bốn", "Dòng 3, cột Hệ số lương: “bốn” không phải số (ghi dạng 4,98 hoặc 4.98)."),
        ("Hệ số lương", "25", "Dòng 3, cột Hệ số lương: 25,00 không hợp lệ (phải lớn hơn 0 và nhỏ hơn 20)."),
        ("Ngày xuất ngũ", "01/01/1997", "Dòng 3, cột Ngày xuất ngũ: 01/01/1997 trước ngày nhập ngũ (10/02/1998)."),
        ("Ngày tuyển dụng", "01/01/1970", "Dòng 3, cột Ngày tuyển dụng: 01/01/1970 trước ngày sinh (14/05/1978)."),
        ("Nơi sinh", "x" * 256, "Dòng 3, cột Nơi sinh: dài quá 255 ký tự."),
    ],
)  # fmt: skip
def test_a_bad_value_in_a_2c_column_refuses_the_file_naming_row_and_column(
    full, commune, header, value, message
):
    """The bad value is on the second person's row; the first row (an update of `full`)
    and the second (a new person) are both left unwritten."""
    before = values()
    headers = ["Mã cán bộ", "Họ và tên", "Ngày sinh", "Giới tính", "Nơi sinh", "Ngày tuyển dụng",
               "Bậc lương", "Hệ số lương", "Ngày nhập ngũ", "Ngày xuất ngũ"]  # fmt: skip
    good = ["CB1", "Nguyễn Văn An", "14/05/1978", "Nam", "Nơi khác", "01/10/2003", "6", "6,1",
            "", ""]  # fmt: skip
    bad = dict(zip(headers, ["CB2", "Phạm Văn Dũng", "14/05/1978", "Nam", "", "", "", "",
                             "10/02/1998", ""], strict=True))  # fmt: skip
    bad[header] = value
    report = import_cadres(xlsx([headers, good, list(bad.values())]), unit=commune)
    assert not report.ok
    assert message in report.errors, report.errors
    assert values() == before
    assert Cadre.objects.count() == 1
    assert not AuditLog.objects.filter(action__startswith="cadre.import").exists()
