"""Requests for official documents: a job row the worker renders."""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connections, transaction
from django.utils import timezone

from congress.models import ReportJob
from personnel.jobs import job_send
from personnel.models import PartyUnit

log = logging.getLogger("congress.reports")


@transaction.atomic
def report_job_request(*, kind: str, params: dict[str, Any], user, unit: PartyUnit) -> ReportJob:
    """Record the request (the row is the truth) and hand it to a worker once the row is
    committed. The broker being down fails nothing: the job waits, the sweeper sends it."""
    job = ReportJob.objects.create(kind=kind, params=params, user=user, unit=unit)
    if getattr(settings, "REPORT_JOBS_IN_THREAD", False):
        transaction.on_commit(lambda: _start_thread(job.pk))
    else:
        job_send(job)
    return job


def _start_thread(job_id: int) -> None:
    """No worker (`make run`): Celery would run the task eagerly inside the request and the
    page would hang until the PDF is done. A thread lets the request return at once and the
    job page poll the progress the task writes, as with a real worker."""
    ReportJob.objects.filter(pk=job_id, sent_at__isnull=True).update(sent_at=timezone.now())
    threading.Thread(
        target=_run_in_thread, args=(job_id,), name=f"report-job-{job_id}", daemon=True
    ).start()


def _run_in_thread(job_id: int) -> None:
    from congress.tasks import render_report_task

    close_old_connections()
    try:
        render_report_task.apply(args=(job_id,))
    except Exception:  # noqa: BLE001 - the task records its own failures; log anything else
        log.exception("report job %s failed in its thread", job_id)
    finally:
        connections.close_all()
