"""The page of every document (DOCUMENTS.md §1–3), read back from the PDF and the Word copy:
page numbers at the top from page 2, the verification footer inside the printable area and
clear of the text, the signature sharing its page with content, no internal words."""

import re
import subprocess

import pytest
from docx import Document

from congress.reports import render
from tests.reports.conftest import MM, _tool, docx_text, flat_text, pdf_pages, render_doc
from tests.reports.test_render import sample_context

pytestmark = pytest.mark.django_db

# Words a board must never find on paper: engine codes, rule-set notes, workflow states, file
# names, unit codes.
INTERNAL = re.compile(
    r"phiên bản \d|chưa xác nhận|giá trị ghi đè|tài liệu mẫu|mặc định|\b[A-Z]+_[A-Z_]+\b"
    r"|\[(?:Vi phạm|Lưu ý)\]|\.(?:pdf|docx|xlsx)\b|\b[TXHP]\d{2,3}(?:\.[A-Z]{2}\d{1,2})*\b"
    r"|dự thảo|trả lại|đã trình|Chưa có dữ liệu|Trang \d+/\d+",
)

SIGNATURES = ("T/M BAN", "T/M CHI", "T/M ĐẢNG ỦY", "TRƯỞNG BAN KIỂM PHIẾU", "NGƯỜI KHAI")


def every_document(scene):
    """(kind, unit, args) of a document of each kind on the scene, each issuer kind among
    them: the province, a commune, a ward's grassroots committee, a cell, the counting board."""
    c = str(scene.cadres[0].pk)
    return [
        ("nominee-list", "X01", []),
        ("personnel-plan", "X01", []),
        ("structure-summary", "T01", []),
        ("structure-summary", "P03.CS01", []),
        ("structure-summary", "P03.CS01.CB1", []),
        ("resume", "X01", ["--cadre", c]),
        ("ballot-minutes", "X01", ["--round", str(scene.round.pk)]),
        ("planning", "X01", []),
    ]


@pytest.fixture
def rendered(scene, plan, tmp_path):
    scene.nominee_list.state = "approved"
    scene.nominee_list.save()
    out = []
    for i, (kind, unit, args) in enumerate(every_document(scene)):
        pdf, docx, doc = render_doc(tmp_path, kind, unit, *args, name=f"{i}-{kind}")
        out.append((kind, unit, pdf, docx, doc))
    return out


def signature_word(pages):
    """The page and the first word of the signature block."""
    for page in pages:
        for i, w in enumerate(page.words):
            head = " ".join(x.text for x in page.words[i : i + 4])
            if any(head.startswith(s) for s in SIGNATURES):
                return page, w
    return None


def number_words(page):
    """Words that are a bare page number in the top margin (above 20 mm)."""
    return [w for w in page.words if w.text.isdigit() and w.y1 < 20 * MM]


def test_page_numbers_from_page_two_centred_at_the_top(rendered):
    for kind, unit, pdf, _, _ in rendered:
        pages = pdf_pages(pdf)
        if unit in ("T01", "X01"):
            assert len(pages) >= 2, f"{kind} {unit}: a single page, nothing to check"
        assert not number_words(pages[0]), f"{kind} {unit}: page 1 carries a number"
        for page in pages[1:]:
            found = number_words(page)
            assert [w.text for w in found] == [str(page.number)], (kind, unit, page.number)
            w = found[0]
            # Centred over the text block, between the left (binding) and right margins.
            landscape = page.width > page.height
            left, right = (20, 20) if landscape else (30, 15)
            centre = (left * MM + page.width - right * MM) / 2
            assert abs((w.x0 + w.x1) / 2 - centre) < 3 * MM, (kind, page.number, w.x0 / MM)
            assert 6 * MM < w.y0 < 14 * MM, (kind, page.number, w.y0 / MM)
            assert 12 < w.y1 - w.y0 < 20  # about 14 pt
        assert "Trang" not in flat_text(pdf)


