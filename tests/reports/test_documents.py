"""Each document, rendered from the command line on a small real scene, says what
DOCUMENTS.md §5 says it must: its header by issuer, its number, title, fields and signature."""

import re

import pytest
from django.core.management import CommandError, call_command

from congress.models import IssuedDocument, NominationRound
from tests.factories import UnitFactory
from tests.reports.conftest import (
    docx_cells,
    flat_text,
    pdffonts,
    pdfinfo,
    pdftotext,
    render_doc,
)
from tests.reports.scene import COUNTING_BOARD, SECRET

pytestmark = pytest.mark.django_db

A4_PORTRAIT = "595.276 x 841.89"
A4_LANDSCAPE = "841.89 x 595.276"


def render(tmp_path, kind, *args):
    """The PDF of a document (the old helper's shape: unit first in `args`)."""
    pdf, _, _ = render_doc(tmp_path, kind, args[0], *args[1:])
    return pdf


def assert_official(text: str, pdf, kind: str):
    doc = IssuedDocument.objects.filter(kind=kind).latest("issued_at", "pk")
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text or kind == "resume"
    assert f"Mã văn bản: {doc.code}" in text
    assert doc.short_hash in text
    assert SECRET not in text
    fonts = pdffonts(pdf)
    assert fonts, "no fonts listed"
    for row in fonts:
        # The text in the project's serif; the charts' labels in a sans-serif (issue 15).
        assert "Liberation-Serif" in row[0] or "Sans" in row[0], row
        assert row[-5] == "yes", f"font not embedded: {row}"
    return doc


@pytest.fixture
def approved(scene):
    scene.nominee_list.state = "approved"
    scene.nominee_list.save()
    return scene


def test_a_draft_trich_ngang_carries_du_thao_and_no_number(scene, tmp_path):
    pdf, _, doc = render_doc(tmp_path, "nominee-list", "X01", "--term", "2025-2030")
    text = flat_text(pdf)
    assert "DỰ THẢO" in text
    assert re.search(r"Số\s+-DS/ĐU", text)
    assert doc.number is None and doc.is_draft
    assert "dự thảo" not in text  # the workflow state is never printed as such


def test_trich_ngang_columns_and_rows(approved, tmp_path):
    pdf, docx, doc = render_doc(tmp_path, "nominee-list", "X01", "--term", "2025-2030")
    text = flat_text(pdf)
    assert_official(pdftotext(pdf), pdf, "nominee-list")
    assert doc.number == 1 and "Số 01-DS/ĐU" in text
    assert "ĐẢNG BỘ TỈNH THỬ NGHIỆM ĐẢNG ỦY XÃ AN BÌNH" in text
    assert "An Bình, ngày" in text
    assert "DANH SÁCH TRÍCH NGANG" in text
    assert (
        "Nhân sự dự kiến giới thiệu bầu Ban Chấp hành Đảng bộ xã An Bình nhiệm kỳ 2025 - 2030"
        in text
    )
    headers = docx_cells(docx)
    for header in (
        "Họ và tên (tên thường gọi)",
        "Ngày sinh",
        "Nam",
        "Nữ",
        "Dân tộc, tôn giáo",
        "Quê quán",
        "Chức vụ hiện nay",
        "Vào Đảng, chính thức",
        "Trình độ",
        "GDPT",
        "Chuyên môn, học vị",
        "LLCT, QLNN",
        "Ngoại ngữ, tin học",
        "Khóa trước",
        "Dự kiến chức danh",
        "Ghi chú",
    ):
        assert header in headers, header
    # Given names order the list: Ánh, Bảo, Cúc, Đức, Hưng, Khôi.
    order = [
        "Nguyễn Thị Ánh",
        "Trần Văn Bảo (Tư Bảo)",
        "Lê Thị Cúc",
        "Phạm Văn Đức",
        "Đặng Quốc Hưng",
    ]
    positions = [headers.index(name) for name in order]
    assert positions == sorted(positions)
    assert "Tái cử" in headers and "Lần đầu" in headers
    # A woman's birth date under "Nữ", the date she became a full member, her religion.
    assert "02/11/1985" in text and "19/05/2008" in text and "Không" in text
    # Titles composed from where the post is held (the Word copy has each cell whole).
    assert "Phó Chủ tịch UBND xã An Bình" in headers
    assert "Chủ tịch Ủy ban MTTQ Việt Nam xã An Bình" in headers
    assert "Bí thư Đảng ủy xã An Bình" in headers
    assert "Đủ TCCT" in headers
    assert A4_LANDSCAPE in pdfinfo(pdf)["Page size"]


