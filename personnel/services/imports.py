"""Imports from the web: an uploaded file, its check, the user's mapping, the import.

An upload becomes an `ImportJob` (the file waits in MEDIA_ROOT/imports/<token>.xlsx) and is
checked at once: a dry run that reports the mapping, the first rows as they will be
imported, the people matched and every problem. The user may change the mapping and check
again, save it as a preset, then confirm: the import runs the same code for real. Small
files are worked within the request; a file above `IMPORT_BACKGROUND_BYTES` by a worker
(`personnel.tasks.run_import_job`), with progress on the job row.

A file refused at the gate (too large, not an xlsx, too many rows) is deleted at once; a
file whose content has problems stays until replaced, cancelled or a day old, so that the
user can fix the mapping or download it back with an error column.
"""

from __future__ import annotations

import logging
import secrets
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from personnel import policy
from personnel.imports import IMPORTERS, SPECS, FileRefused, ImportReport
from personnel.imports.limits import check_workbook
from personnel.inputs import int_from
from personnel.jobs import job_claim, job_progress, job_send
from personnel.models import ImportJob, ImportKind, ImportPreset, PartyUnit
from personnel.policy import Kind

log = logging.getLogger("personnel.imports")

STALE_AFTER_S = 24 * 3600
# Excel's last column (XFD): a mapping naming a column past it is refused.
MAX_COLUMN_INDEX = 16_383
Status, Mode = ImportJob.Status, ImportJob.Mode


def upload_limit() -> int:
    return int(getattr(settings, "IMPORT_MAX_UPLOAD_BYTES", 50 * 1024 * 1024))


def background_bytes() -> int:
    return int(getattr(settings, "IMPORT_BACKGROUND_BYTES", 1024 * 1024))


def _folder() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def pending_path(job: ImportJob) -> Path:
    # The token comes from secrets.token_urlsafe: letters, digits, "-" and "_" only.
    token = job.token
    if not token or not all(c.isalnum() or c in "-_" for c in token):
        raise ValueError("bad import token")
    return _folder() / f"{token}.xlsx"


