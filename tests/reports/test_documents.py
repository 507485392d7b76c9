"""The five documents, rendered from the command line on a small real scene."""

import re

import pytest
from django.core.management import CommandError, call_command

from congress.models import IssuedDocument
from tests.factories import UnitFactory
from tests.reports.conftest import pdffonts, pdfinfo, pdftotext, pdftotext_raw
from tests.reports.scene import SECRET

pytestmark = pytest.mark.django_db

A4_PORTRAIT = "595.276 x 841.89"
A4_LANDSCAPE = "841.89 x 595.276"


def render(tmp_path, kind, *args):
    out = tmp_path / f"{kind}.pdf"
    call_command("render_report", kind, "--unit", *args, "--out", str(out))
    return out


def assert_official(text: str, pdf, kind: str):
    doc = IssuedDocument.objects.filter(kind=kind).latest("issued_at")
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert re.search(r"Ngày|ngày \d\d tháng \d+ năm \d{4}", text)
    assert f"Mã văn bản: {doc.code}" in text
    assert doc.short_hash in text
    assert SECRET not in text
    fonts = pdffonts(pdf)
    assert fonts, "no fonts listed"
    for row in fonts:
        assert "Liberation-Serif" in row[0], row
        assert row[-5] == "yes", f"font not embedded: {row}"
    return doc


def test_nominee_list_is_landscape_with_names_in_vietnamese_order(scene, tmp_path):
    pdf = render(tmp_path, "nominee-list", "X01", "--term", "2025-2030")
    text = pdftotext(pdf)
    doc = assert_official(text, pdf, "nominee-list")
    assert "ĐẢNG ỦY XÃ AN BÌNH" in text
    assert "ĐẢNG BỘ TỈNH THỬ NGHIỆM" in text
    assert "Số 1-DS/ĐU" in text
    assert "Xã An Bình, ngày" in text
    assert "DANH SÁCH TRÍCH NGANG" in text
    assert "T/M BAN THƯỜNG VỤ" in text and "Trần Văn Bảo" in text
    assert "Nơi nhận:" in text
    # Given names order the list: Ánh, Bảo, Cúc, Đức, Hưng, Khôi.
    raw = pdftotext_raw(pdf)
    flat = " ".join(raw.split())
    order = ["Nguyễn Thị Ánh", "Trần Văn Bảo", "Lê Thị Cúc", "Phạm Văn Đức", "Đặng Quốc Hưng"]
    positions = [flat.index(name) for name in order]
    assert positions == sorted(positions)
    assert "Tái cử" in flat and "Lần đầu" in flat
    assert "KL/ĐU" in flat and "10/05/2025" in flat
    info = pdfinfo(pdf)
    assert A4_LANDSCAPE in info["Page size"]
    assert f"Trang 1/{info['Pages']}" in text
    assert doc.number == 1


def test_numbers_run_per_unit_kind_and_term(scene, tmp_path):
    render(tmp_path, "nominee-list", "X01")
    render(tmp_path, "nominee-list", "X01")
    render(tmp_path, "ballot-minutes", "X01", "--round", str(scene.round.pk))
    numbers = list(
        IssuedDocument.objects.order_by("issued_at").values_list("kind", "term", "number")
    )
    assert numbers == [
        ("nominee-list", "2025-2030", 1),
        ("nominee-list", "2025-2030", 2),
        ("ballot-minutes", "2025-2030", 1),
    ]


def test_personnel_plan_shows_ratios_findings_and_justifications(scene, tmp_path):
    pdf = render(tmp_path, "personnel-plan", "X01", "--term", "2025-2030")
    text = " ".join(pdftotext_raw(pdf).split())
    assert_official(pdftotext(pdf), pdf, "personnel-plan")
    assert "ĐỀ ÁN NHÂN SỰ" in text and "Số 1-ĐA/ĐU" in text
    assert "Cán bộ nữ" in text and "Người dân tộc thiểu số" in text
    assert "Từ 40 đến 50 tuổi" in text
    assert "Số dư: 1" in text or "số dư: 1 người" in text
    assert "Vũ Minh Khôi" in text and "chưa có kết luận" in text
    assert "Giải trình: Đang chờ kết luận" in text
    assert A4_PORTRAIT in pdfinfo(pdf)["Page size"]


def test_structure_summary_lists_units_and_missed_targets(scene, tmp_path):
    # A unit added since the last recompute has no snapshot yet.
    UnitFactory(code="X09", name="Đảng bộ xã Mới Lập", level="commune", parent=scene.province)
    pdf = render(tmp_path, "structure-summary", "T01")
    text = pdftotext(pdf)
    flat = " ".join(text.split())
    # The province has no committee of its own in the scene: said so, not "not computed".
    assert "Có 1 đơn vị chưa có cấp ủy nhiệm kỳ hiện tại." in flat
    assert "Có 1 đơn vị chưa tính cơ cấu (sẽ có sau lần tính lại tới)." in flat
    assert_official(text, pdf, "structure-summary")
    assert "BÁO CÁO TỔNG HỢP CƠ CẤU CẤP ỦY" in text
    assert "Đảng bộ xã An Bình" in text
    assert "Tổng cộng" in text
    assert "Các đơn vị chưa đạt chỉ tiêu cơ cấu" in text
    assert A4_LANDSCAPE in pdfinfo(pdf)["Page size"]


def test_resume_has_the_2c_fields_and_only_the_vetting_outcome(scene, tmp_path):
    cadre = scene.cadres[0]
    pdf = render(tmp_path, "resume", "X01", "--cadre", str(cadre.pk))
    assert_official(pdftotext(pdf), pdf, "resume")
    text = " ".join(pdftotext_raw(pdf).split())
    assert "SƠ YẾU LÝ LỊCH" in text
    assert "TRẦN VĂN BẢO" in text
    assert "08/03/1972" in text and "Cao cấp" in text
    assert "Học viện Chính trị" in text
    assert "Ngô Thị Lan" in text
    assert "Đủ tiêu chuẩn chính trị" in text and "20-KL/ĐU" in text


def test_ballot_minutes_count_votes_in_name_order(scene, tmp_path):
    pdf = render(tmp_path, "ballot-minutes", "X01", "--round", str(scene.round.pk))
    text = pdftotext(pdf)
    assert_official(text, pdf, "ballot-minutes")
    assert "BIÊN BẢN KIỂM PHIẾU" in text
    assert "được triệu tập: 25; có mặt: 24; vắng mặt: 1" in text
    assert re.search(r"Trần Văn Bảo\s+22\s+88,00", text)
    assert "T/M TỔ KIỂM PHIẾU" in text


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
