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
    # What the official documents need (DOCUMENTS.md §2): `name` is the party organisation
    # (Đảng bộ tỉnh An Hòa, Chi bộ Giáo viên); `committee_name` its committee, the issuer of
    # its documents (Tỉnh ủy An Hòa, Đảng ủy xã Yên Tiến), empty for a cell without one, which
    # issues as the cell. The line above the issuer is the parent's `name`, from the tree.
    committee_name = models.CharField(
        "tên cấp ủy",
        max_length=255,
        blank=True,
        help_text="Ví dụ: Tỉnh ủy An Hòa, Đảng ủy xã Yên Tiến, Chi ủy Chi bộ Giáo viên; để trống "
        "nếu chi bộ không có chi ủy (văn bản ban hành với tên chi bộ).",
    )
    issuer_code = models.CharField(
        "ký hiệu cơ quan ban hành",
        max_length=32,
        blank=True,
        help_text="Chữ viết tắt đã đăng ký, in sau số văn bản: TU, ĐU, CB…",
    )
    document_place = models.CharField("địa danh", max_length=128, blank=True)
    signer_title = models.CharField("chức vụ người ký", max_length=128, blank=True)
    signer_name = models.CharField("người ký", max_length=128, blank=True)

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

    @property
    def is_cell(self) -> bool:
        """A chi bộ (a cell under a committee, or a grassroots cell): it issues as the cell."""
        return self.level == Level.CELL or self.name.lower().startswith("chi bộ")

    @property
    def issuer_name(self) -> str:
        """Who signs for the unit (HD 36 §1.2.1): its committee, or the cell itself."""
        own = self.name if self.is_cell else (self.committee_name or self.name)
        return " ".join(own.split())

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


class PostGroup(models.TextChoices):
    """Concurrent posts are written party first, then state, then mass organisations."""

    PARTY = "party", "Đảng"
    STATE = "state", "Chính quyền, cơ quan, đơn vị"
    MASS = "mass", "Mặt trận, đoàn thể"


class Post(models.Model):
    """A post (chức vụ) with the code used by the rules engine (SLATE_FORMAT.md)."""

    code = models.CharField("mã chức vụ", max_length=64, unique=True)
    name = models.CharField("tên chức vụ", max_length=255)
    is_head = models.BooleanField("cấp trưởng", default=False)
    rank = models.PositiveSmallIntegerField("thứ bậc", default=0)
    in_standing = models.BooleanField("thuộc ban thường vụ", default=False)
    group = models.CharField(
        "khối", max_length=8, choices=PostGroup.choices, default=PostGroup.PARTY
    )
    workplace_title = models.CharField(
        "chức danh tại cơ quan",
        max_length=128,
        blank=True,
        help_text="Phần chức danh ghép với tên cơ quan: «Phó Chủ tịch» + «UBND tỉnh An Hòa».",
    )

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
    # The other fields of the résumé form 2C (DOCUMENTS.md §5), in the form's order.
    other_names = models.CharField("tên gọi khác", max_length=128, blank=True)
    birth_place = models.CharField("nơi sinh", max_length=255, blank=True)
    permanent_address = models.CharField("nơi thường trú", max_length=255, blank=True)
    current_address = models.CharField("nơi ở hiện nay", max_length=255, blank=True)
    recruitment_occupation = models.CharField(
        "nghề nghiệp khi được tuyển dụng", max_length=255, blank=True
    )
    recruited_on = models.DateField("ngày tuyển dụng", null=True, blank=True)
    recruiting_body = models.CharField("cơ quan tuyển dụng", max_length=255, blank=True)
    main_duties = models.CharField("công việc chính được giao", max_length=255, blank=True)
    salary_grade = models.CharField("ngạch công chức, viên chức", max_length=128, blank=True)
    salary_step = models.PositiveSmallIntegerField("bậc lương", null=True, blank=True)
    salary_coefficient = models.DecimalField(
        "hệ số lương", max_digits=4, decimal_places=2, null=True, blank=True
    )
    general_education = models.CharField("giáo dục phổ thông", max_length=32, blank=True)
    academic_title = models.CharField("học hàm, học vị", max_length=128, blank=True)
    mass_org_joined = models.CharField(
        "ngày tham gia tổ chức chính trị - xã hội", max_length=255, blank=True
    )
    enlisted_on = models.DateField("ngày nhập ngũ", null=True, blank=True)
    discharged_on = models.DateField("ngày xuất ngũ", null=True, blank=True)
    military_rank = models.CharField("quân hàm cao nhất", max_length=64, blank=True)
    highest_honour = models.CharField(
        "danh hiệu được phong tặng cao nhất", max_length=255, blank=True
    )
    strengths = models.CharField("sở trường công tác", max_length=255, blank=True)
    health = models.CharField("tình trạng sức khỏe", max_length=128, blank=True)
    personal_history = models.TextField("đặc điểm lịch sử bản thân", blank=True)
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
        if self.enlisted_on and self.discharged_on and self.discharged_on < self.enlisted_on:
            errors["discharged_on"] = "Ngày xuất ngũ trước ngày nhập ngũ."
        if self.birth_date and self.recruited_on and self.recruited_on < self.birth_date:
            errors["recruited_on"] = "Ngày tuyển dụng trước ngày sinh."
        if self.salary_coefficient is not None and not 0 < self.salary_coefficient < 20:
            errors["salary_coefficient"] = "Hệ số lương phải lớn hơn 0 và nhỏ hơn 20."
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
    """A period in which a cadre held a post in a unit: in the unit's party body (its
    committee) or, for a state or mass-organisation post, in a workplace the unit leads. The
    rules engine reads the post's code and the unit's; titles are composed from the body
    or the workplace (`personnel.titles`)."""

    scope_path = "cadre__unit"
    objects = TenureQuerySet.as_manager()

    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="tenures")
    post = models.ForeignKey(Post, verbose_name="chức vụ", on_delete=models.PROTECT)
    unit = models.ForeignKey(PartyUnit, verbose_name="đơn vị", on_delete=models.PROTECT)
    workplace = models.ForeignKey(
        "personnel.Workplace",
        verbose_name="cơ quan, đơn vị công tác",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tenures",
    )
    title = models.CharField(
        "chức danh cụ thể",
        max_length=128,
        blank=True,
        help_text="Khi khác chức danh mặc định: «Giám đốc» (Sở), «Chi cục trưởng»…",
    )
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
        errors = {}
        if self.end and self.start and self.end < self.start:
            errors["end"] = "Ngày kết thúc trước ngày bắt đầu."
        if self.workplace_id and self.post_id:
            if self.post.group == PostGroup.PARTY:
                errors["workplace"] = (
                    f"Chức vụ «{self.post.name}» giữ trong cấp ủy, không gắn với cơ quan."
                )
            elif self.unit_id and not self.workplace.party_unit.path.startswith(self.unit.path):
                errors["workplace"] = f"{self.workplace.name} không do {self.unit.name} lãnh đạo."
        if errors:
            raise ValidationError(errors)


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


