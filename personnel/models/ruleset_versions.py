"""The rule sets in force, as stored, versioned rows.

The engine's own `congress.rules.rulesets.RuleSet` is the parameters of one rule set (a
frozen dataclass, presets with their sources); a `RuleSetVersion` is one stored version of
such parameters that an administrator copied or edited and a congress chose. Every app
reads them (congresses, planning checks), so they live in the lowest layer.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class RuleSetVersion(models.Model):
    """An editable, versioned copy of a rule set (congress/rules/rulesets.py presets).

    Rows are never updated in place: an edit writes version N+1 of the same code, so a
    congress that chose version N keeps evaluating against exactly what it chose.
    """

    code = models.CharField("mã bộ quy tắc", max_length=64)
    version = models.PositiveIntegerField("phiên bản", default=1)
    name = models.CharField("tên", max_length=255)
    source = models.TextField("căn cứ", blank=True)
    data = models.JSONField("tham số")
    based_on = models.ForeignKey(
        "self", verbose_name="sao từ", null=True, blank=True, on_delete=models.PROTECT
    )
    is_preset = models.BooleanField("bộ mặc định", default=False)
    note = models.TextField("ghi chú thay đổi", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField("tạo lúc", default=timezone.now)

    class Meta:
        verbose_name = "bộ quy tắc"
        verbose_name_plural = "bộ quy tắc"
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="uniq_ruleset_version")
        ]

    def __str__(self) -> str:
        return f"{self.code} (phiên bản {self.version})"

    @property
    def label(self) -> str:
        return f"{self.code} v{self.version}"
