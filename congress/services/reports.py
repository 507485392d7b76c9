"""Requests for official documents: a job row the worker renders."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from congress.models import ReportJob
from personnel.models import PartyUnit


@transaction.atomic
def report_job_request(*, kind: str, params: dict[str, Any], user, unit: PartyUnit) -> ReportJob:
    """Record the request and hand it to a worker once the row is committed."""
    from congress.tasks import render_report_task

    job = ReportJob.objects.create(kind=kind, params=params, user=user, unit=unit)
    transaction.on_commit(lambda: render_report_task.delay(job.pk))
    return job