def test_the_verification_footer_is_inside_the_printable_area_and_clear_of_the_text(rendered):
    for kind, _unit, pdf, _, doc in rendered:
        for page in pdf_pages(pdf):
            footer = [
                w
                for w in page.words
                if w.y0 > page.height - 25 * MM
                and (w.text in ("Mã", "văn", "bản:", "·", "Dữ", "liệu:", doc.code, doc.short_hash))
            ]
            assert any(w.text == doc.code for w in footer), (kind, page.number)
            for w in footer:
                assert w.y1 <= page.height - 8 * MM, (kind, page.number, w.text)
                assert w.x0 >= 8 * MM and w.x1 <= page.width - 8 * MM
            body = [w for w in page.words if w not in footer and w.y1 > 20 * MM]
            if body:
                assert max(w.y1 for w in body) < min(w.y0 for w in footer), (kind, page.number)


def test_the_qr_code_is_printed_at_print_resolution(rendered):
    for kind, _, pdf, _, _ in rendered:
        out = subprocess.run(
            [_tool("pdfimages"), "-list", str(pdf)], capture_output=True, check=True, text=True
        ).stdout
        rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
        assert rows, kind
        for row in rows:
            x_ppi = int(row[12])
            assert x_ppi >= 300, (kind, row)
            assert row[9] == "no"  # not interpolated: sharp modules


def test_the_signature_never_stands_alone_on_its_page(rendered):
    for kind, unit, pdf, _, _ in rendered:
        found = signature_word(pdf_pages(pdf))
        assert found, f"{kind} {unit}: no signature block found"
        page, first = found
        above = [w for w in page.words if w.y1 < first.y0 - 2 and w.y1 > 20 * MM]
        assert len(above) >= 5, f"{kind} {unit}: the signature is alone on page {page.number}"


@pytest.mark.parametrize("rows", [3, 5, 7, 9, 11, 13])
def test_a_long_list_keeps_rows_with_its_signature(rows, tmp_path):
    """Whatever the length, the last rows move with the signature to its page."""
    pdf = tmp_path / "list.pdf"
    pdf.write_bytes(render.render_pdf(sample_context(rows)))
    pages = pdf_pages(pdf)
    last = pages[-1]
    assert "T/M" in last.text
    assert re.search(r"Nguyễn Văn \w+ \d+", last.text), f"{rows} rows: signature page has no row"


def test_no_internal_words_or_unit_codes_on_paper_or_in_the_word_copy(rendered):
    for kind, unit, pdf, docx, _ in rendered:
        text = flat_text(pdf)
        found = INTERNAL.findall(text)
        assert not found, f"{kind} {unit}: {found}"
        found = INTERNAL.findall(" ".join(docx_text(docx)))
        assert not found, f"{kind} {unit} (Word): {found}"


def test_the_word_copy_has_the_frame_of_the_pdf(rendered):
    for kind, _unit, pdf, docx, doc in rendered:
        paragraphs = docx_text(docx)
        # Words broken over two lines join again (pdftotext drops a line-end hyphen).
        text = "".join(flat_text(pdf).split()).replace("-", "")
        word = Document(str(docx))
        section = word.sections[0]
        # Page number: a PAGE field centred in the header, none on the first page.
        assert section.different_first_page_header_footer
        assert "PAGE" in section.header._element.xml
        assert "PAGE" not in section.first_page_header._element.xml
        # The footer of every page carries the verification code and the QR.
        for footer in (section.footer, section.first_page_footer):
            xml = footer._element.xml
            assert doc.code in xml and doc.short_hash in xml and "graphicData" in xml
        landscape = kind in ("nominee-list", "structure-summary")
        assert (section.page_width > section.page_height) == landscape
        assert round(section.left_margin.mm) == (20 if landscape else 30)
        if kind != "resume":
            assert "ĐẢNG CỘNG SẢN VIỆT NAM" in paragraphs and "ĐẢNGCỘNGSẢNVIỆTNAM" in text
        if doc.number_text:
            assert doc.number_text in paragraphs, (kind, doc.number_text)
        # Same words: every paragraph of the Word copy is in the PDF.
        for p in paragraphs:
            words = p.split()
            assert all(w.replace("-", "") in text for w in words[:6]), (kind, p)
