"""Issue 14, "Documents a board signs as printed": each complaint, read back from the paper.
(The page itself, numbers, footer, QR and the signature's page: test_page_format.py.)"""

import re

import pytest
from docx import Document
from pypdf import PdfReader

from personnel.models import Achievement
from tests.reports.conftest import docx_cells, flat_text, pdf_pages, render_doc

pytestmark = pytest.mark.django_db

STATE_ON_PARTY = re.compile(
    r"(?:UBND|HĐND|Ủy ban nhân dân|Hội đồng nhân dân|Chi cục trưởng|Trưởng phòng|MTTQ)"
    r"[^,.;()]{0,20}Đảng bộ"
)


@pytest.fixture
def approved(scene):
    scene.nominee_list.state = "approved"
    scene.nominee_list.save()
    return scene


def header_lines(pdf) -> list[str]:
    """The left column of page 1's header: the words left of the page's middle, down to the
    number, grouped into lines."""
    page = pdf_pages(pdf)[0]
    left = [w for w in page.words if w.x1 < page.width / 2 and w.y0 < 60 * 72 / 25.4]
    lines: dict[int, list] = {}
    for w in left:
        lines.setdefault(round(w.y0), []).append(w)
    out = [
        " ".join(w.text for w in sorted(ws, key=lambda w: w.x0)) for _, ws in sorted(lines.items())
    ]
    return out[: next((i for i, line in enumerate(out) if line.startswith("Số")), len(out)) + 1]


def test_issuer_a_province_issues_as_its_committee_alone(scene, tmp_path):
    pdf, _, _ = render_doc(tmp_path, "structure-summary", "T01")
    assert header_lines(pdf) == ["TỈNH ỦY THỬ NGHIỆM", "*", "Số 01-BC/TU"]


def test_issuer_a_grassroots_unit_under_a_ward_names_the_ward(scene, tmp_path):
    pdf, _, _ = render_doc(tmp_path, "structure-summary", "P03.CS01")
    assert header_lines(pdf) == [
        "ĐẢNG BỘ PHƯỜNG ĐÔNG HẢI",
        "ĐẢNG ỦY CÔNG AN PHƯỜNG ĐÔNG HẢI",
        "*",
        "Số 01-BC/ĐU",
    ]
    pdf, _, _ = render_doc(tmp_path, "structure-summary", "P03.CS01.CB1")
    assert header_lines(pdf) == [
        "ĐẢNG BỘ CÔNG AN PHƯỜNG ĐÔNG HẢI",
        "CHI BỘ TỔ 1",
        "*",
        "Số 01-BC/CB",
    ]
    assert "T/M CHI BỘ" in flat_text(pdf)


def test_issuer_the_minutes_are_the_vote_counting_boards(scene, tmp_path):
    pdf, _, doc = render_doc(tmp_path, "ballot-minutes", "X01", "--round", str(scene.round.pk))
    lines = header_lines(pdf)
    assert lines[-3:] == ["BAN KIỂM PHIẾU", "*", "Số 01-BB/BKP"]
    assert " ".join(lines[:-3]) == "ĐẠI HỘI ĐẠI BIỂU ĐẢNG BỘ XÃ AN BÌNH NHIỆM KỲ 2025 - 2030"
    assert "/TU" not in flat_text(pdf) and doc.issuer_name.startswith("Ban kiểm phiếu")


def test_titles_never_attach_a_state_post_to_a_party_organisation(approved, plan, tmp_path):
    texts = []
    for kind, args in [
        ("nominee-list", []),
        ("personnel-plan", []),
        ("planning", []),
        ("resume", ["--cadre", str(approved.cadres[1].pk)]),
    ]:
        _, docx, _ = render_doc(tmp_path, kind, "X01", *args)
        texts += docx_cells(docx)
    joined = " | ".join(texts)
    assert not STATE_ON_PARTY.search(joined), STATE_ON_PARTY.search(joined)
    assert "Phó Chủ tịch UBND xã An Bình" in texts


