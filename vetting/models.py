"""Political-vetting records (Quy định 58-QĐ/TW). Item content is confidential: only
vetting officers whose scope covers the cadre read it, and every read is logged."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone

from personnel.inputs import LONG_TEXT_MAX, length_check
from personnel.models import AppendOnlyQuerySet, Archivable
from personnel.models.audit import APPEND_ONLY, append_only


class Conclusion(models.TextChoices):
    ELIGIBLE = "eligible", "Đủ tiêu chuẩn chính trị"
    INELIGIBLE = "ineligible", "Không đủ tiêu chuẩn chính trị"
    PENDING = "pending", "Chưa kết luận"


class ItemKind(models.TextChoices):
    POLITICAL_HISTORY = "political_history", "Lịch sử chính trị"
    CURRENT_ISSUES = "current_issues", "Vấn đề chính trị hiện nay"
    FOREIGN = "foreign", "Yếu tố nước ngoài, thân nhân ở nước ngoài"
    ASSETS = "assets", "Kê khai tài sản, thu nhập"
    INSPECTIONS = "inspections", "Kết luận kiểm tra, thanh tra, kiểm toán, vụ án"
    COMPLAINTS = "complaints", "Đơn thư khiếu nại, tố cáo và kết quả giải quyết"


class VettingCase(Archivable):
    """The vetting of one cadre for one term's congresses (or standalone, with no term: for
    an appointment or planning outside a congress). Keyed on the cadre and the term, so a
    person nominated at several levels in one term is vetted once. Never deleted: archived
    by board staff, with its items kept."""

    scope_path = "cadre__unit"
    policy_kind = "vetting_case"

    cadre = models.ForeignKey(
        "personnel.Cadre",
        verbose_name="cán bộ",
        on_delete=models.PROTECT,
        related_name="vetting_cases",
    )
    term = models.ForeignKey(
        "personnel.Term",
        verbose_name="nhiệm kỳ",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("ngày đề nghị", default=timezone.now)
    conclusion = models.CharField(
        "kết luận", max_length=16, choices=Conclusion.choices, default=Conclusion.PENDING
    )
    concluded_on = models.DateField("ngày kết luận", null=True, blank=True)
    concluding_body = models.CharField("cơ quan kết luận", max_length=255, blank=True)
    document_number = models.CharField("số văn bản kết luận", max_length=64, blank=True)
    complex_political_issue = models.BooleanField("có vấn đề chính trị phức tạp", default=False)

    class Meta:
        verbose_name = "hồ sơ thẩm tra chính trị"
        verbose_name_plural = "hồ sơ thẩm tra chính trị"
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(fields=["cadre", "term"], name="uniq_vetting_case_term")
        ]

    def __str__(self) -> str:
        return f"Thẩm tra {self.cadre}"


class VettingItem(models.Model):
    scope_path = "case__cadre__unit"

    case = models.ForeignKey(VettingCase, on_delete=models.PROTECT, related_name="items")
    kind = models.CharField("nội dung", max_length=32, choices=ItemKind.choices)
    finding = models.TextField("kết quả thẩm tra", max_length=LONG_TEXT_MAX)
    is_concern = models.BooleanField("có vấn đề cần lưu ý", default=False)

    class Meta:
        verbose_name = "nội dung thẩm tra"
        verbose_name_plural = "nội dung thẩm tra"
        constraints = [
            models.UniqueConstraint(fields=["case", "kind"], name="uniq_vetting_item"),
            length_check(
                "finding", LONG_TEXT_MAX, name="vetting_finding_length", label="Kết quả thẩm tra"
            ),
        ]


class VettingReadLog(models.Model):
    """Every read of a case's confidential items: who, when, from where. Append-only: the
    ORM refuses updates and deletes, and on PostgreSQL so does the database."""

    scope_path = "case__cadre__unit"
    objects = AppendOnlyQuerySet.as_manager()

    case = models.ForeignKey(VettingCase, on_delete=models.PROTECT, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    path = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = "nhật ký truy cập hồ sơ thẩm tra"
        verbose_name_plural = "nhật ký truy cập hồ sơ thẩm tra"
        ordering = ["-at"]
        triggers = [append_only("vetting_read_append_only")]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied(APPEND_ONLY)
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied(APPEND_ONLY)
