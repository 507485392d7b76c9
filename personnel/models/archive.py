"""Archiving instead of deleting, for the records people rely on: units, cadres, congresses,
nominee lists, vetting cases.

Such a row is never deleted (the model and its querysets refuse, and what hangs on it is
`PROTECT`ed, so nothing cascades it away). It is archived: stamped with when, by whom and why,
hidden from the normal listings (the selectors' `*_visible_to` take `.live()` rows only), still
readable on its own page and in the history pages, and restored by board staff
(`personnel.services.archive`). The default manager still returns every row: the rules engine,
the structure recompute and the documents load rows by id or by relation, and a person on an
approved list must still be evaluated after their record was archived.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models

NOT_DELETED = "Dữ liệu này không bị xóa: hãy lưu trữ (và khôi phục khi cần)."


class ArchiveQuerySet(models.QuerySet):
    def live(self) -> ArchiveQuerySet:
        return self.filter(archived_at__isnull=True)

    def archived(self) -> ArchiveQuerySet:
        return self.filter(archived_at__isnull=False)

    def delete(self):
        raise PermissionDenied(NOT_DELETED)

    delete.queryset_only = True


class Archivable(models.Model):
    archived_at = models.DateTimeField("lưu trữ lúc", null=True, blank=True, editable=False)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người lưu trữ",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    archive_reason = models.CharField("lý do lưu trữ", max_length=255, blank=True, editable=False)

    objects = ArchiveQuerySet.as_manager()

    # The policy kind whose "archive" and "restore" actions decide who may do them.
    policy_kind: ClassVar[str]

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def archive_blockers(self) -> list[str]:
        """Why this row cannot be archived now (Vietnamese, for the user); none by default."""
        return []

    def delete(self, *args, **kwargs):
        raise PermissionDenied(NOT_DELETED)
