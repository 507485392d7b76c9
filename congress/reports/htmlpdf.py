"""HTML → PDF with WeasyPrint, restricted to the project's static files. Kept free of Django:
the caller renders templates and passes plain strings, whichever process renders (the job's
own, or a Celery worker rendering a part of a long document: see `fanout`)."""

from __future__ import annotations

import gc
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

from congress.reports import accel


class StaticOnlyFetcher(URLFetcher):
    """Serves the project's static files and inline data: URIs, nothing else. A document must
    be the same on every machine and never reach the network; `fail_on_errors` turns a refused
    or missing resource into a failed render instead of a silently different PDF."""

    def __init__(self, static_root: str) -> None:
        super().__init__(fail_on_errors=True, allowed_protocols={"file", "data"})
        self.root = Path(static_root).resolve()

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        parts = urlsplit(url)
        if parts.scheme != "file":
            raise ValueError(f"Không được tải tài nguyên ngoài dự án: {url}")
        path = Path(unquote(parts.path)).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            raise ValueError(f"Chỉ được dùng tệp tĩnh của dự án: {url}")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if path.suffix == ".ttf":
            mime = "font/ttf"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": mime})


def _render(
    html: str, base_url: str, static_root: str, accelerate: bool = True
) -> tuple[bytes, int]:
    # The cyclic garbage collector is paused for the render: WeasyPrint allocates millions of
    # short-lived objects and leaves little cyclic garbage, so the collector's passes over a
    # growing heap were 11 % of the time of a 1,000-row part for 3 % less peak memory.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        # `accelerate` off, or another WeasyPrint than the checked one: plain WeasyPrint.
        with accel.rendering(accelerate) as html_class:
            doc = html_class(
                string=html, base_url=base_url, url_fetcher=StaticOnlyFetcher(static_root)
            ).render()
            return doc.write_pdf(), len(doc.pages)
    finally:
        if was_enabled:
            gc.enable()


def html_to_pdf(html: str, base_url: str, static_root: str, accelerate: bool = True) -> bytes:
    return _render(html, base_url, static_root, accelerate)[0]


def render_counted(
    html: str, base_url: str, static_root: str, accelerate: bool = True
) -> tuple[bytes, int]:
    """The PDF and its page count (the join needs it for the page numbers)."""
    return _render(html, base_url, static_root, accelerate)
