"""The users' journeys in a real browser (Debian's Chromium through Playwright)."""

import re

import pytest
from playwright.sync_api import expect

from congress.models import ListState
from congress.services import lists as svc
from congress.services.structure import recompute_structure
from tests.congress.builders import committee, communes, congress_with_list, eligible_people
from tests.factories import CadreFactory, UnitFactory, UserFactory, grant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def scene(db):
    from personnel.catalogue import ensure_catalogue

    ensure_catalogue()
    province = UnitFactory(code="T01", name="Đảng bộ tỉnh Thử Nghiệm", level="province")
    commune = UnitFactory(code="X01", name="Đảng bộ xã An Bình", level="commune", parent=province)
    other = UnitFactory(code="X02", name="Đảng bộ xã Bình Minh", level="commune", parent=province)
    nl = congress_with_list(commune, seats=3)
    people = eligible_people(commune, 4, women=1, congress=nl.body.congress)
    unvetted = CadreFactory(unit=commune, full_name="Lương Văn Chưa", sex="male")
    other_list = congress_with_list(other, seats=3)
    secretary = UserFactory(username="bithu", first_name="Bí thư", last_name="Xã")
    grant(secretary, "secretary", commune)
    staff = UserFactory(username="bantochuc", first_name="Cán bộ", last_name="Ban Tổ chức")
    grant(staff, "board_staff", province)
    return {
        "province": province,
        "commune": commune,
        "other": other,
        "list": nl,
        "people": people,
        "unvetted": unvetted,
        "other_list": other_list,
        "secretary": secretary,
        "staff": staff,
    }


def add_person(page, name_query: str, full_name: str):
    box = page.get_by_label(re.compile("Thêm người vào danh sách"))
    box.fill(name_query)
    button = page.get_by_role("button", name=f"Thêm {full_name}")
    if not button.is_visible():
        # Typing again fires htmx's search if the first input event raced a swap.
        box.press("End")
        box.type(" ")
    expect(page.locator("#search-results")).to_contain_text(full_name)
    button.click()
    expect(page.locator("#list-editor")).to_contain_text(f"Đã thêm {full_name}")


def test_secretary_builds_fixes_and_submits_a_list(page, live_server, login, scene, shot):
    login("bithu")
    expect(page.get_by_role("heading", name="Danh sách nhân sự của đơn vị")).to_be_visible()
    page.get_by_role("link", name="Ban chấp hành").click()
    add_person(page, "luong van", "Lương Văn Chưa")
    # The engine flags the unvetted person at once, live.
    expect(page.locator("#findings-panel")).to_contain_text("Chưa có kết luận tiêu chuẩn chính trị")
    for person in scene["people"]:
        add_person(page, person.full_name.lower(), person.full_name)
    # Fix: take the unvetted person out again.
    page.once("dialog", lambda dialog: dialog.accept())  # "Bỏ … khỏi danh sách?"
    page.get_by_role("button", name="Bỏ Lương Văn Chưa").click()
    expect(page.locator("#list-editor")).to_contain_text("Đã bỏ Lương Văn Chưa")
    expect(page.locator("#findings-panel")).not_to_contain_text(
        "Chưa có kết luận tiêu chuẩn chính trị"
    )
    page.get_by_role("button", name="Trình danh sách lên cấp trên").click()
    expect(page.locator("#list-editor")).to_contain_text("Đã trình danh sách")
    shot("secretary_submits_list")
    scene["list"].refresh_from_db()
    assert scene["list"].state == ListState.SUBMITTED
    assert scene["list"].nominees.count() == 4


def test_secretary_is_refused_another_units_list(page, live_server, login, scene, shot):
    login("bithu")
    resp = page.goto(f"{live_server.url}/dai-hoi/danh-sach/{scene['other_list'].pk}/")
    assert resp.status == 404
    shot("secretary_refused_other_unit")
    resp = page.goto(f"{live_server.url}/don-vi/X02/")
    assert resp.status == 404


def test_dashboard_filter_finds_units_missing_the_women_target(
    page, live_server, login, scene, shot
):
    units = communes(scene["province"], 3, start=10)
    committee(units[0], women=0, men=9)
    committee(units[1], women=4, men=6)
    committee(units[2], women=1, men=11)
    recompute_structure(root=scene["province"])
    login("bantochuc")
    page.get_by_role("link", name="Bảng theo dõi", exact=True).click()
    page.get_by_label("Chưa đạt chỉ tiêu").select_option("female")
    page.get_by_role("button", name="Lọc").click()
    table = page.locator("table.dashboard")
    expect(table).to_contain_text(units[0].name)
    expect(table).to_contain_text(units[2].name)
    expect(table).not_to_contain_text(units[1].name)
    shot("dashboard_women_filter")


def test_board_returns_then_approves_and_downloads_the_trich_ngang(
    page, live_server, login, scene, shot, tmp_path
):
    nl = scene["list"]
    for person in scene["people"]:
        svc.nominee_add(nominee_list=nl, cadre=person, user=scene["secretary"])
    svc.nominee_list_submit(nominee_list=nl, user=scene["secretary"])

    login("bantochuc")
    expect(page.get_by_text("Danh sách chờ thẩm định (1)")).to_be_visible()
    page.get_by_role("link", name=re.compile("Đảng bộ xã An Bình — Ban chấp hành")).click()
    page.get_by_label("Ý kiến khi trả lại").fill("Đề nghị bổ sung ghi chú cho đồng chí nữ.")
    page.get_by_role("button", name="Trả lại danh sách").click()
    expect(page.locator("#list-editor")).to_contain_text("Đã trả lại danh sách")

    # The secretary sees the remark, fixes, resubmits (outside the browser: another person).
    nl.refresh_from_db()
    assert nl.state == ListState.RETURNED and "bổ sung" in nl.remark
    svc.nominee_list_submit(nominee_list=nl, user=scene["secretary"])

    page.reload()
    page.get_by_role("button", name="Phê duyệt").click()
    expect(page.locator("#list-editor")).to_contain_text("Đã phê duyệt danh sách")
    # The remark of the return belonged to the returned list: once approved it is history.
    expect(page.locator("#list-editor")).not_to_contain_text("Đề nghị bổ sung ghi chú")
    page.get_by_role("button", name="In danh sách trích ngang (PDF)").click()
    link = page.get_by_role("link", name="Tải văn bản (PDF)")
    expect(link).to_be_visible(timeout=60_000)
    with page.expect_download() as info:
        link.click()
    path = tmp_path / "trich-ngang.pdf"
    info.value.save_as(path)
    assert path.read_bytes()[:5] == b"%PDF-"
    shot("board_approves_and_downloads")
    nl.refresh_from_db()
    assert nl.state == ListState.APPROVED


def test_pages_fit_a_phone_and_start_with_a_skip_link(page, live_server, login, scene, shot):
    nl = scene["list"]
    for person in scene["people"]:
        svc.nominee_add(nominee_list=nl, cadre=person, user=scene["secretary"])
    page.set_viewport_size({"width": 390, "height": 844})
    login("bithu")
    for path in ["/", f"/dai-hoi/danh-sach/{nl.pk}/", "/bang-theo-doi/", "/can-bo/"]:
        page.goto(f"{live_server.url}{path}")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{path} is {overflow}px wider than a phone screen"
    # Keyboard: the first Tab reaches the skip link, which jumps to the content.
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert "Bỏ qua, đến nội dung chính" in focused
    shot("phone_cadre_list")
