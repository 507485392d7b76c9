"""Issue 12, the documents' part: honest numbers (taken with the stored files, unique per
issuer, type and term, none for a failed render; the verify page never claims a document
that was not produced), and one confidentiality rule for pages, PDFs and Word copies."""

import io

import pytest
from django.core.management import CommandError
from django.db import IntegrityError, transaction
from django.urls import reverse

from congress.models import IssuedDocument, ReportJob
from congress.reports import documents
from tests.factories import grant
from tests.reports.conftest import docx_text, flat_text, pdftotext_raw, render_doc

pytestmark = pytest.mark.django_db


def test_a_render_that_fails_takes_no_number(scene, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("máy in hỏng")

    monkeypatch.setattr(documents, "render_pdf", broken)
    with pytest.raises(RuntimeError):
        render_doc(tmp_path, "structure-summary", "T01")
    assert not IssuedDocument.objects.exists()
    monkeypatch.undo()
    _, _, doc = render_doc(tmp_path, "structure-summary", "T01")
    assert doc.number == 1 and doc.number_text == "Số 01-BC/TU"


def test_a_render_killed_midway_takes_no_number(scene, tmp_path, monkeypatch):
    def killed(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(documents, "render_docx", killed, raising=False)
    import congress.reports.docx as docx_module

    monkeypatch.setattr(docx_module, "render_docx", killed)
    with pytest.raises(KeyboardInterrupt):
        render_doc(tmp_path, "structure-summary", "T01")
    assert not IssuedDocument.objects.exists()


def test_a_failed_job_leaves_no_number_and_no_file(
    scene, make_user, client, django_capture_on_commit_callbacks, monkeypatch, settings
):
    monkeypatch.setattr(
        documents, "render_pdf", lambda *a, **k: (_ for _ in ()).throw(OSError("đĩa đầy"))
    )
    client.force_login(make_user("board_staff", scene.province))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:create"), {"kind": "structure-summary", "unit": "T01"})
    job = ReportJob.objects.get()
    assert job.status == "failed" and "đĩa đầy" in job.error
    assert not IssuedDocument.objects.exists()
    folder = settings.MEDIA_ROOT / "reports"
    assert not folder.exists() or not any(folder.iterdir())


def test_a_number_taken_meanwhile_is_rendered_again_with_the_next(scene, tmp_path, monkeypatch):
    """Two renders of one issuer's reports at once: the one that registers second prints the
    next number, never the same one."""
    real = documents.render_pdf
    calls = []

    def racing(ctx, **kwargs):
        if not calls:  # another report of the same issuer is registered meanwhile
            IssuedDocument.objects.create(
                code="AUTRE23456",
                kind="planning",
                unit=scene.province,
                issuer=f"unit:{scene.province.pk}",
                series="BC",
                term="2025-2030",
                number=1,
                data_hash="0" * 64,
            )
        calls.append(ctx["doc"]["number"])
        return real(ctx, **kwargs)

    monkeypatch.setattr(documents, "render_pdf", racing)
    pdf, _, doc = render_doc(tmp_path, "structure-summary", "T01")
    assert calls == ["Số 01-BC/TU", "Số 02-BC/TU"]
    assert doc.number == 2 and "Số 02-BC/TU" in flat_text(pdf)


def test_the_database_refuses_two_documents_of_one_series_with_one_number(scene):
    fields = dict(kind="nominee-list", unit=scene.commune, series="DS", term="2025-2030", number=3)
    IssuedDocument.objects.create(code="AAAAAAAAA2", data_hash="0" * 64, **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        IssuedDocument.objects.create(code="AAAAAAAAA3", data_hash="0" * 64, **fields)
    # Another issuer (the congress's counting board) has its own series.
    IssuedDocument.objects.create(
        code="AAAAAAAAA4", data_hash="0" * 64, **{**fields, "issuer": "congress:1:BKP"}
    )
    # Drafts take no number: any count of them.
    for code in ("AAAAAAAAA5", "AAAAAAAAA6"):
        IssuedDocument.objects.create(
            code=code, data_hash="0" * 64, **{**fields, "number": None, "is_draft": True}
        )


def test_the_verify_page_says_what_who_when_and_whether_data_changed(
    scene, tmp_path, client, make_user
):
    _, _, doc = render_doc(tmp_path, "structure-summary", "T01")
    client.force_login(make_user("viewer", scene.province))
    page = client.get(reverse("reports:verify", args=[doc.code])).content.decode()
    assert "Báo cáo tổng hợp cơ cấu số 01-BC/TU" in page
    assert "Tỉnh ủy Thử Nghiệm" in page
    assert doc.issued_at.astimezone().strftime("%d/%m/%Y") in page
    assert "dữ liệu không thay đổi" in page
    # A code no stored document carries (a render that failed) is unknown.
    answer = client.get(reverse("reports:verify", args=["ZZZZZZZZZZ"]))
    assert answer.status_code == 404 and "Không có văn bản" in answer.content.decode()
    with pytest.raises(CommandError):
        from django.core.management import call_command

        call_command("verify_report", "ZZZZZZZZZZ")


def _web_document(client, capture, user, kind, **extra):
    """Request a document as `user`, run its job, download its PDF and Word copy."""
    client.force_login(user)
    data = {"kind": kind, "unit": "X01", "term": "2025-2030", **extra}
    with capture(execute=True):
        response = client.post(reverse("reports:create"), data)
    assert response.status_code == 302, response.content.decode()[:500]
    job = ReportJob.objects.filter(user=user).latest("pk")
    assert job.status == "done", job.error
    pdf = b"".join(client.get(reverse("reports:download", args=[job.pk])).streaming_content)
    word = b"".join(client.get(reverse("reports:download_docx", args=[job.pk])).streaming_content)
    return pdf, word


def _texts(tmp_path, pdf: bytes, word: bytes) -> tuple[str, str]:
    (tmp_path / "w.pdf").write_bytes(pdf)
    (tmp_path / "w.docx").write_bytes(word)
    return " ".join(pdftotext_raw(tmp_path / "w.pdf").split()), " ".join(
        docx_text(tmp_path / "w.docx")
    )


@pytest.mark.parametrize("role", ["secretary", "board_staff"])
def test_a_secretarys_or_board_staffs_documents_carry_no_vetting_details(
    scene, make_user, client, django_capture_on_commit_callbacks, tmp_path, role
):
    user = make_user(role, scene.commune if role == "secretary" else scene.province)
    capture = django_capture_on_commit_callbacks
    pdf, word = _web_document(client, capture, user, "nominee-list")
    text, word_text = _texts(tmp_path, pdf, word)
    assert "Đủ TCCT" in word_text  # the outcome, as on the pages
    for t in (text.replace(" ", "").replace("-", ""), word_text.replace(" ", "").replace("-", "")):
        assert "KL/ĐU" not in t and "KLsố" not in t and "10/05/2025" not in t
    pdf, word = _web_document(client, capture, user, "resume", cadre_id=scene.cadres[0].pk)
    text, word_text = _texts(tmp_path, pdf, word)
    assert "KL/" not in text and "KL/" not in word_text


def test_a_vetting_officers_document_carries_the_conclusions_number_and_date(
    scene, make_user, client, django_capture_on_commit_callbacks, tmp_path
):
    user = make_user("board_staff", scene.province)
    grant(user, "vetting_officer", scene.province)
    pdf, word = _web_document(client, django_capture_on_commit_callbacks, user, "nominee-list")
    text, word_text = _texts(tmp_path, pdf, word)
    assert "KL số 20-KL/ĐU, 10/05/2025" in word_text
    assert "KL/ĐU" in text.replace(" ", "")


def test_mat_is_printed_where_set(
    scene, make_user, client, django_capture_on_commit_callbacks, settings, tmp_path
):
    pdf, _, _ = render_doc(tmp_path, "personnel-plan", "X01", name="plan")
    assert "MẬT" in flat_text(pdf)
    pdf, _, _ = render_doc(tmp_path, "structure-summary", "T01", name="summary")
    assert "MẬT" not in flat_text(pdf)
    settings.DOCUMENTS_CONFIDENTIAL = []
    pdf, _, _ = render_doc(tmp_path, "personnel-plan", "X01", name="plan2")
    assert "MẬT" not in flat_text(pdf)
    # A request may set it for one document.
    user = make_user("board_staff", scene.province)
    pdf_bytes, _ = _web_document(
        client, django_capture_on_commit_callbacks, user, "structure-summary", confidential="1"
    )
    (tmp_path / "s.pdf").write_bytes(pdf_bytes)
    assert "MẬT" in flat_text(tmp_path / "s.pdf")
    assert io.BytesIO(pdf_bytes).read(4) == b"%PDF"
