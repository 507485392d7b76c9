"""The import/export pages: board staff only, a check first (the mapping screen), confirm
imports, scope kept, large bodies refused before they are read, large files in the
background."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from personnel.models import AuditLog, Cadre, ImportJob, ImportPreset, PartyUnit

UPLOAD = "/nhap-du-lieu/"
EXPORT = "/nhap-du-lieu/export/"
TEMPLATE = "/nhap-du-lieu/mau/"

HEADERS = ["Mã cán bộ", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Mã đơn vị"]


def job_url(job, tail=""):
    return f"/nhap-du-lieu/{job.pk}/{tail}"


@pytest.fixture(autouse=True)
def registry_hook(monkeypatch):
    """Record registry_changed calls instead of running the structure recompute."""
    from personnel import services

    calls = []
    monkeypatch.setattr(services, "registry_changed", lambda unit_ids: calls.append(list(unit_ids)))
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


def upload(client, f, kind="cadres", unit="X01", **extra):
    return client.post(UPLOAD, {"kind": kind, "unit": unit, "file": f, **extra})


def last_job():
    return ImportJob.objects.order_by("-pk").first()


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
    assert client.get(TEMPLATE).status_code == 403
    assert client.get(EXPORT + "?unit=X01").status_code == 403


def test_board_staff_sees_the_labelled_form(client, staff):
    response = client.get(UPLOAD)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_kind">Loại dữ liệu</label>' in html
    assert '<label for="id_unit">Đơn vị nhận</label>' in html
    assert '<label for="id_file">Tệp Excel (.xlsx)</label>' in html
    assert 'enctype="multipart/form-data"' in html
    # Only units the user may import into are offered.
    assert 'value="X01"' in html and 'value="CS01"' in html
    assert 'value="X02"' not in html and 'value="T01"' not in html


def test_superuser_may_use_it(client, django_user_model, province):
    client.force_login(django_user_model.objects.create_superuser("root", password="x"))
    assert client.get(UPLOAD).status_code == 200


def test_upload_check_then_confirm(client, staff, media):
    f = xlsx(
        [
            HEADERS + ["Ghi chú"],
            ["CB1", "Nguyễn Văn An", "14/05/1980", "Nam", "001080012345", "X01", "x"],
            ["CB2", "Trần Thị Bình", "01/01/1990", "Nữ", None, "CS01", None],
        ]
    )
    response = upload(client, f)
    job = last_job()
    assert response.status_code == 302 and response["Location"] == job_url(job)
    html = client.get(job_url(job)).content.decode()
    assert "Tệp hợp lệ: 2 cán bộ (mới 2, cập nhật 0)" in html
    assert "Ghi chú" in html  # the warning about the extra column
    assert "Xác nhận nhập" in html
    assert 'id="mapping-table"' in html and "Nguyễn Văn An" in html
    assert Cadre.objects.count() == 0  # a check only
    assert len(pending_files(media)) == 1

    response = client.post(job_url(job, "xac-nhan/"))
    assert response.status_code == 302
    html = client.get(job_url(job)).content.decode()
    assert "Đã nhập 2 cán bộ (mới 2, cập nhật 0)." in html
    assert Cadre.objects.count() == 2
    assert AuditLog.objects.filter(action="cadre.import_create", actor=staff).count() == 2
    assert pending_files(media) == []  # deleted after the import
    # A second confirm finds nothing to import.
    assert client.post(job_url(job, "xac-nhan/")).status_code == 409
    assert Cadre.objects.count() == 2


def test_another_users_job_is_404(client, staff, make_user, commune):
    client.post(UPLOAD, {"kind": "cadres", "unit": "X01", "file": xlsx([HEADERS])})
    job = last_job()
    other = make_user("board_staff", commune)
    client.force_login(other)
    assert client.get(job_url(job)).status_code == 404
    assert client.post(job_url(job, "xac-nhan/")).status_code == 404


def test_upload_with_errors_shows_them_offers_no_confirm_and_the_error_file(client, staff, media):
    f = xlsx(
        [
            HEADERS,
            ["CB1", "Nguyễn Văn An", "31/02/1980", "Nam", None, "X01"],
            ["CB2", "Trần Thị Bình", "01/01/1990", "Nữ", None, "X02"],
        ]
    )
    upload(client, f)
    job = last_job()
    html = client.get(job_url(job)).content.decode()
    assert "Dòng 2, cột Ngày sinh: ngày “31/02/1980” không tồn tại." in html
    # X02 exists but lies outside the user's scope (board staff of X01): not named as such.
    assert "Dòng 3, cột Mã đơn vị: không có đơn vị mã “X02” trong Đảng bộ xã An Bình." in html
    assert "Xác nhận nhập" not in html
    assert client.post(job_url(job, "xac-nhan/")).status_code == 409
    assert Cadre.objects.count() == 0

    # The file back, with a column saying what is wrong on each row.
    response = client.get(job_url(job, "tep-loi/"))
    assert response.status_code == 200
    assert "can-bo-loi.xlsx" in response["Content-Disposition"]
    ws = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][-1].startswith("Lỗi cần sửa")
    assert rows[1][-1] == "Cột Ngày sinh: ngày “31/02/1980” không tồn tại."
    assert "Cột Mã đơn vị: không có đơn vị mã “X02”" in rows[2][-1]
    assert rows[1][1] == "Nguyễn Văn An"  # the user's own data kept

    # Cancelling removes the file.
    client.post(job_url(job, "huy/"))
    assert pending_files(media) == []
    assert client.get(job_url(job, "tep-loi/")).status_code == 409


def test_upload_not_xlsx_leaves_nothing(client, staff, media):
    response = upload(client, SimpleUploadedFile("can-bo.xlsx", b"khong phai excel"))
    assert response.status_code == 422
    assert "Tệp không phải là tệp Excel .xlsx hợp lệ." in response.content.decode()
    assert pending_files(media) == []
    assert not ImportJob.objects.exists()


def test_upload_without_file_shows_form_error(client, staff):
    response = client.post(UPLOAD, {"kind": "cadres", "unit": "X01"})
    assert response.status_code == 422
    assert 'role="alert"' in response.content.decode()


def test_unit_outside_reach_is_not_accepted(client, staff, media):
    response = upload(client, xlsx([HEADERS]), unit="X02")
    assert response.status_code == 422
    assert not ImportJob.objects.exists()


def test_a_body_over_the_limit_is_refused_before_it_is_read(
    client, staff, settings, media, monkeypatch
):
    from django.http import multipartparser

    settings.IMPORT_MAX_UPLOAD_BYTES = 10_000

    def never(*args, **kwargs):
        raise AssertionError("the body was parsed")

    monkeypatch.setattr(multipartparser.MultiPartParser, "parse", never)
    big = SimpleUploadedFile("lon.xlsx", b"x" * 200_000)
    response = upload(client, big)
    assert response.status_code == 413
    assert "Tệp quá lớn (tối đa 9 KB)." in response.content.decode()
    assert pending_files(media) == []
    assert not ImportJob.objects.exists()


def test_the_csrf_check_still_guards_the_upload(staff, media, client):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(staff)
    response = csrf_client.post(UPLOAD, {"kind": "cadres", "unit": "X01", "file": xlsx([HEADERS])})
    assert response.status_code == 403
    assert not ImportJob.objects.exists()


def test_remap_a_column_and_check_again(client, staff):
    f = xlsx(
        [
            ["Họ và tên", "Ngày sinh", "Giới tính", "Nơi ở"],
            ["Nguyễn Văn An", "14/05/1980", "Nam", "Xã An Bình"],
        ]
    )
    upload(client, f)
    job = last_job()
    report = job.report
    assert [c["field"] for c in report["columns"]] == ["full_name", "birth_date", "sex", ""]
    assert any("Nơi ở" in w for w in report["warnings"])
    # "Nơi ở" is read as the hometown from now on.
    response = client.post(
        job_url(job),
        {"col-0": "full_name", "col-1": "birth_date", "col-2": "sex", "col-3": "hometown"},
    )
    assert response.status_code == 302
    job.refresh_from_db()
    assert [c["field"] for c in job.report["columns"]][3] == "hometown"
    assert job.report["columns"][3]["source"] == "user"
    assert job.checked_ok
    client.post(job_url(job, "xac-nhan/"))
    assert Cadre.objects.get().hometown == "Xã An Bình"


def test_a_mapping_naming_an_unknown_field_is_refused(client, staff):
    upload(client, xlsx([["Họ và tên", "Ngày sinh", "Giới tính"], ["A", "01/01/1980", "Nam"]]))
    job = last_job()
    response = client.post(job_url(job), {"col-0": "password"})
    assert response.status_code == 409
    assert "Cách đọc cột không hợp lệ." in response.content.decode()


def test_save_a_preset_and_use_it_for_the_next_file(client, staff):
    rows = [["Họ và tên", "Sinh", "Phái", "Nơi ở"], ["Nguyễn Văn An", "14/05/1980", "Nam", "Xã An"]]
    upload(client, xlsx(rows))
    job = last_job()
    assert "Thiếu cột bắt buộc" in job.report["errors"][0]  # "Sinh" is not a known header
    client.post(
        job_url(job),
        {"col-0": "full_name", "col-1": "birth_date", "col-2": "sex", "col-3": "hometown"},
    )
    response = client.post(job_url(job, "luu-mau/"), {"name": "Danh sách chi bộ"})
    assert "Đã lưu mẫu cột “Danh sách chi bộ”." in response.content.decode()
    preset = ImportPreset.objects.get(name="Danh sách chi bộ")
    assert preset.columns == {
        "ho va ten": "full_name",
        "sinh": "birth_date",
        "phai": "sex",
        "noi o": "hometown",
    }

    upload(client, xlsx(rows, name="lan-2.xlsx"), preset=str(preset.pk))
    second = last_job()
    assert second.pk != job.pk and second.preset == preset
    assert second.checked_ok
    assert {c["source"] for c in second.report["columns"]} == {"preset"}


def test_units_upload_within_scope(client, staff):
    f = xlsx(
        [
            ["Mã đơn vị", "Tên đơn vị", "Cấp", "Mã đơn vị cấp trên"],
            ["CB9", "Chi bộ 9", "Chi bộ", "X01"],
            ["CB10", "Chi bộ 10", "Chi bộ", "X02"],
        ],
        name="don-vi.xlsx",
    )
    upload(client, f, kind="units")
    html = client.get(job_url(last_job())).content.decode()
    assert "Dòng 3, cột Mã đơn vị cấp trên: đơn vị X02 ngoài phạm vi quản lý của bạn." in html
    assert not PartyUnit.objects.filter(code="CB9").exists()

    f = xlsx(
        [["Mã đơn vị", "Tên đơn vị", "Cấp"], ["CB9", "Chi bộ 9", "Chi bộ"]], name="don-vi.xlsx"
    )
    upload(client, f, kind="units")
    job = last_job()
    client.post(job_url(job, "xac-nhan/"))
    html = client.get(job_url(job)).content.decode()
    assert "Đã nhập 1 đơn vị (mới 1, cập nhật 0)." in html
    assert PartyUnit.objects.get(code="CB9").parent.code == "X01"  # under the chosen unit


def test_a_large_file_is_worked_in_the_background(
    client, staff, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_BACKGROUND_BYTES = 100
    f = xlsx([HEADERS, ["CB1", "Nguyễn Văn An", "14/05/1980", "Nam", None, "X01"]])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        upload(client, f)
    job = last_job()
    assert job.status == "queued" and len(callbacks) == 1
    html = client.get(job_url(job)).content.decode()
    assert "Đang chờ" in html and 'hx-trigger="every 1s"' in html
    callbacks[0]()  # the worker (in-process without a broker)
    job.refresh_from_db()
    assert job.status == "done" and job.checked_ok and job.started_at is not None
    # The status partial tells htmx to show the whole page once the job is done.
    response = client.get(job_url(job, "trang-thai/"), HTTP_HX_REQUEST="true")
    assert response.headers.get("HX-Refresh") == "true"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(job_url(job, "xac-nhan/"))
    job.refresh_from_db()
    assert job.imported and Cadre.objects.count() == 1


def test_template_downloads(client, staff):
    for kind, first in (("cadres", "Mã cán bộ"), ("units", "Mã đơn vị")):
        response = client.get(TEMPLATE + f"?kind={kind}")
        assert response.status_code == 200
        ws = load_workbook(BytesIO(b"".join(response.streaming_content))).active
        rows = list(ws.iter_rows(values_only=True))
        assert rows[0][0] == first and len(rows) == 2
        assert ws.cell(row=1, column=1).comment is not None  # says the example row is one


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
    response = client.get(EXPORT + "?unit=X01&layout=trich-ngang")
    assert "can-bo-X01-trich-ngang.xlsx" in response["Content-Disposition"]


def test_export_out_of_scope_unit_is_404(client, staff):
    assert client.get(EXPORT + "?unit=X02").status_code == 404
    assert client.get(EXPORT + "?unit=T01").status_code == 404  # the level above
    assert client.get(EXPORT + "?unit=KHONG").status_code == 404
