"""HTML → PDF for the official documents.

A document is rendered from its context (built from the database by `data.py`, or by hand
for the benchmark). Short documents are one WeasyPrint call, with the page number from CSS
page counters: centred at the top from page 2 on, none on page 1 (DOCUMENTS.md §1). Tables
longer than `CHUNK_ROWS` rows are cut into parts of `CHUNK_ROWS` rows, rendered in parallel
and joined with pypdf; their page numbers cannot come from CSS (a part does not know how many
pages the parts before it have), so the parts are rendered without them, and without the
verification footer, and both are stamped on every page after the join: the numbers from blocks
of `NUMBER_PAGES` pages, the footer from one page shared by every page. The stamp is a form
XObject appended to each page's content: no page content is parsed or rewritten. Parts and
number blocks are kept in the part cache (`partcache`) by the hash of their HTML, so a document
issued again after one row changed renders that row's part and the footer page only.

The workers are long-lived `python -m congress.reports.pdfworker --serve` processes, started
on first use and stopped after `POOL_IDLE_S` without work (or when this process exits), so a
document pays neither a Python start nor the import of WeasyPrint per part. They render with
`accel` (see there), like the in-process renders of short documents, unless the `PDF_ACCEL`
setting is off: every job says which.
"""

from __future__ import annotations

import atexit
import base64
import io
import json
import logging
import os
import queue
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import qrcode
from django.conf import settings
from django.template.loader import render_to_string
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

from congress.reports.partcache import PartCache, part_key, static_version
from congress.reports.pdfworker import html_to_pdf, html_to_pdf_counted

log = logging.getLogger("congress.reports")

# Rows a part of a long document holds (and the longest table rendered in one piece): see
# the measurement in `render_pdf`.
CHUNK_ROWS = 150
# Page numbers are stamped from blocks of this many pages.
NUMBER_PAGES = 50
# One render worker per core: a part is CPU-bound from start to end.
WORKERS = max(2, min(8, os.cpu_count() or 2))
# Kinds whose `rows` may be cut into parts (one long table each).
CHUNKABLE = frozenset({"nominee-list", "structure-summary"})
# Page margins (top right bottom left, DOCUMENTS.md §1); a landscape page keeps them turned
# with the page: the binding margin is at its top.
MARGINS = "20mm 15mm 25mm 30mm"
MARGINS_LANDSCAPE = "30mm 20mm 22mm 20mm"
# The verification footer: at least 8 mm from the paper's edge, inside the bottom margin.
FOOTER_BOTTOM_MM = 9
QR_MM = 10
# A part that has not finished after this long has hung; the render fails with a reason.
PART_TIMEOUT_S = 600
# Workers left without work this long are stopped (a Celery worker keeps no idle renderers).
POOL_IDLE_S = 300


def static_root() -> Path:
    return Path(settings.BASE_DIR) / "static"


def base_url() -> str:
    return static_root().as_uri() + "/"


def qr_png(text: str) -> bytes:
    """The QR code at print resolution: 8 pixels a module, printed `QR_MM` wide (about 550
    dpi) without interpolation. A PNG, not SVG: an image is embedded once and placed on every
    page for free, while an SVG path would be re-drawn on each page."""
    code = qrcode.QRCode(box_size=8, border=1)
    code.add_data(text)
    code.make(fit=True)
    buf = io.BytesIO()
    code.make_image().save(buf, format="PNG")
    return buf.getvalue()


def qr_data_uri(text: str) -> str:
    return "data:image/png;base64," + base64.b64encode(qr_png(text)).decode()


def qr_dpi(uri: str) -> int:
    """The resolution that prints the QR image `QR_MM` wide."""
    from PIL import Image

    png = base64.b64decode(uri.split(",", 1)[1])
    width = Image.open(io.BytesIO(png)).size[0]
    return round(width * 25.4 / QR_MM)


