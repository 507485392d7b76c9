"""The parts of a long document rendered by the Celery workers, joined by the document's job.

The job that renders a long document (the caller of `render_parts`) writes each part that is
not in the part cache as a `RenderPart` row and sends one `congress.render_part` task per row.
Any worker process, on any machine, renders the part its task names and stores the PDF in the
row. Meanwhile the caller does not sit idle: it takes parts that no worker has started (from
the last one backwards, while the tasks go from the first one forwards) and renders them itself,
then joins the rows in order once every one is done. So:

- with one worker process, the job that holds it renders every part (the tasks find them done
  and skip), and no job ever waits for a process it is itself occupying;
- with N processes, N parts render at once, the job's own process being one of them;
- under `make run` (no broker, tasks in-process), nothing is sent: the same loop renders every
  part here.

Celery's chord would need a result store; this project has none, since every job's state is in
its own row (and a result store in Redis hung requests while Redis was down). The join is
counted in the database instead, like the province recompute's parts.

A part has a lease: one whose worker died is taken again, by the caller or by a redelivered
task, after `PART_LEASE_S`; a part whose render failed, or that killed `MAX_ATTEMPTS`
renderers, fails the document with the reason in the log.
"""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from datetime import timedelta
from typing import Any

from django.db.models import F, Q
from django.utils import timezone
from weasyprint.urls import FatalURLFetchingError

from congress.models import RenderPart

log = logging.getLogger("congress.reports")

Status = RenderPart.Status
# A part renders in a second or a few; a worker silent this long has died.
PART_LEASE_S = 120
# A part taken this many times without finishing (its renderers died) fails the document.
MAX_ATTEMPTS = 3
# How often the caller looks at parts rendered elsewhere when none is left to take.
POLL_S = 0.05


class PartFailed(RuntimeError):
    """A part could not be rendered: the document fails with it."""


def _eager() -> bool:
    from celery import current_app

    return bool(current_app.conf.task_always_eager)


def renderer_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _claim(qs, *, descending: bool) -> tuple[int, int] | None:
    """Take one part of `qs` that nobody is rendering (queued, or its lease expired):
    (pk, attempt), or None when there is none. A conditional update decides between
    takers, so two processes never render the same attempt."""
    now = timezone.now()
    takeable = Q(status=Status.QUEUED) | Q(status=Status.RUNNING, lease_until__lt=now)
    order = "-index" if descending else "index"
    for pk, attempts in qs.filter(takeable).order_by(order).values_list("pk", "attempts")[:8]:
        if attempts >= MAX_ATTEMPTS:
            RenderPart.objects.filter(pk=pk, attempts=attempts).filter(takeable).update(
                status=Status.FAILED,
                error=f"the part was taken {attempts} times and never finished",
            )
            continue
        taken = (
            RenderPart.objects.filter(pk=pk, attempts=attempts)
            .filter(takeable)
            .update(
                status=Status.RUNNING,
                attempts=F("attempts") + 1,
                lease_until=now + timedelta(seconds=PART_LEASE_S),
            )
        )
        if taken:
            return pk, attempts + 1
    return None


def _render_claimed(pk: int, attempt: int) -> bool:
    """Render a part this process took and store the result in its row (False when the row
    is gone: the document was joined or abandoned meanwhile)."""
    from congress.reports.htmlpdf import render_counted
    from congress.reports.render import base_url, static_root

    row = RenderPart.objects.filter(pk=pk).values("html", "accelerate").first()
    if row is None:
        return False
    try:
        pdf, pages = render_counted(row["html"], base_url(), str(static_root()), row["accelerate"])
    # WeasyPrint's refused fetch is a BaseException; the fetcher's own reason is its cause.
    # Celery's soft time limit is an Exception: the part fails and the document with it.
    except (Exception, FatalURLFetchingError) as exc:
        reason = f"{type(exc).__name__}: {exc}"
        if exc.__cause__ is not None:
            reason += f" ({exc.__cause__})"
        RenderPart.objects.filter(pk=pk, attempts=attempt).update(
            status=Status.FAILED, error=reason[:4000], lease_until=None
        )
        log.warning("part %s of a document failed: %s", pk, reason)
        return True
    # Another process may store the same part after a lease expired: the same HTML gives the
    # same PDF, so whichever write lands is right.
    RenderPart.objects.filter(pk=pk).exclude(status=Status.DONE).update(
        status=Status.DONE, pdf=pdf, pages=pages, lease_until=None, rendered_by=renderer_name()
    )
    return True


def render_one(pk: int) -> bool:
    """What a `congress.render_part` task does: render the part if nobody else has taken it.
    True when this delivery rendered it."""
    claimed = _claim(RenderPart.objects.filter(pk=pk), descending=False)
    if claimed is None:
        return False
    return _render_claimed(*claimed)


def _send(pks: list[int]) -> int:
    """Hand the parts to the workers; how many went. A broker that cannot take them only
    means the caller renders them itself."""
    from celery import current_app

    task = current_app.tasks["congress.render_part"]
    sent = 0
    for pk in pks:
        try:
            task.apply_async(args=[pk])
        except Exception:  # noqa: BLE001 - the caller renders what did not go
            log.warning("could not send a document part to the workers", exc_info=True)
            break
        sent += 1
    return sent


def render_parts(
    jobs: list[tuple[str, bool]],
    keys: list[str],
    *,
    progress=None,
    stats: dict[str, Any] | None = None,
) -> list[tuple[bytes, int]]:
    """The PDFs and page counts of `jobs` ((html, accelerate) each, with their part-cache
    keys), rendered by the workers and by this process, in order."""
    batch = uuid.uuid4()
    rows = RenderPart.objects.bulk_create(
        RenderPart(batch=batch, index=i, key=key, html=html, accelerate=accelerate)
        for i, ((html, accelerate), key) in enumerate(zip(jobs, keys, strict=True))
    )
    parts = RenderPart.objects.filter(batch=batch)
    try:
        sent = 0 if _eager() or len(rows) < 2 else _send([row.pk for row in rows])
        here = 0
        while True:
            claimed = _claim(parts, descending=True)
            if claimed is not None:
                _render_claimed(*claimed)
                here += 1
                continue
            states = list(parts.values_list("status", "error"))
            failed = [error for status, error in states if status == Status.FAILED]
            if failed:
                raise PartFailed(failed[0])
            done = sum(1 for status, _ in states if status == Status.DONE)
            if progress:
                progress(done, len(states))
            if done == len(states):
                break
            time.sleep(POLL_S)
        results = [
            (bytes(pdf), pages)
            for pdf, pages in parts.order_by("index").values_list("pdf", "pages")
        ]
        if stats is not None:
            me = renderer_name()
            renderers = list(parts.values_list("rendered_by", flat=True))
            stats["parts_sent"] = stats.get("parts_sent", 0) + sent
            stats["parts_here"] = stats.get("parts_here", 0) + here
            stats["parts_elsewhere"] = stats.get("parts_elsewhere", 0) + sum(
                1 for who in renderers if who != me
            )
        return results
    finally:
        parts.delete()
