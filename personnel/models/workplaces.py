"""Workplaces (cơ quan, đơn vị): where a state or mass-organisation post is held. People's
Councils and Committees, departments, the police, courts, mass organisations, schools and
enterprises are records of their own, in their own tree (a department under the provincial
People's Committee), each led by a party unit. A post is held in a workplace or in a party
body (the unit's committee); titles are composed from it: "Phó Chủ tịch" + "UBND tỉnh An Hòa"
(DOCUMENTS.md §4)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from personnel.models.registry import PartyUnit, PostGroup


class WorkplaceKind(models.TextChoices):
    PEOPLE_COUNCIL = "people_council", "Hội đồng nhân dân"
    PEOPLE_COMMITTEE = "people_committee", "Ủy ban nhân dân"
    AGENCY = "agency", "Sở, ban, ngành, cơ quan chuyên môn"
    JUSTICE = "justice", "Tòa án, Viện kiểm sát, Thanh tra"
    ARMED = "armed", "Công an, Quân sự"
    MASS = "mass", "Mặt trận Tổ quốc, đoàn thể, hội"
    PUBLIC_SERVICE = "public_service", "Đơn vị sự nghiệp (trường học, bệnh viện…)"
    ENTERPRISE = "enterprise", "Doanh nghiệp"


# Which block of concurrent posts a workplace's posts belong to.
KIND_GROUP = {kind: PostGroup.STATE for kind in WorkplaceKind.values} | {
    WorkplaceKind.MASS: PostGroup.MASS
}


class Workplace(models.Model):
    scope_path = "party_unit"

    code = models.CharField("mã cơ quan", max_length=32, unique=True, null=True, blank=True)
    name = models.CharField("tên cơ quan, đơn vị", max_length=255)
    short_name = models.CharField(
        "tên dùng trong chức danh",
        max_length=255,
        blank=True,
        help_text="Ví dụ: UBND tỉnh An Hòa (chức danh: Phó Chủ tịch UBND tỉnh An Hòa).",
    )
    kind = models.CharField("loại cơ quan", max_length=16, choices=WorkplaceKind.choices)
    head_title = models.CharField(
        "chức danh người đứng đầu",
        max_length=64,
        blank=True,
        help_text="Giám đốc, Chủ tịch, Chi cục trưởng, Chánh án…",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="cơ quan cấp trên",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    party_unit = models.ForeignKey(
        PartyUnit,
        verbose_name="tổ chức đảng lãnh đạo",
        on_delete=models.PROTECT,
        related_name="workplaces",
    )
    is_active = models.BooleanField("đang hoạt động", default=True)

    class Meta:
        verbose_name = "cơ quan, đơn vị"
        verbose_name_plural = "cơ quan, đơn vị"
        ordering = ["party_unit__path", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def group(self) -> str:
        return KIND_GROUP[self.kind]

    @property
    def title_name(self) -> str:
        """The name a title is composed with."""
        return self.short_name or self.name

    def clean(self) -> None:
        parent, seen = self.parent, {self.pk}
        while parent is not None:
            if parent.pk in seen:
                raise ValidationError(
                    {"parent": "Cơ quan cấp trên không được là chính nó hoặc cơ quan cấp dưới."}
                )
            seen.add(parent.pk)
            parent = parent.parent
