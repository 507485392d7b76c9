"""The audit trail and the notifications: every app writes through them
(`personnel.services.audit`, `personnel.services.notifications`)."""

import pgtrigger
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone

APPEND_ONLY = "Nhật ký chỉ được ghi thêm: không được sửa hay xóa."


class AppendOnlyQuerySet(models.QuerySet):
    """No update or delete through the ORM, on any database. On PostgreSQL the table's
    triggers refuse them as well, whatever the client (`AppendOnly` below)."""

    def update(self, **kwargs):
        raise PermissionDenied(APPEND_ONLY)

    def delete(self):
        raise PermissionDenied(APPEND_ONLY)

    delete.queryset_only = True


def append_only(name: str) -> pgtrigger.Protect:
    """The database's own refusal of UPDATE and DELETE on a log table (PostgreSQL; on SQLite
    the migration installs nothing and only the ORM guard holds)."""
    return pgtrigger.Protect(name=name, operation=pgtrigger.Update | pgtrigger.Delete)


class Source(models.TextChoices):
    WEB = "web", "Trang web"
    COMMAND = "command", "Lệnh quản trị"
    TASK = "task", "Tác vụ nền"
    SYSTEM = "system", "Hệ thống"


class AuditLog(models.Model):
    """Who changed what, when, with the state before and after, and from which request or
    command. Written by services in the same transaction as the change; never edited or
    deleted (the ORM refuses, and on PostgreSQL so does the database)."""

    at = models.DateTimeField("thời điểm", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người thực hiện",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    action = models.CharField("thao tác", max_length=64)
    object_type = models.CharField("loại đối tượng", max_length=64)
    object_id = models.CharField("mã đối tượng", max_length=64)
    object_label = models.CharField("đối tượng", max_length=255, blank=True)
    unit = models.ForeignKey(
        "personnel.PartyUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    before = models.JSONField("trước", null=True, blank=True)
    after = models.JSONField("sau", null=True, blank=True)
    note = models.TextField("ghi chú", blank=True)
    source = models.CharField("nguồn", max_length=16, choices=Source.choices, default=Source.SYSTEM)
    origin = models.CharField("yêu cầu / lệnh", max_length=255, blank=True)
    # Indexed for an exact lookup of the id a response echoed (`X-Request-ID`), through an
    # explicit Index: `db_index` on a text field also adds a `varchar_pattern_ops` twin,
    # which serves only `LIKE 'prefix%'` (nothing asks that; the admin's search is
    # `LIKE '%x%'`) and cost every import about 0.08 s per 100,000 rows.
    request_id = models.CharField("mã yêu cầu", max_length=32, blank=True)
    ip_address = models.GenericIPAddressField("địa chỉ IP", null=True, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    scope_path = "unit"

    class Meta:
        verbose_name = "nhật ký thay đổi"
        verbose_name_plural = "nhật ký thay đổi"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["request_id"], name="audit_request_idx"),
        ]
        triggers = [append_only("audit_append_only")]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.action} {self.object_label}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied(APPEND_ONLY)
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied(APPEND_ONLY)


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    created_at = models.DateTimeField(default=timezone.now)
    text = models.CharField("nội dung", max_length=500)
    url = models.CharField(max_length=255, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "thông báo"
        verbose_name_plural = "thông báo"
        ordering = ["-created_at"]
        # Every page counts the user's unread ones (the menu's badge); a board member collects
        # thousands over a congress season, read ones included.
        indexes = [
            models.Index(
                fields=["user"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread_idx",
            )
        ]


class AccessKind(models.TextChoices):
    PAGE = "page", "Xem hồ sơ"
    RESUME = "resume", "Tải sơ yếu lý lịch"
    EXPORT = "export", "Xuất dữ liệu"
    DOCUMENT = "document", "Tải văn bản"


class DossierAccess(models.Model):
    """Who looked at a cadre's dossier (religion, health, family and political history are
    sensitive personal data): every page view, résumé, export and document download, with
    when and from where. A row names the cadre; a document of a whole unit (a nominee list)
    names the unit only. Append-only like the audit trail."""

    at = models.DateTimeField("thời điểm", default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người truy cập",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField("hình thức", max_length=16, choices=AccessKind.choices)
    cadre = models.ForeignKey(
        "personnel.Cadre",
        verbose_name="cán bộ",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accesses",
    )
    unit = models.ForeignKey(
        "personnel.PartyUnit",
        verbose_name="đơn vị",
        on_delete=models.PROTECT,
        related_name="+",
    )
    label = models.CharField("nội dung", max_length=255, blank=True)
    source = models.CharField("nguồn", max_length=16, choices=Source.choices, default=Source.SYSTEM)
    origin = models.CharField("yêu cầu / lệnh", max_length=255, blank=True)
    request_id = models.CharField("mã yêu cầu", max_length=32, blank=True)
    ip_address = models.GenericIPAddressField("địa chỉ IP", null=True, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    scope_path = "unit"

    class Meta:
        verbose_name = "nhật ký truy cập hồ sơ cán bộ"
        verbose_name_plural = "nhật ký truy cập hồ sơ cán bộ"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["cadre", "at"], name="dossier_access_cadre_idx")]
        triggers = [append_only("dossier_access_append_only")]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.get_kind_display()} {self.label}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied(APPEND_ONLY)
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied(APPEND_ONLY)
