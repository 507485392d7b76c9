"""Background jobs that survive a dead worker and a dead broker.

A job row is the truth. Every job kind (a structure recompute, a document render, an import)
is a model inheriting `Job`, names its Celery task in `task_name`, and goes through these
steps:

1. `job_send(job)` hands the job to the broker after the transaction commits. Sending may
   fail (Redis down): the request still succeeds, the row stays `queued` with no `sent_at`,
   and the sweeper sends it again when the broker is back (the outbox).
2. The task claims the row with `job_claim()`: a compare-and-set that moves it to `running`
   with a lease (`lease_until`) and counts the attempt. A duplicate delivery finds it taken;
   a delivery after the lease expired (the worker died) takes it again.
3. Progress calls `job_progress()`, which also extends the lease (the heartbeat).
4. `job_done()` or `job_fail()` end it; a failure carries a Vietnamese reason the user can
   act on, never a path or a traceback.

`sweep_jobs()` (a periodic task, `personnel.sweep_jobs`, run by Celery beat) re-sends queued
jobs whose sending failed or whose message was lost, and takes back expired leases: the job
is queued again until it has used `max_attempts`, then failed with a reason.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import ClassVar

from celery import current_app
from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone

log = logging.getLogger("congress.jobs")

# A queued job not claimed this long after it was sent is sent again (its message was lost,
# e.g. a broker restarted without persistence). A duplicate is harmless: claims are atomic.
RESEND_AFTER = timedelta(seconds=120)

LOST_MESSAGE = (
    "Máy chủ xử lý bị gián đoạn nhiều lần nên chưa hoàn thành được yêu cầu. "
    "Vui lòng gửi lại yêu cầu; nếu vẫn lỗi, báo cho quản trị hệ thống."
)


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Đang chờ"
    RUNNING = "running", "Đang thực hiện"
    DONE = "done", "Hoàn tất"
    FAILED = "failed", "Lỗi"


class Job(models.Model):
    """What every background job row carries. Subclasses set `task_name` (the Celery task
    that takes the job's id), `lease_seconds` and `max_attempts`."""

    Status = JobStatus

    status = models.CharField(
        "trạng thái", max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField("tiến độ (%)", default=0)
    error = models.TextField("lỗi", blank=True)
    created_at = models.DateTimeField("tạo lúc", default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("số lần thực hiện", default=0)
    lease_until = models.DateTimeField(null=True, blank=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    task_name: ClassVar[str] = ""
    lease_seconds: ClassVar[int] = 300
    max_attempts: ClassVar[int] = 3

    class Meta:
        abstract = True

    @classmethod
    def sendable(cls, queued: models.QuerySet) -> models.QuerySet:
        """Which of the queued jobs may go to a worker now (a job waiting for its parts
        may not)."""
        return queued

    @classmethod
    def sweep(cls) -> int:
        """What the kind's sweep does besides re-sending and taking back leases."""
        return 0

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def is_waiting_for_worker(self) -> bool:
        """Queued and not handed to a worker yet (the broker was unreachable)."""
        return self.status == JobStatus.QUEUED and self.sent_at is None


def lease_seconds(job_class: type[Job]) -> int:
    """The job kind's lease, or the installation's `JOB_LEASE_SECONDS` when set (shorter in
    the chaos run, so a dead worker's job comes back within seconds)."""
    return getattr(settings, "JOB_LEASE_SECONDS", 0) or job_class.lease_seconds


def job_models() -> list[type[Job]]:
    return [m for m in apps.get_models() if issubclass(m, Job) and m.task_name]


def _task(job_class: type[Job]):
    return current_app.tasks[job_class.task_name]


def _send_now(job_class: type[Job], pk: int) -> bool:
    """Give the job to the broker; False (logged) when the broker cannot take it."""
    try:
        _task(job_class).apply_async(args=[pk])
    except Exception:  # noqa: BLE001 - any broker failure leaves the job for the sweeper
        log.warning(
            "could not send %s %s; the sweeper will retry", job_class.__name__, pk, exc_info=True
        )
        return False
    # sent_at records the hand-over. Under eager execution (no broker) the task has run
    # already, and every job task starts with `job_claim`, which set it.
    if not current_app.conf.task_always_eager:
        job_class.objects.filter(pk=pk, sent_at__isnull=True).update(sent_at=timezone.now())
    return True


def job_send(job: Job) -> None:
    """Hand the job to a worker once the current transaction commits (at once outside one)."""
    job_class, pk = type(job), job.pk
    transaction.on_commit(lambda: _send_now(job_class, pk))


def job_claim(job_class: type[Job], pk: int) -> Job | None:
    """Take the job for this worker: queued, or running with an expired lease (its worker
    died). None when another delivery has it, it is finished, or it is gone."""
    now = timezone.now()
    claimable = Q(status=JobStatus.QUEUED) | Q(status=JobStatus.RUNNING, lease_until__lt=now)
    taken = job_class.objects.filter(claimable, pk=pk, attempts__lt=job_class.max_attempts).update(
        status=JobStatus.RUNNING,
        attempts=F("attempts") + 1,
        lease_until=now + timedelta(seconds=lease_seconds(job_class)),
        started_at=now,
        sent_at=now,
    )
    if not taken:
        # A job that has used every attempt is failed, not left running forever.
        job_class.objects.filter(claimable, pk=pk, attempts__gte=job_class.max_attempts).update(
            status=JobStatus.FAILED, error=LOST_MESSAGE, finished_at=now, lease_until=None
        )
        return None
    return job_class.objects.get(pk=pk)


def job_progress(job: Job, percent: int | None = None, **fields) -> None:
    """Record progress and extend the lease: a job that reports is alive."""
    updates = dict(fields)
    updates["lease_until"] = timezone.now() + timedelta(seconds=lease_seconds(type(job)))
    if percent is not None:
        updates["progress"] = max(0, min(99, int(percent)))
    type(job).objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(**updates)


def job_done(job: Job, **fields) -> None:
    type(job).objects.filter(pk=job.pk).update(
        status=JobStatus.DONE,
        progress=100,
        finished_at=timezone.now(),
        lease_until=None,
        error="",
        **fields,
    )


def job_fail(job: Job, message: str) -> None:
    """End the job with a reason the user can read and act on."""
    type(job).objects.filter(pk=job.pk).update(
        status=JobStatus.FAILED, error=message[:4000], finished_at=timezone.now(), lease_until=None
    )


def sweep_jobs(now=None) -> dict[str, int]:
    """Re-send what was not sent or was lost, and take back expired leases. Returns counts."""
    now = now or timezone.now()
    counts = {"resent": 0, "requeued": 0, "failed": 0}
    for job_class in job_models():
        expired = job_class.objects.filter(status=JobStatus.RUNNING, lease_until__lt=now)
        counts["failed"] += expired.filter(attempts__gte=job_class.max_attempts).update(
            status=JobStatus.FAILED, error=LOST_MESSAGE, finished_at=now, lease_until=None
        )
        counts["requeued"] += expired.update(status=JobStatus.QUEUED, sent_at=None)
        job_class.sweep()  # after the leases: a job failed just now is seen at once
        waiting = job_class.sendable(
            job_class.objects.filter(status=JobStatus.QUEUED).filter(
                Q(sent_at__isnull=True) | Q(sent_at__lt=now - RESEND_AFTER)
            )
        )
        for pk in waiting.values_list("pk", flat=True)[:500]:
            # Mark the attempt to send first, so two sweepers do not both send it.
            job_class.objects.filter(pk=pk, status=JobStatus.QUEUED).update(sent_at=now)
            if _send_now(job_class, pk):
                counts["resent"] += 1
            else:
                job_class.objects.filter(pk=pk, sent_at=now).update(sent_at=None)
                break  # the broker is down: the next sweep tries again
    return counts
