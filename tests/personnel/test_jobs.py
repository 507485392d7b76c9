"""Jobs that survive a dead worker and a dead broker (personnel/jobs.py), shown on the
structure recompute job."""

from datetime import timedelta

import pytest
from django.utils import timezone
from kombu.exceptions import OperationalError

from congress.models import RecomputeJob, StructureSnapshot
from congress.services.structure import enqueue_recompute
from congress.tasks import recompute_structure_task
from personnel.jobs import LOST_MESSAGE, sweep_jobs
from tests.congress.builders import committee

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(recompute_structure_task, "apply_async", refuse)
    return monkeypatch


def test_a_job_the_broker_refused_waits_and_runs_when_the_broker_returns(
    province, commune, broker_down, django_capture_on_commit_callbacks
):
    committee(commune, women=2, men=8)
    with django_capture_on_commit_callbacks(execute=True):
        job = enqueue_recompute(unit_ids=[commune.pk])
    job.refresh_from_db()
    # The write that asked for it succeeded; the job waits, marked as not handed over.
    assert job.status == "queued" and job.sent_at is None and job.is_waiting_for_worker
    assert sweep_jobs()["resent"] == 0  # still down: nothing lost, nothing sent
    broker_down.undo()
    assert sweep_jobs()["resent"] == 1
    job.refresh_from_db()
    assert job.status == "done"
    assert StructureSnapshot.objects.filter(unit=commune).exists()


def test_a_job_run_in_process_is_done_and_not_left_for_the_sweeper(
    province, commune, django_capture_on_commit_callbacks
):
    """Without a broker (`make run`) the job runs as it is handed over: its claim records
    the hand-over, and the sweeper finds nothing to send again."""
    committee(commune, women=2, men=8)
    with django_capture_on_commit_callbacks(execute=True):
        job = enqueue_recompute(unit_ids=[commune.pk])
    job.refresh_from_db()
    assert job.status == "done" and job.sent_at is not None and not job.is_waiting_for_worker
    assert sweep_jobs() == dict.fromkeys(sweep_jobs(), 0)


def test_a_job_whose_worker_died_is_taken_again_after_its_lease(province, commune):
    committee(commune, women=2, men=8)
    job = RecomputeJob.objects.create(root=commune, unit_ids=[commune.pk])
    # A worker claimed it and died: running, lease not yet expired.
    RecomputeJob.objects.filter(pk=job.pk).update(
        status="running", attempts=1, lease_until=timezone.now() + timedelta(minutes=5)
    )
    assert recompute_structure_task.apply(args=[job.pk]).get() == {"skipped": True}
    assert not StructureSnapshot.objects.exists()
    # The lease expires: the sweeper queues it again and sends it.
    RecomputeJob.objects.filter(pk=job.pk).update(lease_until=timezone.now() - timedelta(1))
    counts = sweep_jobs()
    assert counts["requeued"] == 1 and counts["resent"] == 1
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("done", 2)
    # A late redelivery of the first message changes nothing.
    assert recompute_structure_task.apply(args=[job.pk]).get() == {"skipped": True}


def test_a_job_that_keeps_dying_fails_with_a_reason(province, commune):
    job = RecomputeJob.objects.create(root=commune)
    RecomputeJob.objects.filter(pk=job.pk).update(
        status="running", attempts=RecomputeJob.max_attempts,
        lease_until=timezone.now() - timedelta(seconds=1),
    )  # fmt: skip
    assert sweep_jobs()["failed"] == 1
    job.refresh_from_db()
    assert job.status == "failed" and job.error == LOST_MESSAGE
    assert "/" not in job.error and "Traceback" not in job.error


def test_a_message_lost_by_the_broker_is_sent_again(province, commune):
    committee(commune, women=2, men=8)
    job = RecomputeJob.objects.create(root=commune, unit_ids=[commune.pk])
    # Sent long ago, never claimed: the broker restarted without persistence.
    RecomputeJob.objects.filter(pk=job.pk).update(sent_at=timezone.now() - timedelta(hours=1))
    assert sweep_jobs()["resent"] == 1
    job.refresh_from_db()
    assert job.status == "done"