def test_personnel_plan_is_the_committees_report_to_the_congress(approved, tmp_path):
    pdf, _, doc = render_doc(tmp_path, "personnel-plan", "X01", "--term", "2025-2030")
    text = flat_text(pdf)
    assert_official(pdftotext(pdf), pdf, "personnel-plan")
    assert "ĐỀ ÁN" in text and "Số 01-ĐA/ĐU" in text
    assert "Nhân sự Ban Chấp hành Đảng bộ xã An Bình nhiệm kỳ 2025 - 2030" in text
    sections = [
        "I. TÌNH HÌNH BAN CHẤP HÀNH KHÓA ĐƯƠNG NHIỆM",
        "II. TIÊU CHUẨN, CƠ CẤU BAN CHẤP HÀNH KHÓA MỚI",
        "III. DỰ KIẾN NHÂN SỰ BAN CHẤP HÀNH KHÓA MỚI",
        "IV. DỰ KIẾN NHÂN SỰ BAN THƯỜNG VỤ",
        "V. DỰ KIẾN NHÂN SỰ BÍ THƯ",
        "PHỤ LỤC",
    ]
    positions = [text.index(s) for s in sections]
    assert positions == sorted(positions)
    # The directive is cited; the targets listed, the three age tiers among them.
    assert "Căn cứ Chỉ thị số 45-CT/TW, ngày 14/4/2025 của Bộ Chính trị" in text
    assert "Cán bộ nữ từ 15% trở lên" in text
    assert "Cơ cấu ba độ tuổi: dưới 40 tuổi" in text and "trên 50 tuổi" in text
    assert "Từ 40 đến 50 tuổi" in text
    assert "số dư: 1 đồng chí" in text
    # Findings are grouped, with names; the justification follows.
    assert "01 đồng chí chưa có kết luận về tiêu chuẩn chính trị: Vũ Minh Khôi." in text
    assert "Giải trình (Vũ Minh Khôi): Đang chờ kết luận" in text
    # The whole outgoing committee decides: T/M BAN CHẤP HÀNH.
    assert "T/M BAN CHẤP HÀNH" in text and "T/M BAN THƯỜNG VỤ" not in text
    assert A4_PORTRAIT in pdfinfo(pdf)["Page size"]


def test_structure_summary_one_term_three_tiers_subtotals_by_level(scene, tmp_path):
    # A unit added since the last recompute has no snapshot yet.
    UnitFactory(code="X09", name="Đảng bộ xã Mới Lập", level="commune", parent=scene.province)
    pdf, _, doc = render_doc(tmp_path, "structure-summary", "T01")
    text = flat_text(pdf)
    assert_official(pdftotext(pdf), pdf, "structure-summary")
    assert "BÁO CÁO" in text and "Số 01-BC/TU" in text
    assert "Tổng hợp cơ cấu cấp ủy nhiệm kỳ 2025 - 2030 trong Đảng bộ tỉnh Thử Nghiệm" in text
    assert doc.term == "2025-2030"
    for tier in ("Dưới 40 tuổi", "Từ 40 đến 50 tuổi", "Trên 50 tuổi"):
        assert tier in text
    assert "Cấp xã" in text and "Cộng cấp xã (1 đơn vị)" in text
    assert "Tổng cộng" not in text
    assert "Có 1 tổ chức đảng chưa được tổng hợp." in text
    assert A4_LANDSCAPE in pdfinfo(pdf)["Page size"]


