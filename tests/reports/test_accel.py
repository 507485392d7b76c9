"""The renderer's accelerations of WeasyPrint (congress/reports/accel.py) change the time a
document takes, never the document: every kind renders to the same bytes as plain WeasyPrint."""

import pytest
import weasyprint
import weasyprint.pdf.fonts
from django.core.management import call_command

from congress.reports import render
from congress.reports.pdfworker import StaticOnlyFetcher, html_to_pdf
from tests.reports.test_render import sample_context


@pytest.fixture(autouse=True)
def _one_clock(monkeypatch):
    """Every PDF compared here is rendered at the same moment, as far as the bytes can tell.

    Without libharfbuzz-subset, WeasyPrint subsets the embedded fonts with fontTools, which
    writes the current second into each font's `head.modified`: the same document rendered
    a second later differs by a few bytes. Comparing an accelerated render with a plain one
    made a moment later then failed whenever the two fell in different seconds (most tests
    of a loaded full run). fontTools takes that time from SOURCE_DATE_EPOCH when it is set
    (reproducible-builds.org); the comparison itself stays byte for byte."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01 00:00 UTC


def plain_pdf(html: str) -> bytes:
    return weasyprint.HTML(
        string=html,
        base_url=render.base_url(),
        url_fetcher=StaticOnlyFetcher(str(render.static_root())),
    ).write_pdf()


@pytest.fixture
def captured(monkeypatch):
    """The HTML of every document the renderer turns into a PDF in the test."""
    seen: list[str] = []
    real = render.html_to_pdf

    def capture(html, *args):
        seen.append(html)
        return real(html, *args)

    monkeypatch.setattr(render, "html_to_pdf", capture)
    return seen


@pytest.mark.django_db
@pytest.mark.parametrize(
    "kind, args",
    [
        ("nominee-list", ["X01", "--term", "2025-2030"]),
        ("personnel-plan", ["X01", "--term", "2025-2030"]),
        ("structure-summary", ["T01"]),
        ("resume", ["X01", "--cadre", "CADRE"]),
        ("ballot-minutes", ["X01", "--round", "ROUND"]),
        ("planning", ["X01"]),
    ],
)
def test_every_document_is_byte_identical_to_plain_weasyprint(
    scene, plan, captured, tmp_path, kind, args
):
    args = [
        str(scene.cadres[0].pk) if a == "CADRE" else str(scene.round.pk) if a == "ROUND" else a
        for a in args
    ]
    call_command("render_report", kind, "--unit", *args, "--out", str(tmp_path / "out.pdf"))
    assert len(captured) == 1
    html = captured[0]
    fast = html_to_pdf(html, render.base_url(), str(render.static_root()))
    assert fast == plain_pdf(html)
    assert (tmp_path / "out.pdf").read_bytes() == fast


def test_long_lists_with_repeated_and_wrapped_cells_are_byte_identical():
    """The memoised cells: the same strings many times, some wrapping over two lines."""
    ctx = sample_context(120)
    for i, row in enumerate(ctx["data"]["rows"]):
        if i % 3 == 0:
            row["current_post"] = "Phó Bí thư Thường trực Đảng ủy, Chủ tịch Hội đồng nhân dân xã"
    html = render.render_html(ctx)
    assert html_to_pdf(html, render.base_url(), str(render.static_root())) == plain_pdf(html)


def test_without_harfbuzz_subsetting_the_fonts_are_identical_too(monkeypatch):
    """Machines without libharfbuzz-subset subset fonts with fontTools instead."""
    monkeypatch.setattr(weasyprint.pdf.fonts, "harfbuzz_subset", None)
    html = render.render_html(sample_context(30))
    assert html_to_pdf(html, render.base_url(), str(render.static_root())) == plain_pdf(html)


def test_the_page_number_overlay_is_byte_identical():
    html = render._overlay_html({"landscape": True}, 12, 4, 9)
    assert html_to_pdf(html, render.base_url(), str(render.static_root())) == plain_pdf(html)


def test_a_plain_render_after_an_accelerated_one_is_untouched():
    """The patches act only inside `accel.rendering()`: WeasyPrint used directly afterwards
    (by anything else in the process) lays out from scratch."""
    html = render.render_html(sample_context(30))
    fast = html_to_pdf(html, render.base_url(), str(render.static_root()))
    from congress.reports import accel

    assert accel._split_cache is None
    assert plain_pdf(html) == fast
