"""Cadre planning (quy hoạch) by term: the planning list of a unit, its entries (one person
for one post), the justifications of engine findings, and the record of each yearly review.

Entries are never deleted: a removal is a soft one (date, reason, who), so the history of a
plan stays readable.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from personnel.inputs import TEXT_MAX, length_check

__all__ = [
    "PlanningEntry",
    "PlanningJustification",
    "PlanningList",
    "PlanningReview",
    "PlanningState",
    "RemovalReason",
]


class PlanningState(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    SUBMITTED = "submitted", "Đã trình cấp trên"
    RETURNED = "returned", "Cấp trên trả lại"
    APPROVED = "approved", "Đã phê duyệt"


class RemovalReason(models.TextChoices):
    USED = "used", "Đã được sử dụng (bổ nhiệm vào chức danh quy hoạch)"
    OVER_AGE = "over_age", "Không còn đủ tuổi quy hoạch"
    DISCIPLINED = "disciplined", "Bị kỷ luật"
    INELIGIBLE = "ineligible", "Không đạt tiêu chuẩn chính trị"
    MOVED_AWAY = "moved_away", "Chuyển công tác khác"
    LOW_CONFIDENCE = "low_confidence", "Tín nhiệm thấp"
    POOR_HEALTH = "poor_health", "Sức khỏe yếu"
    OTHER = "other", "Lý do khác"


class PlanningList(models.Model):
    """The plan of one unit for one future term (quy hoạch nhiệm kỳ …)."""

    scope_path = "unit"

    unit = models.ForeignKey(
        "personnel.PartyUnit",
        verbose_name="đơn vị",
        on_delete=models.PROTECT,
        related_name="planning_lists",
    )
    term = models.ForeignKey(
        "personnel.Term", verbose_name="nhiệm kỳ quy hoạch", on_delete=models.PROTECT
    )
    state = models.CharField(
        "trạng thái", max_length=16, choices=PlanningState.choices, default=PlanningState.DRAFT
    )
    decision_number = models.CharField("số quyết định phê duyệt", max_length=64, blank=True)
    decision_date = models.DateField("ngày quyết định phê duyệt", null=True, blank=True)
    state_changed_at = models.DateTimeField("chuyển trạng thái lúc", default=timezone.now)
    state_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người chuyển trạng thái",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    remark = models.TextField("ý kiến", blank=True, max_length=TEXT_MAX)
    created_at = models.DateTimeField("tạo lúc", default=timezone.now)

    class Meta:
        verbose_name = "danh sách quy hoạch"
        verbose_name_plural = "danh sách quy hoạch"
        ordering = ["unit__path", "term__start"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "term"], name="uniq_planning_list_term"),
            length_check("remark", TEXT_MAX, name="planning_remark_length", label="Ý kiến"),
        ]

    def __str__(self) -> str:
        return f"Quy hoạch {self.term} — {self.unit.name}"

    @property
    def is_editable(self) -> bool:
        """Entries may change except while the level above is deciding. A change to an
        approved plan (the yearly review) sends it back to draft for a new approval."""
        return self.state != PlanningState.SUBMITTED


class PlanningEntry(models.Model):
    """One person planned for one post of the list's unit."""

    scope_path = "planning_list__unit"

    planning_list = models.ForeignKey(
        PlanningList,
        verbose_name="danh sách quy hoạch",
        on_delete=models.PROTECT,
        related_name="entries",
    )
    cadre = models.ForeignKey(
        "personnel.Cadre",
        verbose_name="cán bộ",
        on_delete=models.PROTECT,
        related_name="planning_entries",
    )
    post = models.ForeignKey(
        "personnel.Post", verbose_name="chức danh quy hoạch", on_delete=models.PROTECT
    )
    since = models.DateField("quy hoạch từ ngày", default=timezone.localdate)
    decision_number = models.CharField("số quyết định", max_length=64, blank=True)
    decision_date = models.DateField("ngày quyết định", null=True, blank=True)
    readiness_notes = models.TextField("nhận xét mức độ sẵn sàng", blank=True, max_length=TEXT_MAX)
    added_at = models.DateTimeField("thêm lúc", default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người thêm",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    removed_at = models.DateField("ngày đưa ra khỏi quy hoạch", null=True, blank=True)
    removed_reason = models.CharField(
        "lý do đưa ra", max_length=16, choices=RemovalReason.choices, blank=True
    )
    removed_note = models.TextField("ghi chú khi đưa ra", blank=True, max_length=TEXT_MAX)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người đưa ra",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    used_at = models.DateTimeField("sử dụng lúc", null=True, blank=True)
    used_for = models.CharField("sử dụng cho", max_length=255, blank=True)

    class Meta:
        verbose_name = "người trong quy hoạch"
        verbose_name_plural = "người trong quy hoạch"
        ordering = ["planning_list", "-post__rank", "cadre__sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["planning_list", "cadre", "post"],
                condition=Q(removed_at__isnull=True),
                name="uniq_active_planning_entry",
            ),
            length_check(
                "readiness_notes",
                TEXT_MAX,
                name="planning_readiness_length",
                label="Nhận xét mức độ sẵn sàng",
            ),
            length_check(
                "removed_note", TEXT_MAX, name="planning_removed_note_length", label="Ghi chú"
            ),
        ]
        indexes = [models.Index(fields=["cadre", "removed_at"], name="planning_entry_cadre_idx")]

    def __str__(self) -> str:
        return f"{self.cadre} — {self.post}"

    @property
    def is_active(self) -> bool:
        return self.removed_at is None


