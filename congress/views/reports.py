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
    rounds_visible_to,
)
from congress.services.reports import report_job_request
from personnel import policy
from personnel.inputs import id_from
from personnel.names import search_key
from personnel.policy import Kind, requires
from personnel.selectors import (
    cadre_search,
    cadres_visible_to,
    term_by_code,
    terms,
    units_visible_to,
)
from personnel.services.dossier import document_access_record


def _get_job(request, pk: int) -> ReportJob:
    """A job is its requester's, and only while its unit stays in their scope."""
    return job_for(request.user, pk)


# What each document asks for: the others' fields are hidden and never sent.
NEEDS_UNIT = ("nominee-list", "personnel-plan", "structure-summary", "planning")
UNIT_CHOICES = 500
ROUND_CHOICES = 100


class FormError(Exception):
    """A field of the request form that does not name what the document needs."""

    def __init__(self, message: str, status: int = 422, choices=None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.choices = choices or []


def _round_label(rnd) -> str:
    nl = rnd.nominee_list
    return f"{nl.body.congress.unit.name} — {nl.body} — bước {rnd.step} ({rnd.held_on:%d/%m/%Y})"


def _form_context(request, values, **extra) -> dict:
    user = request.user
    units = units_visible_to(user).only("code", "name", "depth").order_by("path")[:UNIT_CHOICES]
    rounds = rounds_visible_to(user).order_by("-held_on", "-pk")[:ROUND_CHOICES]
    return {
        "kinds": ReportKind.choices,
        "units": units,
        "terms": terms(),
        "rounds": [(r.pk, _round_label(r)) for r in rounds],
        "jobs": jobs_of(user).select_related("unit")[:20],
        "can_issue": policy.any_reach(user, Kind.REPORT, "issue"),
        "values": values,
        # The unit a secretary or a board works for, until they name another.
        "default_unit": next(
            (f"{g.unit_name} ({g.unit_code})" for g in policy.grants_of(user)), ""
        ),
        **extra,
    }


@require_GET
@requires(Kind.REPORT, "view", listing=True)
def report_home(request):
    return render(request, "reports/home.html", _form_context(request, request.GET))


def _unit_of(user, text: str):
    """The unit named by its code, by "name (code)" as the form's suggestions write it, or
    by a name that only one unit in the user's sight carries (accents ignored)."""
    text = text.strip()
    if not text:
        raise FormError("Cần chọn đơn vị: gõ tên hoặc mã đơn vị.")
    code = text[text.rfind("(") + 1 : -1].strip() if text.endswith(")") and "(" in text else text
    units = units_visible_to(user)
    found = units.filter(code__iexact=code).first()
    if found is not None:
        return found
    key = search_key(text)
    matches = [u for u in units.only("code", "name", "path") if key in search_key(u.name)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise FormError(f"Không tìm thấy đơn vị «{text}» trong phạm vi của bạn.", status=404)
    raise FormError(
        f"Có {len(matches)} đơn vị khớp «{text}»: hãy chọn đúng một đơn vị trong danh sách gợi ý.",
        choices=[f"{u.name} ({u.code})" for u in matches[:20]],
    )


def _cadre_of(user, request):
    """The cadre of a résumé: from a page's button (its id, never typed), or typed by the
    user as a cadre code (CB000113) or a name that only one cadre in sight carries."""
    cadre_id = id_from(request.POST.get("cadre_id"))
    if cadre_id is not None:
        cadre = cadres_visible_to(user).filter(pk=cadre_id).select_related("unit").first()
        if cadre is None:
            raise Http404("Không tìm thấy cán bộ trong phạm vi của bạn.")
        return cadre
    text = request.POST.get("cadre", "").strip()
    if not text:
        raise FormError("Sơ yếu lý lịch: cần gõ mã cán bộ (ví dụ CB000113) hoặc họ tên.")
    code = text[text.rfind("(") + 1 : -1].strip() if text.endswith(")") and "(" in text else text
    visible = cadres_visible_to(user).select_related("unit")
    cadre = visible.filter(code__iexact=code).first()
    if cadre is not None:
        return cadre
    matches = list(cadre_search(visible, text).order_by("sort_key")[:21])
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise FormError(
            f"Không tìm thấy cán bộ «{text}» trong phạm vi của bạn. Gõ mã cán bộ (in trên trang "
            "hồ sơ, ví dụ CB000113) hoặc họ tên.",
            status=404,
        )
    raise FormError(
        f"Có {len(matches) if len(matches) <= 20 else 'hơn 20'} cán bộ khớp «{text}»: hãy gõ mã "
        "cán bộ hoặc chọn một người trong danh sách gợi ý.",
        choices=[
            f"{c.full_name}, sinh {c.birth_date:%d/%m/%Y}, {c.unit.name} ({c.code})"
            for c in matches[:20]
            if c.code
        ],
    )


@require_POST
@requires(Kind.REPORT, "issue", listing=True)
def job_create(request):
    """Ask for a document. Each kind reads only the fields it needs: a résumé its cadre,
    minutes their round, the others a unit (and a term, and a list's body)."""
    user = request.user
    kind = request.POST.get("kind", "")
    try:
        if kind not in ReportKind.values:
            raise FormError("Loại văn bản không hợp lệ.")
        term = request.POST.get("term", "")
        if term and term_by_code(term) is None:
            raise FormError(f"Không có nhiệm kỳ «{term}».")
        params: dict = {"term": term}
        if kind == "resume":
            cadre = _cadre_of(user, request)
            unit = cadre.unit
            params = {"term": "", "cadre": cadre.pk}
        elif kind == "ballot-minutes":
            round_id = id_from(request.POST.get("round"))
            if round_id is None:
                raise FormError("Biên bản kiểm phiếu: cần chọn bước giới thiệu.")
            rnd = round_for(user, round_id)  # 404 outside the user's sight
            unit = rnd.nominee_list.body.congress.unit
            code = request.POST.get("unit", "").strip()
            if code and code != unit.code:
                raise FormError("Bước giới thiệu không thuộc đơn vị đã chọn.")
            gaps = rnd.minutes_gaps()
            if gaps:
                raise FormError(
                    f"Bước {rnd.step} chưa đủ thông tin để lập biên bản kiểm phiếu; còn thiếu: "
                    + ", ".join(gaps)
                    + ". Bổ sung ở trang các bước giới thiệu."
                )
            params = {"term": term, "round": rnd.pk}
        else:
            unit = _unit_of(user, request.POST.get("unit", ""))
            params["body"] = request.POST.get("body") or "executive"
        policy.require(user, Kind.REPORT, "issue", unit)
        # The one confidentiality rule: vetting details only for a vetting officer.
        params["vetting_details"] = vetting_details_for(user, unit)
        if request.POST.get("draft"):
            params["draft"] = True
        confidential = request.POST.get("confidential", "")
        if confidential in ("1", "0"):
            params["confidential"] = confidential == "1"
        if kind in ("nominee-list", "personnel-plan"):
            congresses = congresses_visible_to(user).filter(unit=unit)
            if term:
                congresses = congresses.filter(term__code=term)
            if not congresses.exists():
                raise FormError(f"{unit.name} chưa có đại hội cho nhiệm kỳ đã chọn.")
    except FormError as exc:
        return render(
            request,
            "reports/home.html",
            _form_context(request, request.POST, error=exc.message, choices=exc.choices),
            status=exc.status,
        )
    job = report_job_request(kind=kind, params=params, user=user, unit=unit)
    return redirect("reports:job", pk=job.pk)


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
