"""The personnel registry: party units (a tree of any depth), cadres, posts, terms, tenures,
committee membership, ratings, achievements, discipline, family relations, training, and
the role grants that give users a scope in the tree.

Every model that belongs to a unit says how it reaches it in `scope_path` (a lookup path, ""
for the unit itself): `personnel.policy` filters any queryset by the user's reach with it."""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from guardian.models import UserObjectPermissionBase

from personnel.models.archive import Archivable
from personnel.names import normalize_name, search_key, sort_key

CCCD_RE = re.compile(r"^\d{12}$")


def path_ids(path: str) -> list[int]:
    """The unit ids of a materialized path ("/1/7/42/" -> [1, 7, 42]), root first: the one
    reading of a path for a unit and for rows loaded as plain values."""
    return [int(x) for x in path.strip("/").split("/") if x]


class Level(models.TextChoices):
    CENTRAL = "central", "Trung ương"
    PROVINCE = "province", "Tỉnh"
    DISTRICT = "district", "Huyện"
    COMMUNE = "commune", "Xã"
    GRASSROOTS = "grassroots", "Cơ sở"
    CELL = "cell", "Chi bộ"


class Sex(models.TextChoices):
    MALE = "male", "Nam"
    FEMALE = "female", "Nữ"


class PoliticalTheory(models.TextChoices):
    NONE = "", "Chưa có"
    SO_CAP = "so_cap", "Sơ cấp"
    TRUNG_CAP = "trung_cap", "Trung cấp"
    CAO_CAP = "cao_cap", "Cao cấp"
    CU_NHAN = "cu_nhan", "Cử nhân"


class Role(models.TextChoices):
    BOARD_STAFF = "board_staff", "Cán bộ Ban Tổ chức"
    SECRETARY = "secretary", "Bí thư"
    VETTING_OFFICER = "vetting_officer", "Cán bộ bảo vệ chính trị nội bộ"
    VIEWER = "viewer", "Người xem"


