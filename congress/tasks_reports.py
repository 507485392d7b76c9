"""Render a requested document in a worker."""

from __future__ import annotations

import logging
from pathlib import Path

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from congress.models.reports import ReportJob
from congress.reports.data import ReportError
from congress.reports.documents import produce

log = logging.getLogger("congress.reports")

Status = ReportJob.Status


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

    # Rendering and writing the file happen outside any transaction: they may take long and
    # each progress update must be visible to the polling page at once.
    try:
        issued, pdf = produce(job.kind, job.unit.code, job.params, user=job.user, progress=progress)
        folder = Path(settings.MEDIA_ROOT) / "reports"
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{job.pk}-{job.kind}-{issued.code}.pdf"
        (folder / name).write_bytes(pdf)
    except ReportError as exc:
        _fail(job_id, str(exc))
        log.warning("report job %s refused: %s", job_id, exc)
        return {"failed": True}
    except Exception as exc:  # noqa: BLE001 - the page must say why, never stay empty
        _fail(job_id, f"Lỗi khi tạo văn bản ({type(exc).__name__}): {exc}")
        log.exception("report job %s failed", job_id)
        return {"failed": True}
    ReportJob.objects.filter(pk=job_id).update(
        status=Status.DONE,
        progress=100,
        file_path=f"reports/{name}",
        document=issued,
        finished_at=timezone.now(),
    )
    return {"document": issued.code}


def _fail(job_id: int, message: str) -> None:
    ReportJob.objects.filter(pk=job_id).update(
        status=Status.FAILED, error=message[:4000], finished_at=timezone.now()
    )