class _Worker:
    """One `pdfworker --serve` process. Its standard error goes to a file, read back only to
    explain a failure (a pipe nobody reads could fill up and stall the worker)."""

    def __init__(self) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = str(settings.BASE_DIR) + os.pathsep + env.get("PYTHONPATH", "")
        self.stderr = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "congress.reports.pdfworker", "--serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            cwd=settings.BASE_DIR,
            env=env,
        )

    def alive(self) -> bool:
        return self.proc.poll() is None

    def _stderr_tail(self) -> str:
        self.stderr.seek(0)
        return self.stderr.read().decode(errors="replace")[-2000:]

    def run(self, job: tuple[str, str, str, bool]) -> tuple[bytes, int]:
        html, base, root, accelerate = job
        payload = json.dumps(
            {"html": html, "base_url": base, "static_root": root, "accel": accelerate}
        ).encode()
        watchdog = threading.Timer(PART_TIMEOUT_S, self.proc.kill)
        watchdog.start()
        try:
            self.proc.stdin.write(len(payload).to_bytes(8, "big") + payload)
            self.proc.stdin.flush()
            head = self.proc.stdout.read(17)
            if len(head) != 17:
                raise EOFError
            size = int.from_bytes(head[9:], "big")
            body = self.proc.stdout.read(size)
            if len(body) != size:
                raise EOFError
        except (OSError, EOFError, ValueError):
            tail = self._stderr_tail()
            self.close()
            raise RuntimeError(
                f"Tiến trình dựng PDF dừng giữa chừng (mã {self.proc.returncode}): {tail}"
            ) from None
        finally:
            watchdog.cancel()
        if head[0] != 0:
            raise RuntimeError(f"Tiến trình dựng PDF báo lỗi: {body.decode(errors='replace')}")
        return body, int.from_bytes(head[1:9], "big")

    def close(self) -> None:
        if self.alive():
            self.proc.kill()
        self.proc.wait()
        for pipe in (self.proc.stdin, self.proc.stdout):
            try:
                pipe.close()
            except OSError:
                pass
        self.stderr.close()


class _Pool:
    """The worker processes of this process. A forked child (a Celery pool process) never
    uses its parent's pool: the pipes would be shared; it starts its own."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.free: queue.Queue[_Worker] | None = None
        self.pid = 0
        self.idle_timer: threading.Timer | None = None

    def _workers(self) -> queue.Queue[_Worker]:
        with self.lock:
            if self.idle_timer:
                self.idle_timer.cancel()
                self.idle_timer = None
            if self.free is None or self.pid != os.getpid():
                self.free, self.pid = queue.Queue(), os.getpid()
                for _ in range(WORKERS):
                    self.free.put(_Worker())
            return self.free

    def run(self, job: tuple[str, str, str, bool]) -> tuple[bytes, int]:
        free = self._workers()
        worker = free.get()
        try:
            if not worker.alive():
                worker.close()
                worker = _Worker()
            return worker.run(job)
        finally:
            free.put(worker)
            self._arm_idle_timer()

    def _arm_idle_timer(self) -> None:
        with self.lock:
            if self.idle_timer:
                self.idle_timer.cancel()
            self.idle_timer = threading.Timer(POOL_IDLE_S, self.shutdown)
            self.idle_timer.daemon = True
            self.idle_timer.start()

    def shutdown(self) -> None:
        with self.lock:
            free, self.free = self.free, None
            if free is None or self.pid != os.getpid():
                return
            while True:
                try:
                    free.get_nowait().close()
                except queue.Empty:
                    break


_POOL = _Pool()
atexit.register(_POOL.shutdown)


def _render_parts(jobs: list[tuple[str, str, str, bool]], progress=None, share=90) -> list:
    """Render jobs on the pool, in order; `progress` gets up to `share` percent."""
    results: list[tuple[bytes, int]] = []
    with ThreadPoolExecutor(max_workers=WORKERS) as threads:
        for i, res in enumerate(threads.map(_POOL.run, jobs)):
            results.append(res)
            if progress:
                progress(int(share * (i + 1) / len(jobs)))
    return results


def template_for(kind: str) -> str:
    return f"reports/{kind}.html"


def render_html(ctx: dict[str, Any], *, rows=None, first=True, last=True, paged=True) -> str:
    part = dict(ctx)
    part.update(
        {
            "first": first,
            "last": last,
            "paged": paged,
            "margins": MARGINS_LANDSCAPE if ctx.get("landscape") else MARGINS,
            "margins_landscape": MARGINS_LANDSCAPE,
            "footer_mm": FOOTER_BOTTOM_MM,
            "qr_dpi": qr_dpi(ctx["doc"]["qr"]) if ctx.get("doc", {}).get("qr") else 96,
        }
    )
    if rows is not None:
        part["rows"] = rows
    return render_to_string(template_for(ctx["kind"]), part)


def _overlay_context(ctx: dict[str, Any]) -> dict[str, Any]:
    return {
        "landscape": ctx.get("landscape"),
        "margins": MARGINS_LANDSCAPE if ctx.get("landscape") else MARGINS,
        "doc": ctx.get("doc", {}),
        "footer_mm": FOOTER_BOTTOM_MM,
        "qr_dpi": qr_dpi(ctx["doc"]["qr"]) if ctx.get("doc", {}).get("qr") else 96,
    }


def _numbers_html(ctx: dict[str, Any], first: int, last: int) -> str:
    """Pages `first`..`last` of the page-number overlay: each page carries its own number (a
    named string), centred at the top, none on page 1, so any range renders on its own. It
    holds nothing but the numbers and the page size: the same range is the same PDF for
    every document of that page size, and comes from the part cache."""
    return render_to_string(
        "reports/page_overlay.html",
        {**_overlay_context(ctx), "footer": False, "numbers": range(first, last + 1)},
    )


def _footer_html(ctx: dict[str, Any]) -> str:
    """One page holding the verification footer (QR, code and data hash) where a plain
    render draws it, from the same `partials/page_footer.css`. Stamped on every page of a
    document rendered in parts: the parts hold nothing of the issue, so the same rows are
    the same part whatever the document's code, and the part cache finds them."""
    return render_to_string(
        "reports/page_overlay.html", {**_overlay_context(ctx), "footer": True, "numbers": []}
    )