def test_resume_on_the_2c_form(scene, tmp_path):
    cadre = scene.cadres[0]
    pdf, _, doc = render_doc(tmp_path, "resume", "X01", "--cadre", str(cadre.pk))
    text = flat_text(pdf)
    assert_official(pdftotext(pdf), pdf, "resume")
    assert doc.number is None and not doc.is_draft
    assert "Tỉnh: Thử Nghiệm" in text and "Đơn vị cơ sở: Đảng bộ xã An Bình" in text
    assert "Số hiệu cán bộ: CB001" in text and "Ảnh 4 × 6" in text
    assert "SƠ YẾU LÝ LỊCH" in text
    fields = [
        "1) Họ và tên khai sinh: TRẦN VĂN BẢO",
        "2) Tên gọi khác: Tư Bảo",
        "3) Sinh ngày: 08/03/1972; giới tính: Nam",
        "4) Nơi sinh: xã An Bình, tỉnh Thử Nghiệm",
        "5) Quê quán: xã An Bình, tỉnh Thử Nghiệm",
        "6) Dân tộc: Kinh; 7) Tôn giáo: Không",
        "8) Nơi thường trú: Thôn Đông",
        "9) Nơi ở hiện nay: Thôn Đông",
        "10) Nghề nghiệp khi được tuyển dụng: Giáo viên",
        "11) Ngày tuyển dụng: 01/09/1995; cơ quan tuyển dụng: Phòng Giáo dục huyện Thử",
        "12) Chức vụ hiện tại (Đảng, chính quyền, đoàn thể): Bí thư Đảng ủy xã An Bình",
        "13) Công việc chính được giao: Phụ trách chung",
        "14) Ngạch công chức, bậc lương, hệ số: ngạch Chuyên viên chính (01.002), bậc 5, hệ số 5,76",
        "15.1. Giáo dục phổ thông: 12/12",
        "15.2. Chuyên môn cao nhất: Thạc sĩ Quản lý công",
        "15.3. Học hàm, học vị: Thạc sĩ",
        "15.4. Lý luận chính trị: Cao cấp",
        "15.5. Quản lý nhà nước: Chuyên viên chính",
        "15.6. Ngoại ngữ: Tiếng Anh B1",
        "15.7. Tin học: Ứng dụng CNTT cơ bản",
        "16) Ngày vào Đảng Cộng sản Việt Nam: 19/05/1994; ngày chính thức: 19/05/1995",
        "17) Ngày tham gia tổ chức chính trị - xã hội: 26/03/1988",
        "18) Ngày nhập ngũ, ngày xuất ngũ, quân hàm cao nhất:",
        "19) Danh hiệu được phong tặng cao nhất:",
        "20) Sở trường công tác: Công tác tổ chức, cán bộ",
        "21) Khen thưởng: Bằng khen của Ủy ban nhân dân tỉnh (2024)",
        "22) Kỷ luật:",
        "23) Tình trạng sức khỏe: Tốt",
        "24) Số căn cước công dân:",
        "25) ĐÀO TẠO, BỒI DƯỠNG",
        "26) TÓM TẮT QUÁ TRÌNH CÔNG TÁC",
        "27) ĐẶC ĐIỂM LỊCH SỬ BẢN THÂN",
        "28) QUAN HỆ GIA ĐÌNH",
    ]
    positions = [text.index(f) for f in fields]
    assert positions == sorted(positions)
    assert "Học viện Chính trị khu" in text and "Bằng cao cấp" in text
    assert "09/1995 - 06/2010 Giáo viên Trường Trung học cơ sở An Bình" in text
    own = text[text.index("a) Về bản thân") : text.index("b) Về bên vợ")]
    spouse = text[text.index("b) Về bên vợ") : text.index("Tôi xin cam đoan")]
    assert "Vợ Ngô Thị Lan" in own and "Giáo viên, Trường Tiểu học An Bình" in own
    assert "Bố đẻ Trần Văn Cả 1945" in own and "1975" in own
    assert "Bố vợ" in spouse and "Ngô Văn Lộc" in spouse and "1948" in spouse
    assert "Ngô Thị Lan" not in spouse
    assert "Chưa có dữ liệu" not in text
    assert "Tôi xin cam đoan những lời khai trên là đúng sự thật" in text
    # The declarant is the commune's secretary: the province certifies, not himself.
    tail = text[text.index("CẤP ỦY QUẢN LÝ XÁC NHẬN") :]
    assert "Lê Quang Minh" in tail and "NGƯỜI KHAI" in tail
    assert "An Bình, ngày" in tail
    # The 2C form carries no vetting conclusion.
    assert "KL/" not in text
    assert A4_PORTRAIT in pdfinfo(pdf)["Page size"]