class PartyUnit(Archivable):
    """A party organisation. `path` holds the ids from the root ("/1/7/42/"), so a unit and
    everything under it is one indexed prefix query, whatever the depth of the tree.
    Never deleted: archived by the level above (`personnel.models.archive`)."""

    code = models.CharField("mã đơn vị", max_length=32, unique=True)
    name = models.CharField("tên đơn vị", max_length=255)
    level = models.CharField("cấp", max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="đơn vị cấp trên",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField("đường dẫn", max_length=512, blank=True, editable=False)
    depth = models.PositiveSmallIntegerField("độ sâu", default=0, editable=False)
    is_active = models.BooleanField("đang hoạt động", default=True)
    founded_on = models.DateField("ngày thành lập", null=True, blank=True)
    dissolved_on = models.DateField("ngày giải thể", null=True, blank=True)
    predecessors = models.ManyToManyField(
        "self",
        verbose_name="hợp nhất từ",
        symmetrical=False,
        blank=True,
        related_name="successors",
    )
    ethnic_target_percent = models.DecimalField(
        "chỉ tiêu dân tộc thiểu số (%)", max_digits=5, decimal_places=2, null=True, blank=True
    )
    # Per-unit document settings (issuing body, signer) used by the official documents.
    issuing_body = models.CharField("cơ quan ban hành", max_length=255, blank=True)
    superior_body = models.CharField("cơ quan cấp trên", max_length=255, blank=True)
    document_place = models.CharField("địa danh", max_length=128, blank=True)
    signer_title = models.CharField("chức vụ người ký", max_length=128, blank=True)
    signer_name = models.CharField("người ký", max_length=128, blank=True)
    document_code = models.CharField("ký hiệu văn bản", max_length=32, blank=True)

    class Meta:
        verbose_name = "tổ chức đảng"
        verbose_name_plural = "tổ chức đảng"
        ordering = ["path"]
        indexes = [
            models.Index(fields=["path"], name="unit_path_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["level"], name="unit_level_idx"),
        ]
        permissions = [
            ("role_board_staff", "Cán bộ Ban Tổ chức"),
            ("role_secretary", "Bí thư"),
            ("role_vetting_officer", "Cán bộ bảo vệ chính trị nội bộ"),
            ("role_viewer", "Người xem"),
        ]

    scope_path = ""
    policy_kind = "unit"

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def archive_blockers(self) -> list[str]:
        problems = []
        children = PartyUnit.objects.live().filter(parent=self).count()
        if children:
            problems.append(f"còn {children} tổ chức đảng trực thuộc chưa lưu trữ")
        cadres = Cadre.objects.live().filter(unit=self).count()
        if cadres:
            problems.append(f"còn {cadres} cán bộ chưa lưu trữ hoặc chuyển đơn vị")
        return problems

    def clean(self) -> None:
        if self.parent_id and self.pk and self.parent.path.startswith(self.path or "\0"):
            raise ValidationError(
                {"parent": "Đơn vị cấp trên không được là chính nó hoặc đơn vị cấp dưới."}
            )
        if self.dissolved_on and self.founded_on and self.dissolved_on < self.founded_on:
            raise ValidationError({"dissolved_on": "Ngày giải thể trước ngày thành lập."})

    def save(self, *args, **kwargs) -> None:
        old_path = self.path
        super().save(*args, **kwargs)
        new_path = (self.parent.path if self.parent_id else "/") + f"{self.pk}/"
        if new_path != old_path:
            depth = new_path.count("/") - 2
            PartyUnit.objects.filter(pk=self.pk).update(path=new_path, depth=depth)
            self.path, self.depth = new_path, depth
            if old_path:
                # Moving a subtree: rewrite the prefix of every descendant.
                for child in PartyUnit.objects.filter(path__startswith=old_path).exclude(
                    pk=self.pk
                ):
                    child.path = new_path + child.path[len(old_path) :]
                    child.depth = child.path.count("/") - 2
                    PartyUnit.objects.filter(pk=child.pk).update(path=child.path, depth=child.depth)

    def subtree(self) -> models.QuerySet[PartyUnit]:
        return PartyUnit.objects.filter(path__startswith=self.path)

    def ancestor_ids(self, *, include_self: bool = True) -> list[int]:
        """The ids from the root down to this unit, read from the materialized path."""
        ids = path_ids(self.path)
        return ids if include_self else [i for i in ids if i != self.pk]

    def ancestors(self, *, include_self: bool = True) -> models.QuerySet[PartyUnit]:
        return PartyUnit.objects.filter(
            pk__in=self.ancestor_ids(include_self=include_self)
        ).order_by("depth")

    @property
    def formed_from(self) -> int:
        return max(1, self.predecessors.count())


class PartyUnitUserObjectPermission(UserObjectPermissionBase):
    """A role granted to a user on a unit (direct foreign key, no generic relation). The role
    reaches the unit's whole subtree through `PartyUnit.path`: one row per grant."""

    content_object = models.ForeignKey(PartyUnit, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = "phân quyền theo đơn vị"
        verbose_name_plural = "phân quyền theo đơn vị"


class Post(models.Model):
    """A post (chức vụ) with the code used by the rules engine (SLATE_FORMAT.md)."""

    code = models.CharField("mã chức vụ", max_length=64, unique=True)
    name = models.CharField("tên chức vụ", max_length=255)
    is_head = models.BooleanField("cấp trưởng", default=False)
    rank = models.PositiveSmallIntegerField("thứ bậc", default=0)
    in_standing = models.BooleanField("thuộc ban thường vụ", default=False)

    class Meta:
        verbose_name = "chức vụ"
        verbose_name_plural = "chức vụ"
        ordering = ["-rank", "code"]

    def __str__(self) -> str:
        return self.name


class Term(models.Model):
    code = models.CharField("nhiệm kỳ", max_length=16, unique=True)
    start = models.DateField("từ ngày")
    end = models.DateField("đến ngày")

    class Meta:
        verbose_name = "nhiệm kỳ"
        verbose_name_plural = "nhiệm kỳ"
        ordering = ["start"]

    def __str__(self) -> str:
        return self.code


class Cadre(Archivable):
    """A cadre and their dossier. Never deleted: archived by board staff."""

    # Indexes: only those a query uses (see Meta). An index costs every insert: an import of
    # 100,000 people wrote into ten of them, half of which nothing ever read (the
    # `varchar_pattern_ops` twins PostgreSQL gets for `unique` and `db_index` text fields,
    # serving LIKE 'prefix%' only; the search is LIKE '%text%', which no B-tree serves).
    code = models.CharField("mã cán bộ", max_length=32, null=True, blank=True)
    full_name = models.CharField("họ và tên", max_length=128)
    sort_key = models.CharField(max_length=512, editable=False, default="")
    search_name = models.CharField(max_length=128, editable=False, default="")
    birth_date = models.DateField("ngày sinh")
    sex = models.CharField("giới tính", max_length=8, choices=Sex.choices)
    ethnicity = models.CharField("dân tộc", max_length=64, default="Kinh")
    religion = models.CharField("tôn giáo", max_length=64, blank=True)
    citizen_id = models.CharField("số CCCD", max_length=12, null=True, blank=True)
    hometown = models.CharField("quê quán", max_length=255, blank=True)
    is_local = models.BooleanField("người địa phương", default=False)
    party_entry_date = models.DateField("ngày vào Đảng", null=True, blank=True)
    party_confirmed_date = models.DateField("ngày chính thức", null=True, blank=True)
    education = models.CharField("trình độ chuyên môn", max_length=128, blank=True)
    political_theory = models.CharField(
        "lý luận chính trị", max_length=16, choices=PoliticalTheory.choices, blank=True
    )
    state_management = models.CharField("quản lý nhà nước", max_length=128, blank=True)
    foreign_language = models.CharField("ngoại ngữ", max_length=128, blank=True)
    it_skill = models.CharField("tin học", max_length=128, blank=True)
    # The post as a board's file states it ("Bí thư chi bộ thôn Đông"), kept as typed when
    # it names no post of the catalogue; tenures (with their dates) stay the registry's truth.
    post_text = models.CharField(
        "chức vụ hiện nay (như ghi trong hồ sơ)", max_length=255, blank=True
    )
    extended_retirement = models.BooleanField(
        "được kéo dài tuổi nghỉ hưu (Nghị định 83/2022)", default=False
    )
    science_tech = models.BooleanField("cán bộ khoa học, công nghệ", default=False)
    # No index of its own: cadre_unit_sort_idx (unit, sort_key) serves every lookup by unit.
    unit = models.ForeignKey(
        PartyUnit,
        verbose_name="đơn vị",
        on_delete=models.PROTECT,
        related_name="cadres",
        db_index=False,
    )
    is_active = models.BooleanField("đang công tác", default=True)
    created_at = models.DateTimeField("tạo lúc", default=timezone.now, editable=False)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    scope_path = "unit"
    policy_kind = "cadre"

    class Meta:
        verbose_name = "cán bộ"
        verbose_name_plural = "cán bộ"
        ordering = ["sort_key"]
        indexes = [
            models.Index(fields=["unit", "sort_key"], name="cadre_unit_sort_idx"),
            models.Index(fields=["sort_key"], name="cadre_sort_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="cadre_code_unique"),
            models.UniqueConstraint(fields=["citizen_id"], name="cadre_citizen_id_unique"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def clean(self) -> None:
        errors = {}
        if self.citizen_id and not CCCD_RE.match(self.citizen_id):
            errors["citizen_id"] = "Số CCCD phải gồm đúng 12 chữ số."
        today = timezone.localdate()
        if self.birth_date and self.birth_date > today:
            errors["birth_date"] = "Ngày sinh ở tương lai."
        if self.birth_date and self.party_entry_date:
            if self.party_entry_date < add_years(self.birth_date, 18):
                errors["party_entry_date"] = "Ngày vào Đảng trước khi đủ 18 tuổi."
        if self.party_entry_date and self.party_confirmed_date:
            if self.party_confirmed_date < self.party_entry_date:
                errors["party_confirmed_date"] = "Ngày chính thức trước ngày vào Đảng."
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        self.fill_keys()
        super().save(*args, **kwargs)

    def fill_keys(self) -> None:
        self.full_name = normalize_name(self.full_name)
        self.sort_key = sort_key(self.full_name)
        self.search_name = search_key(self.full_name)
        self.citizen_id = self.citizen_id or None
        self.code = self.code or None
        self.ethnicity = normalize_name(self.ethnicity) or "Kinh"


def add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, month=3, day=1)


class TenureQuerySet(models.QuerySet):
    def current(self, on: date | None = None) -> TenureQuerySet:
        """Tenures held on `on` (today by default): begun by then and not ended before it.
        The one definition of "the posts someone holds now" for the engine, planning,
        documents and pages."""
        on = on or timezone.localdate()
        return self.filter(models.Q(end__isnull=True) | models.Q(end__gte=on), start__lte=on)


class Tenure(models.Model):
    """A period in which a cadre held a post in a unit."""

    scope_path = "cadre__unit"
    objects = TenureQuerySet.as_manager()

    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="tenures")
    post = models.ForeignKey(Post, verbose_name="chức vụ", on_delete=models.PROTECT)
    unit = models.ForeignKey(PartyUnit, verbose_name="đơn vị", on_delete=models.PROTECT)
    start = models.DateField("từ ngày")
    end = models.DateField("đến ngày", null=True, blank=True)

    class Meta:
        verbose_name = "quá trình giữ chức vụ"
        verbose_name_plural = "quá trình giữ chức vụ"
        ordering = ["cadre", "start"]
        indexes = [models.Index(fields=["unit", "post"], name="tenure_unit_post_idx")]

    def __str__(self) -> str:
        return f"{self.cadre} — {self.post} ({self.start:%d/%m/%Y})"

    def clean(self) -> None:
        if self.end and self.start and self.end < self.start:
            raise ValidationError({"end": "Ngày kết thúc trước ngày bắt đầu."})


class Body(models.TextChoices):
    EXECUTIVE = "executive", "Ban chấp hành"
    STANDING = "standing", "Ban thường vụ"


class CommitteeMembership(models.Model):
    """Who sat in which body (executive / standing) of which unit in which term."""

    scope_path = "unit"

    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="memberships")
    unit = models.ForeignKey(
        PartyUnit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="memberships"
    )
    term = models.ForeignKey(Term, verbose_name="nhiệm kỳ", on_delete=models.PROTECT)
    body = models.CharField("cơ quan", max_length=16, choices=Body.choices)

    class Meta:
        verbose_name = "thành viên cấp ủy"
        verbose_name_plural = "thành viên cấp ủy"
        constraints = [
            models.UniqueConstraint(
                fields=["cadre", "unit", "term", "body"], name="uniq_membership"
            )
        ]
        indexes = [models.Index(fields=["unit", "term", "body"], name="membership_body_idx")]

    def __str__(self) -> str:
        return f"{self.cadre} — {self.get_body_display()} {self.unit.code} {self.term}"


class RatingLevel(models.TextChoices):
    EXCELLENT = "excellent", "Hoàn thành xuất sắc nhiệm vụ"
    GOOD = "good", "Hoàn thành tốt nhiệm vụ"
    DONE = "done", "Hoàn thành nhiệm vụ"
    NOT_DONE = "not_done", "Không hoàn thành nhiệm vụ"


class Rating(models.Model):
    """Yearly quality rating; from 2025 on a 100-point scale (Quy định 366-QĐ/TW)."""

    scope_path = "cadre__unit"

    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="ratings")
    year = models.PositiveSmallIntegerField("năm")
    level = models.CharField("xếp loại", max_length=16, choices=RatingLevel.choices)
    points = models.PositiveSmallIntegerField("điểm", null=True, blank=True)

    class Meta:
        verbose_name = "xếp loại chất lượng"
        verbose_name_plural = "xếp loại chất lượng"
        ordering = ["cadre", "-year"]
        constraints = [models.UniqueConstraint(fields=["cadre", "year"], name="uniq_rating_year")]

    def __str__(self) -> str:
        return f"{self.year}: {self.get_level_display()}"

    def clean(self) -> None:
        if self.points is not None and self.points > 100:
            raise ValidationError({"points": "Điểm tối đa là 100."})


class Achievement(models.Model):
    scope_path = "cadre__unit"

    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="achievements")
    year = models.PositiveSmallIntegerField("năm")
    title = models.CharField("hình thức khen thưởng", max_length=255)
    decision = models.CharField("số quyết định", max_length=64, blank=True)

    class Meta:
        verbose_name = "khen thưởng"
        verbose_name_plural = "khen thưởng"
        ordering = ["cadre", "-year"]

    def __str__(self) -> str:
        return f"{self.year}: {self.title}"


class DisciplineLevel(models.TextChoices):
    REPRIMAND = "reprimand", "Khiển trách"
    WARNING = "warning", "Cảnh cáo"
    DISMISSAL = "dismissal", "Cách chức"
    EXPULSION = "expulsion", "Khai trừ"


class Discipline(models.Model):
    scope_path = "cadre__unit"

    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="disciplines")
    decided_on = models.DateField("ngày quyết định")
    level = models.CharField("hình thức kỷ luật", max_length=16, choices=DisciplineLevel.choices)
    reason = models.TextField("lý do", blank=True)
    decision = models.CharField("số quyết định", max_length=64, blank=True)

    class Meta:
        verbose_name = "kỷ luật"
        verbose_name_plural = "kỷ luật"
        ordering = ["cadre", "-decided_on"]

    def __str__(self) -> str:
        return f"{self.get_level_display()} ({self.decided_on:%d/%m/%Y})"


