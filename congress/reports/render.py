"""HTML → PDF for the official documents.

A document is rendered from its context (built from the database by `data.py`, or by hand
for the benchmark). Short documents are one WeasyPrint call, with "Trang N/M" from CSS page
counters. Long tables are cut into parts of `CHUNK_ROWS` rows, rendered in parallel worker
processes and joined with pypdf; their page numbers cannot come from CSS (a part does not
know how many pages the parts before it have), so the parts are rendered without them and a
one-pass overlay of "Trang N/M" is stamped on every page after the join. The stamp is a form
XObject appended to each page's content: no page content is parsed or rewritten.
"""

from __future__ import annotations

import base64
import io
import json
import logging
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import date
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
WORKERS = 2
# Kinds whose `rows` may be cut into parts (one long table each).
CHUNKABLE = frozenset({"nominee-list", "structure-summary"})
MARGINS = "20mm 15mm 22mm 30mm"
# A part that has not finished after this long has hung; the render fails with a reason.
PART_TIMEOUT_S = 600


def static_root() -> Path:
    return Path(settings.BASE_DIR) / "static"


def base_url() -> str:
    return static_root().as_uri() + "/"


def qr_data_uri(text: str) -> str:
    """A PNG, not SVG: an image is embedded once and placed on every page for free, while an
    SVG path would be re-drawn on each page (it cost a third of the render time)."""
    buf = io.BytesIO()
    qrcode.make(text, box_size=2, border=1).save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def date_line(place: str, day: date) -> str:
    """ "Xã An Bình, ngày 05 tháng 02 năm 2026": days below 10 and months 1-2 take a leading
    zero (Hướng dẫn 36-HD/VPTW)."""
    dd = f"{day.day:02d}"
    mm = f"{day.month:02d}" if day.month < 3 else str(day.month)
    text = f"ngày {dd} tháng {mm} năm {day.year}"
    return f"{place}, {text}" if place else text[0].upper() + text[1:]


def _render_part_in_subprocess(job: tuple[str, str, str]) -> tuple[bytes, int]:
    """One part in a fresh `python -m congress.reports.pdfworker`. A plain subprocess, not a
    multiprocessing pool: forking a process that runs threads (gunicorn, a Celery worker, a
    browser driver in tests) can copy a held lock and hang, and the fork server re-imports
    the parent's main module, which breaks under scripts and some runners."""
    html, base, root = job
    env = dict(os.environ)
    env["PYTHONPATH"] = str(settings.BASE_DIR) + os.pathsep + env.get("PYTHONPATH", "")
    proc = subprocess.run(
        [sys.executable, "-m", "congress.reports.pdfworker"],
        input=json.dumps({"html": html, "base_url": base, "static_root": root}).encode(),
        capture_output=True,
        cwd=settings.BASE_DIR,
        env=env,
        timeout=PART_TIMEOUT_S,
        check=False,
    )
    if proc.returncode != 0 or len(proc.stdout) < 8:
        tail = proc.stderr.decode(errors="replace")[-2000:]
        raise RuntimeError(f"Tiến trình dựng PDF lỗi (mã {proc.returncode}): {tail}")
    return proc.stdout[8:], int.from_bytes(proc.stdout[:8], "big")


def template_for(kind: str) -> str:
    return f"reports/{kind}.html"


def render_html(ctx: dict[str, Any], *, rows=None, first=True, last=True, paged=True) -> str:
    part = dict(ctx)
    part.update({"first": first, "last": last, "paged": paged})
    if rows is not None:
        part["rows"] = rows
    return render_to_string(template_for(ctx["kind"]), part)


def _overlay_html(ctx: dict[str, Any], total: int) -> str:
    size = "A4 landscape" if ctx.get("landscape") else "A4"
    css = (
        "@font-face{font-family:'Liberation Serif';src:url(fonts/LiberationSerif-Regular.ttf)}"
        f"@page{{size:{size};margin:{MARGINS};"
        "@bottom-right{content:'Trang ' counter(page) '/' counter(pages);"
        "font:9pt 'Liberation Serif';vertical-align:bottom;padding-bottom:2mm}}"
        "div{break-after:page}"
    )
    return f"<html><style>{css}</style><body>{'<div></div>' * total}</body></html>"


def _stamp(writer: PdfWriter, overlay: bytes) -> None:
    ov = PdfReader(io.BytesIO(overlay))
    for i, page in enumerate(writer.pages):
        src = ov.pages[i]
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
    rows = ctx.get("rows")
    if ctx["kind"] not in CHUNKABLE or not rows or len(rows) <= chunk_rows:
        pdf = html_to_pdf(render_html(ctx), url, root)
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
        (render_html(ctx, rows=part, first=i == 0, last=i == last, paged=False), url, root)
        for i, part in enumerate(parts)
    ]
    results: list[tuple[bytes, int]] = []
    if parallel and WORKERS > 1 and len(jobs) > 1:
        with ThreadPoolExecutor(max_workers=WORKERS) as threads:
            for i, res in enumerate(threads.map(_render_part_in_subprocess, jobs)):
                results.append(res)
                if progress:
                    progress(int(90 * (i + 1) / len(jobs)))
    else:
        for i, job in enumerate(jobs):
            results.append(html_to_pdf_counted(job))
            if progress:
                progress(int(90 * (i + 1) / len(jobs)))
    total = sum(n for _, n in results)
    writer = PdfWriter()
    for pdf, _ in results:
        writer.append(PdfReader(io.BytesIO(pdf)))
    _stamp(writer, html_to_pdf(_overlay_html(ctx, total), url, root))
    writer.add_metadata({"/Title": ctx.get("title", ""), "/Producer": "Nhân sự đại hội"})
    out = io.BytesIO()
    writer.write(out)
    if progress:
        progress(100)
    return out.getvalue()
