"""Requests for official documents: a job row the worker renders."""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connections, transaction

from congress.models import ReportJob
from personnel.models import PartyUnit

log = logging.getLogger("congress.reports")


@transaction.atomic
def report_job_request(*, kind: str, params: dict[str, Any], user, unit: PartyUnit) -> ReportJob:
    """Record the request and hand it to a worker once the row is committed."""
    job = ReportJob.objects.create(kind=kind, params=params, user=user, unit=unit)
    transaction.on_commit(lambda: _start(job.pk))
    return job


def _start(job_id: int) -> None:
    from congress.tasks import render_report_task

    if getattr(settings, "REPORT_JOBS_IN_THREAD", False):
        # No worker (`make run`): Celery would run the task eagerly inside the request and
        # the page would hang until the PDF is done. A thread lets the request return at
        # once and the job page poll the progress the task writes, as with a real worker.
        threading.Thread(
            target=_run_in_thread, args=(job_id,), name=f"report-job-{job_id}", daemon=True
        ).start()
    else:
        render_report_task.delay(job_id)


def _run_in_thread(job_id: int) -> None:
    from congress.tasks import render_report_task

    close_old_connections()
    try:
        render_report_task.apply(args=(job_id,))
    except Exception:  # noqa: BLE001 - the task records its own failures; log anything else
        log.exception("report job %s failed in its thread", job_id)
    finally:
        connections.close_all()
