"""Documents from the web: a job, its progress, the file; scope and roles."""

import pytest
from django.urls import reverse

from congress.models import ReportJob

pytestmark = pytest.mark.django_db


def create(client, scene, **extra):
    data = {"kind": "nominee-list", "unit": "X01", "term": "2025-2030", **extra}
    return client.post(reverse("reports:create"), data)


def test_board_staff_gets_the_pdf_through_a_job(
    scene, make_user, client, django_capture_on_commit_callbacks
):
    user = make_user("board_staff", scene.province)
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = create(client, scene)
    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert job.status == "done", job.error
    assert job.progress == 100
    page = client.get(reverse("reports:job_status", args=[job.pk]))
    assert "Tải văn bản" in page.content.decode()
    pdf = client.get(reverse("reports:download", args=[job.pk]))
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_a_failed_render_says_why(scene, make_user, client, django_capture_on_commit_callbacks):
    user = make_user("board_staff", scene.province)
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        create(client, scene, kind="personnel-plan", term="")
        # Lists are never deleted (they are archived): the list leaving the congress before
        # the worker runs is moving it to another congress's body.
        from congress.models import NomineeList
        from tests.congress.builders import congress_with_list
        from tests.factories import UnitFactory

        elsewhere = congress_with_list(UnitFactory(parent=scene.province), seats=3)
        NomineeList.objects.filter(pk=scene.nominee_list.pk).update(body=elsewhere.body)
    # The list left the congress before the worker ran: the job fails with the reason.
    job = ReportJob.objects.get()
    job.status = "queued"
    job.save()
    from congress.tasks import render_report_task

    render_report_task(job.pk)
    job.refresh_from_db()
    assert job.status == "failed"
    assert "chưa có danh sách" in job.error
    page = client.get(reverse("reports:job", args=[job.pk]))
    assert "Không tạo được văn bản" in page.content.decode()


def test_duplicate_delivery_does_not_render_twice(
    scene, make_user, client, django_capture_on_commit_callbacks
):
    from congress.models import IssuedDocument
    from congress.tasks import render_report_task

    client.force_login(make_user("board_staff", scene.province))
    with django_capture_on_commit_callbacks(execute=True):
        create(client, scene)
    job = ReportJob.objects.get()
    assert render_report_task(job.pk) == {"skipped": True}
    assert IssuedDocument.objects.count() == 1


def test_secretary_cannot_request_documents_of_another_unit(scene, make_user, client):
    from tests.factories import UnitFactory

    other = UnitFactory(code="X02", name="Đảng bộ xã Bình Minh", level="commune")
    client.force_login(make_user("secretary", other))
    assert create(client, scene).status_code == 404
    assert not ReportJob.objects.exists()


def test_viewer_may_not_issue_documents(scene, make_user, client):
    client.force_login(make_user("viewer", scene.commune))
    assert create(client, scene).status_code == 403


def test_resume_of_a_cadre_out_of_scope_is_404(scene, make_user, client):
    from tests.factories import CadreFactory, UnitFactory

    other = UnitFactory(code="X02", name="Đảng bộ xã Bình Minh", level="commune")
    stranger = CadreFactory(unit=other)
    client.force_login(make_user("secretary", scene.commune))
    response = create(client, scene, kind="resume", cadre_id=stranger.pk)
    assert response.status_code == 404


def test_someone_elses_job_is_404(scene, make_user, client, django_capture_on_commit_callbacks):
    client.force_login(make_user("board_staff", scene.province))
    with django_capture_on_commit_callbacks(execute=True):
        create(client, scene)
    job = ReportJob.objects.get()
    client.force_login(make_user("board_staff", scene.province))
    assert client.get(reverse("reports:job", args=[job.pk])).status_code == 404
    assert client.get(reverse("reports:download", args=[job.pk])).status_code == 404


def test_create_refuses_get(scene, make_user, client):
    client.force_login(make_user("board_staff", scene.province))
    assert client.get(reverse("reports:create")).status_code == 405
    assert client.get(reverse("reports:home")).status_code == 200


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("reports:home"))
    assert response.status_code == 302


def test_the_word_copy_downloads_beside_the_pdf(
    scene, make_user, client, django_capture_on_commit_callbacks
):
    user = make_user("board_staff", scene.province)
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        create(client, scene)
    job = ReportJob.objects.get()
    page = client.get(reverse("reports:job_status", args=[job.pk])).content.decode()
    assert (
        "Tải bản Word (.docx)" in page and reverse("reports:download_docx", args=[job.pk]) in page
    )
    word = client.get(reverse("reports:download_docx", args=[job.pk]))
    assert word.status_code == 200
    assert word["Content-Type"].startswith("application/vnd.openxmlformats")
    body = b"".join(word.streaming_content)
    assert body.startswith(b"PK")
    # Same scope as the PDF: another user's job is not found.
    client.force_login(make_user("board_staff", scene.province))
    assert client.get(reverse("reports:download_docx", args=[job.pk])).status_code == 404


