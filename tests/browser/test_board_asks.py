"""Issue 15, cases 4, 5, 6 and 7: documents from where the user stands, the phone layout,
legible charts, and what a board asks for first (the dashboard by term, Excel and print,
several people at once with their posts, notifications up the tree, the posts of the
list's level, the favicon)."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook
from playwright.sync_api import expect

from congress.models import ListState, NomineeList, ReportJob
from personnel.models import Cadre, Notification, PartyUnit
from tests.browser.conftest import DEMO_PASSWORD, PHONE
from tests.factories import CadreFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def executive_list(code: str) -> NomineeList:
    return NomineeList.objects.get(body__congress__unit__code=code, body__kind="executive")


def test_dashboard_by_term_to_excel_and_print(page, live_server, login, demo, shot, accessible):
    login("bantochuc", DEMO_PASSWORD)
    page.get_by_role("link", name="Bảng theo dõi", exact=True).click()
    page.get_by_label("Nhiệm kỳ").select_option("2025-2030")
    page.get_by_role("button", name="Lọc").click()
    expect(page.locator("main")).to_contain_text("các đại hội nhiệm kỳ 2025-2030")
    table = page.locator("table.dashboard")
    expect(table).to_contain_text("Đảng bộ xã Yên Tiến")
    # Units without a list for that term (their sitting committee only) are not rows.
    expect(table).not_to_contain_text("Chi bộ thôn Bình Tây")
    # The tiers carry the same names as on a list's page and in the documents.
    expect(table.locator("thead")).to_contain_text("Từ 40 đến 50 tuổi")
    accessible("bảng theo dõi theo nhiệm kỳ")
    shot("dashboard_by_term")

    with page.expect_download() as info:
        page.get_by_role("link", name="Xuất Excel").click()
    sheet = load_workbook(io.BytesIO(_read(info.value))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Đơn vị" and "Từ 40 đến 50 tuổi (%)" in rows[0]
    assert any(r[0] == "Đảng bộ xã Yên Tiến" for r in rows[1:])

    page.get_by_role("link", name="Bản in").click()
    expect(page.get_by_role("button", name="In trang này")).to_be_visible()
    expect(page.locator("form.filters")).to_have_count(0)
    expect(page.locator("table.dashboard")).to_contain_text("Đảng bộ xã Yên Tiến")
    page.emulate_media(media="print")
    expect(page.locator("header.topbar")).to_be_hidden()
    page.emulate_media(media="screen")
    shot("dashboard_print")


def test_a_list_to_excel_and_print(page, live_server, login, demo, shot):
    nominee_list = executive_list("X001")
    login("bithu_xa", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/dai-hoi/danh-sach/{nominee_list.pk}/")
    with page.expect_download() as info:
        page.get_by_role("link", name="Xuất Excel").click()
    book = load_workbook(io.BytesIO(_read(info.value)))
    people = list(book["Danh sách"].iter_rows(values_only=True))
    assert people[0][:2] == ("TT", "Họ và tên")
    assert len(people) - 1 == nominee_list.nominees.count()
    assert {"Danh sách", "Cơ cấu", "Phát hiện"} <= set(book.sheetnames)
    page.get_by_role("link", name="Bản in").click()
    expect(page.get_by_role("heading", name=re.compile("Danh sách Ban chấp hành"))).to_be_visible()
    expect(page.get_by_role("button", name="In trang này")).to_be_visible()
    shot("list_print")


def test_grassroots_secretary_adds_several_people_and_the_commune_hears_of_the_submission(
    page, live_server, login, demo, shot, accessible
):
    grassroots = PartyUnit.objects.get(code="X001.CS01")
    nominee_list = executive_list("X001.CS01")
    one = CadreFactory(unit=grassroots, full_name="Ngô Văn Một", sex="male")
    two = CadreFactory(unit=grassroots, full_name="Ngô Thị Hai", sex="female")
    login("bithu_coso", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/dai-hoi/danh-sach/{nominee_list.pk}/")
    # A grassroots list offers the posts of its level, never provincial ones.
    first_select = page.locator("table.nominees select").first
    options = first_select.locator("option").all_inner_texts()
    assert "Bí thư" in options and "Ủy viên Ban Chấp hành" in options
    assert not {"Chủ tịch UBND", "Chủ tịch HĐND", "Chi cục trưởng Thuế"} & set(options)

    box = page.get_by_label(re.compile("Thêm người vào danh sách"))
    box.fill("ngo")
    results = page.locator("#search-results")
    expect(results).to_contain_text("Ngô Văn Một")
    expect(results).to_contain_text("Ngô Thị Hai")
    results.get_by_role("checkbox", name="Chọn Ngô Văn Một").check()
    results.get_by_role("checkbox", name="Chọn Ngô Thị Hai").check()
    results.get_by_label("Chức danh dự kiến của Ngô Văn Một").select_option("deputy_secretary")
    accessible("kết quả tìm để thêm nhiều người")
    shot("multi_add")
    results.get_by_role("button", name="Thêm những người đã chọn").click()
    flash = page.locator("#list-editor [role=status]")
    expect(flash).to_contain_text("Đã thêm")
    expect(flash).to_contain_text("Ngô Văn Một")
    expect(flash).to_contain_text("Ngô Thị Hai")
    added = {n.cadre_id: n.proposed_posts for n in nominee_list.nominees.all()}
    assert added[one.pk] == ["deputy_secretary"] and added[two.pk] == ["member"]

    page.once("dialog", lambda dialog: dialog.accept())  # it may still have blocking errors
    page.get_by_role("button", name="Trình danh sách lên cấp trên").click()
    expect(page.locator("#list-editor")).to_contain_text("Đã trình danh sách")
    nominee_list.refresh_from_db()
    assert nominee_list.state == ListState.SUBMITTED

    # The commune's secretary is told (notifications go up the tree).
    commune_secretary = get_user_model().objects.get(username="bithu_xa")
    assert Notification.objects.filter(
        user=commune_secretary, text__contains="Đảng bộ các cơ quan xã Yên Tiến đã trình"
    ).exists()
    login("bithu_xa", DEMO_PASSWORD)
    page.get_by_role("link", name=re.compile("Thông báo")).click()
    expect(page.locator("main")).to_contain_text("Đảng bộ các cơ quan xã Yên Tiến đã trình")
    shot("commune_secretary_notified")


def test_documents_from_where_the_user_stands(page, live_server, login, demo, shot, accessible):
    cadre = Cadre.objects.filter(unit__code="X001").exclude(code=None).order_by("code").first()
    login("bithu_xa", DEMO_PASSWORD)
    # The résumé from the cadre's page: no form, no id.
    page.goto(f"{live_server.url}/can-bo/{cadre.pk}/")
    page.get_by_role("button", name="In sơ yếu lý lịch (PDF)").click()
    expect(page.get_by_role("heading", name=f"Sơ yếu lý lịch — {cadre.unit.name}")).to_be_visible()
    # The page follows the render's progress (a thread under `make run`) until the file.
    expect(page.locator("#job-status")).to_contain_text("Trạng thái")
    link = page.get_by_role("link", name="Tải văn bản (PDF)")
    expect(link).to_be_visible(timeout=90_000)
    with page.expect_download() as info:
        link.click()
    assert _read(info.value)[:5] == b"%PDF-"
    shot("resume_from_cadre_page")

    # On /van-ban/ a résumé asks only for its cadre, typed as the code on the profile.
    page.goto(f"{live_server.url}/van-ban/")
    page.get_by_label("Loại văn bản").select_option("resume")
    expect(page.get_by_label(re.compile("Đơn vị: gõ tên"))).to_be_hidden()
    expect(page.get_by_label(re.compile("Bước giới thiệu"))).to_be_hidden()
    page.get_by_label(re.compile("Cán bộ: gõ mã cán bộ")).fill(cadre.code)
    accessible("tạo văn bản")
    shot("documents_form_resume")
    page.get_by_role("button", name="Tạo văn bản").click()
    expect(page.get_by_role("heading", name=re.compile("Sơ yếu lý lịch"))).to_be_visible()
    assert ReportJob.objects.filter(kind="resume", params__cadre=cadre.pk).count() == 2
    # Wait for the render: a thread still writing would outlive the test's database.
    expect(page.get_by_role("link", name="Tải văn bản (PDF)")).to_be_visible(timeout=90_000)

    # A name several cadres share is refused in place, naming them.
    page.goto(f"{live_server.url}/van-ban/")
    page.get_by_label("Loại văn bản").select_option("resume")
    page.get_by_label(re.compile("Cán bộ: gõ mã cán bộ")).fill("nguyen")
    page.get_by_role("button", name="Tạo văn bản").click()
    expect(page.locator("[role=alert]")).to_contain_text("cán bộ khớp «nguyen»")


def test_the_phone_menu_opens_by_keyboard(page, live_server, login, demo, shot):
    page.set_viewport_size(PHONE)
    login("bantochuc", DEMO_PASSWORD)
    nav_link = page.get_by_role("link", name="Bảng theo dõi", exact=True)
    expect(nav_link).to_be_hidden()
    menu = page.get_by_role("button", name="Menu")
    menu.focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(nav_link).to_be_visible()
    shot("phone_menu_open")
    page.keyboard.press("Escape")
    expect(nav_link).to_be_hidden()
    # The top bar is one line high when the menu is closed.
    assert page.locator("header.topbar").bounding_box()["height"] < 70


def test_charts_are_legible_on_a_phone_and_say_what_they_show(page, live_server, login, demo, shot):
    nominee_list = executive_list("X001")
    login("bithu_xa", DEMO_PASSWORD)
    for size in ({"width": 1366, "height": 900}, PHONE):
        page.set_viewport_size(size)
        page.goto(f"{live_server.url}/dai-hoi/danh-sach/{nominee_list.pk}/")
        sizes = page.evaluate(
            "Array.from(document.querySelectorAll('svg.chart text'))"
            ".map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)"
        )
        assert sizes and min(sizes) >= 12, (size, min(sizes))
        family = page.evaluate(
            "getComputedStyle(document.querySelector('svg.chart text')).fontFamily"
        )
        assert "sans-serif" in family and "Serif" not in family
    chart = page.locator("svg.chart").first
    expect(chart).to_contain_text("(*) Chưa đạt chỉ tiêu")
    expect(chart).to_contain_text("Vạch đứng: mức chỉ tiêu")
    expect(chart).to_contain_text("chỉ tiêu ≥ 15 %")
    expect(chart).to_contain_text("Từ 40 đến 50 tuổi")
    chart.screenshot(path="tests/browser/screenshots/chart_ratios-390.png")


def test_the_favicon_is_served(page, live_server, login, demo):
    login("xem", DEMO_PASSWORD)
    href = page.locator("link[rel=icon]").get_attribute("href")
    response = page.request.get(f"{live_server.url}{href}")
    assert response.status == 200 and "svg" in response.headers["content-type"]
    assert page.request.get(f"{live_server.url}/favicon.ico").status == 200


def _read(download) -> bytes:
    with open(download.path(), "rb") as f:
        return f.read()
