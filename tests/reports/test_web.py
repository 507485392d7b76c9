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
    response = create(client, scene, kind="resume", cadre=stranger.pk)
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