def test_a_draft_is_asked_for_on_purpose_and_takes_no_number(
    scene, make_user, client, django_capture_on_commit_callbacks
):
    from congress.models import IssuedDocument

    client.force_login(make_user("board_staff", scene.province))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("reports:create"), {"kind": "structure-summary", "unit": "T01", "draft": "1"}
        )
    doc = IssuedDocument.objects.get()
    assert doc.is_draft and doc.number is None
    page = client.get(reverse("reports:job_status", args=[ReportJob.objects.get().pk]))
    assert "Bản dự thảo (chưa lấy số)" in page.content.decode()


# Issue 15: each document asks only what it needs, by code or name, never by id


def test_a_resume_is_asked_by_the_cadre_code(
    scene, make_user, client, django_capture_on_commit_callbacks
):
    cadre = scene.cadres[0]
    cadre.code = "CB000113"
    cadre.save()
    client.force_login(make_user("secretary", scene.commune))
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(reverse("reports:create"), {"kind": "resume", "cadre": "cb000113"})
    assert resp.status_code == 302
    job = ReportJob.objects.get()
    assert job.params["cadre"] == cadre.pk and job.unit == cadre.unit
    assert job.status == "done", job.error


def test_a_resume_by_a_name_several_share_names_them_and_creates_nothing(scene, make_user, client):
    from tests.factories import CadreFactory

    CadreFactory(unit=scene.commune, full_name="Lê Văn Trùng", code="CB900001")
    CadreFactory(unit=scene.commune, full_name="Lê Văn Trùng", code="CB900002")
    client.force_login(make_user("secretary", scene.commune))
    resp = client.post(reverse("reports:create"), {"kind": "resume", "cadre": "le van trung"})
    assert resp.status_code == 422
    body = resp.content.decode()
    assert "Có 2 cán bộ khớp" in body and "CB900001" in body and "CB900002" in body
    resp = client.post(reverse("reports:create"), {"kind": "resume", "cadre": "khong ai ca"})
    assert resp.status_code == 404
    assert "Không tìm thấy cán bộ «khong ai ca»" in resp.content.decode()
    assert not ReportJob.objects.exists()


def test_a_unit_is_asked_by_name_or_code(scene, make_user, client):
    client.force_login(make_user("board_staff", scene.province))
    resp = client.post(
        reverse("reports:create"),
        {"kind": "structure-summary", "unit": f"{scene.commune.name} ({scene.commune.code})"},
    )
    assert resp.status_code == 302
    assert ReportJob.objects.get().unit == scene.commune


def test_the_minutes_are_asked_by_their_round_chosen_from_a_list(scene, make_user, client):
    client.force_login(make_user("board_staff", scene.province))
    page = client.get(reverse("reports:home")).content.decode()
    assert f'<option value="{scene.round.pk}"' in page
    assert "bước 1" in page
    resp = client.post(
        reverse("reports:create"), {"kind": "ballot-minutes", "round": scene.round.pk}
    )
    assert resp.status_code == 302
    assert ReportJob.objects.get().unit == scene.commune


@pytest.fixture
def committed_scene(transactional_db):
    """The scene in committed rows, for a render thread's own connection to read. Another
    transactional test may have flushed the catalogue the migrations loaded: load it."""
    from personnel.catalogue import ensure_catalogue
    from personnel.services.ruleset_versions import latest_ruleset
    from tests.reports.scene import build_scene

    ensure_catalogue()
    latest_ruleset()  # the stored preset, as the migrations leave it
    return build_scene()


@pytest.mark.django_db(transaction=True)
def test_under_make_run_a_render_runs_in_a_thread_and_the_page_follows_it(
    committed_scene, make_user, client, settings
):
    import time

    scene = committed_scene
    settings.REPORT_JOBS_IN_THREAD = True
    client.force_login(make_user("board_staff", scene.province))
    started = time.monotonic()
    resp = create(client, scene)
    assert resp.status_code == 302
    job = ReportJob.objects.get()
    # The request returned before the document was rendered; the job page polls.
    page = client.get(reverse("reports:job", args=[job.pk])).content.decode()
    assert "Trạng thái" in page
    while time.monotonic() - started < 120:
        job.refresh_from_db()
        if job.is_finished:
            break
        time.sleep(0.2)
    assert job.status == "done", job.error
    assert (
        "Tải văn bản" in client.get(reverse("reports:job_status", args=[job.pk])).content.decode()
    )
