"""Celery tasks of the registry: take ids, load, call a service; and the job sweeper every
job kind relies on."""

from __future__ import annotations

from celery import shared_task

from personnel.jobs import sweep_jobs
from personnel.services.imports import import_job_run


@shared_task(acks_late=True, name="personnel.run_import_job")
def run_import_job(job_id: int) -> bool:
    """Check or import an uploaded spreadsheet. Idempotent: a duplicate delivery finds the
    job no longer queued and does nothing. Without a broker (`REDIS_URL` unset) it runs
    in-process, after the request's commit."""
    return import_job_run(job_id=job_id)


@shared_task(name="personnel.sweep_jobs", ignore_result=True)
def sweep_jobs_task() -> dict:
    """Run by Celery beat (`make beat`): re-sends queued jobs the broker never got and takes
    back the leases of dead workers."""
    return sweep_jobs()
