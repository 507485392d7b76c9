"""Official documents on the web: request one (a background job), watch it, download it,
and check a printed code."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from congress.models.reports import ReportJob, ReportKind
from congress.reports.data import vetting_details_for
from congress.reports.documents import verify
from congress.reports.numbering import normalize_code
from congress.selectors import (
    congresses_visible_to,
    documents_visible_to,
    job_for,
    jobs_of,
    round_for,
    rounds_of_unit,
)
from congress.services.reports import report_job_request
from personnel import policy
from personnel.policy import Kind, requires
from personnel.selectors import cadres_visible_to, term_by_code, terms, unit_for, units_visible_to
from personnel.services.dossier import document_access_record


def _get_job(request, pk: int) -> ReportJob:
    """A job is its requester's, and only while its unit stays in their scope."""
    return job_for(request.user, pk)


@require_GET
@requires(Kind.REPORT, "view", listing=True)
def report_home(request):
    units = units_visible_to(request.user).only("code", "name", "depth").order_by("path")[:500]
    return render(
        request,
        "reports/home.html",
        {
            "kinds": ReportKind.choices,
            "units": units,
            "terms": terms(),
            "jobs": jobs_of(request.user).select_related("unit")[:20],
            "can_issue": policy.any_reach(request.user, Kind.REPORT, "issue"),
            "values": request.GET,
        },
    )


@require_POST
@requires(Kind.REPORT, "issue", listing=True)
def job_create(request):
    unit = unit_for(request.user, request.POST.get("unit", ""))
    policy.require(request.user, Kind.REPORT, "issue", unit)
    kind = request.POST.get("kind", "")
    if kind not in ReportKind.values:
        return _form_error(request, "Loại văn bản không hợp lệ.")
    term = request.POST.get("term", "")
    if term and term_by_code(term) is None:
        return _form_error(request, f"Không có nhiệm kỳ «{term}».")
    params: dict = {
        "term": term,
        "body": request.POST.get("body") or "executive",
        # The one confidentiality rule: vetting details only for a vetting officer.
        "vetting_details": vetting_details_for(request.user, unit),
    }
    if request.POST.get("draft"):
        params["draft"] = True
    confidential = request.POST.get("confidential", "")
    if confidential in ("1", "0"):
        params["confidential"] = confidential == "1"
    if kind == "resume":
        cadre_id = request.POST.get("cadre", "")
        if not cadre_id.isdigit():
            return _form_error(request, "Sơ yếu lý lịch cần mã số cán bộ.")
        if (
            not cadres_visible_to(request.user)
            .filter(unit__path__startswith=unit.path, pk=cadre_id)
            .exists()
        ):
            raise Http404("Không tìm thấy cán bộ trong phạm vi của bạn.")
        params["cadre"] = int(cadre_id)
    if kind == "ballot-minutes":
        round_id = request.POST.get("round", "")
        if not round_id.isdigit():
            return _form_error(request, "Biên bản kiểm phiếu cần mã số vòng giới thiệu.")
        rnd = round_for(request.user, int(round_id))  # 404 outside the user's sight
        if not rounds_of_unit(unit).filter(pk=round_id).exists():
            return _form_error(request, "Vòng giới thiệu không thuộc đơn vị đã chọn.")
        gaps = rnd.minutes_gaps()
        if gaps:
            return _form_error(
                request,
                f"Bước {rnd.step} chưa đủ thông tin để lập biên bản kiểm phiếu; còn thiếu: "
                + ", ".join(gaps)
                + ". Bổ sung ở trang các bước giới thiệu.",
            )
        params["round"] = int(round_id)
    if kind in ("nominee-list", "personnel-plan"):
        congresses = congresses_visible_to(request.user).filter(unit=unit)
        if term:
            congresses = congresses.filter(term__code=term)
        if not congresses.exists():
            return _form_error(request, f"{unit.name} chưa có đại hội cho nhiệm kỳ đã chọn.")
    job = report_job_request(kind=kind, params=params, user=request.user, unit=unit)
    return redirect("reports:job", pk=job.pk)


def _form_error(request, message: str):
    return render(
        request,
        "reports/home.html",
        {
            "kinds": ReportKind.choices,
            "units": units_visible_to(request.user)
            .only("code", "name", "depth")
            .order_by("path")[:500],
            "terms": terms(),
            "jobs": jobs_of(request.user).select_related("unit")[:20],
            "can_issue": True,
            "values": request.POST,
            "error": message,
        },
        status=400,
    )


@require_GET
@requires(Kind.REPORT, "view")
def job_detail(request, pk: int):
    return render(request, "reports/job.html", {"job": _get_job(request, pk)})


@require_GET
@requires(Kind.REPORT, "view")
def job_status(request, pk: int):
    return render(request, "reports/partials/job_status.html", {"job": _get_job(request, pk)})


@require_GET
@requires(Kind.REPORT, "view")
def job_download(request, pk: int):
    job = _get_job(request, pk)
    if job.status != ReportJob.Status.DONE or not job.file_path:
        raise Http404("Văn bản chưa sẵn sàng.")
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / job.file_path).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise Http404("Không tìm thấy tệp văn bản.")
    name = f"{job.kind}-{job.document.code if job.document else job.pk}.pdf"
    document_access_record(
        user=request.user, kind=job.kind, params=job.params, unit=job.unit, label=name
    )
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=name, content_type="application/pdf"
    )


@require_GET
@requires(Kind.REPORT, "view")
def job_download_docx(request, pk: int):
    """The Word copy of a finished document, beside its PDF (same job, same scope)."""
    job = _get_job(request, pk)
    if job.status != ReportJob.Status.DONE or not job.docx_path:
        raise Http404("Bản Word chưa sẵn sàng.")
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / job.docx_path).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise Http404("Không tìm thấy tệp văn bản.")
    name = f"{job.kind}-{job.document.code if job.document else job.pk}.docx"
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=name,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


@require_GET
@requires(Kind.REPORT, "view", listing=True)
def verify_form(request):
    code = request.GET.get("ma", "").strip()
    if code:
        return redirect("reports:verify", code=normalize_code(code) or "-")
    return render(request, "reports/verify.html", {})


@require_GET
@requires(Kind.REPORT, "view")
def verify_code(request, code: str):
    documents = documents_visible_to(request.user)
    result = verify(code, documents=documents)
    status = 200 if result.found else 404
    return render(request, "reports/verify.html", {"result": result, "code": code}, status=status)
