"""A Celery task for `bench_pdf`: renders the benchmark's hand-built 2,000-row list inside a
worker process, as `congress.render_report` renders a real one there (its parts fanned out to
the worker's other processes by `congress.reports.fanout`), and writes the outcome to a file,
since the project keeps no Celery result store. Loaded only by the benchmark's worker
(`celery -A congress worker -I bench.pdf_tasks`)."""

from __future__ import annotations

import json
import time
from pathlib import Path

from celery import shared_task


@shared_task(name="bench.render_list")
def render_list(spec: dict) -> None:
    from django.test import override_settings

    from bench.bench_pdf import _context
    from congress.reports import render

    ctx = _context(spec["rows"])
    if spec.get("renamed") is not None:
        ctx = dict(ctx, rows=[dict(r) for r in ctx["rows"]])
        ctx["rows"][spec["renamed"]]["name"] = "Hoàng Thị Đổi Mới"
    if spec.get("code"):
        ctx["doc"] = dict(ctx["doc"], code=spec["code"])
    stats: dict = {}
    started = time.perf_counter()
    with override_settings(PDF_ACCEL=spec.get("accel", True)):
        pdf = render.render_pdf(ctx, stats=stats)
    out = {"seconds": time.perf_counter() - started, "bytes": len(pdf), "stats": stats}
    tmp = Path(spec["out"] + ".tmp")
    tmp.write_text(json.dumps(out))
    tmp.replace(spec["out"])
