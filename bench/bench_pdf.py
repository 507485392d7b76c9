"""PDF benchmark: a trích ngang of 2,000 nominees rendered as production renders it, inside a
Celery worker whose other processes take its parts (`congress.reports.fanout`), joined and
stamped with page numbers; against the same HTML rendered by one plain
`weasyprint.HTML(...).write_pdf()` call; the same with the accelerations off; the list issued
again after one row changed (its unchanged parts from the part cache); and the worker with 1
process against 2 (`pdf_workers_speedup`, issue 16's goal >= 1.7 on 2 cores).

The worker is a real `celery -A congress worker` on Redis (`BENCH_PDF_REDIS_URL`, its own
database and queue) and the benchmark's database; the times run from sending the task to its
output file (bench/pdf_tasks.py). Run from `bench/run.py bench_pdf`, or
`.venv/bin/python bench/bench_pdf.py` with DATABASE_URL set.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

N = int(os.environ.get("BENCH_PDF_ROWS", "2000"))


def _context(n: int) -> dict:
    from congress.reports.documents import document_context

    given = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Khánh", "Lan", "Minh", "Nga"]
    rows = [
        {
            "no": i + 1,
            "name": f"Nguyễn Văn {given[i % 10]}",
            "birth_male": ""
            if i % 3 == 0
            else f"{1 + i % 28:02d}/{1 + i % 12:02d}/{1965 + i % 30}",
            "birth_female": f"{1 + i % 28:02d}/{1 + i % 12:02d}/{1965 + i % 30}"
            if i % 3 == 0
            else "",
            "ethnicity": "Tày" if i % 11 == 0 else "Kinh",
            "religion": "Không",
            "hometown": "xã Đông Hải, tỉnh Thử Nghiệm",
            "party_entry": "19/05/2005",
            "party_confirmed": "19/05/2006",
            "general_education": "12/12",
            "education": "Đại học Luật",
            "academic_title": "",
            "theory": "Trung cấp",
            "state_management": "Chuyên viên",
            "foreign_language": "Tiếng Anh B1",
            "it_skill": "Tin học cơ bản",
            "current_post": "Phó Chủ tịch UBND xã Đông Hải",
            "proposed_post": "Ủy viên Ban Chấp hành",
            "status": "Tái cử" if i % 4 == 0 else "Lần đầu",
            "note": "Đủ TCCT",
        }
        for i in range(n)
    ]
    data = {
        "congress": "Đại hội Đảng bộ tỉnh Thử Nghiệm lần thứ I, nhiệm kỳ 2025-2030",
        "term": "2025-2030",
        "body": "Ban chấp hành",
        "seats": n - n // 10,
        "edition": 1,
        "state": "Dự thảo",
        "rows": rows,
    }
    header = {
        "issuing_body": "Tỉnh ủy Thử Nghiệm",
        "superior_body": "",
        "place": "Thử Nghiệm",
        "signer_title": "Bí thư",
        "signer_name": "Lê Quang Minh",
        "document_code": "TU",
        "on_behalf": "T/M BAN THƯỜNG VỤ",
    }
    return document_context(
        kind="nominee-list",
        title="DANH SÁCH TRÍCH NGANG",
        data=data,
        header=header,
        number=12,
        code="BENCH23456",
        data_hash="0" * 64,
        landscape=True,
    )


REDIS_URL = os.environ.get("BENCH_PDF_REDIS_URL", "redis://127.0.0.1:6379/14")
QUEUE = "bench-pdf"
ROOT = Path(__file__).resolve().parents[1]


class Worker:
    """A Celery worker of `processes` processes for the benchmark's tasks, its output files
    and part cache in `tmp`."""

    def __init__(self, processes: int, tmp: Path) -> None:
        from celery import Celery
        from django.db import connection

        self.tmp = tmp
        self.cache = tmp / "parts"
        db = connection.settings_dict
        env = {
            **os.environ,
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "REDIS_URL": REDIS_URL,
            "CELERY_QUEUE": QUEUE,
            "PDF_PART_CACHE_DIR": str(self.cache),
            "DJANGO_SETTINGS_MODULE": "congress.settings",
            "LOG_LEVEL": "ERROR",
        }
        env.pop("REQUIRE_SERVICES", None)
        self.log = tmp / f"worker-{processes}.log"
        self.proc = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "celery"), "-A", "congress", "worker", "-P", "prefork",
             "-c", str(processes), "-Q", QUEUE, "-I", "bench.pdf_tasks", "--without-heartbeat",
             "--without-mingle", "--without-gossip", "-l", "info"],
            cwd=ROOT, env=env, stdout=self.log.open("wb"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.app = Celery(broker=REDIS_URL)
        self.app.conf.broker_connection_retry_on_startup = True
        self.app.conf.task_default_queue = QUEUE
        deadline = time.monotonic() + 60
        while " ready." not in self.log.read_text(errors="replace"):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the Celery worker did not start: " + self.log.read_text())
            time.sleep(0.2)

    def render(self, rows: int, **spec) -> dict:
        """Send one render and wait for its output: seconds from the send, and its stats."""
        out = self.tmp / f"render-{uuid.uuid4().hex}.json"
        started = time.perf_counter()
        self.app.send_task("bench.render_list", args=[{"rows": rows, "out": str(out), **spec}])
        deadline = time.monotonic() + 600
        while not out.exists():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the render did not finish: " + self.log.read_text()[-3000:])
            time.sleep(0.01)
        seconds = time.perf_counter() - started
        return {**json.loads(out.read_text()), "wall": seconds}

    def clear_cache(self) -> None:
        shutil.rmtree(self.cache, ignore_errors=True)

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _warm(worker: Worker) -> None:
    """Fonts, imports and accelerations loaded in every process, so no figure pays them."""
    from congress.reports.render import CHUNK_ROWS

    for _ in range(2):
        worker.clear_cache()
        worker.render(CHUNK_ROWS * 6 + 1)


def run(results: dict) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        _run(results, Path(tmp))


def _run(results: dict, tmp: Path) -> None:
    import weasyprint

    from congress.reports import render
    from congress.reports.htmlpdf import StaticOnlyFetcher

    worker = Worker(2, tmp)
    try:
        _warm(worker)
        worker.clear_cache()
        cold = worker.render(N)
        results["pdf_nominee_list_2000_s"] = round(cold["wall"], 2)
        results["pdf_nominee_list_2000_bytes"] = cold["bytes"]
        results["pdf_nominee_list_2000_parts"] = cold["stats"]
        results["pdf_worker_processes"] = 2

        # The fallback: the same document with plain WeasyPrint.
        worker.clear_cache()
        results["pdf_nominee_list_2000_noaccel_s"] = round(worker.render(N, accel=False)["wall"], 2)

        # Issued again after one row changed: a new code (as `documents.produce` gives every
        # issue) and one name; the unchanged parts come from the cache.
        worker.clear_cache()
        first = worker.render(N)["wall"]
        again = worker.render(N, renamed=N // 2 + 17, code="BENCH65432")
        results["pdf_rerender_first_s"] = round(first, 2)
        results["pdf_rerender_one_row_s"] = round(again["wall"], 2)
        results["pdf_rerender_parts"] = again["stats"]
        results["pdf_rerender_ratio"] = round(again["wall"] / first, 3)
    finally:
        worker.stop()

    # The same cold render with one worker process: it renders every part itself.
    worker = Worker(1, tmp)
    try:
        _warm(worker)
        worker.clear_cache()
        one = worker.render(N)
        results["pdf_nominee_list_2000_1w_s"] = round(one["wall"], 2)
    finally:
        worker.stop()
    results["pdf_workers_speedup"] = round(
        results["pdf_nominee_list_2000_1w_s"] / results["pdf_nominee_list_2000_s"], 2
    )

    ctx = _context(N)
    html = render.render_html(ctx)  # the same document as one HTML, page numbers by CSS
    t = time.perf_counter()
    naive = weasyprint.HTML(
        string=html,
        base_url=render.base_url(),
        url_fetcher=StaticOnlyFetcher(str(render.static_root())),
    ).write_pdf()
    results["pdf_naive_2000_s"] = round(time.perf_counter() - t, 2)
    results["pdf_naive_2000_bytes"] = len(naive)
    results["pdf_speedup"] = round(
        results["pdf_naive_2000_s"] / results["pdf_nominee_list_2000_s"], 2
    )
    results["pdf_speedup_noaccel"] = round(
        results["pdf_naive_2000_s"] / results["pdf_nominee_list_2000_noaccel_s"], 2
    )


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress.settings")
    import django

    django.setup()
    out: dict = {}
    run(out)
    print(out)
