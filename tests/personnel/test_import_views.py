"""The import/export pages: board staff only, dry run first, confirm imports, scope kept."""

import sys
import types
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from personnel.models import Cadre, PartyUnit
from personnel.views.imports import SESSION_KEY

UPLOAD = "/nhap-du-lieu/"
CONFIRM = "/nhap-du-lieu/xac-nhan/"
EXPORT = "/nhap-du-lieu/export/"

HEADERS = ["Mã cán bộ", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Mã đơn vị"]


@pytest.fixture(autouse=True)
def registry_hook(monkeypatch):
    """Record registry_changed calls instead of running the structure recompute."""
    calls = []
    fake = types.ModuleType("personnel.services")
    fake.registry_changed = lambda unit_ids: calls.append(list(unit_ids))
    monkeypatch.setitem(sys.modules, "personnel.services", fake)
    return calls


def xlsx(rows, name="can-bo.xlsx"):
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    buf = BytesIO()
    wb.save(buf)
    return SimpleUploadedFile(name, buf.getvalue())


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def staff(make_user, province, commune, grassroots, other_commune, client):
    user = make_user("board_staff", commune)
    client.force_login(user)
    return user


def pending_files(media):
    return list((media / "imports").glob("*")) if (media / "imports").exists() else []


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(UPLOAD)
    assert response.status_code == 302
    assert "/dang-nhap/" in response["Location"]
    assert client.get(EXPORT + "?unit=X01").status_code == 302


@pytest.mark.parametrize("role", ["secretary", "viewer", "vetting_officer", None])
def test_other_roles_are_refused(client, make_user, commune, role):
    client.force_login(make_user(role, commune))
    assert client.get(UPLOAD).status_code == 403
    assert client.post(UPLOAD, {"kind": "cadres"}).status_code == 403
    assert client.post(CONFIRM, {"token": "x"}).status_code == 403
    assert client.get(EXPORT + "?unit=X01").status_code == 403


def test_board_staff_sees_the_labelled_form(client, staff):
    response = client.get(UPLOAD)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_kind">Loại dữ liệu</label>' in html
    assert '<label for="id_file">Tệp Excel (.xlsx)</label>' in html
    assert 'enctype="multipart/form-data"' in html


def test_superuser_may_use_it(client, django_user_model, db):
    client.force_login(django_user_model.objects.create_superuser("root", password="x"))
    assert client.get(UPLOAD).status_code == 200


def test_upload_dry_run_then_confirm(client, staff, media):
    f = xlsx(
        [
            HEADERS + ["Ghi chú"],
            ["CB1", "Nguyễn Văn An", "14/05/1980", "Nam", "001080012345", "X01", "x"],
            ["CB2", "Trần Thị Bình", "01/01/1990", "Nữ", None, "CS01", None],
        ]
    )
    response = client.post(UPLOAD, {"kind": "cadres", "file": f})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tệp hợp lệ: 2 cán bộ (mới 2, cập nhật 0)" in html
    assert "Ghi chú" in html  # the warning about the extra column
    assert "Xác nhận nhập" in html
    assert Cadre.objects.count() == 0  # dry run only
    assert len(pending_files(media)) == 1
    token = client.session[SESSION_KEY]["token"]

    response = client.post(CONFIRM, {"token": token})
    assert response.status_code == 200
    assert "Đã nhập 2 cán bộ (mới 2, cập nhật 0)." in response.content.decode()
    assert Cadre.objects.count() == 2
    assert pending_files(media) == []  # deleted after import
    assert SESSION_KEY not in client.session
    # A second confirm finds nothing to import.
    assert client.post(CONFIRM, {"token": token}).status_code == 409
    assert Cadre.objects.count() == 2


def test_confirm_needs_the_session_token(client, staff, media):
    f = xlsx([HEADERS, ["CB1", "Nguyễn Văn An", "14/05/1980", "Nam", None, "X01"]])
    client.post(UPLOAD, {"kind": "cadres", "file": f})
    assert client.post(CONFIRM, {"token": "../../etc/passwd"}).status_code == 409
    assert Cadre.objects.count() == 0


def test_upload_with_errors_shows_them_and_offers_no_confirm(client, staff, media):
    f = xlsx(
        [
            HEADERS,
            ["CB1", "Nguyễn Văn An", "31/02/1980", "Nam", None, "X01"],
            ["CB2", "Trần Thị Bình", "01/01/1990", "Nữ", None, "X02"],
        ]
    )
    response = client.post(UPLOAD, {"kind": "cadres", "file": f})
    html = response.content.decode()
    assert "Dòng 2, cột Ngày sinh: ngày “31/02/1980” không tồn tại." in html
    # X02 exists but lies outside the user's scope (board staff of X01).
    assert "Dòng 3, cột Mã đơn vị: đơn vị X02 ngoài phạm vi quản lý" in html
    assert "Xác nhận nhập" not in html
    assert SESSION_KEY not in client.session
    assert pending_files(media) == []
    assert Cadre.objects.count() == 0


def test_upload_not_xlsx(client, staff, media):
    f = SimpleUploadedFile("can-bo.xlsx", b"khong phai excel")
    html = client.post(UPLOAD, {"kind": "cadres", "file": f}).content.decode()
    assert "Tệp không phải là tệp Excel .xlsx hợp lệ." in html
    assert "Xác nhận nhập" not in html


def test_upload_without_file_shows_form_error(client, staff):
    response = client.post(UPLOAD, {"kind": "cadres"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()


def test_units_upload_within_scope(client, staff):
    f = xlsx(
        [
            ["Mã đơn vị", "Tên đơn vị", "Cấp", "Mã đơn vị cấp trên"],
            ["CB9", "Chi bộ 9", "Chi bộ", "X01"],
            ["CB10", "Chi bộ 10", "Chi bộ", "X02"],
        ],
        name="don-vi.xlsx",
    )
    html = client.post(UPLOAD, {"kind": "units", "file": f}).content.decode()
    assert "Dòng 3, cột Mã đơn vị cấp trên: đơn vị X02 ngoài phạm vi quản lý" in html
    assert not PartyUnit.objects.filter(code="CB9").exists()

    f = xlsx(
        [
            ["Mã đơn vị", "Tên đơn vị", "Cấp", "Mã đơn vị cấp trên"],
            ["CB9", "Chi bộ 9", "Chi bộ", "X01"],
        ],
        name="don-vi.xlsx",
    )
    client.post(UPLOAD, {"kind": "units", "file": f})
    html = client.post(CONFIRM, {"token": client.session[SESSION_KEY]["token"]}).content.decode()
    assert "Đã nhập 1 đơn vị (mới 1, cập nhật 0)." in html
    assert PartyUnit.objects.get(code="CB9").parent.code == "X01"


def test_export_in_scope(client, staff, commune, grassroots, other_commune, cadre_factory):
    cadre_factory(code="A", unit=commune)
    cadre_factory(code="B", unit=grassroots)
    cadre_factory(code="C", unit=other_commune)
    response = client.get(EXPORT + "?unit=X01")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "can-bo-X01.xlsx" in response["Content-Disposition"]
    wb = load_workbook(BytesIO(b"".join(response.streaming_content)))
    codes = sorted(r[0] for r in wb.active.iter_rows(min_row=2, values_only=True))
    assert codes == ["A", "B"]


def test_export_out_of_scope_unit_is_404(client, staff):
    assert client.get(EXPORT + "?unit=X02").status_code == 404
    assert client.get(EXPORT + "?unit=T01").status_code == 404  # the level above
    assert client.get(EXPORT + "?unit=KHONG").status_code == 404