def sweep_stale() -> None:
    """Uploads never imported are removed after a day."""
    limit = time.time() - STALE_AFTER_S
    for path in _folder().glob("*"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
        except OSError:
            pass


def import_job_create(
    *, user, kind: str, unit: PartyUnit, upload, preset: ImportPreset | None = None
) -> ImportJob:
    """Keep an uploaded file and check it is a spreadsheet we can read at all.

    Raises ValidationError (nothing kept on disk) for a file refused at the gate."""
    policy.require(user, Kind.IMPORT, "run", unit)
    if kind not in ImportKind.values:
        raise ValidationError("Loại dữ liệu không hợp lệ.")
    if upload.size > upload_limit():
        raise ValidationError(_too_large())
    sweep_stale()
    token = secrets.token_urlsafe(24)
    path = _folder() / f"{token}.xlsx"
    part = path.with_suffix(".part")
    try:
        with part.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        check_workbook(part)
        part.replace(path)
    except FileRefused as exc:
        part.unlink(missing_ok=True)
        raise ValidationError(str(exc)) from None
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    try:
        job = ImportJob(
            kind=kind,
            user=user,
            unit=unit,
            file_name=Path(upload.name or "tep.xlsx").name[:255],
            file_size=upload.size,
            token=token,
            preset=preset if preset is not None and preset.kind == kind else None,
        )
        job.full_clean()
        job.save()
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return job


def _too_large() -> str:
    limit = upload_limit()
    size = f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"
    return f"Tệp quá lớn (tối đa {size})."


def import_job_start(*, job: ImportJob) -> ImportJob:
    """Check (or import) the job's file: now for a small file, by a worker otherwise."""
    if job.file_size <= background_bytes():
        import_job_run(job_id=job.pk)
        job.refresh_from_db()
        return job
    job_send(job)
    return job


def _requeue(job: ImportJob, *, mode: str, **changes: Any) -> ImportJob:
    """Put a finished job back in the queue for another check or the import (a
    compare-and-set: a job already queued or running is left alone)."""
    updated = ImportJob.objects.filter(pk=job.pk, status__in=[Status.DONE, Status.FAILED]).update(
        mode=mode,
        status=Status.QUEUED,
        progress=0,
        error="",
        sent_at=None,
        lease_until=None,
        attempts=0,
        **changes,
    )
    if not updated:
        raise ValidationError("Tệp đang được xử lý, hãy đợi xong rồi thao tác tiếp.")
    job.refresh_from_db()
    return job


def import_job_remap(*, job: ImportJob, user, mapping: dict[str, str]) -> ImportJob:
    """Check again with the user's choice of field for some columns ("" = ignore)."""
    policy.require(user, Kind.IMPORT, "run", job.unit)
    _require_file(job)
    if job.imported:
        raise ValidationError("Tệp này đã được nhập.")
    fields = {c.field for c in SPECS[job.kind].columns}
    clean = {}
    for index, field in mapping.items():
        column = int_from(index, label="Số thứ tự cột", max_value=MAX_COLUMN_INDEX)
        if field and field not in fields:
            raise ValidationError("Cách đọc cột không hợp lệ.")
        clean[str(column)] = field
    return _requeue(job, mode=Mode.CHECK, mapping=clean, checked_ok=False)


def import_job_confirm(*, job: ImportJob, user) -> ImportJob:
    """Import a checked file as it was checked (the import checks everything again)."""
    policy.require(user, Kind.IMPORT, "run", job.unit)
    _require_file(job)
    if job.imported:
        raise ValidationError("Tệp này đã được nhập.")
    if job.mode != Mode.CHECK or job.status != Status.DONE or not job.checked_ok:
        raise ValidationError("Tệp chưa được kiểm tra xong hoặc còn lỗi: chưa thể nhập.")
    return _requeue(job, mode=Mode.IMPORT)


def import_job_cancel(*, job: ImportJob, user) -> None:
    """Drop the waiting file; the job keeps its last report."""
    policy.require(user, Kind.IMPORT, "run", job.unit)
    pending_path(job).unlink(missing_ok=True)
    ImportJob.objects.filter(pk=job.pk).exclude(status=Status.RUNNING).update(
        error="Đã hủy: tệp đã được xóa khỏi máy chủ."
    )


def _require_file(job: ImportJob) -> None:
    if not pending_path(job).exists():
        raise ValidationError("Tệp không còn trên máy chủ (đã nhập, đã hủy hoặc quá một ngày).")


def import_preset_save(*, job: ImportJob, user, name: str) -> ImportPreset:
    """Save the mapping of the job's last check as a named preset (replacing one of the
    same name) for the next file of the same shape."""
    policy.require(user, Kind.IMPORT, "run", job.unit)
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError("Hãy đặt tên cho mẫu cột.")
    columns = (job.report or {}).get("columns") or []
    if not columns:
        raise ValidationError("Chưa có cách đọc cột nào để lưu: hãy đợi kiểm tra tệp xong.")
    mapping = {c["key"]: c["field"] for c in columns}
    with transaction.atomic():
        preset, _created = ImportPreset.objects.update_or_create(
            kind=job.kind, name=name[:100], defaults={"columns": mapping, "created_by": user}
        )
        preset.full_clean()
        ImportJob.objects.filter(pk=job.pk).update(preset=preset)
    return preset


def presets_for(kind: str):
    return ImportPreset.objects.filter(kind=kind).order_by("name")


# --- the work ----------------------------------------------------------------------------


def import_job_run(*, job_id: int) -> bool:
    """Check or import a job's file; the job row records the outcome. Idempotent: only the
    caller that moves the job from queued to running works it."""
    if job_claim(ImportJob, job_id) is None:
        log.info("import job %s already taken or finished", job_id)
        return False
    job = ImportJob.objects.select_related("unit", "user", "preset").get(pk=job_id)
    path = pending_path(job)
    if not path.exists():
        _finish(job, error="Tệp không còn trên máy chủ; hãy tải lên lại.")
        return True

    def progress(percent: int) -> None:
        # Visible at once while checking; inside the import's transaction it shows at the end.
        job_progress(job, max(1, percent))

    importer = IMPORTERS[job.kind]
    dry_run = job.mode == Mode.CHECK
    try:
        report: ImportReport = importer(
            path,
            unit=job.unit,
            user=job.user,
            dry_run=dry_run,
            preset=job.preset.columns if job.preset else None,
            overrides={int(k): v for k, v in (job.mapping or {}).items()},
            note=f"Nhập dữ liệu lần #{job.pk}, tệp “{job.file_name}”",
            progress=progress,
        )
    except Exception:  # noqa: BLE001 - the page must say something, never stay "running"
        log.exception("import job %s failed", job_id)
        _finish(job, error="Lỗi khi xử lý tệp. Hãy thử lại; nếu vẫn lỗi, báo quản trị hệ thống.")
        return True
    if not dry_run and report.ok:
        path.unlink(missing_ok=True)
    _finish(job, report=report, checked_ok=dry_run and report.ok)
    return True


def _finish(job: ImportJob, *, report: ImportReport | None = None, error: str = "", **fields):
    ImportJob.objects.filter(pk=job.pk).update(
        status=Status.FAILED if error else Status.DONE,
        progress=100,
        error=error,
        report=report.as_dict() if report is not None else job.report,
        finished_at=timezone.now(),
        lease_until=None,
        **fields,
    )
