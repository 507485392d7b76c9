"""HTML → PDF in a worker process. Kept free of Django so a worker starts light; the caller
renders templates and passes plain strings.

Run as `python -m congress.reports.pdfworker`: reads one job as JSON on standard input
({"html", "base_url", "static_root"}), writes the page count (8 bytes, big-endian) then the
PDF on standard output."""

from __future__ import annotations

import json
import mimetypes
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse


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


def html_to_pdf(html: str, base_url: str, static_root: str) -> bytes:
    return HTML(
        string=html, base_url=base_url, url_fetcher=StaticOnlyFetcher(static_root)
    ).write_pdf()


def html_to_pdf_counted(args: tuple[str, str, str]) -> tuple[bytes, int]:
    """For the pool: the PDF and its page count (the join needs it for the page numbers)."""
    html, base_url, static_root = args
    doc = HTML(string=html, base_url=base_url, url_fetcher=StaticOnlyFetcher(static_root)).render()
    return doc.write_pdf(), len(doc.pages)


def main() -> int:
    job = json.loads(sys.stdin.buffer.read())
    pdf, pages = html_to_pdf_counted((job["html"], job["base_url"], job["static_root"]))
    sys.stdout.buffer.write(pages.to_bytes(8, "big"))
    sys.stdout.buffer.write(pdf)
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
