"""HTML → PDF for the official documents.

A document is rendered from its context (built from the database by `data.py`, or by hand
for the benchmark). Short documents are one WeasyPrint call, with the page number from CSS
page counters: centred at the top from page 2 on, none on page 1 (DOCUMENTS.md §1). Tables
longer than `CHUNK_ROWS` rows are cut into parts of `CHUNK_ROWS` rows, rendered in parallel
by the Celery workers (`fanout`) and joined with pypdf; their page numbers cannot come from CSS (a part does not know how many
pages the parts before it have), so the parts are rendered without them, and without the
verification footer, and both are stamped on every page after the join: the numbers from blocks
of `NUMBER_PAGES` pages, the footer from one page shared by every page. The stamp is a form
XObject appended to each page's content: no page content is parsed or rewritten. Parts and
number blocks are kept in the part cache (`partcache`) by the hash of their HTML, so a document
issued again after one row changed renders that row's part and the footer page only.

The parts are rendered by the worker processes Celery already keeps warm, so a document pays
neither a Python start nor the import of WeasyPrint per part, and a second machine's workers
take parts as well as the first's. They render with `accel` (see there), like the in-process
renders of short documents, unless the `PDF_ACCEL` setting is off: every part says which.
"""

from __future__ import annotations

import base64
import io
import logging
from pathlib import Path
from typing import Any

import qrcode
from django.conf import settings
from django.template.loader import render_to_string
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

from congress.reports import fanout
from congress.reports.htmlpdf import html_to_pdf
from congress.reports.partcache import PartCache, part_key, static_version

log = logging.getLogger("congress.reports")

# Rows a part of a long document holds (and the longest table rendered in one piece): see
# the measurement in `render_pdf`.
CHUNK_ROWS = 150
# Page numbers are stamped from blocks of this many pages.
NUMBER_PAGES = 50
# Kinds whose `rows` may be cut into parts (one long table each).
CHUNKABLE = frozenset({"nominee-list", "structure-summary"})
# Page margins (top right bottom left, DOCUMENTS.md §1); a landscape page keeps them turned
# with the page: the binding margin is at its top.
MARGINS = "20mm 15mm 25mm 30mm"
MARGINS_LANDSCAPE = "30mm 20mm 22mm 20mm"
# The verification footer: at least 8 mm from the paper's edge, inside the bottom margin.
FOOTER_BOTTOM_MM = 9
QR_MM = 10


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


def _cached_parts(
    jobs: list[tuple[str, str, str, bool]],
    *,
    uncached: tuple[str, str, str, bool] | None = None,
    progress=None,
    share: int = 90,
    stats: dict[str, Any] | None = None,
) -> list[tuple[bytes, int]]:
    """The parts' PDFs: from the part cache where the same HTML was rendered before, the
    others rendered by the workers and this process (`fanout`) and stored. `uncached`, a
    job rendered alongside them and never kept (the footer of one issue), comes last."""
    cache = part_cache()
    static = static_version(static_root())
    keys = [part_key(html, url, static, accelerate) for html, url, _, accelerate in jobs]
    results: list[tuple[bytes, int] | None] = [cache.get(key) for key in keys]
    missing = [i for i, res in enumerate(results) if res is None]
    cached = len(jobs) - len(missing)
    if stats is not None:
        stats["parts_rendered"] = stats.get("parts_rendered", 0) + len(missing)
        stats["parts_cached"] = stats.get("parts_cached", 0) + cached
    todo = [(jobs[i][0], jobs[i][3]) for i in missing]
    todo_keys = [keys[i] for i in missing]
    if uncached is not None:
        todo.append((uncached[0], uncached[3]))
        todo_keys.append("")
    if not todo:
        return results  # type: ignore[return-value]

    def tick(done: int, total: int) -> None:
        progress(int(share * (cached + done) / (cached + total)))

    rendered = fanout.render_parts(
        todo, todo_keys, progress=tick if progress else None, stats=stats
    )
    for i, res in zip(missing, rendered, strict=False):
        results[i] = res
        cache.put(keys[i], *res)
    if missing:
        cache.evict()
    if uncached is not None:
        results.append(rendered[-1])
    return results  # type: ignore[return-value]


def render_pdf(
    ctx: dict[str, Any],
    *,
    chunk_rows: int = CHUNK_ROWS,
    progress=None,
    stats: dict[str, Any] | None = None,
) -> bytes:
    """The PDF of a document context (see `documents.document_context`). `stats`, when
    given, counts the parts rendered, taken from the part cache, and rendered elsewhere."""
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
    # The verification footer, the one thing of this issue, is rendered alongside the parts
    # and never cached: no other issue has it.
    footer_job = (_footer_html(ctx), url, root, accelerate)
    results = _cached_parts(jobs, uncached=footer_job, progress=progress, stats=stats)
    footer = results.pop()[0]
    total = sum(n for _, n in results)
    writer = PdfWriter()
    for pdf, _ in results:
        writer.append(PdfReader(io.BytesIO(pdf)))
    # Page numbers in fixed blocks of pages, cached like the parts: a block is the same for
    # every document of this page size.
    blocks = [
        (_numbers_html(ctx, a, a + NUMBER_PAGES - 1), url, root, accelerate)
        for a in range(1, total + 1, NUMBER_PAGES)
    ]
    numbers = _cached_parts(blocks, stats=stats)
    _stamp(writer, [pdf for pdf, _ in numbers], footer)
    writer.add_metadata({"/Title": ctx.get("title", ""), "/Producer": "Nhân sự đại hội"})
    out = io.BytesIO()
    writer.write(out)
    if progress:
        progress(100)
    return out.getvalue()