def test_recipients_in_normal_capitals_never_the_issuer_with_an_upright_underlined_label(
    scene, tmp_path
):
    pdf, docx, _ = render_doc(tmp_path, "structure-summary", "X01")
    text = flat_text(pdf)
    start = text.index("Nơi nhận:")
    block = text[start : text.index("Mã văn bản", start)]
    assert "Ban Thường vụ Tỉnh ủy Thử Nghiệm (để báo cáo)" in block
    assert "Ban Tổ chức Tỉnh ủy Thử Nghiệm" in block
    assert "Lưu Văn phòng Đảng ủy." in block
    assert not re.search(r"[A-ZĐ]{2,} [A-ZĐ]{2,}", block.replace("T/M BAN THƯỜNG VỤ BÍ THƯ", ""))
    # The province's own documents go up, never to the province itself.
    pdf, _, _ = render_doc(tmp_path, "structure-summary", "T01", name="province")
    text = flat_text(pdf)
    start = text.index("Nơi nhận:")
    block = text[start : text.index("Mã văn bản", start)]
    assert "Tỉnh ủy Thử Nghiệm (để báo cáo)" not in block
    assert "Ban Tổ chức Trung ương (để báo cáo)" in block
    # "Nơi nhận:" upright and underlined: in the PDF a regular face, in Word an underlined run.
    fonts = set()

    def visit(text, cm, tm, font, size):
        if "Nơi nhận" in text and font is not None:
            fonts.add(str(font.get("/BaseFont")))

    for page in PdfReader(str(pdf)).pages:
        page.extract_text(visitor_text=visit)
    assert fonts and all("Bold" not in f and "Italic" not in f for f in fonts), fonts
    runs = [r for p in Document(str(docx)).tables[-1]._cells[0].paragraphs for r in p.runs]
    label = next(r for r in runs if r.text.startswith("Nơi nhận"))
    assert label.underline and not label.bold and not label.italic


def test_no_internal_words_and_a_draft_says_du_thao(scene, tmp_path):
    pdf, _, doc = render_doc(tmp_path, "nominee-list", "X01")
    text = flat_text(pdf)
    for word in (
        "phiên bản",
        "chưa xác nhận",
        "ghi đè",
        "tài liệu mẫu",
        "X01",
        "dự thảo",
        "trả lại",
    ):
        assert word not in text, word
    assert "DỰ THẢO" in text and doc.is_draft and doc.number is None


def test_the_personnel_plan_groups_findings_with_names_and_the_committee_signs(approved, tmp_path):
    # Three nominees without an achievement in the last three years.
    Achievement.objects.filter(cadre__in=approved.cadres[3:6]).delete()
    pdf, _, _ = render_doc(tmp_path, "personnel-plan", "X01")
    text = flat_text(pdf)
    sentence = re.findall(r"(\d+) đồng chí chưa có thành tích[^:]*: ([^.]*)\.", text)
    assert sentence == [("03", "Phạm Văn Đức, Đặng Quốc Hưng, Vũ Minh Khôi")]
    assert "[Vi phạm]" not in text and "[Lưu ý]" not in text
    assert "T/M BAN CHẤP HÀNH" in text


