"""Spreadsheet import and export from the web, for board staff.

Upload (a unit, a file, maybe a saved mapping) → the check: the columns found, the field
each fills, the first rows as they will be imported, the people already registered, every
problem → change the mapping and check again, save it as a preset → confirm. Large files
are checked and imported by a worker; the page follows the job.
"""

from __future__ import annotations

import tempfile
from io import BytesIO

from django import forms
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from personnel.exporters import LAYOUTS, export_cadres, import_template
from personnel.imports import SPECS, ImportReport
from personnel.imports.errorfile import write_error_file
from personnel.models import AccessKind, ImportJob, ImportKind
from personnel.policy import Kind, requires
from personnel.selectors import (
    cadres_visible_to,
    import_job_for,
    import_jobs_of,
    import_presets,
    import_unit_for,
    import_units_for,
    unit_for,
)
from personnel.services import imports as svc
from personnel.services.dossier import dossier_access_record

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UNITS_LISTED = 2000


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label="Loại dữ liệu", choices=ImportKind.choices, initial="cadres")
    unit = forms.ChoiceField(
        label="Đơn vị nhận",
        help_text="Người (hoặc đơn vị) trong tệp thuộc đơn vị này; nếu tệp có cột Mã đơn vị, "
        "các mã phải là đơn vị cấp dưới của đơn vị này.",
    )
    preset = forms.ChoiceField(label="Mẫu cột đã lưu", required=False)
    file = forms.FileField(
        label="Tệp Excel (.xlsx)",
        help_text="Tệp trích ngang hoặc danh sách đảng viên đang dùng; dòng tiêu đề có thể "
        "nằm dưới các dòng tên cơ quan, tên danh sách.",
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX}"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = import_units_for(user).only("code", "name", "depth")[:MAX_UNITS_LISTED]
        self.fields["unit"].choices = [
            (u.code, f"{'— ' * u.depth}{u.name} ({u.code})") for u in units
        ]
        self.fields["preset"].choices = [("", "Tự nhận dạng các cột")] + [
            (str(p.pk), f"{p.name} ({p.get_kind_display().lower()})") for p in import_presets()
        ]

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > svc.upload_limit():
            raise forms.ValidationError(svc._too_large())
        return f


