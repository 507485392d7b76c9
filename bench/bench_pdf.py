"""PDF benchmark: a trích ngang of 2,000 nominees through the project's renderer (parts in
parallel worker processes, joined, page numbers stamped) against the same HTML rendered by
one plain `weasyprint.HTML(...).write_pdf()` call; the same with the accelerations off; and
the list issued again after one row changed, its unchanged parts taken from the part cache.

Run after django.setup(), e.g.:
    .venv/bin/python -c "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE',
    'congress.settings'); django.setup(); from bench.bench_pdf import run; r = {}; run(r); print(r)"
or `.venv/bin/python bench/bench_pdf.py`.
"""

from __future__ import annotations

import os
import sys
import time

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


def _timed_render(render, ctx) -> tuple[float, bytes, int]:
    """Seconds, PDF and the number of parts rendered (not taken from the part cache)."""
    real, count = render.render_part, [0]

    def counting(job, *, pooled):
        count[0] += 1
        return real(job, pooled=pooled)

    render.render_part = counting
    try:
        t = time.perf_counter()
        pdf = render.render_pdf(ctx)
        return time.perf_counter() - t, pdf, count[0]
    finally:
        render.render_part = real


def run(results: dict) -> None:
    import tempfile

    from django.test import override_settings

    # A part cache of its own, emptied before each cold figure (never the installation's).
    with (
        tempfile.TemporaryDirectory() as cache_dir,
        override_settings(PDF_PART_CACHE_DIR=cache_dir),
    ):
        _run(results)


def _run(results: dict) -> None:
    import weasyprint
    from django.test import override_settings

    from congress.reports import render
    from congress.reports.pdfworker import StaticOnlyFetcher

    cache = render.part_cache()
    ctx = _context(N)
    # Warm both paths the same way (fonts, pool start) so neither pays a one-off cost.
    render.render_pdf(_context(2))
    render.render_pdf(_context(render.CHUNK_ROWS * 2 + 1))

    cache.clear()
    seconds, pdf, parts = _timed_render(render, ctx)
    results["pdf_nominee_list_2000_s"] = round(seconds, 2)
    results["pdf_nominee_list_2000_bytes"] = len(pdf)
    results["pdf_nominee_list_2000_parts"] = parts

    # The fallback: the same document with plain WeasyPrint in the workers.
    cache.clear()
    with override_settings(PDF_ACCEL=False):
        seconds, _, _ = _timed_render(render, ctx)
    results["pdf_nominee_list_2000_noaccel_s"] = round(seconds, 2)

    # Issued again after one row changed: a new code (as `documents.produce` gives every
    # issue) and one name; the unchanged parts come from the cache.
    cache.clear()
    first, _, _ = _timed_render(render, ctx)
    again = dict(ctx, rows=[dict(r) for r in ctx["rows"]])
    again["rows"][N // 2 + 17]["name"] = "Hoàng Thị Đổi Mới"
    again["doc"] = dict(ctx["doc"], code="BENCH65432")
    seconds, _, parts = _timed_render(render, again)
    results["pdf_rerender_first_s"] = round(first, 2)
    results["pdf_rerender_one_row_s"] = round(seconds, 2)
    results["pdf_rerender_parts"] = parts
    results["pdf_rerender_ratio"] = round(seconds / first, 3)

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
