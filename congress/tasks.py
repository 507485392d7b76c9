"""Celery tasks: take ids, load, call a service."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db.models import F
from django.utils import timezone

from congress.models import RecomputeJob, ReportJob
from congress.reports import fanout
from congress.reports.data import ReportError
from congress.reports.documents import produce
from congress.services.structure import recompute_part_ended, recompute_structure
from personnel.jobs import job_claim, job_done, job_fail, job_progress

log = logging.getLogger("congress.tasks")
Status = ReportJob.Status

# How often a running recompute records its progress at most.
PROGRESS_EVERY_S = 1.0

# Celery's own limits: a soft limit the task can catch (it fails the job with a reason), and
# a hard one that kills the process (the lease then expires and the sweeper takes over).
RECOMPUTE_LIMITS = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "soft_time_limit": 540,
    "time_limit": 600,
}


@shared_task(name="congress.recompute_structure", **RECOMPUTE_LIMITS)
def recompute_structure_task(job_id: int, unit_ids: list[int] | None = None) -> dict:
    """Recompute a job's subtree (or its listed units). Idempotent: a duplicate delivery
    finds the job taken and does nothing; a rerun on unchanged data writes no snapshot
    (input hashes match); a delivery after a dead worker's lease takes it again."""
    job = job_claim(RecomputeJob, job_id)
    if job is None:
        log.info("recompute job %s already taken or finished, skipping", job_id)
        return {"skipped": True}
    listed = job.unit_ids if job.unit_ids is not None else unit_ids

    reported = [time.monotonic()]

    def progress(done: int, total: int) -> None:
        # Each report is a committed write: skip the two that show the page nothing new
        # (the start, when the claim already recorded this total, and the end, which
        # job_done records), and report at most once a `PROGRESS_EVERY_S`: a part that
        # ends in under that writes only its claim and its end, a long job still shows
        # its progress (and keeps its lease) as it goes.
        if done == total or (done == 0 and job.total == total):
            return
        now = time.monotonic()
        if done and now - reported[0] < PROGRESS_EVERY_S:
            return
        reported[0] = now
        job_progress(job, 100 * done // total if total else 0, done=done, total=total)

    try:
        if listed is not None:
            # Units deleted since the job was recorded are skipped: the recompute reads only
            # the listed units that exist. A part leaves its ancestors' roll-ups to its parent
            # job, which runs last and rebuilds them (its parts did not shift the stored
            # totals).
            stats = recompute_structure(
                unit_ids=listed,
                progress=progress,
                ancestors=job.parent_id is None,
                # Only a subtree's own job has parts (a part is never cut again).
                full_rollups=job.parent_id is None and job.parts.exists(),
            )
        else:
            stats = recompute_structure(root=job.root, progress=progress)
    except SoftTimeLimitExceeded:
        job_fail(job, "Tính cơ cấu quá thời gian cho phép; hệ thống sẽ tính lại ở lần sau.")
        recompute_part_ended(job, failed=True)
        raise
    except Exception:
        job_fail(job, "Lỗi khi tính cơ cấu; quản trị hệ thống đã được ghi nhận sự cố.")
        log.exception("recompute job %s failed", job_id)
        recompute_part_ended(job, failed=True)
        raise
    job_done(job, done=F("total"))
    recompute_part_ended(job)
    return stats


REPORT_LIMITS = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "soft_time_limit": 840,
    "time_limit": 900,
}

# What a user reads on the job's page when it failed: what happened and what to do, never a
# path, a traceback or an exception's name (those go to the log with the job's number).
DISK_MESSAGE = (
    "Máy chủ không ghi được tệp văn bản (ổ đĩa đầy hoặc không có quyền ghi). Văn bản chưa "
    "được lấy số. Vui lòng báo quản trị hệ thống, sau đó gửi lại yêu cầu."
)
TIMEOUT_MESSAGE = (
    "Văn bản quá lớn, chưa tạo xong trong thời gian cho phép. Văn bản chưa được lấy số. "
    "Hãy thử lại vào lúc ít người dùng hoặc báo quản trị hệ thống."
)


def failure_message(exc: BaseException, job_id: int) -> str:
    if isinstance(exc, SoftTimeLimitExceeded):
        return TIMEOUT_MESSAGE
    if isinstance(exc, OSError):
        return DISK_MESSAGE
    return (
        "Lỗi khi tạo văn bản; văn bản chưa được lấy số. Quản trị hệ thống đã được ghi nhận "
        f"sự cố (yêu cầu số {job_id}). Vui lòng gửi lại yêu cầu sau ít phút."
    )


