"""The Word copy of a document (DOCUMENTS.md §6): the same HTML the PDF is made from, turned
into a .docx with python-docx, so the two never say different things. Boards edit the wording
before signing; they never retype it.

The HTML of the official documents uses a small vocabulary (the header table, the title
lines, headings, paragraphs, data tables, the signature block, the résumé's form), and this
module maps each to Word's own constructs: real tables with repeated header rows and merged
cells, justified paragraphs with a first-line indent, A4 sections with the same margins,
landscape where the PDF is, the page number centred at the top from page 2 (a PAGE field,
none on page 1), and the verification code and QR in the footer of every page. Charts are
drawn only in the PDF; their figures are in the tables of both.
"""

from __future__ import annotations

import base64
import io
import re
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from lxml import html as lxml_html

from congress.reports.render import QR_MM, render_html

FONT = "Times New Roman"
PORTRAIT = {"top": 20, "right": 15, "bottom": 25, "left": 30}
LANDSCAPE = {"top": 30, "right": 20, "bottom": 22, "left": 20}
FIRST_LINE = Cm(1.27)


def render_docx(ctx: dict[str, Any]) -> bytes:
    """The .docx of a document context (the one the PDF is rendered from)."""
    html = render_html(ctx)
    doc = Document()
    _styles(doc)
    section = doc.sections[0]
    _page(section, landscape=bool(ctx.get("landscape")))
    section.different_first_page_header_footer = True
    _page_number(section.header)
    _clear(section.first_page_header)
    for footer in (section.footer, section.first_page_footer):
        _footer(footer, ctx["doc"])
    body = lxml_html.fromstring(html).find("body")
    _Writer(doc).blocks(body)
    out = io.BytesIO()
    doc.core_properties.title = ctx.get("title", "")
    doc.core_properties.author = "Nhân sự đại hội"
    doc.save(out)
    return out.getvalue()


# --- page, header, footer -----------------------------------------------------------------


def _styles(doc) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    fmt = normal.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(4)
    fmt.line_spacing = 1.15


def _page(section, *, landscape: bool) -> None:
    margins = LANDSCAPE if landscape else PORTRAIT
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = Mm(margins["top"])
    section.bottom_margin = Mm(margins["bottom"])
    section.left_margin = Mm(margins["left"])
    section.right_margin = Mm(margins["right"])
    section.header_distance = Mm(8)
    section.footer_distance = Mm(9)


def _clear(part) -> None:
    part.is_linked_to_previous = False
    for p in part.paragraphs:
        p.text = ""


def _page_number(header) -> None:
    """The page number, centred at the top, 14 pt (a PAGE field Word keeps up to date)."""
    header.is_linked_to_previous = False
    p = header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run()
    run.font.size = Pt(14)

    def element(tag: str, text: str | None = None, **attrs: str):
        el = OxmlElement(tag)
        for name, value in attrs.items():
            el.set(qn(name), value)
        if text is not None:
            el.text = text
        run._r.append(el)

    element("w:fldChar", **{"w:fldCharType": "begin"})
    element("w:instrText", " PAGE ", **{"xml:space": "preserve"})
    element("w:fldChar", **{"w:fldCharType": "separate"})
    element("w:t", "2")
    element("w:fldChar", **{"w:fldCharType": "end"})


def _footer(footer, doc: dict[str, Any]) -> None:
    footer.is_linked_to_previous = False
    table = footer.add_table(rows=1, cols=2, width=Mm(150))
    _no_borders(table)
    left, right = table.rows[0].cells
    left.width, right.width = Mm(QR_MM + 4), Mm(130)
    png = base64.b64decode(doc["qr"].split(",", 1)[1])
    left.paragraphs[0].add_run().add_picture(io.BytesIO(png), width=Mm(QR_MM))
    p = right.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(f"Mã văn bản: {doc['code']} · Dữ liệu: {doc['short_hash']}")
    run.font.size = Pt(9)
    # The empty paragraph python-docx starts a footer with would add a line below the table.
    first = footer.paragraphs[0]
    if not first.text:
        first._p.getparent().remove(first._p)


