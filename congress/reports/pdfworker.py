"""HTML → PDF in a worker process. Kept free of Django so a worker starts light; the caller
renders templates and passes plain strings.

Run as `python -m congress.reports.pdfworker --serve`: a long-lived worker that answers jobs
one after another on its standard input and output, so a document does not pay the start of a
Python process and the import of WeasyPrint for each of its parts. A job is 8 bytes of length
(big-endian) then JSON ({"html", "base_url", "static_root", "accel"}); the answer is one status byte
(0 done, 1 failed), the page count and the payload length (8 bytes each), then the PDF, or the
reason of the failure in UTF-8.
"""

from __future__ import annotations

import gc
import json
import mimetypes
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

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
    # growing heap were 11 % of the time of a 1,000-row part for 3 % less peak memory. A
    # serving worker collects after answering, off the caller's clock.
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


def html_to_pdf_counted(args: tuple[str, str, str, bool]) -> tuple[bytes, int]:
    """The PDF and its page count (the join needs it for the page numbers)."""
    return _render(*args)


def _read_exact(stream, size: int) -> bytes:
    data = stream.read(size)
    if len(data) != size:
        raise EOFError
    return data


def serve(stdin=None, stdout=None) -> int:
    stdin = stdin or sys.stdin.buffer
    stdout = stdout or sys.stdout.buffer
    while True:
        try:
            size = int.from_bytes(_read_exact(stdin, 8), "big")
            job = json.loads(_read_exact(stdin, size))
        except EOFError:
            return 0  # the parent closed the pipe: done
        try:
            pdf, pages = _render(
                job["html"], job["base_url"], job["static_root"], job.get("accel", True)
            )
            status, payload = 0, pdf
        # Answered to the caller, who fails the render with it. WeasyPrint's refused fetch is
        # a BaseException; the fetcher's own reason is its cause.
        except (Exception, FatalURLFetchingError) as exc:
            reason = f"{type(exc).__name__}: {exc}"
            if exc.__cause__ is not None:
                reason += f" ({exc.__cause__})"
            status, payload, pages = 1, reason.encode(), 0
        stdout.write(bytes([status]) + pages.to_bytes(8, "big") + len(payload).to_bytes(8, "big"))
        stdout.write(payload)
        stdout.flush()
        del job, payload
        gc.collect()


if __name__ == "__main__":
    sys.exit(serve())
