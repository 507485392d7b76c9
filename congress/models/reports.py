"""Official documents: the jobs that render them and the register of what was issued."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from personnel.jobs import Job


class ReportKind(models.TextChoices):
    NOMINEE_LIST = "nominee-list", "Danh sách trích ngang"
    PERSONNEL_PLAN = "personnel-plan", "Đề án nhân sự"
    STRUCTURE_SUMMARY = "structure-summary", "Báo cáo tổng hợp cơ cấu"
    RESUME = "resume", "Sơ yếu lý lịch"
    BALLOT_MINUTES = "ballot-minutes", "Biên bản kiểm phiếu"
    PLANNING = "planning", "Báo cáo quy hoạch cán bộ"


class ReportJob(Job):
    """A document requested from the web, rendered by a worker (`congress.render_report`)
    under a lease: a worker that dies mid-render leaves the job to be taken again."""

    scope_path = "unit"
    task_name = "congress.render_report"
    # Progress extends the lease every few pages; a 2,000-row list reports often.
    lease_seconds = 300

    class Status(models.TextChoices):
        QUEUED = "queued", "Đang chờ"
        RUNNING = "running", "Đang tạo"
        DONE = "done", "Hoàn tất"
        FAILED = "failed", "Lỗi"

    kind = models.CharField("loại văn bản", max_length=32, choices=ReportKind.choices)
    params = models.JSONField("tham số", default=dict, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_jobs"
    )
    unit = models.ForeignKey(
        "personnel.PartyUnit", verbose_name="đơn vị", on_delete=models.CASCADE, related_name="+"
    )
    # The same values as every job's, with the words a document's page uses.
    status = models.CharField(
        "trạng thái", max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    file_path = models.CharField("tệp", max_length=512, blank=True)
    docx_path = models.CharField("bản Word", max_length=512, blank=True)
    document = models.ForeignKey(
        "congress.IssuedDocument",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "yêu cầu tạo văn bản"
        verbose_name_plural = "yêu cầu tạo văn bản"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class IssuedDocument(models.Model):
    """One produced document: its printed code, its number in its issuer's series for the
    type and term, and the hash of the data it was made from (to tell later whether it
    changed). A row exists only for a document whose files were stored, in the same
    transaction (`congress.reports.numbering.document_store`); a draft has no number."""

    scope_path = "unit"

    code = models.CharField("mã kiểm tra", max_length=12, unique=True)
    kind = models.CharField("loại văn bản", max_length=32, choices=ReportKind.choices)
    unit = models.ForeignKey(
        "personnel.PartyUnit", verbose_name="đơn vị", on_delete=models.PROTECT, related_name="+"
    )
    # The issuing committee's term on the day of issue: numbers run through it.
    term = models.CharField("nhiệm kỳ", max_length=16, blank=True)
    # Who issues it: "unit:<id>" (the unit's committee, or the cell itself), or
    # "congress:<id>:BKP" (a body of a congress, e.g. its vote-counting board). Numbers run
    # per issuer, document type and term.
    issuer = models.CharField("cơ quan ban hành (khóa)", max_length=64, default="")
    issuer_name = models.CharField("cơ quan ban hành", max_length=255, blank=True)
    # The numbering series: the document type's symbol ("BC" for every báo cáo), so two kinds
    # of report never share a number for one issuer and term.
    series = models.CharField("loại số", max_length=8, default="")
    number = models.PositiveIntegerField("số", null=True, blank=True)
    number_text = models.CharField("số và ký hiệu", max_length=64, blank=True)
    is_draft = models.BooleanField("dự thảo", default=False)
    data_hash = models.CharField("mã băm dữ liệu", max_length=64)
    params = models.JSONField("tham số", default=dict, blank=True)
    issued_at = models.DateTimeField("ngày tạo", default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "văn bản đã phát hành"
        verbose_name_plural = "văn bản đã phát hành"
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "series", "term", "number"],
                condition=models.Q(number__isnull=False),
                name="uniq_issuer_series_number",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number_text or self.number} ({self.code})"

    @property
    def short_hash(self) -> str:
        return self.data_hash[:12]

    def save(self, *args, **kwargs) -> None:
        # A document registered without an issuer is its unit's own.
        if not self.issuer and self.unit_id:
            self.issuer = f"unit:{self.unit_id}"
        super().save(*args, **kwargs)


class RenderPart(models.Model):
    """One part of a long document waiting to be rendered, or rendered: the HTML a worker
    turns into PDF (`congress.render_part`) and, once done, the PDF the document's own job
    joins. The rows of one document share a `batch`; the joining job deletes them when the
    document is joined. The result lives here rather than in a Celery result store: a render
    on another machine hands its PDF back through the database every worker already uses."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Đang chờ"
        RUNNING = "running", "Đang tạo"
        DONE = "done", "Hoàn tất"
        FAILED = "failed", "Lỗi"

    batch = models.UUIDField(db_index=True)
    index = models.PositiveIntegerField()
    key = models.CharField(max_length=64)
    html = models.TextField()
    accelerate = models.BooleanField(default=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    pdf = models.BinaryField(null=True, blank=True)
    pages = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    # Host and process that rendered it (what the benchmark and the tests count).
    rendered_by = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "phần văn bản đang dựng"
        verbose_name_plural = "phần văn bản đang dựng"
        constraints = [
            models.UniqueConstraint(fields=["batch", "index"], name="renderpart_batch_index")
        ]