def _no_borders(table) -> None:
    tbl = table._tbl
    props = tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    props.append(borders)


def _grid_borders(table) -> None:
    props = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), "4")
        el.set(qn("w:color"), "000000")
        borders.append(el)
    props.append(borders)


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _cant_split(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))


def _keep_with_next(paragraph) -> None:
    paragraph.paragraph_format.keep_with_next = True


# --- the HTML walk ------------------------------------------------------------------------


def _classes(el) -> set[str]:
    return set((el.get("class") or "").split())


def _mm(style: str | None) -> float | None:
    m = re.search(r"width:\s*([\d.]+)mm", style or "")
    return float(m.group(1)) if m else None


class _Writer:
    def __init__(self, doc) -> None:
        self.doc = doc

    # Blocks -------------------------------------------------------------------------------
    def blocks(self, parent, *, container=None) -> None:
        for el in parent:
            if not isinstance(el.tag, str):
                continue
            self.block(el, container=container)

    def block(self, el, *, container=None) -> None:
        tag, cls = el.tag, _classes(el)
        target = container if container is not None else self.doc
        if tag in ("style", "script", "svg", "link", "meta", "title"):
            return
        if tag == "table":
            if "head" in cls:
                self.head(el)
            elif "tail" in cls:
                self.tail(el)
            elif "form-head" in cls or "resume-top" in cls:
                self.layout_table(el)
            else:
                self.grid(el, target)
            return
        if tag == "div" and "appendix" in cls:
            section = self.doc.add_section()
            _page(section, landscape=True)
            section.different_first_page_header_footer = False
            self.blocks(el)
            return
        if tag == "div" and ("charts" in cls or "doc-rule" in cls):
            if "doc-rule" in cls:
                self.rule(target)
            return
        if tag in ("div", "p", "h2", "h3"):
            if tag == "div" and any(
                isinstance(c.tag, str) and c.tag in ("div", "p", "table") for c in el
            ):
                self.blocks(el, container=container)
                return
            self.paragraph(el, target)
            return
        if tag in ("ul", "ol"):
            for li in el:
                self.paragraph(li, target)
            return
        self.blocks(el, container=container)

    def rule(self, target) -> None:
        """The short rule under a title: a 30 mm bottom border, centred by indents."""
        section = self.doc.sections[-1]
        width = section.page_width - section.left_margin - section.right_margin
        indent = int((width - Mm(30)) / 2)
        p = target.add_paragraph()
        p.paragraph_format.left_indent = indent
        p.paragraph_format.right_indent = indent
        p.paragraph_format.space_after = Pt(10)
        ppr = p._p.get_or_add_pPr()
        borders = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        bottom.set(qn("w:val"), "single")
        bottom.set(qn("w:sz"), "6")
        bottom.set(qn("w:color"), "000000")
        borders.append(bottom)
        ppr.append(borders)

    def paragraph(self, el, target):
        tag, cls = el.tag, _classes(el)
        p = target.add_paragraph()
        fmt = p.paragraph_format
        size, bold, italic = 14, False, False
        if "doc-title" in cls:
            p.alignment, size, bold = WD_ALIGN_PARAGRAPH.CENTER, 16, True
            fmt.space_before = Pt(10)
        elif "doc-sub" in cls:
            p.alignment, bold = WD_ALIGN_PARAGRAPH.CENTER, True
        elif "doc-note" in cls or "declare" in cls:
            p.alignment, italic = WD_ALIGN_PARAGRAPH.CENTER, True
        elif "resume-title" in cls:
            p.alignment, size, bold = WD_ALIGN_PARAGRAPH.CENTER, 16, True
        elif tag == "h2":
            bold = True
            fmt.first_line_indent = FIRST_LINE
            fmt.space_before = Pt(6)
            _keep_with_next(p)
        elif tag == "h3":
            bold, italic = True, True
            fmt.first_line_indent = FIRST_LINE
            _keep_with_next(p)
        elif "field" in cls or "flat" in cls:
            p.alignment = WD_ALIGN_PARAGRAPH.LEFT
        else:
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            fmt.first_line_indent = FIRST_LINE
        if "small" in cls:
            size = 11
        if "note" in cls:
            italic = True
        self.inline(p, el, size=size, bold=bold, italic=italic)
        return p

    def inline(self, p, el, *, size=14, bold=False, italic=False, upper=False) -> None:
        """The text of `el` and its inline children as runs."""

        def run(text: str, b: bool, i: bool, u: bool = False) -> None:
            text = re.sub(r"\s+", " ", text)
            if not text:
                return
            r = p.add_run(text.upper() if upper else text)
            r.font.size = Pt(size)
            r.bold = b or None
            r.italic = i or None
            r.underline = u or None

        def walk(node, b: bool, i: bool, first: bool) -> None:
            if first and node.text:
                run(node.text if node is not el else node.text.lstrip(), b, i)
            for child in node:
                if not isinstance(child.tag, str):
                    if child.tail:
                        run(child.tail, b, i)
                    continue
                if child.tag == "br":
                    p.add_run().add_break()
                else:
                    cb = b or child.tag in ("b", "strong")
                    ci = i or child.tag in ("i", "em")
                    walk(child, cb, ci, True)
                if child.tail:
                    run(child.tail, b, i)

        walk(el, bold, italic, True)
        # Trailing spaces from the template's layout.
        if p.runs:
            p.runs[-1].text = p.runs[-1].text.rstrip()
            p.runs[0].text = p.runs[0].text.lstrip()

    # The header: issuer left, the Party right ----------------------------------------------
    def head(self, el) -> None:
        table = self.doc.add_table(rows=1, cols=2)
        _no_borders(table)
        cells = table.rows[0].cells
        tds = [td for td in el.iter("td")]
        widths = (Mm(75), Mm(90))
        for cell, td, width in zip(cells, tds, widths, strict=False):
            cell.width = width
            cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
            for div in td:
                if not isinstance(div.tag, str):
                    continue
                c = _classes(div)
                p = cell.add_paragraph()
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                p.paragraph_format.space_after = Pt(0)
                size = 15 if "party" in c else 14
                r = p.add_run(" ".join((div.text_content() or "").split()))
                r.font.size = Pt(size)
                r.bold = bool(c & {"issuer", "party", "mark"}) or None
                r.italic = "date-line" in c or None
                r.underline = "party" in c or None
                if "date-line" in c:
                    p.paragraph_format.space_before = Pt(8)

    def layout_table(self, el) -> None:
        """The résumé's top: borderless columns (the photo box keeps its frame)."""
        rows = [tr for tr in el.iter("tr")]
        for tr in rows:
            tds = [td for td in tr if td.tag == "td"]
            table = self.doc.add_table(rows=1, cols=len(tds))
            _no_borders(table)
            for cell, td in zip(table.rows[0].cells, tds, strict=False):
                cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
                for child in td:
                    if not isinstance(child.tag, str):
                        continue
                    c = _classes(child)
                    p = cell.add_paragraph()
                    p.paragraph_format.space_after = Pt(0)
                    if "photo" in c:
                        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                        self._frame(cell)
                        for _ in range(5):
                            p.add_run().add_break()
                        r = p.add_run(child.text_content().strip())
                        r.italic = True
                        r.font.size = Pt(11)
                        cell.width = Mm(40)
                        continue
                    if "form-code" in _classes(td) or "resume-title" in c:
                        p.alignment = (
                            WD_ALIGN_PARAGRAPH.CENTER
                            if "resume-title" in c
                            else WD_ALIGN_PARAGRAPH.RIGHT
                        )
                    self.inline(
                        p,
                        child,
                        size=16 if "resume-title" in c else 13,
                        bold="resume-title" in c or "mark" in c,
                    )

    def _frame(self, cell) -> None:
        tcpr = cell._tc.get_or_add_tcPr()
        borders = OxmlElement("w:tcBorders")
        for side in ("top", "left", "bottom", "right"):
            b = OxmlElement(f"w:{side}")
            b.set(qn("w:val"), "single")
            b.set(qn("w:sz"), "6")
            borders.append(b)
        tcpr.append(borders)

    # Data tables -------------------------------------------------------------------------
    def grid(self, el, target) -> None:
        """A data table. The header rows (with their merged cells) are built first, while the
        table is small; body rows are appended one by one and reached through their own
        cells, never through the whole table's grid (python-docx's `table.cell()` walks every
        cell: quadratic on a long list)."""
        size = 11 if "small" in _classes(el) else 13
        widths = [_mm(c.get("style")) for c in el.iter("col")]
        head = [tr for tr in el.iter("tr") if tr.getparent().tag == "thead"]
        body = [tr for tr in el.iter("tr") if tr.getparent().tag != "thead"]
        ncols = len(widths) or max(
            sum(int(td.get("colspan", 1)) for td in tr if td.tag in ("td", "th"))
            for tr in head + body
        )
        table = target.add_table(rows=len(head), cols=ncols)
        _grid_borders(table)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        occupied: set[tuple[int, int]] = set()
        for r, tr in enumerate(head):
            _repeat_header(table.rows[r])
            c = 0
            for td in (x for x in tr if x.tag in ("td", "th")):
                while (r, c) in occupied:
                    c += 1
                span, down = int(td.get("colspan", 1)), int(td.get("rowspan", 1))
                cell = table.cell(r, c)
                if span > 1 or down > 1:
                    cell = cell.merge(table.cell(r + down - 1, min(c + span, ncols) - 1))
                occupied.update(
                    (rr, cc) for rr in range(r, r + down) for cc in range(c, min(c + span, ncols))
                )
                self._cell(cell, td, size=size, bold=True, center=True)
                c += span
        for tr in body:
            row = table.add_row()
            _cant_split(row)
            strong = bool(_classes(tr) & {"group", "total"})
            cells = list(row.cells)
            c = 0
            for td in (x for x in tr if x.tag in ("td", "th")):
                if c >= ncols:
                    break
                span = min(int(td.get("colspan", 1)), ncols - c)
                cell = cells[c].merge(cells[c + span - 1]) if span > 1 else cells[c]
                self._cell(
                    cell,
                    td,
                    size=size,
                    bold=td.tag == "th" or strong or "miss" in _classes(td),
                    center="c" in _classes(td),
                )
                c += span
        for row in table.rows:
            for i, cell in enumerate(row.cells):
                if i < len(widths) and widths[i]:
                    cell.width = Mm(widths[i])
        target.add_paragraph().paragraph_format.space_after = Pt(0)

    def _cell(self, cell, td, *, size: int, bold: bool, center: bool) -> None:
        p = cell.paragraphs[0]
        p.paragraph_format.space_after = Pt(0)
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.inline(p, td, size=size, bold=bold)

    # Signature block ---------------------------------------------------------------------
    def tail(self, el) -> None:
        tds = list(el.iter("td"))
        table = self.doc.add_table(rows=1, cols=len(tds))
        _no_borders(table)
        _cant_split(table.rows[0])
        for cell, td in zip(table.rows[0].cells, tds, strict=False):
            cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
            recipients = "recipients" in _classes(td)
            for div in td.iter("div"):
                c = _classes(div)
                if "names" in c:
                    continue
                text = " ".join((div.text_content() or "").split())
                if not text and not c & {"name"}:
                    continue
                p = cell.add_paragraph()
                p.paragraph_format.space_after = Pt(0)
                if recipients:
                    r = p.add_run(text)
                    if "label" in c:
                        r.font.size, r.underline = Pt(14), True
                    else:
                        r.font.size = Pt(12)
                    continue
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                if (
                    "name" in c
                    or div.getparent() is not None
                    and "names" in _classes(div.getparent())
                ):
                    for _ in range(3):
                        p.add_run().add_break()
                r = p.add_run(text)
                r.font.size = Pt(13 if "hint" in c else 14)
                r.bold = "hint" not in c or None
                r.italic = "hint" in c or None
        # The signature keeps with the lines before it.
        prev = self.doc.paragraphs[-1] if self.doc.paragraphs else None
        if prev is not None:
            _keep_with_next(prev)
