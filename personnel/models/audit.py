"""The audit trail and the notifications: every app writes through them
(`personnel.services.audit`, `personnel.services.notifications`)."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone


class AuditLog(models.Model):
    """Who changed what, when, with the state before and after. Written by services in the
    same transaction as the change; never edited or deleted by the application."""

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

    scope_path = "unit"

    class Meta:
        verbose_name = "nhật ký thay đổi"
        verbose_name_plural = "nhật ký thay đổi"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.action} {self.object_label}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("Nhật ký thay đổi không được sửa.")
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("Nhật ký thay đổi không được xóa.")


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
