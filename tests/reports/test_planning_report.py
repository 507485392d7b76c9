"""The sixth document: the planning report (Báo cáo quy hoạch cán bộ) of a unit for a term."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from congress.models import IssuedDocument, ReportJob
from congress.reports.documents import verify
from tests.reports.conftest import JUSTIFICATION, pdfinfo, pdftotext, pdftotext_raw
from tests.reports.test_documents import A4_PORTRAIT, assert_official

pytestmark = pytest.mark.django_db


def render(tmp_path, *args):
    out = tmp_path / "planning.pdf"
    call_command("render_report", "planning", "--unit", "X01", *args, "--out", str(out))
    return out


def flat(pdf) -> str:
    return " ".join(pdftotext_raw(pdf).split())


def test_planning_report_renders_from_the_command(plan, tmp_path):
    pdf = render(tmp_path, "--term", "2030-2035")
    text = pdftotext(pdf)
    doc = assert_official(text, pdf, "planning")
    assert doc.term == "2030-2035"
    assert "BÁO CÁO QUY HOẠCH CÁN BỘ" in text
    assert "ĐẢNG ỦY XÃ AN BÌNH" in text and "ĐẢNG BỘ TỈNH THỬ NGHIỆM" in text
    assert "Số 1-BC/ĐU" in text
    assert "Nơi nhận:" in text and "T/M BAN THƯỜNG VỤ" in text
    assert A4_PORTRAIT in pdfinfo(pdf)["Page size"]
    words = flat(pdf)
    # Vietnamese text intact: tones, đ, ư, ơ survive the PDF round trip.
    for phrase in (
        "Quy hoạch cán bộ nhiệm kỳ 2030-2035",
        "Đảng bộ xã An Bình",
        "Đã trình cấp trên",
        "Phó Bí thư (2 đồng chí)",
        "120-QĐ/TU ngày 01/10/2025",
        "III. CƠ CẤU QUY HOẠCH SO VỚI CHỈ TIÊU",
        "Tỷ lệ cơ cấu (vạch đứng: chỉ tiêu)",
        "Cán bộ nữ",
    ):
        assert phrase in words, phrase


def test_the_latest_planning_term_is_the_default(plan, tmp_path):
    text = flat(render(tmp_path))
    assert "Quy hoạch cán bộ nhiệm kỳ 2030-2035" in text
    assert IssuedDocument.objects.get(kind="planning").params == {"term": "2030-2035"}


def test_names_are_in_vietnamese_order_within_each_post(plan, tmp_path):
    text = flat(render(tmp_path, "--term", "2030-2035"))
    # Secretary: Ánh before Đức; deputy secretary: Bảo before Cúc (by given name, not by
    # surname or by the order they were added).
    order = ["Nguyễn Thị Ánh", "Phạm Văn Đức", "Trần Văn Bảo", "Lê Thị Cúc", "Đặng Quốc Hưng"]
    start = text.index("II. DANH SÁCH CÁN BỘ TRONG QUY HOẠCH")
    positions = [text.index(name, start) for name in order]
    assert positions == sorted(positions)


def test_findings_with_justification_and_removed_entries_appear(plan, tmp_path):
    text = flat(render(tmp_path, "--term", "2030-2035"))
    findings = text[text.index("IV. KẾT QUẢ KIỂM TRA") : text.index("V. CÁN BỘ ĐƯA RA")]
    assert "Không đủ thời gian công tác cho một nhiệm kỳ" in findings
    assert "Đặng Quốc Hưng" in findings and JUSTIFICATION in findings
    assert "Chức danh quy hoạch không cao hơn chức danh đang giữ" in findings
    assert "Chưa có giải trình." in findings
    # The paper names people, not database ids.
    for c in plan.entries.values_list("cadre_id", flat=True):
        assert f"({c})" not in findings
    removed = text[text.index("V. CÁN BỘ ĐƯA RA KHỎI QUY HOẠCH") :]
    assert "Vũ Minh Khôi" in removed and "10/03/2026" in removed
    assert "Chuyển công tác khác: Điều động về Văn phòng Tỉnh ủy" in removed
    # A removed person is not in the list of planned people.
    planned = text[text.index("II. DANH SÁCH") : text.index("III. CƠ CẤU")]
    assert "Vũ Minh Khôi" not in planned


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

    other = UnitFactory(code="X02", name="Đảng bộ xã Bình Minh", level="commune")
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


def test_planning_report_and_structure_summary_share_the_report_series(db):
    from congress.reports.numbering import document_issue
    from tests.factories import UnitFactory

    unit = UnitFactory(code="SER01", level="commune")
    first = document_issue(
        kind="structure-summary", unit=unit, term="2025-2030", data_hash="a", params={}
    )
    second = document_issue(kind="planning", unit=unit, term="2025-2030", data_hash="b", params={})
    other = document_issue(
        kind="nominee-list", unit=unit, term="2025-2030", data_hash="c", params={}
    )
    assert (first.number, second.number, other.number) == (1, 2, 1)
