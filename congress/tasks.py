"""Celery tasks: take ids, load, call a service."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db.models import F
from django.utils import timezone

from congress.models import RecomputeJob
from congress.services.structure import recompute_structure
from personnel.models import PartyUnit

log = logging.getLogger("congress.tasks")


@shared_task(acks_late=True, name="congress.recompute_structure")
def recompute_structure_task(job_id: int, unit_ids: list[int] | None = None) -> dict:
    """Recompute a job's subtree (or its listed units). Idempotent: a duplicate delivery
    finds the job no longer queued and does nothing; a rerun on unchanged data writes no
    snapshot (input hashes match)."""
    claimed = RecomputeJob.objects.filter(id=job_id, status=RecomputeJob.Status.QUEUED).update(
        status=RecomputeJob.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        log.info("recompute job %s already taken, skipping duplicate delivery", job_id)
        return {"skipped": True}
    job = RecomputeJob.objects.select_related("root").get(pk=job_id)

    def progress(done: int, total: int) -> None:
        RecomputeJob.objects.filter(pk=job_id).update(done=done, total=total)

    try:
        if unit_ids is not None:
            existing = list(PartyUnit.objects.filter(pk__in=unit_ids).values_list("pk", flat=True))
            stats = recompute_structure(unit_ids=existing, progress=progress)
        else:
            stats = recompute_structure(root=job.root, progress=progress)
    except Exception as exc:
        RecomputeJob.objects.filter(pk=job_id).update(
            status=RecomputeJob.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        log.exception("recompute job %s failed", job_id)
        raise
    RecomputeJob.objects.filter(pk=job_id).update(
        status=RecomputeJob.Status.DONE, finished_at=timezone.now(), done=F("total")
    )
    return stats
