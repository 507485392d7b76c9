"""Celery tasks of the registry layer: the job sweeper every job kind relies on."""

from celery import shared_task

from personnel.jobs import sweep_jobs


@shared_task(name="personnel.sweep_jobs", ignore_result=True)
def sweep_jobs_task() -> dict:
    """Run by Celery beat (`make beat`, or `make worker`, which embeds it): re-sends queued
    jobs the broker never got and takes back the leases of dead workers."""
    return sweep_jobs()