class TakenOver(Exception):
    """This worker's lease expired and another delivery took the job: this render must not
    register a document (the transaction that would number it is rolled back)."""


@shared_task(name="congress.render_report", **REPORT_LIMITS)
def render_report_task(job_id: int) -> dict:
    """Idempotent: a delivery claims the job with a lease (`personnel.jobs.job_claim`); a
    duplicate finds it taken and does nothing; a delivery after a dead worker's lease takes
    it again. The document gets its number only in the transaction that marks this very
    attempt done, so a rerun never issues a second number."""
    job = job_claim(ReportJob, job_id)
    if job is None:
        log.info("report job %s already taken or finished, skipping", job_id)
        return {"skipped": True}
    job = ReportJob.objects.select_related("unit", "user").get(pk=job_id)
    attempt = job.attempts

    def progress(percent: int) -> None:
        job_progress(job, max(1, percent))

    # Rendering and writing the files happen outside any transaction: they may take long and
    # each progress update must be visible to the polling page at once. The document gets its
    # number in the transaction that marks the job done, after its files are written: a render
    # that fails or is killed takes no number.
    folder = Path(settings.MEDIA_ROOT) / "reports"
    written: list[Path] = []

    def save(code: str, pdf: bytes, docx: bytes) -> str:
        folder.mkdir(parents=True, exist_ok=True)
        base = f"{job.pk}-{job.kind}-{code}"
        for suffix, content in ((".pdf", pdf), (".docx", docx)):
            path = folder / f"{base}{suffix}"
            written.append(path)
            path.write_bytes(content)
        return base

    def discard(base: str) -> None:
        for suffix in (".pdf", ".docx"):
            (folder / f"{base}{suffix}").unlink(missing_ok=True)

    def finish(issued, base: str) -> None:
        mine = ReportJob.objects.filter(pk=job_id, status=Status.RUNNING, attempts=attempt)
        if not mine.update(
            status=Status.DONE,
            progress=100,
            file_path=f"reports/{base}.pdf",
            docx_path=f"reports/{base}.docx",
            document=issued,
            finished_at=timezone.now(),
            lease_until=None,
            error="",
        ):
            raise TakenOver(job_id)

    try:
        produced = produce(
            job.kind,
            job.unit.code,
            job.params,
            user=job.user,
            progress=progress,
            save=save,
            discard=discard,
            finish=finish,
        )
    except TakenOver:
        _cleanup(written)
        log.warning("report job %s: lease lost to another delivery, render discarded", job_id)
        return {"skipped": True}
    except ReportError as exc:
        _cleanup(written)
        _fail(job_id, attempt, str(exc))
        log.warning("report job %s refused: %s", job_id, exc)
        return {"failed": True}
    except SoftTimeLimitExceeded as exc:
        _cleanup(written)
        _fail(job_id, attempt, failure_message(exc, job_id))
        log.warning("report job %s over its time limit", job_id)
        return {"failed": True}
    except Exception as exc:  # noqa: BLE001 - the page must say why, never stay empty
        _cleanup(written)
        _fail(job_id, attempt, failure_message(exc, job_id))
        log.exception("report job %s failed", job_id)
        return {"failed": True}
    return {"document": produced.issued.code}


def _cleanup(paths: list[Path]) -> None:
    """Files of a render that registered nothing: no document claims them."""
    for path in paths:
        path.unlink(missing_ok=True)


def _fail(job_id: int, attempt: int, message: str) -> None:
    """Fail this attempt (a later delivery that took the job over is left alone)."""
    ReportJob.objects.filter(pk=job_id, status=Status.RUNNING, attempts=attempt).update(
        status=Status.FAILED, error=message[:4000], finished_at=timezone.now(), lease_until=None
    )


# A part renders in seconds; its lease (`fanout.PART_LEASE_S`) outlives both limits, so a
# killed part is taken again only once its renderer is surely gone.
PART_LIMITS = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "soft_time_limit": fanout.PART_LEASE_S - 20,
    "time_limit": fanout.PART_LEASE_S - 10,
}


@shared_task(name="congress.render_part", **PART_LIMITS)
def render_part_task(part_id: int) -> dict:
    """Render one part of a long document for the job that joins it (`reports.fanout`).
    Idempotent: a part already taken, done, or whose document is gone is skipped."""
    return {"rendered": fanout.render_one(part_id)}