def _too_large_response(request) -> HttpResponse | None:
    """Refuse a body larger than the limit from its Content-Length, before a byte of it is
    read (the CSRF check and `request.FILES` would read it all)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    # The form's other fields and the multipart framing take a few kilobytes.
    if length <= svc.upload_limit() + 64 * 1024:
        return None
    return render(
        request,
        "personnel/import_upload.html",
        {"form": None, "notice": svc._too_large(), "jobs": []},
        status=413,
    )


@csrf_exempt  # checked right after the size, by `_upload_post`
@require_http_methods(["GET", "POST"])
@requires(Kind.IMPORT, "run", listing=True)
def upload(request):
    if request.method == "POST":
        refused = _too_large_response(request)
        if refused is not None:
            return refused
        return _upload_post(request)
    return _upload_page(request, UploadForm(user=request.user))


@csrf_protect
def _upload_post(request):
    form = UploadForm(request.POST, request.FILES, user=request.user)
    if not form.is_valid():
        return _upload_page(request, form, status=422)
    data = form.cleaned_data
    unit = import_unit_for(request.user, data["unit"])
    preset = import_presets().filter(pk=data["preset"]).first() if data["preset"] else None
    try:
        job = svc.import_job_create(
            user=request.user, kind=data["kind"], unit=unit, upload=data["file"], preset=preset
        )
    except ValidationError as exc:
        form.add_error("file", exc.messages[0])
        return _upload_page(request, form, status=422)
    svc.import_job_start(job=job)
    return redirect("imports:job", pk=job.pk)


def _upload_page(request, form, status=200, notice=""):
    return render(
        request,
        "personnel/import_upload.html",
        {
            "form": form,
            "notice": notice,
            "jobs": import_jobs_of(request.user).select_related("unit")[:10],
            "specs": SPECS,
            "layouts": LAYOUTS,
        },
        status=status,
    )


def _job_context(job: ImportJob) -> dict:
    report = ImportReport.from_dict(job.report) if job.report else None
    columns = []
    if report is not None:
        for i, col in enumerate(report.columns):
            samples = [row["cells"][i] for row in report.preview if i < len(row["cells"])]
            columns.append({**col, "samples": samples})
    return {
        "job": job,
        "report": report,
        "columns": columns,
        "preview_rows": [row["row"] for row in report.preview] if report else [],
        "choices": SPECS[job.kind].choices(),
        "has_file": svc.pending_path(job).exists(),
    }


@require_http_methods(["GET", "POST"])
@requires(Kind.IMPORT, "run")
def job(request, pk: int):
    """The mapping screen and the report of the last check; POST: check again with the
    columns as the user placed them."""
    job = import_job_for(request.user, pk, "run")
    status = 200
    context: dict = {}
    if request.method == "POST":
        mapping = {
            key[len("col-") :]: value
            for key, value in request.POST.items()
            if key.startswith("col-")
        }
        try:
            job = svc.import_job_remap(job=job, user=request.user, mapping=mapping)
            job = svc.import_job_start(job=job)
            return redirect("imports:job", pk=job.pk)
        except ValidationError as exc:
            context["notice"] = exc.messages[0]
            status = 409
    return render(
        request, "personnel/import_job.html", {**_job_context(job), **context}, status=status
    )


@require_GET
@requires(Kind.IMPORT, "view")
def job_status(request, pk: int):
    job = import_job_for(request.user, pk)
    if job.is_finished and getattr(request, "htmx", False):
        return HttpResponseClientRefresh()  # the whole page shows the report
    return render(request, "personnel/partials/import_status.html", {"job": job})


@require_POST
@requires(Kind.IMPORT, "run")
def confirm(request, pk: int):
    job = import_job_for(request.user, pk, "run")
    try:
        job = svc.import_job_confirm(job=job, user=request.user)
    except ValidationError as exc:
        return render(
            request,
            "personnel/import_job.html",
            {**_job_context(job), "notice": exc.messages[0]},
            status=409,
        )
    svc.import_job_start(job=job)
    return redirect("imports:job", pk=job.pk)


@require_POST
@requires(Kind.IMPORT, "run")
def save_preset(request, pk: int):
    job = import_job_for(request.user, pk, "run")
    try:
        preset = svc.import_preset_save(
            job=job, user=request.user, name=request.POST.get("name", "")
        )
    except ValidationError as exc:
        return render(
            request,
            "personnel/import_job.html",
            {**_job_context(job), "notice": exc.messages[0]},
            status=422,
        )
    job.refresh_from_db()
    return render(
        request,
        "personnel/import_job.html",
        {**_job_context(job), "saved": f"Đã lưu mẫu cột “{preset.name}”."},
    )


@require_POST
@requires(Kind.IMPORT, "run")
def cancel(request, pk: int):
    job = import_job_for(request.user, pk, "run")
    svc.import_job_cancel(job=job, user=request.user)
    return redirect("imports:upload")


@require_GET
@requires(Kind.IMPORT, "view")
def error_file(request, pk: int):
    """The uploaded file back, with a column saying what is wrong on each row."""
    job = import_job_for(request.user, pk)
    report = ImportReport.from_dict(job.report) if job.report else None
    path = svc.pending_path(job)
    if report is None or report.ok or not path.exists():
        return render(
            request,
            "personnel/import_job.html",
            {**_job_context(job), "notice": "Không có tệp lỗi cho lần nhập này."},
            status=409,
        )
    out = BytesIO()
    write_error_file(path, report, out)
    out.seek(0)
    stem = job.file_name.rsplit(".", 1)[0]
    return FileResponse(out, as_attachment=True, filename=f"{stem}-loi.xlsx", content_type=XLSX)


@require_GET
@requires(Kind.IMPORT, "run", listing=True)
def template(request):
    """A blank import template: the headers and one example row."""
    kind = request.GET.get("kind", "cadres")
    if kind not in SPECS:
        kind = "cadres"
    out = BytesIO()
    import_template(kind, out)
    out.seek(0)
    name = "mau-nhap-can-bo.xlsx" if kind == "cadres" else "mau-nhap-to-chuc-dang.xlsx"
    return FileResponse(out, as_attachment=True, filename=name, content_type=XLSX)


@require_GET
@requires(Kind.CADRE, "export", listing=True)
def export(request):
    code = request.GET.get("unit", "").strip()
    if not code:
        return redirect("imports:upload")
    unit = unit_for(request.user, code)
    layout = request.GET.get("layout", "flat")
    if layout not in LAYOUTS:
        layout = "flat"
    qs = cadres_visible_to(request.user, "export").filter(unit__path__startswith=unit.path)
    dossier_access_record(
        user=request.user, kind=AccessKind.EXPORT, cadres=qs, unit=unit,
        label=f"can-bo-{unit.code}.xlsx",
    )  # fmt: skip
    out = tempfile.TemporaryFile()
    export_cadres(qs, out, layout=layout, unit=unit)
    out.seek(0)
    suffix = "-trich-ngang" if layout == "trich-ngang" else ""
    return FileResponse(
        out, as_attachment=True, filename=f"can-bo-{unit.code}{suffix}.xlsx", content_type=XLSX
    )
