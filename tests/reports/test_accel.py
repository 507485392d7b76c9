"""The renderer's accelerations of WeasyPrint (congress/reports/accel.py) change the time a
document takes, never the document: every kind renders to the same bytes as plain WeasyPrint.
They are optional: switched off, or with another WeasyPrint installed, documents render with
plain WeasyPrint."""

import subprocess
import sys
from contextlib import contextmanager

import pytest
import weasyprint
import weasyprint.pdf.fonts
from django.core.management import call_command

from congress.reports import accel, fanout, render
from congress.reports.htmlpdf import StaticOnlyFetcher, html_to_pdf
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


def test_the_page_number_and_footer_overlays_are_byte_identical():
    for html in (
        render._numbers_html(sample_context(30), 4, 9),
        render._footer_html(sample_context(30)),
    ):
        assert html_to_pdf(html, render.base_url(), str(render.static_root())) == plain_pdf(html)


def test_a_plain_render_after_an_accelerated_one_is_untouched():
    """The patches act only inside `accel.rendering()`: WeasyPrint used directly afterwards
    (by anything else in the process) lays out from scratch."""
    html = render.render_html(sample_context(30))
    fast = html_to_pdf(html, render.base_url(), str(render.static_root()))

    assert accel._split_cache is None
    assert plain_pdf(html) == fast


@pytest.fixture
def modes(monkeypatch):
    """The `enabled` argument of every `accel.rendering()` in the test, and the HTML class it
    handed out."""
    seen: list[tuple[bool, type]] = []
    real = accel.rendering

    @contextmanager
    def spy(enabled=True):
        with real(enabled) as html_class:
            seen.append((enabled, html_class))
            yield html_class

    monkeypatch.setattr(accel, "rendering", spy)
    return seen


def test_with_the_accelerations_off_a_document_is_plain_weasyprint(modes):
    html = render.render_html(sample_context(30))
    pdf = html_to_pdf(html, render.base_url(), str(render.static_root()), accelerate=False)
    assert modes == [(False, weasyprint.HTML)]
    assert pdf.startswith(b"%PDF-") and pdf == plain_pdf(html)


def test_another_weasyprint_version_renders_plainly_instead_of_failing(monkeypatch, modes):
    monkeypatch.setattr(weasyprint, "__version__", "71.0")

    def refuse():
        raise AssertionError("patched WeasyPrint it was not checked against")

    monkeypatch.setattr(accel, "install", refuse)
    html = render.render_html(sample_context(30))
    pdf = html_to_pdf(html, render.base_url(), str(render.static_root()))
    assert modes == [(True, weasyprint.HTML)]
    assert accel._split_cache is None
    assert pdf.startswith(b"%PDF-") and pdf == plain_pdf(html)


def test_a_process_with_another_weasyprint_imports_the_renderer_and_renders():
    """Imported fresh under another version, `accel` does not reach for WeasyPrint's private
    modules (they may have moved) and patches nothing."""
    code = (
        "import weasyprint; weasyprint.__version__ = '71.0'\n"
        "from congress.reports import accel, htmlpdf\n"
        "pdf = htmlpdf.html_to_pdf('<p>x</p>', 'file:///', '/')\n"
        "assert pdf.startswith(b'%PDF-'), pdf[:20]\n"
        "assert not accel._installed and not hasattr(accel, 'inline')\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=render.static_root().parent, check=True)


def test_the_setting_turns_the_accelerations_off_in_process_and_in_the_workers(
    settings, monkeypatch, modes
):
    settings.PDF_ACCEL = False
    parts = []
    real = fanout.render_parts

    def spy(jobs, keys, **kwargs):
        parts.extend(jobs)
        return real(jobs, keys, **kwargs)

    monkeypatch.setattr(fanout, "render_parts", spy)
    render.render_pdf(sample_context(5))  # short: one render in this process
    assert modes == [(False, weasyprint.HTML)]
    render.render_pdf(sample_context(130), chunk_rows=40)  # parts and overlay for the workers
    assert parts and all(accelerate is False for _, accelerate in parts)


@pytest.mark.django_db
def test_a_worker_renders_plainly_when_its_part_says_so(modes):
    from congress.models import RenderPart

    part = RenderPart.objects.create(
        batch="00000000-0000-0000-0000-000000000001",
        index=0,
        key="k",
        html="<p>Không tăng tốc</p>",
        accelerate=False,
    )
    assert fanout.render_one(part.pk) is True
    part.refresh_from_db()
    assert part.status == "done" and bytes(part.pdf).startswith(b"%PDF-") and part.pages == 1
    assert modes == [(False, weasyprint.HTML)]