class Relation(models.TextChoices):
    SPOUSE = "spouse", "Vợ/chồng"
    PARENT = "parent", "Bố/mẹ"
    PARENT_IN_LAW = "parent_in_law", "Bố/mẹ vợ (chồng)"
    CHILD = "child", "Con"
    CHILD_IN_LAW = "child_in_law", "Con dâu/con rể"
    SIBLING = "sibling", "Anh/chị/em ruột"
    SIBLING_IN_LAW = "sibling_in_law", "Anh/chị/em vợ (chồng)"


class FamilyRelation(models.Model):
    """A relation between a cadre and another cadre, or an outside person with their posts."""

    scope_path = "cadre__unit"

    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="relations")
    relation = models.CharField("quan hệ", max_length=16, choices=Relation.choices)
    relative = models.ForeignKey(
        Cadre,
        verbose_name="người thân (cán bộ)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="relations_as_relative",
    )
    relative_name = models.CharField("họ tên người thân", max_length=128, blank=True)
    relative_posts = models.JSONField("chức vụ của người thân", default=list, blank=True)

    class Meta:
        verbose_name = "quan hệ gia đình"
        verbose_name_plural = "quan hệ gia đình"

    def __str__(self) -> str:
        other = self.relative.full_name if self.relative_id else self.relative_name
        return f"{self.cadre} — {self.get_relation_display()}: {other}"

    def clean(self) -> None:
        if not self.relative_id and not self.relative_name:
            raise ValidationError("Cần chọn cán bộ là người thân hoặc nhập họ tên người thân.")
        if self.relative_id and self.relative_id == self.cadre_id:
            raise ValidationError({"relative": "Người thân không thể là chính cán bộ."})


class Training(models.Model):
    scope_path = "cadre__unit"

    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="trainings")
    kind = models.CharField("loại hình đào tạo", max_length=128)
    institution = models.CharField("cơ sở đào tạo", max_length=255, blank=True)
    start = models.DateField("từ ngày", null=True, blank=True)
    end = models.DateField("đến ngày", null=True, blank=True)
    qualification = models.CharField("văn bằng, chứng chỉ", max_length=255, blank=True)

    class Meta:
        verbose_name = "đào tạo, bồi dưỡng"
        verbose_name_plural = "đào tạo, bồi dưỡng"

    def __str__(self) -> str:
        return f"{self.kind} — {self.institution}"
