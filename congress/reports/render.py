"""HTML → PDF for the official documents.

A document is rendered from its context (built from the database by `data.py`, or by hand
for the benchmark). Short documents are one WeasyPrint call, with the page number from CSS
page counters: centred at the top from page 2 on, none on page 1 (DOCUMENTS.md §1). Tables
longer than `CHUNK_ROWS` rows are cut into one part per worker process, rendered in parallel
and joined with pypdf; their page numbers cannot come from CSS (a part does not know how many
pages the parts before it have), so the parts are rendered without them and an overlay of the
numbers, itself rendered in parts by the same workers, is stamped on every page after the
join. The stamp is a form XObject appended to each page's content: no page content is parsed
or rewritten.

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

from congress.reports.pdfworker import html_to_pdf, html_to_pdf_counted

log = logging.getLogger("congress.reports")

CHUNK_ROWS = 150
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


def _overlay_html(ctx: dict[str, Any], total: int, first: int = 1, last: int | None = None) -> str:
    """Pages `first`..`last` of the page-number overlay: each page carries its own number (a
    named string), centred at the top, none on page 1, so any range renders on its own and
    the ranges render in parallel."""
    size = "A4 landscape" if ctx.get("landscape") else "A4"
    margins = MARGINS_LANDSCAPE if ctx.get("landscape") else MARGINS
    css = (
        "@font-face{font-family:'Liberation Serif';src:url(fonts/LiberationSerif-Regular.ttf)}"
        f"@page{{size:{size};margin:{margins};"
        "@top-center{content:string(pageno);"
        "font:14pt 'Liberation Serif';vertical-align:top;padding-top:8mm}}"
        "div{break-after:page}"
    )
    last = total if last is None else last
    pages = "".join(
        f"<div style=\"string-set:pageno '{n if n > 1 else ''}'\"></div>"
        for n in range(first, last + 1)
    )
    return f"<html><style>{css}</style><body>{pages}</body></html>"


def _stamp(writer: PdfWriter, overlays: list[bytes]) -> None:
    sources = [page for pdf in overlays for page in PdfReader(io.BytesIO(pdf)).pages]
    for i, page in enumerate(writer.pages):
        src = sources[i]
        form = DecodedStreamObject()
        form.set_data(src.get_contents().get_data())
        form[NameObject("/Type")] = NameObject("/XObject")
        form[NameObject("/Subtype")] = NameObject("/Form")
        form[NameObject("/BBox")] = ArrayObject(src.mediabox)
        form[NameObject("/Resources")] = src["/Resources"].get_object().clone(writer)
        form_ref = writer._add_object(form)
        res = page["/Resources"].get_object()
        if "/XObject" not in res:
            res[NameObject("/XObject")] = DictionaryObject()
        name = NameObject(f"/PgNo{i}")
        res["/XObject"].get_object()[name] = form_ref
        head = DecodedStreamObject()
        head.set_data(b"q\n")
        tail = DecodedStreamObject()
        tail.set_data(f"\nQ\nq {name} Do Q\n".encode())
        contents = page.get("/Contents")
        existing = (
            list(contents.get_object())
            if isinstance(contents.get_object(), ArrayObject)
            else [contents]
        )
        page[NameObject("/Contents")] = ArrayObject(
            [writer._add_object(head), *existing, writer._add_object(tail)]
        )


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
    # Each part pays a fixed cost (style cascade, font loading and subsetting, its own font
    # subsets in the joined file): measured, 14 parts of 150 rows on 2 cores were slower than
    # one plain render. So cut into as few parts as there are workers, never below chunk_rows.
    size = max(chunk_rows, -(-len(rows) // WORKERS)) if parallel else chunk_rows
    parts = [rows[i : i + size] for i in range(0, len(rows), size)]
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
    pooled = parallel and WORKERS > 1 and len(jobs) > 1
    if pooled:
        results = _render_parts(jobs, progress)
    else:
        results = []
        for i, job in enumerate(jobs):
            results.append(html_to_pdf_counted(job))
            if progress:
                progress(int(90 * (i + 1) / len(jobs)))
    total = sum(n for _, n in results)
    writer = PdfWriter()
    for pdf, _ in results:
        writer.append(PdfReader(io.BytesIO(pdf)))
    if pooled:
        # The overlay in as many ranges as there are parts, rendered side by side.
        ranges, start = [], 1
        for _, pages in results:
            ranges.append((start, start + pages - 1))
            start += pages
        overlays = _render_parts(
            [(_overlay_html(ctx, total, a, b), url, root, accelerate) for a, b in ranges if b >= a]
        )
        _stamp(writer, [pdf for pdf, _ in overlays])
    else:
        _stamp(writer, [html_to_pdf(_overlay_html(ctx, total), url, root, accelerate)])
    writer.add_metadata({"/Title": ctx.get("title", ""), "/Producer": "Nhân sự đại hội"})
    out = io.BytesIO()
    writer.write(out)
    if progress:
        progress(100)
    return out.getvalue()
