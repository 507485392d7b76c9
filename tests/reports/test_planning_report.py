"""The sixth document: the planning report (Báo cáo quy hoạch cán bộ) of a unit for a term."""

import re
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from congress.models import IssuedDocument, ReportJob
from congress.reports.documents import verify
from tests.reports.conftest import (
    JUSTIFICATION,
    docx_cells,
    pdfinfo,
    pdftotext,
    pdftotext_raw,
    render_doc,
)
from tests.reports.test_documents import A4_PORTRAIT, assert_official

pytestmark = pytest.mark.django_db


def render(tmp_path, *args):
    out = tmp_path / "planning.pdf"
    call_command("render_report", "planning", "--unit", "X01", *args, "--out", str(out))
    return out


def flat(pdf) -> str:
    return " ".join(pdftotext_raw(pdf).split())


def test_planning_report_renders_from_the_command(plan, tmp_path):
    plan.state = "approved"
    plan.decision_number = "15-QĐ/TU"
    plan.save()
    pdf = render(tmp_path, "--term", "2030-2035")
    text = pdftotext(pdf)
    doc = assert_official(text, pdf, "planning")
    # Numbered in the issuing committee's term (2025-2030), about the 2030-2035 plan.
    assert doc.term == "2025-2030" and doc.params["term"] == "2030-2035"
    words = flat(pdf)
    assert "BÁO CÁO" in words and "Kết quả quy hoạch cán bộ nhiệm kỳ 2030 - 2035" in words
    assert "ĐẢNG BỘ TỈNH THỬ NGHIỆM ĐẢNG ỦY XÃ AN BÌNH" in words
    assert "Số 01-BC/ĐU" in words
    assert "Nơi nhận:" in text and "T/M BAN THƯỜNG VỤ" in text
    assert A4_PORTRAIT in pdfinfo(pdf)["Page size"]
    # Vietnamese text intact: tones, đ, ư, ơ survive the PDF round trip.
    for phrase in (
        "Ban Thường vụ Đảng ủy xã An Bình báo cáo",
        "Quyết định số 15-QĐ/TU",
        "Phó Bí thư (2 đồng chí)",
        "III. CƠ CẤU QUY HOẠCH SO VỚI CHỈ TIÊU",
        "Tỷ lệ cơ cấu so với chỉ tiêu quy hoạch",
        "Cán bộ nữ",
    ):
        assert phrase in words, phrase


def test_a_plan_not_yet_approved_is_a_draft(plan, tmp_path):
    pdf = render(tmp_path, "--term", "2030-2035")
    doc = IssuedDocument.objects.get(kind="planning")
    assert doc.is_draft and doc.number is None
    words = flat(pdf)
    assert "DỰ THẢO" in words
    assert "Đã trình" not in words and "trạng thái" not in words


def test_the_latest_planning_term_is_the_default(plan, tmp_path):
    text = flat(render(tmp_path))
    assert "Kết quả quy hoạch cán bộ nhiệm kỳ 2030 - 2035" in text
    assert IssuedDocument.objects.get(kind="planning").params == {"term": "2030-2035"}


def test_names_are_in_vietnamese_order_within_each_post(plan, tmp_path):
    _, docx, _ = render_doc(tmp_path, "planning", "X01", "--term", "2030-2035")
    cells = docx_cells(docx)
    # Secretary: Ánh before Đức; deputy secretary: Bảo before Cúc (by given name, not by
    # surname or by the order they were added).
    order = ["Nguyễn Thị Ánh", "Phạm Văn Đức", "Trần Văn Bảo", "Lê Thị Cúc", "Đặng Quốc Hưng"]
    positions = [cells.index(name) for name in order]
    assert positions == sorted(positions)


def test_findings_grouped_with_justification_and_removed_entries_appear(plan, tmp_path):
    text = flat(render(tmp_path, "--term", "2030-2035"))
    findings = text[text.index("IV. NHỮNG TRƯỜNG HỢP") : text.index("V. BỔ SUNG VÀ ĐƯA RA")]
    assert (
        "02 đồng chí không đủ tuổi công tác theo quy định để quy hoạch: Trần Văn Bảo, "
        "Đặng Quốc Hưng." in findings
    )
    assert re.search(rf"Giải trình \(Đặng Quốc Hưng, ngày [\d/]+\): {JUSTIFICATION}", findings)
    assert "không cao hơn chức danh đang giữ: Trần Văn Bảo." in findings
    assert "Chưa có giải trình: Trần Văn Bảo." in findings
    # The paper names people, not database ids.
    for c in plan.entries.values_list("cadre_id", flat=True):
        assert f"({c})" not in findings
    removed = text[text.index("V. BỔ SUNG VÀ ĐƯA RA KHỎI QUY HOẠCH") :]
    assert "Vũ Minh Khôi" in removed and "10/03/2026" in removed
    assert "Chuyển công tác khác: Điều động về Văn phòng Tỉnh ủy" in removed