def test_the_resume_is_the_2c_form_certified_by_someone_else(scene, tmp_path):
    secretary = scene.cadres[0]
    pdf, docx, _ = render_doc(tmp_path, "resume", "X01", "--cadre", str(secretary.pk))
    text = flat_text(pdf)
    for field in (
        "Ảnh 4 × 6",
        "Tên gọi khác",
        "Nơi sinh",
        "Nơi ở hiện nay",
        "Tôn giáo",
        "ngày chính thức",
        "Giáo dục phổ thông",
        "Học hàm, học vị",
        "Quản lý nhà nước",
        "Ngoại ngữ",
        "Tin học",
        "Ngày tuyển dụng",
        "ĐẶC ĐIỂM LỊCH SỬ BẢN THÂN",
        "Tình trạng sức khỏe",
        "a) Về bản thân",
        "b) Về bên vợ (hoặc chồng)",
        "Tôi xin cam đoan những lời khai trên là đúng sự thật",
    ):
        assert field in text, field
    assert "Chưa có dữ liệu" not in text
    certification = next(c for c in docx_cells(docx) if c.startswith("CẤP ỦY QUẢN LÝ XÁC NHẬN"))
    assert secretary.full_name not in certification and "Lê Quang Minh" in certification
    # A cadre who is not the head: the unit's own secretary certifies.
    _, docx, _ = render_doc(tmp_path, "resume", "X01", "--cadre", str(scene.cadres[1].pk), name="b")
    certification = next(c for c in docx_cells(docx) if c.startswith("CẤP ỦY QUẢN LÝ XÁC NHẬN"))
    assert "Trần Văn Bảo" in certification


def test_the_minutes_state_time_place_board_and_ballots_signed_by_the_board(scene, tmp_path):
    pdf, _, _ = render_doc(tmp_path, "ballot-minutes", "X01", "--round", str(scene.round.pk))
    text = flat_text(pdf)
    assert "14 giờ 30 phút" in text and "Hội trường Đảng ủy xã An Bình" in text
    assert "có mặt: 24" in text and "Số phiếu phát ra: 24" in text
    assert "số phiếu hợp lệ: 23; số phiếu không hợp lệ: 1" in text
    assert "..." not in text and "…" not in text
    tail = text[text.index("THÀNH VIÊN BAN KIỂM PHIẾU") :]
    assert "Hồ Văn Kiểm" in tail and "Trần Văn Bảo" not in tail


def test_numbers_two_reports_of_one_issuer_never_share_a_number(plan, tmp_path):
    _, _, summary = render_doc(tmp_path, "structure-summary", "X01")
    plan.state = "approved"
    plan.save()
    pdf, _, planning = render_doc(tmp_path, "planning", "X01", "--term", "2030-2035")
    assert summary.number_text == "Số 01-BC/ĐU"
    assert planning.number_text == "Số 02-BC/ĐU"


def test_numbers_the_summary_names_its_term_has_three_tiers_and_no_total_across_levels(
    scene, tmp_path
):
    pdf, docx, _ = render_doc(tmp_path, "structure-summary", "T01")
    text = flat_text(pdf)
    assert "nhiệm kỳ 2025 - 2030" in text
    cells = docx_cells(docx)
    assert {"Dưới 40 tuổi", "Từ 40 đến 50 tuổi", "Trên 50 tuổi"} <= set(cells)
    assert "Tổng cộng" not in text
    assert any(c.startswith("Cộng cấp xã") for c in cells)


def test_the_trich_ngang_has_every_column_grouped(approved, tmp_path):
    _, docx, _ = render_doc(tmp_path, "nominee-list", "X01")
    header = [c.text for c in Document(str(docx)).tables[1].rows[0].cells]
    sub = [c.text for c in Document(str(docx)).tables[1].rows[1].cells]
    assert "Trình độ" in header and "Ngày sinh" in header
    assert ["Nam", "Nữ"] == sub[2:4]
    for column in ("GDPT", "Chuyên môn, học vị", "LLCT, QLNN", "Ngoại ngữ, tin học"):
        assert column in sub
    for column in ("Dân tộc, tôn giáo", "Vào Đảng, chính thức", "Khóa trước", "Ghi chú"):
        assert column in header


def test_the_planning_report_cites_regulation_377_first(plan, tmp_path):
    pdf, _, _ = render_doc(tmp_path, "planning", "X01")
    text = flat_text(pdf)
    opening = text[: text.index("I. KẾT QUẢ QUY HOẠCH")]
    assert "Căn cứ Quy định số 377-QĐ/TW, ngày 8/10/2025" in opening
    assert "Chỉ thị" not in text
