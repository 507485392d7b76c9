"""Celery tasks: take ids, load, call a service."""

from __future__ import annotations

import logging
from pathlib import Path

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db.models import F
from django.utils import timezone

from congress.models import RecomputeJob, ReportJob
from congress.reports.data import ReportError
from congress.reports.documents import produce
from congress.services.structure import recompute_structure
from personnel.jobs import job_claim, job_done, job_fail, job_progress
from personnel.models import PartyUnit

log = logging.getLogger("congress.tasks")
Status = ReportJob.Status

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

    def progress(done: int, total: int) -> None:
        job_progress(job, 100 * done // total if total else 0, done=done, total=total)

    try:
        if listed is not None:
            existing = list(PartyUnit.objects.filter(pk__in=listed).values_list("pk", flat=True))
            stats = recompute_structure(unit_ids=existing, progress=progress)
        else:
            stats = recompute_structure(root=job.root, progress=progress)
    except SoftTimeLimitExceeded:
        job_fail(job, "Tính cơ cấu quá thời gian cho phép; hệ thống sẽ tính lại ở lần sau.")
        raise
    except Exception:
        job_fail(job, "Lỗi khi tính cơ cấu; quản trị hệ thống đã được ghi nhận sự cố.")
        log.exception("recompute job %s failed", job_id)
        raise
    job_done(job, done=F("total"))
    return stats


@shared_task(acks_late=True, name="congress.render_report")
def render_report_task(job_id: int) -> dict:
    """Idempotent: only the delivery that moves the job from queued to running renders it; a
    duplicate delivery (acks_late after a worker loss) finds it taken and does nothing."""
    claimed = ReportJob.objects.filter(id=job_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=timezone.now(), progress=1
    )
    if not claimed:
        log.info("report job %s already taken, skipping duplicate delivery", job_id)
        return {"skipped": True}
    job = ReportJob.objects.select_related("unit", "user").get(pk=job_id)

    def progress(percent: int) -> None:
        ReportJob.objects.filter(pk=job_id, status=Status.RUNNING).update(
            progress=max(1, min(99, percent))
        )

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
            path.write_bytes(content)
            written.append(path)
        return base

    def discard(base: str) -> None:
        for suffix in (".pdf", ".docx"):
            (folder / f"{base}{suffix}").unlink(missing_ok=True)

    def finish(issued, base: str) -> None:
        ReportJob.objects.filter(pk=job_id).update(
            status=Status.DONE,
            progress=100,
            file_path=f"reports/{base}.pdf",
            docx_path=f"reports/{base}.docx",
            document=issued,
            finished_at=timezone.now(),
        )

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
    except ReportError as exc:
        _cleanup(written)
        _fail(job_id, str(exc))
        log.warning("report job %s refused: %s", job_id, exc)
        return {"failed": True}
    except Exception as exc:  # noqa: BLE001 - the page must say why, never stay empty
        _cleanup(written)
        _fail(job_id, f"Lỗi khi tạo văn bản ({type(exc).__name__}): {exc}")
        log.exception("report job %s failed", job_id)
        return {"failed": True}
    return {"document": produced.issued.code}


def _cleanup(paths: list[Path]) -> None:
    """Files of a render that registered nothing: no document claims them."""
    for path in paths:
        path.unlink(missing_ok=True)


def _fail(job_id: int, message: str) -> None:
    ReportJob.objects.filter(pk=job_id).update(
        status=Status.FAILED, error=message[:4000], finished_at=timezone.now()
    )