def test_no_planning_list_is_a_clear_error(scene, tmp_path):
    with pytest.raises(CommandError, match="chưa có danh sách quy hoạch cán bộ nào"):
        render(tmp_path)
    with pytest.raises(CommandError, match="chưa có danh sách quy hoạch cán bộ nhiệm kỳ 2030-2035"):
        render(tmp_path, "--term", "2030-2035")
    with pytest.raises(CommandError, match="Không có nhiệm kỳ «2099-2104»"):
        render(tmp_path, "--term", "2099-2104")
    assert not IssuedDocument.objects.exists()


def test_verify_tells_when_the_plan_changed(plan, tmp_path):
    render(tmp_path, "--term", "2030-2035")
    doc = IssuedDocument.objects.get(kind="planning")
    assert verify(doc.code).unchanged is True
    plan.entries.filter(cadre__full_name="Lê Thị Cúc").update(
        removed_at=date(2026, 4, 1), removed_reason="poor_health"
    )
    assert verify(doc.code).unchanged is False


def create(client, **extra):
    data = {"kind": "planning", "unit": "X01", "term": "2030-2035", **extra}
    return client.post(reverse("reports:create"), data)


def test_secretary_gets_the_planning_report_through_a_job(
    plan, make_user, client, django_capture_on_commit_callbacks
):
    client.force_login(make_user("secretary", plan.unit))
    with django_capture_on_commit_callbacks(execute=True):
        response = create(client)
    assert response.status_code == 302
    job = ReportJob.objects.get()
    assert job.status == "done", job.error
    pdf = client.get(reverse("reports:download", args=[job.pk]))
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_out_of_scope_unit_is_404(plan, make_user, client):
    from tests.factories import UnitFactory

    other = UnitFactory(code="X22", name="Đảng bộ xã Bình Minh", level="commune")
    client.force_login(make_user("secretary", other))
    assert create(client).status_code == 404
    assert not ReportJob.objects.exists()


def test_a_job_without_planning_list_fails_in_vietnamese(
    scene, make_user, client, django_capture_on_commit_callbacks
):
    client.force_login(make_user("board_staff", scene.province))
    with django_capture_on_commit_callbacks(execute=True):
        create(client)
    job = ReportJob.objects.get()
    assert job.status == "failed"
    assert "chưa có danh sách quy hoạch cán bộ nhiệm kỳ 2030-2035" in job.error


BUTTON = "In báo cáo quy hoạch (PDF)"


@pytest.mark.parametrize(
    ("role", "at_province", "shown"),
    [
        ("secretary", False, True),
        ("board_staff", False, True),
        ("board_staff", True, True),
        ("viewer", False, False),
    ],
)
def test_detail_page_offers_the_report_to_those_who_may_issue(
    plan, scene, make_user, client, role, at_province, shown
):
    client.force_login(make_user(role, scene.province if at_province else scene.commune))
    page = client.get(reverse("planning:detail", args=[plan.pk])).content.decode()
    assert (BUTTON in page) is shown
    if shown:
        assert reverse("reports:create") in page
        assert 'name="kind" value="planning"' in page
        assert 'name="unit" value="X01"' in page
        assert 'name="term" value="2030-2035"' in page


def test_planning_report_and_structure_summary_share_the_report_series(scene, plan, tmp_path):
    plan.state = "approved"
    plan.save()
    _, _, first = render_doc(tmp_path, "structure-summary", "X01")
    _, _, second = render_doc(tmp_path, "planning", "X01", "--term", "2030-2035")
    scene.nominee_list.state = "approved"
    scene.nominee_list.save()
    _, _, other = render_doc(tmp_path, "nominee-list", "X01")
    assert (first.number, second.number, other.number) == (1, 2, 1)
