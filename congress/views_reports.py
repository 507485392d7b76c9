"""Official documents on the web: request one (a background job), watch it, download it,
and check a printed code."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from congress.models import Congress, NominationRound
from congress.models.reports import IssuedDocument, ReportJob, ReportKind
from congress.reports.data import visible_units
from congress.reports.documents import verify
from congress.reports.numbering import normalize_code
from congress.tasks_reports import render_report_task
from personnel.models import Role, Term
from personnel.scope import has_any_role, unit_q
from personnel.selectors import cadres_visible_to

# Issuing a document takes a number in the unit's series: not for read-only viewers.
ISSUE_ROLES = frozenset({Role.BOARD_STAFF, Role.SECRETARY})


def _jobs_of(user):
    return ReportJob.objects.filter(user=user).filter(unit_q(user, prefix="unit__"))


def _get_job(request, pk: int) -> ReportJob:
    """A job is its requester's, and only while its unit stays in their scope."""
    return get_object_or_404(_jobs_of(request.user).select_related("unit", "document"), pk=pk)


@login_required
@require_GET
def report_home(request):
    units = visible_units(request.user).only("code", "name", "depth").order_by("path")[:500]
    return render(
        request,
        "reports/home.html",
        {
            "kinds": ReportKind.choices,
            "units": units,
            "terms": Term.objects.order_by("-start"),
            "jobs": _jobs_of(request.user).select_related("unit")[:20],
            "can_issue": has_any_role(request.user, ISSUE_ROLES),
            "values": request.GET,
        },
    )


@login_required
@require_POST
def job_create(request):
    unit = get_object_or_404(visible_units(request.user), code=request.POST.get("unit", ""))
    if not (
        request.user.is_superuser
        or visible_units(request.user)
        .filter(unit_q(request.user, ISSUE_ROLES), pk=unit.pk)
        .exists()
    ):
        raise PermissionDenied("Bạn chỉ có quyền xem, không được phát hành văn bản.")
    kind = request.POST.get("kind", "")
    if kind not in ReportKind.values:
        return _form_error(request, "Loại văn bản không hợp lệ.")
    term = request.POST.get("term", "")
    if term and not Term.objects.filter(code=term).exists():
        return _form_error(request, f"Không có nhiệm kỳ «{term}».")
    params: dict = {"term": term, "body": request.POST.get("body") or "executive"}
    if kind == "resume":
        cadre_id = request.POST.get("cadre", "")
        if not cadre_id.isdigit():
            return _form_error(request, "Sơ yếu lý lịch cần mã số cán bộ.")
        get_object_or_404(
            cadres_visible_to(request.user).filter(unit__path__startswith=unit.path), pk=cadre_id
        )
        params["cadre"] = int(cadre_id)
    if kind == "ballot-minutes":
        round_id = request.POST.get("round", "")
        if not round_id.isdigit():
            return _form_error(request, "Biên bản kiểm phiếu cần mã số vòng giới thiệu.")
        get_object_or_404(NominationRound, pk=round_id, nominee_list__body__congress__unit=unit)
        params["round"] = int(round_id)
    if kind in ("nominee-list", "personnel-plan"):
        congresses = Congress.objects.filter(unit=unit)
        if term:
            congresses = congresses.filter(term__code=term)
        if not congresses.exists():
            return _form_error(request, f"{unit.name} chưa có đại hội cho nhiệm kỳ đã chọn.")
    with transaction.atomic():
        job = ReportJob.objects.create(kind=kind, params=params, user=request.user, unit=unit)
        transaction.on_commit(lambda: render_report_task.delay(job.pk))
    return redirect("reports:job", pk=job.pk)


def _form_error(request, message: str):
    return render(
        request,
        "reports/home.html",
        {
            "kinds": ReportKind.choices,
            "units": visible_units(request.user)
            .only("code", "name", "depth")
            .order_by("path")[:500],
            "terms": Term.objects.order_by("-start"),
            "jobs": _jobs_of(request.user).select_related("unit")[:20],
            "can_issue": True,
            "values": request.POST,
            "error": message,
        },
        status=400,
    )


@login_required
@require_GET
def job_detail(request, pk: int):
    return render(request, "reports/job.html", {"job": _get_job(request, pk)})


@login_required
@require_GET
def job_status(request, pk: int):
    return render(request, "reports/partials/job_status.html", {"job": _get_job(request, pk)})


@login_required
@require_GET
def job_download(request, pk: int):
    job = _get_job(request, pk)
    if job.status != ReportJob.Status.DONE or not job.file_path:
        raise Http404("Văn bản chưa sẵn sàng.")
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / job.file_path).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise Http404("Không tìm thấy tệp văn bản.")
    name = f"{job.kind}-{job.unit.code}-{job.document.code if job.document else job.pk}.pdf"
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=name, content_type="application/pdf"
    )


@login_required
@require_GET
def verify_form(request):
    code = request.GET.get("ma", "").strip()
    if code:
        return redirect("reports:verify", code=normalize_code(code) or "-")
    return render(request, "reports/verify.html", {})


@login_required
@require_GET
def verify_code(request, code: str):
    documents = IssuedDocument.objects.filter(unit_q(request.user, prefix="unit__"))
    result = verify(code, documents=documents)
    status = 200 if result.found else 404
    return render(request, "reports/verify.html", {"result": result, "code": code}, status=status)