class PlanningJustification(models.Model):
    """The recorded justification of one engine finding (code + people) of a plan."""

    scope_path = "planning_list__unit"

    planning_list = models.ForeignKey(
        PlanningList,
        verbose_name="danh sách quy hoạch",
        on_delete=models.PROTECT,
        related_name="justifications",
    )
    code = models.CharField("mã phát hiện", max_length=64)
    people_key = models.CharField("người liên quan", max_length=255, blank=True)
    text = models.TextField("giải trình", max_length=TEXT_MAX)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người giải trình",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField("giải trình lúc", default=timezone.now)

    class Meta:
        verbose_name = "giải trình quy hoạch"
        verbose_name_plural = "giải trình quy hoạch"
        constraints = [
            models.UniqueConstraint(
                fields=["planning_list", "code", "people_key"], name="uniq_planning_justification"
            ),
            length_check(
                "text", TEXT_MAX, name="planning_justification_length", label="Giải trình"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.people_key})"


class PlanningReview(models.Model):
    """The decision closing the yearly review (rà soát, bổ sung quy hoạch hằng năm)."""

    scope_path = "unit"

    unit = models.ForeignKey(
        "personnel.PartyUnit",
        verbose_name="đơn vị",
        on_delete=models.PROTECT,
        related_name="planning_reviews",
    )
    term = models.ForeignKey(
        "personnel.Term", verbose_name="nhiệm kỳ quy hoạch", on_delete=models.PROTECT
    )
    year = models.PositiveSmallIntegerField("năm rà soát")
    decided_on = models.DateField("ngày quyết định")
    decision_number = models.CharField("số quyết định", max_length=64)
    notes = models.TextField("ghi chú", blank=True, max_length=TEXT_MAX)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người ghi nhận",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("ghi nhận lúc", default=timezone.now)

    class Meta:
        verbose_name = "kết quả rà soát quy hoạch"
        verbose_name_plural = "kết quả rà soát quy hoạch"
        ordering = ["unit__path", "term__start", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "term", "year"], name="uniq_planning_review"),
            length_check("notes", TEXT_MAX, name="planning_review_notes_length", label="Ghi chú"),
        ]

    def __str__(self) -> str:
        return f"Rà soát quy hoạch {self.term} năm {self.year} — {self.unit.name}"
