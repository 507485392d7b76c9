"""Issue 13, cases 1, 2 and 5 on documents: a render survives a dead worker and a dead
broker, never takes a second number, and a failure tells the user what to do without a
path or an exception's name."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from congress.models import IssuedDocument, ReportJob
from congress.tasks import render_report_task
from personnel.jobs import LOST_MESSAGE, sweep_jobs

pytestmark = pytest.mark.django_db


def _request(client, **extra):
    data = {"kind": "nominee-list", "unit": "X01", "term": "2025-2030", **extra}
    return client.post(reverse("reports:create"), data)


@pytest.fixture
def staff(scene, make_user, client):
    user = make_user("board_staff", scene.province)
    client.force_login(user)
    return user


@pytest.fixture
def broker_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(render_report_task, "apply_async", refuse)
    return monkeypatch


def _files(settings) -> set[str]:
    folder = Path(settings.MEDIA_ROOT) / "reports"
    return {p.name for p in folder.glob("*")} if folder.exists() else set()


def test_with_the_broker_down_the_request_succeeds_and_the_job_runs_when_it_returns(
    staff, client, broker_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _request(client)
    assert response.status_code == 302
    job = ReportJob.objects.get()
    assert job.status == "queued" and job.is_waiting_for_worker
    page = client.get(reverse("reports:job_status", args=[job.pk])).content.decode()
    assert "sẽ tự chạy khi máy chủ sẵn sàng" in page and "không cần gửi lại" in page
    assert sweep_jobs()["resent"] == 0
    broker_down.undo()
    assert sweep_jobs()["resent"] == 1
    job.refresh_from_db()
    assert job.status == "done", job.error
    assert IssuedDocument.objects.count() == 1


def test_a_render_whose_worker_died_is_rendered_again_with_one_number(staff, client):
    job = ReportJob.objects.create(
        kind="nominee-list", params={"term": "2025-2030"}, user=staff, unit=_unit("X01")
    )
    # The worker claimed it at 10 % and was killed: running, its lease still current.
    ReportJob.objects.filter(pk=job.pk).update(
        status="running", attempts=1, progress=10, lease_until=timezone.now() + timedelta(1)
    )
    # The broker redelivers the unacked message to the restarted worker: not yet its turn.
    assert render_report_task.apply(args=[job.pk]).get() == {"skipped": True}
    # The lease runs out: the sweeper takes the job back and sends it again.
    ReportJob.objects.filter(pk=job.pk).update(lease_until=timezone.now() - timedelta(1))
    counts = sweep_jobs()
    assert counts["requeued"] == 1 and counts["resent"] == 1
    job.refresh_from_db()
    assert (job.status, job.attempts, job.progress) == ("done", 2, 100)
    # A late duplicate of the first message changes nothing: still one document, one number.
    assert render_report_task.apply(args=[job.pk]).get() == {"skipped": True}
    assert IssuedDocument.objects.count() == 1


def test_a_render_overtaken_by_a_second_delivery_registers_nothing(
    staff, client, monkeypatch, settings
):
    """A worker that stalled past its lease while another delivery took the job over: its
    render, finishing late, must not take a number nor leave files."""
    job = ReportJob.objects.create(
        kind="nominee-list", params={"term": "2025-2030"}, user=staff, unit=_unit("X01")
    )
    before = _files(settings)
    import congress.tasks as tasks

    real_progress = tasks.job_progress

    def overtaken(j, percent=None, **fields):
        # Meanwhile the sweeper gave the job to another delivery (a new attempt).
        ReportJob.objects.filter(pk=j.pk).update(attempts=j.attempts + 1)
        real_progress(j, percent, **fields)

    monkeypatch.setattr(tasks, "job_progress", overtaken)
    assert render_report_task.apply(args=[job.pk]).get() == {"skipped": True}
    assert not IssuedDocument.objects.exists()
    assert _files(settings) == before
    job.refresh_from_db()
    assert job.status == "running"  # the other delivery's, untouched


def test_a_full_disk_fails_the_job_with_a_message_and_takes_no_number(
    staff, client, monkeypatch, settings, django_capture_on_commit_callbacks
):
    def full(self, data):
        raise OSError(28, "No space left on device", str(self))

    monkeypatch.setattr(Path, "write_bytes", full)
    with django_capture_on_commit_callbacks(execute=True):
        _request(client)
    job = ReportJob.objects.get()
    assert job.status == "failed"
    assert "ổ đĩa đầy" in job.error and "chưa được lấy số" in job.error
    assert "/" not in job.error and "OSError" not in job.error and "media" not in job.error
    assert not IssuedDocument.objects.exists()
    page = client.get(reverse("reports:job", args=[job.pk])).content.decode()
    assert "ổ đĩa đầy" in page and str(settings.MEDIA_ROOT) not in page


def test_an_unexpected_error_shows_no_internals(staff, client, monkeypatch):
    import congress.tasks as tasks

    def broken(*args, **kwargs):
        raise KeyError("/srv/congress/media/reports/secret-path.pdf")

    monkeypatch.setattr(tasks, "produce", broken)
    job = ReportJob.objects.create(
        kind="nominee-list", params={"term": "2025-2030"}, user=staff, unit=_unit("X01")
    )
    render_report_task.apply(args=[job.pk])
    job.refresh_from_db()
    assert job.status == "failed"
    assert "secret-path" not in job.error and "KeyError" not in job.error
    assert f"yêu cầu số {job.pk}" in job.error


def test_a_render_that_keeps_dying_fails_with_a_reason(staff):
    job = ReportJob.objects.create(
        kind="nominee-list", params={"term": "2025-2030"}, user=staff, unit=_unit("X01")
    )
    ReportJob.objects.filter(pk=job.pk).update(
        status="running",
        attempts=ReportJob.max_attempts,
        lease_until=timezone.now() - timedelta(seconds=1),
    )
    assert sweep_jobs()["failed"] == 1
    job.refresh_from_db()
    assert job.status == "failed" and job.error == LOST_MESSAGE
    assert not IssuedDocument.objects.exists()


def _unit(code):
    from personnel.models import PartyUnit

    return PartyUnit.objects.get(code=code)