SPOUSE_SIDE = frozenset({"parent_in_law", "sibling_in_law"})


class FamilyRelation(models.Model):
    """A relation between a cadre and another cadre, or an outside person with their posts.
    The résumé prints two tables: the cadre's own side and the spouse's side (`SPOUSE_SIDE`)."""

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
    kinship = models.CharField(
        "quan hệ ghi trên lý lịch",
        max_length=64,
        blank=True,
        help_text="Cụ thể: Bố đẻ, Mẹ đẻ, Vợ, Con trai, Anh trai, Bố vợ…",
    )
    birth_year = models.PositiveSmallIntegerField("năm sinh", null=True, blank=True)
    hometown = models.CharField("quê quán", max_length=255, blank=True)
    occupation = models.CharField("nghề nghiệp, chức danh, chức vụ", max_length=255, blank=True)
    work_unit = models.CharField("đơn vị công tác, học tập", max_length=255, blank=True)
    residence = models.CharField("nơi ở hiện nay", max_length=255, blank=True)

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
        if self.birth_year is not None and not 1880 <= self.birth_year <= timezone.localdate().year:
            raise ValidationError({"birth_year": "Năm sinh không hợp lệ."})

    @property
    def spouse_side(self) -> bool:
        return self.relation in SPOUSE_SIDE


class Training(models.Model):
    scope_path = "cadre__unit"

    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="trainings")
    kind = models.CharField("loại hình đào tạo", max_length=128)
    institution = models.CharField("cơ sở đào tạo", max_length=255, blank=True)
    major = models.CharField("chuyên ngành đào tạo, bồi dưỡng", max_length=255, blank=True)
    mode = models.CharField("hình thức đào tạo", max_length=64, blank=True)
    start = models.DateField("từ ngày", null=True, blank=True)
    end = models.DateField("đến ngày", null=True, blank=True)
    qualification = models.CharField("văn bằng, chứng chỉ", max_length=255, blank=True)

    class Meta:
        verbose_name = "đào tạo, bồi dưỡng"
        verbose_name_plural = "đào tạo, bồi dưỡng"

    def __str__(self) -> str:
        return f"{self.kind} — {self.institution}"

    def clean(self) -> None:
        if self.end and self.start and self.end < self.start:
            raise ValidationError({"end": "Ngày kết thúc trước ngày bắt đầu."})


class WorkHistory(models.Model):
    """One line of the résumé's work history (tóm tắt quá trình công tác): from month/year
    to month/year, the title and the workplace, as the cadre declared it."""

    scope_path = "cadre__unit"

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="work_history")
    start = models.DateField("từ tháng, năm")
    end = models.DateField("đến tháng, năm", null=True, blank=True)
    description = models.CharField("chức danh, chức vụ, đơn vị công tác", max_length=500)

    class Meta:
        verbose_name = "quá trình công tác"
        verbose_name_plural = "quá trình công tác"
        ordering = ["cadre", "start", "id"]

    def __str__(self) -> str:
        return f"{self.start:%m/%Y}: {self.description}"

    def clean(self) -> None:
        if self.end and self.start and self.end < self.start:
            raise ValidationError({"end": "Ngày kết thúc trước ngày bắt đầu."})
