"""The part cache: a long document rendered again reuses the parts whose HTML did not change,
renders the changed ones, and still carries the right rows, page numbers and footer."""

import io
import os

import pytest
from pypdf import PdfReader

from congress.reports import htmlpdf, render
from congress.reports.partcache import PartCache
from tests.reports.conftest import MM, pdf_pages
from tests.reports.test_render import sample_context

ROWS, PART = 130, 40  # four parts: 40, 40, 40, 10 rows


@pytest.fixture
def rendered_parts(monkeypatch):
    """The HTML of every part (and block of page numbers) actually rendered, not taken from
    the cache."""
    seen = []
    real = htmlpdf.render_counted

    def spy(html, *args):
        if "Mã văn bản:" not in html:  # the footer of the issue, rendered every time
            seen.append(html)
        return real(html, *args)

    monkeypatch.setattr(htmlpdf, "render_counted", spy)
    return seen


def pypdf_pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def assert_numbered(path, code):
    pages = pdf_pages(path)
    tops = [[w.text for w in p.words if w.text.isdigit() and w.y1 < 20 * MM] for p in pages]
    assert tops == [[]] + [[str(i)] for i in range(2, len(pages) + 1)]
    for p in pages:
        assert f"Mã văn bản: {code}" in p.text, p.number


def test_the_same_long_document_rendered_twice_renders_no_part_the_second_time(
    rendered_parts, tmp_path
):
    ctx = sample_context(ROWS)
    first = render.render_pdf(ctx, chunk_rows=PART)
    assert len(rendered_parts) == 5  # four parts and one block of page numbers
    rendered_parts.clear()
    second = render.render_pdf(ctx, chunk_rows=PART)
    assert rendered_parts == []
    assert pypdf_pages(second) == pypdf_pages(first)
    (tmp_path / "second.pdf").write_bytes(second)
    assert_numbered(tmp_path / "second.pdf", "ABCDEFGH23")


def test_one_changed_row_renders_one_part_under_a_new_code(rendered_parts, tmp_path):
    render.render_pdf(sample_context(ROWS), chunk_rows=PART)
    rendered_parts.clear()
    # The document issued again: a new code and data hash (the footer), one row renamed.
    ctx = sample_context(ROWS)
    ctx["doc"] = {**ctx["doc"], "code": "KLMNPQRS45", "short_hash": "e" * 12}
    ctx["rows"] = [dict(r) for r in ctx["rows"]]
    ctx["rows"][90]["name"] = "Hoàng Thị Đổi Mới"
    pdf = render.render_pdf(ctx, chunk_rows=PART)
    assert len(rendered_parts) == 1
    assert "Hoàng Thị Đổi Mới" in rendered_parts[0]
    text = " ".join(" ".join(pypdf_pages(pdf)).split())  # a cell may wrap a name
    assert "Hoàng Thị Đổi Mới" in text
    assert "Nguyễn Văn An 90" not in text and "Nguyễn Văn An 80" in text
    assert "ABCDEFGH23" not in text
    path = tmp_path / "again.pdf"
    path.write_bytes(pdf)
    assert_numbered(path, "KLMNPQRS45")


def test_the_footer_of_a_document_in_parts_sits_where_a_plain_render_puts_it(tmp_path):
    ctx = sample_context(ROWS)
    parts, whole = tmp_path / "parts.pdf", tmp_path / "whole.pdf"
    parts.write_bytes(render.render_pdf(ctx, chunk_rows=PART))
    whole.write_bytes(render.render_pdf(ctx, chunk_rows=ROWS))  # one render, CSS footer

    def footer(path):
        page = pdf_pages(path)[1]
        return [(w.text, round(w.x0, 1), round(w.y0, 1)) for w in page.words if w.y0 > 180 * MM]

    assert footer(parts) == footer(whole)
    assert any(text == "ABCDEFGH23" for text, _, _ in footer(parts))


def test_a_damaged_cache_entry_is_rendered_again_and_replaced(rendered_parts, settings):
    ctx = sample_context(ROWS)
    render.render_pdf(ctx, chunk_rows=PART)
    cache = render.part_cache()
    entries = cache.entries()
    assert len(entries) == 5  # four parts and one block of page numbers
    damaged = entries[0][2]
    data = bytearray(damaged.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data[: len(data) - 100]))
    rendered_parts.clear()
    pdf = render.render_pdf(ctx, chunk_rows=PART)
    assert len(rendered_parts) == 1
    assert len(PdfReader(io.BytesIO(pdf)).pages) >= 4
    assert cache.get(damaged.stem) is not None  # replaced by a whole entry
    rendered_parts.clear()
    render.render_pdf(ctx, chunk_rows=PART)
    assert rendered_parts == []


def test_the_cache_keeps_the_recently_used_parts_within_its_size(tmp_path):
    cache = PartCache(tmp_path, max_bytes=2500)  # room for two of these entries
    for n, key in enumerate(("aa01", "bb02", "cc03")):
        cache.put(key, b"%PDF-" + key.encode() * 200, 1)
        os.utime(cache._path(key), (1_000_000 + n, 1_000_000 + n))  # stored in this order
    assert cache.get("aa01") is not None  # used again: now the most recent
    cache.evict()
    assert cache.get("bb02") is None
    assert cache.get("cc03") is not None and cache.get("aa01") is not None


def test_a_writer_killed_before_its_rename_leaves_no_lasting_temporary_file(tmp_path):
    cache = PartCache(tmp_path, max_bytes=10_000)
    cache.put("aa01", b"%PDF-x", 1)
    old, fresh = tmp_path / "aa" / ".tmp-old", tmp_path / "aa" / ".tmp-fresh"
    old.write_bytes(b"half")
    fresh.write_bytes(b"being written")
    os.utime(old, (1_000_000, 1_000_000))
    cache.evict()
    assert not old.exists() and fresh.exists() and cache.get("aa01") is not None