def _form(writer: PdfWriter, src) -> Any:
    """A page of another PDF as a form XObject of `writer`."""
    form = DecodedStreamObject()
    form.set_data(src.get_contents().get_data())
    form[NameObject("/Type")] = NameObject("/XObject")
    form[NameObject("/Subtype")] = NameObject("/Form")
    form[NameObject("/BBox")] = ArrayObject(src.mediabox)
    form[NameObject("/Resources")] = src["/Resources"].get_object().clone(writer)
    return writer._add_object(form)


def _stamp(writer: PdfWriter, numbers: list[bytes], footer: bytes) -> None:
    """Draw page i of the `numbers` PDFs, and the one page of `footer`, over page i. The
    footer is one form shared by every page: drawn once into the file, placed on each."""
    sources = [page for pdf in numbers for page in PdfReader(io.BytesIO(pdf)).pages]
    footer_ref = _form(writer, PdfReader(io.BytesIO(footer)).pages[0])
    for i, page in enumerate(writer.pages):
        res = page["/Resources"].get_object()
        if "/XObject" not in res:
            res[NameObject("/XObject")] = DictionaryObject()
        xobjects = res["/XObject"].get_object()
        name = NameObject(f"/PgNo{i}")
        xobjects[name] = _form(writer, sources[i])
        xobjects[NameObject("/PgFoot")] = footer_ref
        head = DecodedStreamObject()
        head.set_data(b"q\n")
        tail = DecodedStreamObject()
        tail.set_data(f"\nQ\nq {name} Do Q\nq /PgFoot Do Q\n".encode())
        contents = page.get("/Contents")
        existing = (
            list(contents.get_object())
            if isinstance(contents.get_object(), ArrayObject)
            else [contents]
        )
        page[NameObject("/Contents")] = ArrayObject(
            [writer._add_object(head), *existing, writer._add_object(tail)]
        )


def part_cache() -> PartCache:
    return PartCache(settings.PDF_PART_CACHE_DIR, int(settings.PDF_PART_CACHE_MAX_MB) * 1024 * 1024)


def _render_job(job: tuple[str, str, str, bool], *, pooled: bool) -> tuple[bytes, int]:
    return _POOL.run(job) if pooled else html_to_pdf_counted(job)


def render_part(job: tuple[str, str, str, bool], *, pooled: bool) -> tuple[bytes, int]:
    """Render one part of a long document or one block of its page numbers, which was not
    in the part cache: its PDF and page count."""
    return _render_job(job, pooled=pooled)


