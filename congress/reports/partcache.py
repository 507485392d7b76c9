"""Rendered parts of long documents, kept on disk by content hash.

A long document is rendered in parts of a fixed number of rows (`render.render_pdf`). When it
is rendered again after one row changed, every other part's HTML is byte for byte what it was,
so its PDF is taken from here and only the changed part goes to WeasyPrint.

The key is the SHA-256 of everything that decides a part's PDF: the exact HTML of the part,
the base URL, a digest of the static files it may load (fonts, print.css), the accelerations
flag, and the WeasyPrint and pydyf versions. Because the HTML itself is hashed, a part is only
ever served for the very same HTML: a confidential list's rows cannot appear in another
document, nor in one rendered for another reader, unless that document contains exactly the
same part, rows and all (which it then shows anyway). Nothing about the reader or the document
needs to be in the key for that.

One file per part: a header (magic, page count, SHA-256 of the PDF) then the PDF, written to a
temporary file in the same directory and renamed into place, so a reader sees a whole entry or
none, also across processes and machines sharing the directory. An entry that does not read
back whole (truncated, overwritten, evicted meanwhile) is a miss: the part is rendered again
and the entry replaced. The directory is bounded: past `max_bytes`, the entries used least
recently (a hit touches its file) are deleted.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import time
from pathlib import Path

import pydyf
import weasyprint

log = logging.getLogger("congress.reports")

MAGIC = b"CPDFPART1\n"
_HEAD = len(MAGIC) + 8 + 32
# Static digests by file identity, so the fonts are hashed once per process, not per render.
_STATIC_DIGESTS: dict[tuple[str, int, int], bytes] = {}


def static_version(root: Path) -> str:
    """A digest of the static files a render may fetch (the fetcher serves nothing else)."""
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        st = path.stat()
        ident = (str(path), st.st_size, st.st_mtime_ns)
        digest = _STATIC_DIGESTS.get(ident)
        if digest is None:
            digest = _STATIC_DIGESTS[ident] = hashlib.sha256(path.read_bytes()).digest()
        h.update(str(path.relative_to(root)).encode() + b"\0" + digest)
    return h.hexdigest()


def part_key(html: str, base_url: str, static: str, accelerate: bool) -> str:
    h = hashlib.sha256()
    for field in (
        MAGIC.decode().strip(),
        weasyprint.__version__,
        pydyf.__version__,
        "accel" if accelerate else "plain",
        base_url,
        static,
    ):
        h.update(field.encode() + b"\0")
    h.update(html.encode())
    return h.hexdigest()


class PartCache:
    def __init__(self, root: Path | str, max_bytes: int) -> None:
        self.root = Path(root)
        self.max_bytes = max_bytes

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.part"

    def get(self, key: str) -> tuple[bytes, int] | None:
        if not self.enabled:
            return None
        path = self._path(key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        pdf = data[_HEAD:]
        if (
            len(data) <= _HEAD
            or not data.startswith(MAGIC)
            or hashlib.sha256(pdf).digest() != data[_HEAD - 32 : _HEAD]
        ):
            log.warning("Ignoring a damaged PDF part in the cache: %s", path.name)
            return None
        try:
            os.utime(path)  # recently used: evicted last
        except OSError:
            pass
        return pdf, int.from_bytes(data[len(MAGIC) : len(MAGIC) + 8], "big")

    def put(self, key: str, pdf: bytes, pages: int) -> None:
        """Store a part; a cache that cannot be written (full disk, read-only) only costs the
        next render its time, so it never fails the render."""
        if not self.enabled:
            return
        path = self._path(key)
        tmp = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as f:
                f.write(MAGIC + pages.to_bytes(8, "big") + hashlib.sha256(pdf).digest())
                f.write(pdf)
            os.replace(tmp, path)
        except OSError as exc:
            log.warning("Could not store a PDF part in the cache: %s", exc)
            if tmp:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass

    def entries(self) -> list[tuple[float, int, Path]]:
        found = []
        for path in self.root.glob("*/*.part"):
            try:
                st = path.stat()
            except OSError:
                continue  # evicted by another process meanwhile
            found.append((st.st_mtime, st.st_size, path))
        return found

    def evict(self) -> None:
        """Delete the least recently used entries beyond `max_bytes`."""
        if not self.enabled or not self.root.exists():
            return
        # A writer killed between its temporary file and the rename leaves the temporary file.
        stale = time.time() - 3600
        for tmp in self.root.glob("*/.tmp-*"):
            try:
                if tmp.stat().st_mtime < stale:
                    tmp.unlink()
            except OSError:
                pass
        entries = sorted(self.entries(), reverse=True)
        total = 0
        for _, size, path in entries:
            total += size
            if total > self.max_bytes:
                try:
                    path.unlink()
                except OSError:
                    pass

    def clear(self) -> None:
        for _, _, path in self.entries():
            try:
                path.unlink()
            except OSError:
                pass
