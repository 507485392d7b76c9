"""The parts of a long document rendered by Celery workers and joined by the document's job
(congress/reports/fanout.py): a failed part fails the document with its reason, a part whose
renderer died is taken again, and real worker processes render parts through Redis."""

import os
import re
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.db import connection
from django.utils import timezone

from congress.celery import app
from congress.models import RenderPart
from congress.reports import fanout, htmlpdf, render
from tests.reports.conftest import MM, pdf_pages
from tests.reports.test_part_cache import pypdf_pages
from tests.reports.test_render import sample_context

ROOT = Path(__file__).resolve().parents[2]
Status = RenderPart.Status


def part(**fields) -> RenderPart:
    defaults = {"batch": uuid.uuid4(), "index": 0, "key": "k", "html": "<p>Phần</p>"}
    return RenderPart.objects.create(**{**defaults, **fields})


def test_a_part_that_fails_fails_the_document_with_its_reason_and_leaves_no_rows():
    html = '<img src="file:///etc/hostname">'
    with pytest.raises(fanout.PartFailed, match="Chỉ được dùng tệp tĩnh của dự án"):
        fanout.render_parts([("<p>Một</p>", True), (html, True)], ["a", "b"])
    assert not RenderPart.objects.exists()
    pdf, pages = fanout.render_parts([("<p>Sau lỗi</p>", True)], ["c"])[0]
    assert pdf.startswith(b"%PDF") and pages == 1


def test_a_part_over_its_time_limit_fails_the_document(monkeypatch):
    def too_long(*args):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(htmlpdf, "render_counted", too_long)
    with pytest.raises(fanout.PartFailed, match="SoftTimeLimitExceeded"):
        fanout.render_parts([("<p>x</p>", True)], ["a"])


def test_a_part_whose_renderer_died_is_taken_again_after_its_lease():
    gone = part(
        status=Status.RUNNING, attempts=1, lease_until=timezone.now() - timedelta(seconds=1)
    )
    alive = part(
        index=1,
        status=Status.RUNNING,
        attempts=1,
        lease_until=timezone.now() + timedelta(seconds=60),
    )
    assert fanout.render_one(alive.pk) is False  # someone is on it: the task skips
    assert fanout.render_one(gone.pk) is True
    gone.refresh_from_db()
    assert gone.status == Status.DONE and gone.attempts == 2 and gone.pages == 1
    assert gone.rendered_by == fanout.renderer_name()


def test_a_part_that_killed_its_renderers_too_often_fails():
    dead = part(
        status=Status.RUNNING,
        attempts=fanout.MAX_ATTEMPTS,
        lease_until=timezone.now() - timedelta(seconds=1),
    )
    assert fanout.render_one(dead.pk) is False
    dead.refresh_from_db()
    assert dead.status == Status.FAILED and "never finished" in dead.error


def test_a_task_for_a_document_already_joined_does_nothing():
    assert fanout.render_one(987654321) is False


def test_a_part_time_limit_ends_before_its_lease():
    from congress.tasks import render_part_task

    assert render_part_task.soft_time_limit < render_part_task.time_limit < fanout.PART_LEASE_S
    assert render_part_task.acks_late and render_part_task.reject_on_worker_lost


def _worker(queue: str, processes: int) -> subprocess.Popen:
    db = connection.settings_dict
    env = dict(os.environ)
    env["DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env["CELERY_QUEUE"] = queue
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "congress", "worker", "-P", "prefork",
         "-c", str(processes), "-Q", queue, "--without-heartbeat", "--without-mingle",
         "--without-gossip", "-l", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_real_worker_processes_render_parts_of_a_long_document(tmp_path):
    """Two worker processes through Redis take parts of a 400-row list while this process
    renders from the other end; the joined PDF is numbered over the whole document."""
    queue = f"test-parts-{uuid.uuid4().hex[:8]}"
    worker = _worker(queue, 2)
    old_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    try:
        time.sleep(3)  # the worker's processes start (a part sent earlier waits in Redis)
        stats: dict = {}
        pdf = tmp_path / "list.pdf"
        pdf.write_bytes(render.render_pdf(sample_context(400), chunk_rows=40, stats=stats))
    finally:
        app.conf.task_default_queue = old_queue
        worker.terminate()
        worker.wait(timeout=30)
    # Ten parts and the blocks of page numbers, plus the footer (rendered, never cached).
    assert stats["parts_rendered"] >= 11
    assert stats["parts_elsewhere"] >= 1, stats  # the workers took some
    assert stats["parts_here"] + stats["parts_elsewhere"] == stats["parts_rendered"] + 1
    pages = pdf_pages(pdf)
    tops = [[w.text for w in p.words if w.text.isdigit() and w.y1 < 20 * MM] for p in pages]
    assert tops == [[]] + [[str(i)] for i in range(2, len(pages) + 1)]
    words = " ".join(" ".join(pypdf_pages(pdf.read_bytes())).split())  # a cell may wrap
    # Every row, in order: the parts were joined in their places whoever rendered them.
    positions = [
        re.search(rf"Nguyễn Văn {given} {i}(?!\d)", words).start()
        for i, given in ((0, "An"), (199, "Nga"), (399, "Nga"))
    ]
    assert positions == sorted(positions)
    assert words.count("Mã văn bản: ABCDEFGH23") == len(pages)
    assert not RenderPart.objects.exists()
