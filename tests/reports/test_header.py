"""The issuer lines by kind of issuer (DOCUMENTS.md §2), the number and date formats."""

from datetime import date

import pytest

from congress.reports.header import (
    cite,
    congress_body_issuer,
    congress_issuer,
    date_line,
    number_text,
    printable,
    roman,
    unit_issuer,
)

pytestmark = pytest.mark.django_db


def test_a_congress_issues_under_its_party_organisation(scene):
    scene.congress.ordinal = 18
    issuer = congress_issuer(scene.congress)
    assert issuer.above == []
    assert issuer.lines == ["ĐẢNG BỘ XÃ AN BÌNH", "ĐẠI HỘI ĐẠI BIỂU LẦN THỨ XVIII"]
    assert issuer.code == "ĐH"
    board = congress_body_issuer(scene.congress)
    assert board.above == ["ĐẠI HỘI ĐẠI BIỂU ĐẢNG BỘ XÃ AN BÌNH LẦN THỨ XVIII"]
    assert board.lines == ["BAN KIỂM PHIẾU"] and board.code == "BKP"
    # When the ordinal is unknown, the term names the congress.
    scene.congress.ordinal = None
    assert congress_issuer(scene.congress).lines[1] == "ĐẠI HỘI ĐẠI BIỂU NHIỆM KỲ 2025 - 2030"


def test_every_unit_kind_issues_under_its_superior(scene):
    assert (unit_issuer(scene.province).above, unit_issuer(scene.province).lines) == (
        [],
        ["TỈNH ỦY THỬ NGHIỆM"],
    )
    assert unit_issuer(scene.commune).above == ["ĐẢNG BỘ TỈNH THỬ NGHIỆM"]
    assert unit_issuer(scene.commune).lines == ["ĐẢNG ỦY XÃ AN BÌNH"]
    assert unit_issuer(scene.grassroots).above == ["ĐẢNG BỘ PHƯỜNG ĐÔNG HẢI"]
    assert unit_issuer(scene.cell).lines == ["CHI BỘ TỔ 1"]
    # A cell with a chi ủy still issues as the cell.
    scene.cell.committee_name = "Chi ủy Chi bộ Tổ 1"
    assert unit_issuer(scene.cell).lines == ["CHI BỘ TỔ 1"]
    assert unit_issuer(scene.cell).place == "Đông Hải"  # its nearest named place


def test_numbers_dates_and_citations_as_hd36_writes_them():
    assert number_text(12, "structure-summary", "TU") == "Số 12-BC/TU"
    assert number_text(3, "nominee-list", "ĐU") == "Số 03-DS/ĐU"
    assert number_text(None, "personnel-plan", "TU").replace("\u00a0", " ") == "Số      -ĐA/TU"
    assert date_line("An Hòa", date(2026, 2, 5)) == "An Hòa, ngày 05 tháng 02 năm 2026"
    assert date_line("An Hòa", date(2026, 11, 15)) == "An Hòa, ngày 15 tháng 11 năm 2026"
    assert roman(18) == "XVIII" and roman(4) == "IV"
    assert (
        cite("Chỉ thị 45-CT/TW ngày 14/4/2025 của Bộ Chính trị")
        == "Chỉ thị số 45-CT/TW, ngày 14/4/2025 của Bộ Chính trị"
    )
    assert (
        cite("Quy định 377-QĐ/TW ngày 8/10/2025 (thay Quy định 50-QĐ/TW ngày 27/12/2021)")
        == "Quy định số 377-QĐ/TW, ngày 8/10/2025"
    )


def test_printable_drops_internal_words_and_names_units():
    text = printable(
        "Nguyễn Văn A (12) đã giữ chức Bí thư tại đơn vị X001.CS01 liên tục (tài liệu mẫu 002, "
        "điểm 5) (chưa xác nhận).",
        {"X001.CS01": "Đảng bộ Công an phường Yên Tiến"},
    )
    assert text == ("Nguyễn Văn A đã giữ chức Bí thư tại Đảng bộ Công an phường Yên Tiến liên tục.")
