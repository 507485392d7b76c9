"""Issue 15, case 2 (and the error pages of case 3): every refusal shows where the user
acted, in Vietnamese, with the focus moved to it."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from congress.models import ListState, NomineeList
from congress.services import lists as svc
from tests.browser.conftest import DEMO_PASSWORD
from tests.factories import CadreFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RAW_CODE = re.compile(r"\b[A-Z]{2,}(?:_[A-Z]+)+\b")


def user(username):
    return get_user_model().objects.get(username=username)


def executive_list(code: str) -> NomineeList:
    return NomineeList.objects.get(body__congress__unit__code=code, body__kind="executive")


def focused_text(page) -> str:
    return page.evaluate("document.activeElement.closest('[role=alert]')?.innerText || ''")


def test_a_refused_approval_shows_its_message_in_place(
    page, live_server, login, demo, shot, accessible
):
    nominee_list = executive_list("X002")
    assert nominee_list.state == ListState.SUBMITTED
    login("bantochuc", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/dai-hoi/danh-sach/{nominee_list.pk}/")
    page.get_by_role("button", name="Phê duyệt").click()
    alert = page.locator("#list-editor [role=alert]")
    expect(alert).to_contain_text("Chưa thể phê duyệt")
    expect(alert).to_contain_text("Chưa có kết luận tiêu chuẩn chính trị")
    assert "Chưa thể phê duyệt" in focused_text(page)
    assert not RAW_CODE.search(alert.inner_text())
    accessible("phê duyệt bị từ chối")
    shot("refused_approval")
    nominee_list.refresh_from_db()
    assert nominee_list.state == ListState.SUBMITTED


def test_a_stale_edit_shows_who_changed_what(page, live_server, login, demo, shot):
    nominee_list = executive_list("X001")
    first = nominee_list.nominees.order_by("order").first()
    login("bithu_xa", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/dai-hoi/danh-sach/{nominee_list.pk}/")
    # Meanwhile, in another tab, the provincial board adds someone.
    newcomer = CadreFactory(unit=nominee_list.body.congress.unit, full_name="Hoàng Văn Mới")
    svc.nominee_add(nominee_list=nominee_list, cadre=newcomer, user=user("bantochuc"))
    page.get_by_label(f"Chức danh dự kiến của {first.cadre.full_name}").select_option(
        "deputy_secretary"
    )
    alert = page.locator("#list-editor [role=alert]")
    expect(alert).to_contain_text("đã được người khác thay đổi")
    expect(alert).to_contain_text(
        re.compile(
            r"Trần Thị Hồng Nhung thêm Hoàng Văn Mới vào danh sách lúc \d\d:\d\d \d\d/\d\d/\d{4}"
        )
    )
    assert "Hoàng Văn Mới" in focused_text(page)
    shot("stale_edit")
    first.refresh_from_db()
    assert first.proposed_posts != ["deputy_secretary"]


def test_acting_on_a_row_someone_removed_says_so(page, live_server, login, demo, shot):
    nominee_list = executive_list("X001")
    gone = nominee_list.nominees.order_by("order").first()
    name = gone.cadre.full_name
    login("bithu_xa", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/dai-hoi/danh-sach/{nominee_list.pk}/")
    svc.nominee_remove(nominee=gone, user=user("bantochuc"))
    page.once("dialog", lambda dialog: dialog.accept())  # "Bỏ … khỏi danh sách?"
    page.get_by_role("button", name=f"Bỏ {name}").click()
    refusal = page.locator(".refusal")
    expect(refusal).to_contain_text("không còn trong danh sách")
    assert "không còn trong danh sách" in focused_text(page)
    expect(refusal.get_by_role("button", name="Tải lại trang")).to_be_visible()
    shot("removed_row")


def test_submitting_with_blocking_errors_asks_first_and_names_them(
    page, live_server, login, demo, shot
):
    nominee_list = executive_list("X001")
    assert nominee_list.state == ListState.RETURNED
    login("bithu_xa", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/dai-hoi/danh-sach/{nominee_list.pk}/")
    expect(page.locator("#submit-warning")).to_contain_text("lỗi chặn phê duyệt")
    questions = []

    def dismiss(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.get_by_role("button", name="Trình danh sách lên cấp trên").click()
    page.wait_for_timeout(300)
    assert questions and "lỗi chặn phê duyệt" in questions[0]
    assert "Đã đến tuổi nghỉ hưu" in questions[0] or "Chưa có kết luận" in questions[0]
    assert not RAW_CODE.search(questions[0])
    nominee_list.refresh_from_db()
    assert nominee_list.state == ListState.RETURNED  # said no: nothing sent

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Trình danh sách lên cấp trên").click()
    expect(page.locator("#list-editor")).to_contain_text("Đã trình danh sách")
    shot("submit_confirmed")
    nominee_list.refresh_from_db()
    assert nominee_list.state == ListState.SUBMITTED


def test_error_pages_are_vietnamese(page, live_server, login, demo, shot, accessible):
    login("xem", DEMO_PASSWORD)
    response = page.goto(f"{live_server.url}/khong-co-trang-nay/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Không tìm thấy trang")).to_be_visible()
    accessible("trang 404")
    shot("error_404")
    response = page.goto(f"{live_server.url}/nhap-du-lieu/")
    assert response.status == 403
    expect(
        page.get_by_role("heading", name="Bạn không có quyền thực hiện thao tác này")
    ).to_be_visible()
    expect(page.locator("main")).to_contain_text("Chỉ cán bộ Ban Tổ chức được nhập, xuất dữ liệu.")
    shot("error_403")
    # A form posted without its CSRF cookie (an expired session, another tab).
    page.goto(f"{live_server.url}/dang-nhap/")
    page.context.clear_cookies()
    page.get_by_label("Tên đăng nhập").fill("xem")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Không gửi được biểu mẫu")).to_be_visible()
    for english in ("Forbidden", "CSRF verification failed", "Not Found", "Page not found"):
        assert english not in page.evaluate("document.body.innerText")
    shot("error_csrf")
