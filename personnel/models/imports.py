"""Spreadsheet imports from the web: the job row that follows one uploaded file from its
check to its import, and the named column mappings ("presets") boards save for the next
file of the same shape."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from personnel.jobs import Job


class ImportKind(models.TextChoices):
    CADRES = "cadres", "Cán bộ"
    UNITS = "units", "Tổ chức đảng"


class ImportJob(Job):
    """One uploaded file: checked (a dry run), then, when the user confirms, imported.

    The row is the truth the pages read: status, progress and the last report. Small files
    are checked and imported within the request; larger ones by a worker
    (`personnel.tasks.run_import_job`), claimed with a lease (`personnel.jobs`).
    """

    scope_path = "unit"
    task_name = "personnel.run_import_job"
    lease_seconds = 900

    class Mode(models.TextChoices):
        CHECK = "check", "Kiểm tra"
        IMPORT = "import", "Nhập"

    kind = models.CharField("loại dữ liệu", max_length=16, choices=ImportKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người tải lên",
        on_delete=models.CASCADE,
        related_name="import_jobs",
    )
    unit = models.ForeignKey(
        "personnel.PartyUnit",
        verbose_name="đơn vị nhận",
        on_delete=models.PROTECT,
        related_name="+",
    )
    file_name = models.CharField("tên tệp", max_length=255)
    file_size = models.PositiveBigIntegerField("dung lượng", default=0)
    # The upload waits in MEDIA_ROOT/imports/<token>.xlsx until imported, cancelled or stale.
    token = models.CharField(max_length=64, unique=True)
    mode = models.CharField("bước", max_length=8, choices=Mode.choices, default=Mode.CHECK)
    # The user's choices on the mapping screen: {column index: field, "" to ignore}.
    mapping = models.JSONField("cách đọc các cột", default=dict, blank=True)
    preset = models.ForeignKey(
        "personnel.ImportPreset",
        verbose_name="mẫu cột",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    report = models.JSONField("kết quả", default=dict, blank=True)
    # Whether the last finished check found the file importable as mapped.
    checked_ok = models.BooleanField(default=False)

    class Meta:
        verbose_name = "lần nhập dữ liệu"
        verbose_name_plural = "lần nhập dữ liệu"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Nhập {self.get_kind_display().lower()} #{self.pk} ({self.file_name})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def imported(self) -> bool:
        return self.mode == self.Mode.IMPORT and self.status == self.Status.DONE


class ImportPreset(models.Model):
    """A saved column mapping: for each header (as a key, see `imports.columns.Header.key`)
    the field it fills, or "" to ignore it. Presets hold no one's data: every board staff
    member who imports may use them."""

    name = models.CharField("tên mẫu", max_length=100)
    kind = models.CharField("loại dữ liệu", max_length=16, choices=ImportKind.choices)
    columns = models.JSONField("các cột", default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người tạo",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("tạo lúc", default=timezone.now)

    class Meta:
        verbose_name = "mẫu cột nhập dữ liệu"
        verbose_name_plural = "mẫu cột nhập dữ liệu"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="uniq_import_preset_name")
        ]

    def __str__(self) -> str:
        return self.name
