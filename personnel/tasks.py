"""Celery tasks of the registry: take ids, load, call a service."""

from __future__ import annotations

from celery import shared_task

from personnel.services.imports import import_job_run


@shared_task(acks_late=True, name="personnel.run_import_job")
def run_import_job(job_id: int) -> bool:
    """Check or import an uploaded spreadsheet. Idempotent: a duplicate delivery finds the
    job no longer queued and does nothing. Without a broker (`REDIS_URL` unset) it runs
    in-process, after the request's commit."""
    return import_job_run(job_id=job_id)
