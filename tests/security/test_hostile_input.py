"""Bad input never costs a 500 (issue 13): an impossible date, a number past PostgreSQL's
`integer`, digits that are not ASCII, a text longer than its column, a body too large, a NUL
character. Each is posted to the real URL by a user allowed to write there; the answer is
422 (413 for the body) with a Vietnamese message naming the field, and nothing is written.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from congress.models import FindingJustification, NominationRound, Nominee, NomineeList
from personnel.inputs import TEXT_MAX, date_from, id_from, int_from, text_from
from personnel.models import AuditLog, Cadre
from personnel.names import sort_key
from planning.models import PlanningEntry, PlanningList, PlanningReview
from tests.factories import UnitFactory
from tests.security.test_permission_matrix import _objects
from tests.security.test_write_scope_matrix import _a_finding, _family_conflict
from vetting.models import VettingCase, VettingItem

BAD_DATES = ["31/02/2025", "2025-02-31", "99/99/9999", "29/02/2023", "01/01/0000", "1/1/99999"]
TOO_LONG = "x" * (TEXT_MAX + 1)


@pytest.fixture
def world(province, commune, make_user):
    """A secretary, board staff and a vetting officer of the commune; one of everything on
    the commune ("own") and on a grassroots unit below it (which the board reviews)."""
    secretary = make_user("secretary", commune)
    board = make_user("board_staff", commune)
    officer = make_user("vetting_officer", commune)
    get_user_model().objects.create_superuser("goc_ma_tran", password="x")
    below = UnitFactory(code="CS09", name="Chi bộ Thôn Tây", level="grassroots", parent=commune)
    return {
        "secretary": secretary,
        "board": board,
        "officer": officer,
        "own": _objects(commune, secretary, "own"),
        "below": _objects(below, board, "below"),
    }


def _refused(resp, *words: str) -> str:
    assert resp.status_code == 422, resp.status_code
    body = resp.content.decode()
    for word in words:
        assert word in body, f"{word!r} is not in the answer"
    return body


def _audit() -> int:
    return AuditLog.objects.count()


# --- the shared reader ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw", BAD_DATES + ["٠١/٠٣/٢٠٢٥", "１/３/２０２５", "hôm qua", "01/13/2025"]
)
def test_date_reader_refuses_impossible_dates_naming_the_field(raw):
    with pytest.raises(ValidationError) as exc:
        date_from(raw, label="Ngày họp")
    assert exc.value.messages[0].startswith("Ngày họp")


def test_date_reader_reads_what_users_type():
    assert date_from("5/3/2025", label="Ngày") == date(2025, 3, 5)
    assert date_from("2025-03-05", label="Ngày") == date(2025, 3, 5)
    assert date_from("  ", label="Ngày", required=False) is None


@pytest.mark.parametrize("raw", ["99999999999", "-1", "١٢٣", "１２", "²", "1e3", "12.0", "0x10"])
def test_int_reader_refuses_what_a_column_cannot_hold(raw):
    with pytest.raises(ValidationError) as exc:
        int_from(raw, label="Số người được triệu tập")
    assert "Số người được triệu tập phải là số nguyên từ 0 đến" in exc.value.messages[0]


def test_id_reader_takes_ascii_digits_within_bigint_only():
    assert id_from("42") == 42
    for raw in ("١٢", "²", "１", "-1", "0", "9" * 20, "", None, "4 2"):
        assert id_from(raw) is None


def test_text_reader_names_the_field_and_the_limit():
    with pytest.raises(ValidationError) as exc:
        text_from("x" * 11, label="Ghi chú", max_length=10)
    assert exc.value.messages[0] == "Ghi chú dài 11 ký tự, vượt quá giới hạn 10 ký tự."


def test_sort_key_survives_superscript_digits():
    assert sort_key("Nguyễn Văn ²") == sort_key("Nguyễn Văn ²")


# --- nomination rounds and their minutes -------------------------------------------------


def _round(o, **changes):
    body = {
        "step": 2,
        "held_on": "02/05/2025",
        "summoned": 20,
        f"votes_{o['cadre'].pk}": 12,
    }
    body.update(changes)
    return body


@pytest.mark.django_db
@pytest.mark.parametrize("held_on", BAD_DATES)
def test_round_with_an_impossible_date_is_refused(client, world, held_on):
    o = world["own"]
    client.force_login(world["secretary"])
    before = _audit()
    resp = client.post(
        reverse("lists:round_record", args=[o["list"].pk]), _round(o, held_on=held_on)
    )
    _refused(resp, "Ngày họp")
    assert NominationRound.objects.filter(nominee_list=o["list"]).count() == 1
    assert _audit() == before


@pytest.mark.django_db
@pytest.mark.parametrize("summoned", ["99999999999", "2147483648", "١٢", "１２", "-5", "²"])
def test_round_with_a_count_past_the_column_or_foreign_digits_is_refused(client, world, summoned):
    o = world["own"]
    client.force_login(world["secretary"])
    resp = client.post(
        reverse("lists:round_record", args=[o["list"].pk]), _round(o, summoned=summoned)
    )
    _refused(resp, "Số người được triệu tập phải là số nguyên từ 0 đến 2147483647")
    assert NominationRound.objects.filter(nominee_list=o["list"]).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("present", "١٨", "Số người có mặt phải là số nguyên"),
        ("ballots_issued", "99999999999", "Số phiếu phát ra phải là số nguyên"),
        ("place", "x" * 256, "Địa điểm dài 256 ký tự"),
        ("counting_board", "y" * 300, "Tên thành viên ban kiểm phiếu dài 300 ký tự"),
        ("counting_started", "١٤:٣٠", "Giờ bắt đầu kiểm phiếu"),
    ],
)
def test_minutes_with_bad_values_are_refused(client, world, field, value, words):
    o = world["own"]
    client.force_login(world["secretary"])
    before = _audit()
    resp = client.post(reverse("lists:round_minutes", args=[o["list"].pk, 1]), {field: value})
    _refused(resp, words)
    rnd = NominationRound.objects.get(nominee_list=o["list"], step=1)
    assert rnd.present == 18 and rnd.ballots_issued is None and rnd.place == ""
    assert _audit() == before


# --- the nominee list: texts, the exception's date, ids ---------------------------------


@pytest.mark.django_db
def test_overlong_justification_is_refused(client, world):
    o = world["own"]
    client.force_login(world["secretary"])
    body = {**_a_finding(o), "text": TOO_LONG}
    resp = client.post(reverse("lists:justify", args=[o["list"].pk]), body)
    _refused(resp, f"Giải trình dài {TEXT_MAX + 1} ký tự, vượt quá giới hạn {TEXT_MAX}")
    assert not FindingJustification.objects.filter(nominee_list=o["list"]).exists()


@pytest.mark.django_db
def test_overlong_note_is_refused(client, world):
    o = world["own"]
    client.force_login(world["secretary"])
    before = _audit()
    resp = client.post(
        reverse("lists:update", args=[o["nominee"].pk]), {"posts": ["member"], "notes": TOO_LONG}
    )
    _refused(resp, "Ghi chú dài")
    assert Nominee.objects.get(pk=o["nominee"].pk).notes == ""
    assert _audit() == before


@pytest.mark.django_db
def test_overlong_return_remark_is_refused(client, world):
    o = world["below"]
    NomineeList.objects.filter(pk=o["list"].pk).update(state="submitted")
    client.force_login(world["board"])
    resp = client.post(reverse("lists:return", args=[o["list"].pk]), {"remark": TOO_LONG})
    _refused(resp, "Ý kiến dài")
    assert NomineeList.objects.get(pk=o["list"].pk).state == "submitted"


@pytest.mark.django_db
@pytest.mark.parametrize("raw", ["31/02/2025", "2025-02-31", "01/01/0000"])
def test_exception_with_an_impossible_date_is_refused(client, world, raw):
    o = world["below"]
    body = {**_family_conflict(o), "approval_date": raw}
    client.force_login(world["board"])
    resp = client.post(reverse("lists:exception", args=[o["list"].pk]), body)
    _refused(resp, "Ngày văn bản phê duyệt không hợp lệ")
    assert not FindingJustification.objects.filter(approval_document="15-CV/TU").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("raw", ["²", "١", "99999999999999999999999"])
def test_add_with_a_foreign_digit_id_is_refused(client, world, raw):
    o = world["own"]
    client.force_login(world["secretary"])
    resp = client.post(reverse("lists:add", args=[o["list"].pk]), {"cadre": raw})
    _refused(resp, "Cần chọn cán bộ để thêm.")
    assert Nominee.objects.filter(nominee_list=o["list"]).count() == 1


# --- ids in queries ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("raw", ["²", "١", "１"])
def test_case_open_with_a_foreign_digit_cadre_is_404(client, world, raw):
    client.force_login(world["officer"])
    resp = client.get(reverse("vetting:case_open"), {"cadre": raw})
    assert resp.status_code == 404


@pytest.mark.django_db
def test_report_with_a_foreign_digit_cadre_or_round_never_fails(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(world["board"])
    resp = client.post(reverse("reports:create"), {"kind": "resume", "cadre_id": "²"})
    _refused(resp, "Sơ yếu lý lịch: cần gõ mã cán bộ")
    resp = client.post(reverse("reports:create"), {"kind": "ballot-minutes", "round": "²"})
    _refused(resp, "cần chọn bước giới thiệu")


@pytest.mark.django_db
def test_dashboard_with_a_foreign_digit_congress_is_served(client, world):
    client.force_login(world["board"])
    assert client.get(reverse("dashboard"), {"dai-hoi": "²"}).status_code == 200


# --- planning -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("raw", ["31/02/2025", "2025-02-31", "01/01/0000"])
def test_planning_approval_with_an_impossible_date_is_refused(client, world, raw):
    o = world["below"]
    PlanningList.objects.filter(pk=o["plan"].pk).update(state="submitted")
    client.force_login(world["board"])
    resp = client.post(
        reverse("planning:approve", args=[o["plan"].pk]),
        {"decision_number": "12-QĐ/TU", "decision_date": raw},
    )
    _refused(resp, "Ngày quyết định không hợp lệ")
    assert PlanningList.objects.get(pk=o["plan"].pk).state == "submitted"


@pytest.mark.django_db
@pytest.mark.parametrize("year", ["２０２５", "٢٠٢٥", "99999999999"])
def test_planning_review_with_a_foreign_digit_year_is_refused(client, world, year):
    o = world["own"]
    client.force_login(world["secretary"])
    resp = client.post(
        reverse("planning:review_record", args=[o["plan"].pk]),
        {"year": year, "decided_on": "01/03/2025", "decision_number": "5-QĐ"},
    )
    _refused(resp, "Năm rà soát phải là số nguyên từ 2000 đến 2100")
    assert not PlanningReview.objects.exists()


@pytest.mark.django_db
def test_planning_removal_with_an_impossible_date_or_long_note_is_refused(client, world):
    o = world["own"]
    client.force_login(world["secretary"])
    url = reverse("planning:entry_remove", args=[o["plan"].pk, o["entry"].pk])
    resp = client.post(url, {"reason": "other", "on": "31/02/2025", "note": "x"})
    _refused(resp, "Ngày đưa ra không hợp lệ")
    resp = client.post(url, {"reason": "other", "on": "01/03/2025", "note": TOO_LONG})
    _refused(resp, "Ghi chú dài")
    assert PlanningEntry.objects.get(pk=o["entry"].pk).removed_at is None


@pytest.mark.django_db
def test_planning_entry_with_an_impossible_date_is_refused(client, world):
    o = world["own"]
    client.force_login(world["secretary"])
    cadre = Cadre.objects.create(
        unit=o["unit"], full_name="Người Mới", sex="female", birth_date=date(1985, 1, 1)
    )
    resp = client.post(
        reverse("planning:entry_add", args=[o["plan"].pk]),
        {"cadre": cadre.pk, "post": o["entry"].post_id, "since": "31/02/2025"},
    )
    _refused(resp, "Quy hoạch từ ngày không hợp lệ")
    assert not PlanningEntry.objects.filter(cadre=cadre).exists()


# --- vetting ---------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("raw", ["31/02/2025", "2025-02-31", "٠١/٠٣/٢٠٢٥"])
def test_conclusion_with_an_impossible_date_is_refused(client, world, raw):
    o = world["own"]
    client.force_login(world["officer"])
    resp = client.post(
        reverse("vetting:case_conclude", args=[o["case"].pk]),
        {
            "conclusion": "eligible",
            "concluded_on": raw,
            "concluding_body": "Ban Thường vụ",
            "document_number": "1-KL/TU",
        },
    )
    _refused(resp, "Ngày kết luận")
    assert VettingCase.objects.get(pk=o["case"].pk).concluded_on is None


@pytest.mark.django_db
def test_overlong_vetting_finding_is_refused(client, world):
    o = world["own"]
    client.force_login(world["officer"])
    resp = client.post(
        reverse("vetting:item_record", args=[o["case"].pk]),
        {"kind": "political_history", "finding": "x" * 20001},
    )
    _refused(resp, "Kết quả thẩm tra dài 20001 ký tự")
    assert not VettingItem.objects.exists()


# --- archive, NUL, the body's size -----------------------------------------------------------


@pytest.mark.django_db
def test_overlong_archive_reason_is_refused_not_cut(client, world):
    o = world["own"]
    client.force_login(world["board"])
    before = _audit()
    resp = client.post(
        reverse("personnel:cadre_archive", args=[o["cadre"].pk]), {"reason": "x" * 300}
    )
    _refused(resp, "Lý do lưu trữ dài 300 ký tự")
    assert not Cadre.objects.get(pk=o["cadre"].pk).is_archived
    assert _audit() == before


@pytest.mark.django_db
def test_nul_character_is_refused(client, world):
    o = world["own"]
    client.force_login(world["secretary"])
    resp = client.post(
        reverse("lists:justify", args=[o["list"].pk]), {**_a_finding(o), "text": "a\x00b"}
    )
    _refused(resp, "ký tự không hợp lệ")
    assert not FindingJustification.objects.exists()
    assert client.get(reverse("personnel:cadre_list"), {"q": "\x00"}).status_code == 422


@pytest.mark.django_db
def test_body_past_the_limit_is_refused_with_413_in_vietnamese(client, world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    o = world["own"]
    client.force_login(world["secretary"])
    resp = client.post(
        reverse("lists:justify", args=[o["list"].pk]),
        "text=" + "x" * 20_000,
        content_type="application/x-www-form-urlencoded",
    )
    assert resp.status_code == 413
    assert "vượt quá giới hạn" in resp.content.decode()
    assert not FindingJustification.objects.exists()
