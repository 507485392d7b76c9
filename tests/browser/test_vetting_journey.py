"""Issue 15, case 1: vetting end to end, as the vetting officer of the seeded demo province."""

import re

import pytest
from playwright.sync_api import expect

from congress.models import NomineeList
from congress.services import lists as svc
from personnel.models import PartyUnit
from tests.browser.conftest import DEMO_PASSWORD
from tests.factories import CadreFactory
from vetting.models import Conclusion, VettingCase

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What the officer must never be told about his own pages.
NOT_FOR_HIM = "chỉ cán bộ bảo vệ chính trị nội bộ được xem"


def test_officer_finds_records_and_concludes_a_seeded_case(
    page, live_server, login, demo, shot, accessible
):
    case = (
        VettingCase.objects.filter(conclusion=Conclusion.PENDING, term__isnull=False)
        .select_related("cadre__unit")
        .order_by("pk")
        .first()
    )
    cadre = case.cadre
    login("bvct", DEMO_PASSWORD)
    # Home: the cases without a conclusion, one click away.
    page.get_by_role("link", name=re.compile("hồ sơ chưa có kết luận")).click()
    expect(page.get_by_role("heading", name="Hồ sơ thẩm tra chính trị")).to_be_visible()
    expect(page.locator("main")).to_contain_text(cadre.full_name)
    # Search by name without accents, narrowed to the cadre's unit and to open cases.
    from personnel.names import search_key

    page.get_by_label("Họ tên hoặc mã cán bộ").fill(search_key(cadre.full_name))
    page.get_by_label("Đơn vị (tên hoặc mã)").fill(cadre.unit.code)
    page.get_by_label("Trạng thái").select_option("pending")
    page.get_by_role("button", name="Tìm").click()
    rows = page.locator("main table tbody tr")
    expect(rows.first).to_contain_text(cadre.full_name)
    accessible("danh sách hồ sơ thẩm tra đã lọc")
    shot("vetting_case_search")

    page.get_by_role("link", name=cadre.full_name).first.click()
    expect(
        page.get_by_role("heading", name=f"Thẩm tra chính trị: {cadre.full_name}")
    ).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(NOT_FOR_HIM)
    accessible("hồ sơ thẩm tra")

    # Record one item of the case.
    page.get_by_role("link", name=re.compile("(Ghi|Sửa) nội dung: Lịch sử chính trị")).click()
    page.get_by_label("Kết quả thẩm tra").fill(
        "Đã xác minh lý lịch ba đời tại địa phương, không có vấn đề."
    )
    accessible("ghi nội dung thẩm tra")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã ghi nội dung thẩm tra.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("không có vấn đề")

    # Conclude it.
    page.get_by_role("link", name="Ghi kết luận").click()
    page.get_by_label("Kết luận", exact=True).select_option("eligible")
    page.get_by_label("Ngày kết luận (dd/mm/yyyy)").fill("15/11/2026")
    page.get_by_label("Cơ quan kết luận").fill("Ban Thường vụ Tỉnh ủy")
    page.get_by_label("Số văn bản kết luận").fill("125-KL/TU")
    accessible("kết luận thẩm tra")
    page.get_by_role("button", name="Lưu kết luận").click()
    expect(page.get_by_text("Đã ghi kết luận thẩm tra.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Đủ tiêu chuẩn chính trị")
    expect(page.locator("main")).to_contain_text("15/11/2026")
    expect(page.locator("main")).not_to_contain_text(NOT_FOR_HIM)
    shot("vetting_case_concluded")
    case.refresh_from_db()
    assert case.conclusion == Conclusion.ELIGIBLE
    assert case.items.get(kind="political_history").finding.startswith("Đã xác minh")

    # The cadre's page tells him the outcome and never that only officers may read.
    page.get_by_role("link", name=cadre.full_name).first.click()
    expect(page.locator("main")).to_contain_text("Tiêu chuẩn chính trị")
    expect(page.locator("main")).not_to_contain_text(NOT_FOR_HIM)


def test_officer_opens_a_case_from_a_nominee_row_and_from_the_cadre_page(
    page, live_server, login, demo, shot, accessible
):
    commune = PartyUnit.objects.get(code="X001")
    nominee_list = NomineeList.objects.get(body__congress__unit=commune, body__kind="executive")
    term = nominee_list.body.congress.term
    newcomer = CadreFactory(unit=commune, full_name="Hoàng Văn Mới", sex="male")
    other = CadreFactory(unit=commune, full_name="Đinh Thị Chưa Có", sex="female")
    secretary = _user("bithu_xa")
    svc.nominee_add(nominee_list=nominee_list, cadre=newcomer, user=secretary)

    login("bvct", DEMO_PASSWORD)
    # The home page lists the nominee without a case.
    expect(page.locator("main")).to_contain_text("Người được giới thiệu chưa có hồ sơ thẩm tra")
    expect(page.locator("main")).to_contain_text(newcomer.full_name)

    # From the nominee's row of the list.
    page.goto(f"{live_server.url}/dai-hoi/danh-sach/{nominee_list.pk}/")
    row = page.locator("tr", has_text=newcomer.full_name)
    row.get_by_role("link", name="Mở hồ sơ thẩm tra").click()
    # Tied by default to the term of the list's congress.
    expect(page.get_by_label("Nhiệm kỳ đại hội")).to_have_value(str(term.pk))
    accessible("mở hồ sơ thẩm tra")
    shot("vetting_open_from_nominee_row")
    page.get_by_role("button", name="Mở hồ sơ thẩm tra").click()
    expect(page.get_by_text("Đã mở hồ sơ thẩm tra.")).to_be_visible()
    expect(page.locator("main")).to_contain_text(term.code)
    assert VettingCase.objects.filter(cadre=newcomer, term=term).exists()

    # From the cadre's page.
    page.goto(f"{live_server.url}/can-bo/{other.pk}/")
    expect(page.locator("main")).not_to_contain_text(NOT_FOR_HIM)
    page.get_by_role("link", name="Mở hồ sơ thẩm tra").click()
    expect(page.get_by_label("Nhiệm kỳ đại hội")).to_have_value(str(term.pk))
    page.get_by_role("button", name="Mở hồ sơ thẩm tra").click()
    expect(page.get_by_text("Đã mở hồ sơ thẩm tra.")).to_be_visible()
    assert VettingCase.objects.filter(cadre=other, term=term).exists()
    shot("vetting_open_from_cadre_page")


def _user(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)
