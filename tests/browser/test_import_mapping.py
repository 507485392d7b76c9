"""The mapping screen in a real browser: a board's file with headers the importer cannot
place, fixed by the user on the screen, saved as a preset, then imported."""

from io import BytesIO

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from personnel.models import Cadre, ImportPreset
from tests.factories import UnitFactory, UserFactory, grant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def scene(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    province = UnitFactory(code="T01", name="Đảng bộ tỉnh Thử Nghiệm", level="province")
    commune = UnitFactory(code="X01", name="Đảng bộ xã An Bình", level="commune", parent=province)
    staff = UserFactory(username="bantochuc", first_name="Cán bộ", last_name="Ban Tổ chức")
    grant(staff, "board_staff", commune)
    return {"commune": commune, "staff": staff}


def member_list() -> bytes:
    """A cell's list: a title row, then headers where "Sinh" and "Nơi ở" are words the
    importer does not know."""
    wb = Workbook()
    ws = wb.active
    ws.append(["DANH SÁCH ĐẢNG VIÊN CHI BỘ THÔN ĐÔNG"])
    ws.append([])
    ws.append(["STT", "Họ tên", "Phái", "Sinh", "Nơi ở"])
    ws.append([1, "Nguyễn Văn An", "Nam", "14/05/1980", "Thôn Đông"])
    ws.append([2, "Trần Thị Bình", "Nữ", "02.01.1985", "Thôn Tây"])
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_board_staff_fixes_the_mapping_saves_it_and_imports(page, live_server, login, scene, shot):
    login("bantochuc")
    page.goto(f"{live_server.url}/nhap-du-lieu/")
    page.get_by_label("Đơn vị nhận").select_option("X01")
    page.get_by_label("Tệp Excel (.xlsx)").set_input_files(
        files=[{"name": "chi-bo-dong.xlsx", "mimeType": "application/octet-stream",
                "buffer": member_list()}]
    )  # fmt: skip
    page.get_by_role("button", name="Kiểm tra tệp").click()

    # The file is refused as it stands: the birth date column was not recognised.
    expect(page.locator("#import-errors")).to_contain_text("Thiếu cột bắt buộc: “Ngày sinh”.")
    table = page.locator("#mapping-table")
    expect(table).to_contain_text("Họ tên")
    expect(page.get_by_label("Cột B “Họ tên” đọc là")).to_have_value("full_name")
    expect(page.get_by_label("Cột A “STT” đọc là")).to_have_value("")
    shot("import_mapping_before")

    page.get_by_label("Cột D “Sinh” đọc là").select_option("birth_date")
    page.get_by_label("Cột E “Nơi ở” đọc là").select_option("hometown")
    page.get_by_role("button", name="Kiểm tra lại với cách đọc này").click()

    expect(page.locator("#import-summary")).to_contain_text(
        "Tệp hợp lệ: 2 cán bộ (mới 2, cập nhật 0)"
    )
    # The first rows as they will be imported.
    expect(page.locator("#mapping-table")).to_contain_text("14/05/1980")
    expect(page.locator("#mapping-table")).to_contain_text("02/01/1985")
    expect(page.get_by_label("Cột D “Sinh” đọc là")).to_have_value("birth_date")

    page.get_by_label("Lưu cách đọc này thành mẫu cột").fill("Danh sách chi bộ")
    page.get_by_role("button", name="Lưu mẫu cột").click()
    expect(page.get_by_role("status")).to_contain_text("Đã lưu mẫu cột “Danh sách chi bộ”.")
    shot("import_mapping_fixed")

    page.get_by_role("button", name="Xác nhận nhập").click()
    expect(page.locator("#import-summary")).to_contain_text("Đã nhập 2 cán bộ (mới 2, cập nhật 0).")
    shot("import_done")

    assert sorted(Cadre.objects.values_list("full_name", "hometown")) == [
        ("Nguyễn Văn An", "Thôn Đông"),
        ("Trần Thị Bình", "Thôn Tây"),
    ]
    assert ImportPreset.objects.get().columns["sinh"] == "birth_date"

    # The next file of the same shape, with the preset: recognised at once.
    page.goto(f"{live_server.url}/nhap-du-lieu/")
    page.get_by_label("Đơn vị nhận").select_option("X01")
    page.get_by_label("Mẫu cột đã lưu").select_option(label="Danh sách chi bộ (cán bộ)")
    page.get_by_label("Tệp Excel (.xlsx)").set_input_files(
        files=[{"name": "lan-2.xlsx", "mimeType": "application/octet-stream",
                "buffer": member_list()}]
    )  # fmt: skip
    page.get_by_role("button", name="Kiểm tra tệp").click()
    expect(page.locator("#import-summary")).to_contain_text("Tệp hợp lệ")
    expect(page.locator("#import-summary")).to_contain_text("2 cán bộ không thay đổi")
