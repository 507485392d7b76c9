"""Spreadsheet import and export from the web, for board staff.

Upload → dry run → report of problems → "Xác nhận nhập" → the real import (validated again).
The uploaded file waits in MEDIA_ROOT/imports/<random token>.xlsx; the token is kept in the
session, so a user can only confirm a file they uploaded themselves.
"""

from __future__ import annotations

import secrets
import tempfile
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from personnel.exporters import export_cadres
from personnel.importers import ImportReport, import_cadres, import_units
from personnel.models import AccessKind
from personnel.policy import Kind, requires
from personnel.selectors import cadres_visible_to, unit_for, units_visible_to
from personnel.services.dossier import dossier_access_record

SESSION_KEY = "pending_import"
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
STALE_AFTER_S = 24 * 3600
MAX_ERRORS_SHOWN = 1000

KINDS = {"cadres": "Cán bộ", "units": "Tổ chức đảng"}


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label="Loại dữ liệu", choices=list(KINDS.items()), initial="cadres")
    file = forms.FileField(
        label="Tệp Excel (.xlsx)",
        help_text="Dòng 1 là dòng tiêu đề; các cột theo mẫu nhập dữ liệu.",
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("Tệp quá lớn (tối đa 50 MB).")
        return f


def _import_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _pending_path(token: str) -> Path:
    # The token comes from secrets.token_urlsafe: letters, digits, "-" and "_" only.
    if not token or not all(c.isalnum() or c in "-_" for c in token):
        raise Http404
    return _import_dir() / f"{token}.xlsx"


def _discard_pending(request) -> None:
    pending = request.session.pop(SESSION_KEY, None)
    if pending:
        _pending_path(pending["token"]).unlink(missing_ok=True)


def _sweep_stale() -> None:
    """Uploads never confirmed are removed after a day."""
    limit = time.time() - STALE_AFTER_S
    for path in _import_dir().glob("*.xlsx"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
        except OSError:
            pass


def _run(kind: str, path: Path, user, *, dry_run: bool) -> ImportReport:
    allowed = None
    if not user.is_superuser:
        allowed = set(units_visible_to(user, "manage").values_list("pk", flat=True))
    importer = import_cadres if kind == "cadres" else import_units
    return importer(path, dry_run=dry_run, allowed_unit_ids=allowed)


def _report_page(request, report: ImportReport, *, kind: str, filename: str, token: str = ""):
    return render(
        request,
        "personnel/import_report.html",
        {
            "report": report,
            "kind": kind,
            "kind_label": KINDS[kind],
            "filename": filename,
            "token": token,
            "errors_shown": report.errors[:MAX_ERRORS_SHOWN],
            "errors_hidden": max(0, len(report.errors) - MAX_ERRORS_SHOWN),
        },
    )


@require_http_methods(["GET", "POST"])
@requires(Kind.IMPORT, "run", listing=True)
def upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        _discard_pending(request)
        _sweep_stale()
        kind = form.cleaned_data["kind"]
        upload = form.cleaned_data["file"]
        token = secrets.token_urlsafe(24)
        path = _pending_path(token)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".part", delete=False) as tmp:
            for chunk in upload.chunks():
                tmp.write(chunk)
        Path(tmp.name).replace(path)
        report = _run(kind, path, request.user, dry_run=True)
        if report.ok:
            request.session[SESSION_KEY] = {"token": token, "kind": kind, "name": upload.name}
        else:
            path.unlink(missing_ok=True)
            token = ""
        return _report_page(request, report, kind=kind, filename=upload.name, token=token)
    return render(request, "personnel/import_upload.html", {"form": form})


@require_POST
@requires(Kind.IMPORT, "run", listing=True)
def confirm(request):
    pending = request.session.get(SESSION_KEY)
    token = request.POST.get("token", "")
    if not pending or not secrets.compare_digest(pending["token"], token):
        return render(
            request,
            "personnel/import_upload.html",
            {
                "form": UploadForm(),
                "notice": "Không tìm thấy tệp chờ nhập (có thể đã nhập rồi). Vui lòng tải lên lại.",
            },
            status=409,
        )
    path = _pending_path(token)
    if not path.exists():
        request.session.pop(SESSION_KEY, None)
        raise Http404("Tệp chờ nhập không còn.")
    try:
        report = _run(pending["kind"], path, request.user, dry_run=False)
    finally:
        _discard_pending(request)
    return _report_page(request, report, kind=pending["kind"], filename=pending["name"])


@require_GET
@requires(Kind.CADRE, "export", listing=True)
def export(request):
    code = request.GET.get("unit", "").strip()
    if not code:
        return redirect("imports:upload")
    unit = unit_for(request.user, code)
    qs = cadres_visible_to(request.user, "export").filter(unit__path__startswith=unit.path)
    dossier_access_record(
        user=request.user, kind=AccessKind.EXPORT, cadres=qs, unit=unit,
        label=f"can-bo-{unit.code}.xlsx",
    )  # fmt: skip
    out = tempfile.TemporaryFile()
    export_cadres(qs, out)
    out.seek(0)
    return FileResponse(
        out,
        as_attachment=True,
        filename=f"can-bo-{unit.code}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
