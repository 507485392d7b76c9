"""The renderer: parts in parallel with page numbers over the whole document, the static-only
fetcher, charts, and the golden texts."""

import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from weasyprint.urls import FatalURLFetchingError

from congress.reports import charts, render
from congress.reports.documents import document_context
from congress.reports.htmlpdf import html_to_pdf
from tests.reports.conftest import MM, pdf_pages, pdffonts, pdfinfo, pdftotext

GOLDEN = Path(__file__).parent / "golden"


def sample_rows(n):
    given = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Khánh", "Lan", "Minh", "Nga"]
    return [
        {
            "no": i + 1,
            "name": f"Nguyễn Văn {given[i % 10]} {i}",
            "birth_male": "01/02/1980" if i % 2 else "",
            "birth_female": "" if i % 2 else "01/02/1980",
            "ethnicity": "Kinh",
            "religion": "Không",
            "hometown": "xã Đông Hải, tỉnh Thử Nghiệm",
            "party_entry": "19/05/2005",
            "party_confirmed": "19/05/2006",
            "general_education": "12/12",
            "education": "Đại học",
            "academic_title": "",
            "theory": "Trung cấp",
            "state_management": "Chuyên viên",
            "foreign_language": "Tiếng Anh B1",
            "it_skill": "Tin học cơ bản",
            "current_post": "Phó Chủ tịch UBND xã Đông Hải",
            "proposed_post": "Ủy viên Ban Chấp hành",
            "status": "Lần đầu",
            "note": "Đủ TCCT",
        }
        for i in range(n)
    ]


def sample_context(n):
    data = {
        "congress": "Đại hội thử",
        "term": "2025-2030",
        "body": "Ban Chấp hành Đảng bộ xã Thử",
        "seats": 9,
        "rows": sample_rows(n),
    }
    return document_context(
        kind="nominee-list",
        title="DANH SÁCH TRÍCH NGANG",
        data=data,
        header={
            "above": ["ĐẢNG BỘ TỈNH THỬ"],
            "lines": ["ĐẢNG ỦY XÃ THỬ"],
            "issuer_code": "ĐU",
            "place": "Thử",
            "signature": {"behalf": "T/M BAN THƯỜNG VỤ", "title": "BÍ THƯ", "name": "Lê Văn Ký"},
            "recipients": ["Ban Thường vụ Tỉnh ủy Thử (để báo cáo)", "Lưu Văn phòng Đảng ủy"],
        },
        number=7,
        code="ABCDEFGH23",
        data_hash="f" * 64,
        landscape=True,
    )


def test_parts_rendered_in_parallel_are_numbered_over_the_whole_document(tmp_path):
    ctx = sample_context(130)
    pdf = tmp_path / "long.pdf"
    pdf.write_bytes(render.render_pdf(ctx, chunk_rows=40))
    pages = int(pdfinfo(pdf)["Pages"])
    assert pages >= 4
    text = pdftotext(pdf)
    # The stamped numbers run over the whole document: none on page 1, then 2, 3, … at the top.
    tops = [
        [w.text for w in p.words if w.text.isdigit() and w.y1 < 20 * MM] for p in pdf_pages(pdf)
    ]
    assert tops == [[]] + [[str(i)] for i in range(2, pages + 1)]
    assert "Trang" not in text
    assert text.count("DANH SÁCH TRÍCH NGANG") == 1
    assert text.count("Nơi nhận:") == 1
    assert text.count("Mã văn bản: ABCDEFGH23") == pages
    assert "Nga" in text and "129" in text
    assert all("Liberation-Serif" in row[0] and row[-5] == "yes" for row in pdffonts(pdf))
    assert "841.89 x 595.276" in pdfinfo(pdf)["Page size"]


def test_the_fetcher_refuses_anything_but_static_files(tmp_path):
    html = '<img src="https://example.com/x.png"><p>x</p>'
    with pytest.raises(FatalURLFetchingError):
        html_to_pdf(html, render.base_url(), str(render.static_root()))
    with pytest.raises(FatalURLFetchingError):
        html_to_pdf(
            '<img src="file:///etc/hostname">', render.base_url(), str(render.static_root())
        )


def test_charts_are_plain_svg():
    svg = charts.ratio_bars(
        [{"label": "Cán bộ nữ", "percent": 12.5, "lo": 15, "hi": None, "ok": False}]
    )
    assert svg.startswith("<svg") and "12,5 % (*)" in svg and "Cán bộ nữ" in svg
    pyramid = charts.age_pyramid(charts.age_bins([(35, "male"), (52, "female")]))
    assert "Nam" in pyramid and "Nữ" in pyramid


def normalise(text: str) -> str:
    text = re.sub(r"ngày \d\d tháng \d+ năm \d{4}", "ngày DD tháng MM năm YYYY", text)
    text = re.sub(r"Mã văn bản: \w+ · Dữ liệu: \w+", "Mã văn bản: CODE · Dữ liệu: HASH", text)
    # Layout columns shift with the width of the date: compare words, not spacing.
    lines = (re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line) + "\n"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "kind, extra",
    [
        ("nominee-list", []),
        ("personnel-plan", []),
        ("ballot-minutes", ["--round", "ROUND"]),
        ("resume", ["--cadre", "CADRE"]),
    ],
)
def test_golden_text(scene, tmp_path, kind, extra):
    """Fails when a template changes a document's text; UPDATE_GOLDEN=1 rewrites them."""
    extra = [
        str(scene.round.pk) if x == "ROUND" else str(scene.cadres[0].pk) if x == "CADRE" else x
        for x in extra
    ]
    out = tmp_path / f"{kind}.pdf"
    call_command("render_report", kind, "--unit", "X01", *extra, "--out", str(out))
    text = normalise(pdftotext(out))
    # Cadre ids appear in engine messages ("Vũ Minh Khôi (6)"): make them stable.
    for i, c in enumerate(scene.cadres):
        text = text.replace(f"({c.pk})", f"(#{i})")
    golden = GOLDEN / f"{kind}.txt"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_text(text)
    # Words, not line breaks: ids of different lengths (SQLite, PostgreSQL) re-wrap a line.
    assert "".join(text.split()) == "".join(golden.read_text().split())