def _cached_parts(
    jobs: list[tuple[str, str, str, bool]], *, pooled: bool, progress=None, share: int = 90
) -> list[tuple[bytes, int]]:
    """The parts' PDFs: from the part cache where the same HTML was rendered before, the
    others rendered (in parallel when `pooled`) and stored."""
    cache = part_cache()
    static = static_version(static_root())
    keys = [part_key(html, url, static, accelerate) for html, url, _, accelerate in jobs]
    results: list[tuple[bytes, int] | None] = [cache.get(key) for key in keys]
    missing = [i for i, res in enumerate(results) if res is None]
    done = len(jobs) - len(missing)

    def one(i: int) -> tuple[int, tuple[bytes, int]]:
        return i, render_part(jobs[i], pooled=pooled)

    if pooled and len(missing) > 1:
        with ThreadPoolExecutor(max_workers=WORKERS) as threads:
            rendered = threads.map(one, missing)
            for i, res in rendered:
                results[i] = res
                cache.put(keys[i], *res)
                done += 1
                if progress:
                    progress(int(share * done / len(jobs)))
    else:
        for i in missing:
            results[i] = one(i)[1]
            cache.put(keys[i], *results[i])
            done += 1
            if progress:
                progress(int(share * done / len(jobs)))
    if missing:
        cache.evict()
    return results  # type: ignore[return-value]


def render_pdf(
    ctx: dict[str, Any],
    *,
    chunk_rows: int = CHUNK_ROWS,
    parallel: bool = True,
    progress=None,
) -> bytes:
    """The PDF of a document context (see `documents.document_context`)."""
    root, url = str(static_root()), base_url()
    accelerate = settings.PDF_ACCEL
    rows = ctx.get("rows")
    if ctx["kind"] not in CHUNKABLE or not rows or len(rows) <= chunk_rows:
        pdf = html_to_pdf(render_html(ctx), url, root, accelerate)
        if progress:
            progress(100)
        return pdf
    # Parts of a fixed number of rows, so that changing a row's text changes one part's HTML
    # and no other part's boundaries: the unchanged parts come from the part cache. (Cutting
    # into as many parts as workers would move every boundary with the row count.) Each part
    # pays a fixed cost (style cascade, font loading and subsetting, its own font subsets in
    # the joined file), which is what `CHUNK_ROWS` is measured against. Measured on the
    # bench's 2,000-row list, 2 workers, CPU seconds of the busier worker: the first render
    # costs the same for parts of 1,000, 300, 200 or 150 rows (16.8-18.0 s, noise), so the
    # fixed cost is small now that the workers stay warm; a re-issue with one row changed
    # costs 0.77, 0.29, 0.21, 0.16 of it. 150 rows: 294 pages instead of 288, since each
    # part ends on a page of its own.
    parts = [rows[i : i + chunk_rows] for i in range(0, len(rows), chunk_rows)]
    last = len(parts) - 1
    jobs = [
        (
            render_html(ctx, rows=part, first=i == 0, last=i == last, paged=False),
            url,
            root,
            accelerate,
        )
        for i, part in enumerate(parts)
    ]
    pooled = parallel and WORKERS > 1
    results = _cached_parts(jobs, pooled=pooled, progress=progress)
    total = sum(n for _, n in results)
    writer = PdfWriter()
    for pdf, _ in results:
        writer.append(PdfReader(io.BytesIO(pdf)))
    # Page numbers in fixed blocks of pages (cached like the parts: a block is the same for
    # every document of this page size) and the footer, the one thing of this issue, rendered
    # once while the numbers are looked up.
    footer_job = (_footer_html(ctx), url, root, accelerate)
    with ThreadPoolExecutor(max_workers=1) as side:
        footer = side.submit(_render_job, footer_job, pooled=pooled)
        blocks = [
            (_numbers_html(ctx, a, a + NUMBER_PAGES - 1), url, root, accelerate)
            for a in range(1, total + 1, NUMBER_PAGES)
        ]
        numbers = _cached_parts(blocks, pooled=pooled)
        _stamp(writer, [pdf for pdf, _ in numbers], footer.result()[0])
    writer.add_metadata({"/Title": ctx.get("title", ""), "/Producer": "Nhân sự đại hội"})
    out = io.BytesIO()
    writer.write(out)
    if progress:
        progress(100)
    return out.getvalue()