def test_ballot_minutes_are_the_counting_boards_and_complete(scene, tmp_path):
    pdf, _, doc = render_doc(tmp_path, "ballot-minutes", "X01", "--round", str(scene.round.pk))
    text = flat_text(pdf)
    assert_official(pdftotext(pdf), pdf, "ballot-minutes")
    assert text.startswith(
        "ĐẠI HỘI ĐẠI BIỂU ĐẢNG BỘ XÃ AN BÌNH NHIỆM KỲ 2025 - 2030 BAN KIỂM PHIẾU"
    )
    assert "Số 01-BB/BKP" in text and doc.issuer == f"congress:{scene.congress.pk}:BKP"
    assert "An Bình, ngày 15 tháng 4 năm 2025" in text
    assert (
        "vào hồi 14 giờ 30 phút, ngày 15 tháng 4 năm 2025, tại Hội trường Đảng ủy xã An Bình"
        in text
    )
    for i, name in enumerate(COUNTING_BOARD):
        assert f"{i + 1}. Đồng chí {name}" in text
    assert "Tổng số người được triệu tập: 25; có mặt: 24; vắng mặt: 1." in text
    assert (
        "Số phiếu phát ra: 24; số phiếu thu vào: 24; số phiếu hợp lệ: 23; số phiếu không hợp lệ: 1."
        in text
    )
    assert re.search(r"Trần Văn Bảo 22 88,00 95,65", text)
    assert "Có 6 đồng chí đạt yêu cầu" in text
    assert "hồi 16 giờ 15 phút cùng ngày" in text
    assert "..." not in text and "…" not in text
    tail = text[text.index("THÀNH VIÊN BAN KIỂM PHIẾU") :]
    assert "TRƯỞNG BAN KIỂM PHIẾU" in tail and COUNTING_BOARD[0] in tail
    assert all(name in tail for name in COUNTING_BOARD)
    assert not any(c.full_name in tail for c in scene.cadres)


def test_minutes_of_a_round_without_its_counting_data_are_refused(scene, tmp_path):
    NominationRound.objects.filter(pk=scene.round.pk).update(place="", ballots_invalid=None)
    with pytest.raises(CommandError, match="còn thiếu: địa điểm, số phiếu không hợp lệ"):
        render_doc(tmp_path, "ballot-minutes", "X01", "--round", str(scene.round.pk))
    assert not IssuedDocument.objects.exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (["bogus", "--unit", "X01", "--out", "x.pdf"], "không hợp lệ"),
        (["nominee-list", "--out", "x.pdf"], "Thiếu mã đơn vị"),
        (["nominee-list", "--unit", "NOPE", "--out", "x.pdf"], "Không tìm thấy đơn vị"),
        (["nominee-list", "--unit", "X01", "--term", "2030-2035", "--out", "x.pdf"], "chưa có"),
        (["resume", "--unit", "X01", "--out", "x.pdf"], "--cadre"),
        (["resume", "--unit", "X01", "--cadre", "999999", "--out", "x.pdf"], "Không tìm thấy"),
        (["ballot-minutes", "--unit", "X01", "--round", "999", "--out", "x.pdf"], "Không tìm"),
        (["nominee-list", "--unit", "X01", "--out", "/khong/co/x.pdf"], "không tồn tại"),
    ],
)
def test_bad_arguments_fail_in_vietnamese(scene, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CommandError, match=message):
        call_command("render_report", *args)
    assert not IssuedDocument.objects.exists()


def test_resume_of_a_cadre_outside_the_unit_is_refused(scene, tmp_path):
    other = scene.cadres[0]
    # A sibling unit does not reach the commune's cadre.
    UnitFactory(code="X09", name="Đảng bộ xã Khác", level="commune", parent=scene.province)
    with pytest.raises(CommandError, match="Không tìm thấy cán bộ"):
        call_command(
            "render_report",
            "resume",
            "--unit",
            "X09",
            "--cadre",
            str(other.pk),
            "--out",
            str(tmp_path / "x.pdf"),
        )
