from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from personnel.inputs import TEXT_MAX, length_check
from personnel.models import Archivable


class BodyKind(models.TextChoices):
    EXECUTIVE = "executive", "Ban chấp hành"
    STANDING = "standing", "Ban thường vụ"
    PEOPLE_COUNCIL = "people_council", "Đơn vị bầu cử HĐND"


class ListState(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    SUBMITTED = "submitted", "Đã trình"
    RETURNED = "returned", "Trả lại"
    APPROVED = "approved", "Đã phê duyệt"
    LOCKED = "locked", "Đã khóa"


class Congress(Archivable):
    """Never deleted: archived by board staff, with its bodies and lists kept."""

    scope_path = "unit"
    policy_kind = "congress"

    unit = models.ForeignKey(
        "personnel.PartyUnit",
        verbose_name="đơn vị",
        on_delete=models.PROTECT,
        related_name="congresses",
    )
    term = models.ForeignKey("personnel.Term", verbose_name="nhiệm kỳ", on_delete=models.PROTECT)
    held_on = models.DateField("ngày đại hội", null=True, blank=True)
    ruleset = models.ForeignKey(
        "personnel.RuleSetVersion", verbose_name="bộ quy tắc", on_delete=models.PROTECT
    )
    title = models.CharField("tên đại hội", max_length=255)
    ordinal = models.PositiveSmallIntegerField(
        "lần thứ", null=True, blank=True, help_text="Đại hội lần thứ mấy của đảng bộ, chi bộ."
    )
    delegates = models.BooleanField(
        "đại hội đại biểu",
        default=True,
        help_text="Bỏ chọn khi là đại hội toàn thể đảng viên (chi bộ, đảng bộ nhỏ).",
    )

    class Meta:
        verbose_name = "đại hội"
        verbose_name_plural = "đại hội"
        ordering = ["unit__path", "term__start"]
        constraints = [models.UniqueConstraint(fields=["unit", "term"], name="uniq_congress_term")]

    def __str__(self) -> str:
        return self.title


class CongressBody(models.Model):
    """A body to elect: the executive committee, the standing committee, or a People's
    Council electoral unit prepared with the same tool."""

    scope_path = "congress__unit"

    congress = models.ForeignKey(Congress, on_delete=models.PROTECT, related_name="bodies")
    kind = models.CharField("loại", max_length=16, choices=BodyKind.choices)
    name = models.CharField("tên", max_length=255, blank=True)
    seats = models.PositiveSmallIntegerField("số lượng bầu")

    class Meta:
        verbose_name = "cơ quan bầu"
        verbose_name_plural = "cơ quan bầu"

    def __str__(self) -> str:
        return self.name or self.get_kind_display()

    def clean(self) -> None:
        if self.seats is not None and self.seats < 1:
            raise ValidationError({"seats": "Số lượng bầu phải từ 1 trở lên."})


class NomineeList(Archivable):
    """The list of people proposed for one body. `revision` is the optimistic lock: every
    save bumps it, and a save against a stale revision is refused. Never deleted: archived
    by board staff, with its nominees, editions, justifications and rounds kept."""

    scope_path = "body__congress__unit"
    policy_kind = "nominee_list"

    body = models.ForeignKey(CongressBody, on_delete=models.PROTECT, related_name="lists")
    state = models.CharField(
        "trạng thái", max_length=16, choices=ListState.choices, default=ListState.DRAFT
    )
    edition = models.PositiveIntegerField("lần lập danh sách", default=1)
    revision = models.PositiveIntegerField("phiên bản chỉnh sửa", default=1)
    state_changed_at = models.DateTimeField(default=timezone.now, db_index=True)
    state_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    remark = models.TextField("ý kiến", blank=True, max_length=TEXT_MAX)

    class Meta:
        verbose_name = "danh sách nhân sự"
        verbose_name_plural = "danh sách nhân sự"
        constraints = [length_check("remark", TEXT_MAX, name="list_remark_length", label="Ý kiến")]

    def __str__(self) -> str:
        return f"Danh sách {self.body} — {self.body.congress}"

    @property
    def unit(self):
        return self.body.congress.unit

    @property
    def is_editable(self) -> bool:
        """Nominees, justifications and rounds change only on a draft or returned list that
        is not archived (nor is its congress)."""
        return self.state in (ListState.DRAFT, ListState.RETURNED) and not self.is_withdrawn

    @property
    def is_withdrawn(self) -> bool:
        """Archived, or its congress is: readable, never changed."""
        return self.is_archived or self.body.congress.is_archived


class Nominee(models.Model):
    scope_path = "nominee_list__body__congress__unit"

    nominee_list = models.ForeignKey(NomineeList, on_delete=models.PROTECT, related_name="nominees")
    cadre = models.ForeignKey(
        "personnel.Cadre", verbose_name="cán bộ", on_delete=models.PROTECT, related_name="+"
    )
    order = models.PositiveIntegerField("thứ tự", default=0)
    proposed_posts = models.JSONField("chức danh dự kiến", default=list, blank=True)
    notes = models.TextField("ghi chú", blank=True, max_length=TEXT_MAX)

    class Meta:
        verbose_name = "người được giới thiệu"
        verbose_name_plural = "người được giới thiệu"
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["nominee_list", "cadre"], name="uniq_nominee"),
            length_check("notes", TEXT_MAX, name="nominee_notes_length", label="Ghi chú"),
        ]

    def __str__(self) -> str:
        return str(self.cadre)


class NomineeListEdition(models.Model):
    """A frozen copy of an approved list: every approved version stays readable."""

    scope_path = "nominee_list__body__congress__unit"

    nominee_list = models.ForeignKey(NomineeList, on_delete=models.PROTECT, related_name="editions")
    edition = models.PositiveIntegerField()
    data = models.JSONField()
    approved_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["edition"]
        constraints = [
            models.UniqueConstraint(fields=["nominee_list", "edition"], name="uniq_list_edition")
        ]


class FindingJustification(models.Model):
    """A recorded justification of an engine finding, written by the list's editors. For
    FAMILY_CONFLICT the exception approved by the committee one level up (its body, decision
    number and date) is recorded on it by board staff of that level
    (`exception_recorded_by`), never typed by the editors; the list cannot be approved
    before."""

    scope_path = "nominee_list__body__congress__unit"

    nominee_list = models.ForeignKey(
        NomineeList, on_delete=models.PROTECT, related_name="justifications"
    )
    code = models.CharField("mã phát hiện", max_length=64)
    people_key = models.CharField("người liên quan", max_length=255, blank=True)
    text = models.TextField("giải trình", max_length=TEXT_MAX)
    approved_by_body = models.CharField("cấp ủy cấp trên phê duyệt", max_length=255, blank=True)
    approval_document = models.CharField("số văn bản phê duyệt", max_length=64, blank=True)
    approval_date = models.DateField("ngày phê duyệt", null=True, blank=True)
    exception_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người ghi nhận ngoại lệ",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    exception_recorded_at = models.DateTimeField("ghi nhận ngoại lệ lúc", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "giải trình"
        verbose_name_plural = "giải trình"
        constraints = [
            length_check("text", TEXT_MAX, name="justification_text_length", label="Giải trình")
        ]

    @property
    def is_exception_approved(self) -> bool:
        return bool(self.approval_document and self.approval_date)


class NominationRound(models.Model):
    """One step of the nomination process (RULES.md §4: five steps), with what its vote-counting
    minutes state (DOCUMENTS.md §5): when and where, the counting board (its head first, none
    of them on the ballot), who was summoned and present, and the ballots."""

    scope_path = "nominee_list__body__congress__unit"

    nominee_list = models.ForeignKey(NomineeList, on_delete=models.PROTECT, related_name="rounds")
    step = models.PositiveSmallIntegerField("bước")
    held_on = models.DateField("ngày")
    summoned = models.PositiveIntegerField("số người được triệu tập")
    present = models.PositiveIntegerField("số người có mặt", null=True, blank=True)
    counting_started = models.TimeField("giờ bắt đầu kiểm phiếu", null=True, blank=True)
    minutes_finished = models.TimeField("giờ lập xong biên bản", null=True, blank=True)
    place = models.CharField("địa điểm", max_length=255, blank=True)
    counting_board = models.JSONField(
        "ban kiểm phiếu", default=list, blank=True, help_text="Họ tên, trưởng ban trước."
    )
    ballots_issued = models.PositiveIntegerField("số phiếu phát ra", null=True, blank=True)
    ballots_received = models.PositiveIntegerField("số phiếu thu vào", null=True, blank=True)
    ballots_valid = models.PositiveIntegerField("số phiếu hợp lệ", null=True, blank=True)
    ballots_invalid = models.PositiveIntegerField("số phiếu không hợp lệ", null=True, blank=True)

    # What the minutes cannot be issued without, in the order the form asks for it.
    MINUTES_FIELDS = (
        "counting_started",
        "minutes_finished",
        "place",
        "counting_board",
        "present",
        "ballots_issued",
        "ballots_received",
        "ballots_valid",
        "ballots_invalid",
    )

    def minutes_gaps(self) -> list[str]:
        """The labels of what the minutes need and the round lacks (empty: complete)."""
        gaps = []
        for name in self.MINUTES_FIELDS:
            value = getattr(self, name)
            if value is None or value == "" or value == []:
                gaps.append(str(self._meta.get_field(name).verbose_name))
        return gaps

    def clean(self) -> None:
        errors = []
        s, p = self.summoned, self.present
        issued, received = self.ballots_issued, self.ballots_received
        valid, invalid = self.ballots_valid, self.ballots_invalid
        if p is not None and s is not None and p > s:
            errors.append(f"Số người có mặt ({p}) lớn hơn số người được triệu tập ({s}).")
        if issued is not None and p is not None and issued > p:
            errors.append(f"Số phiếu phát ra ({issued}) lớn hơn số người có mặt ({p}).")
        if received is not None and issued is not None and received > issued:
            errors.append(f"Số phiếu thu vào ({received}) lớn hơn số phiếu phát ra ({issued}).")
        if None not in (received, valid, invalid) and valid + invalid != received:
            errors.append(
                f"Số phiếu hợp lệ ({valid}) cộng không hợp lệ ({invalid}) phải bằng số phiếu "
                f"thu vào ({received})."
            )
        if self.counting_started and self.minutes_finished:
            if self.minutes_finished < self.counting_started:
                errors.append("Giờ lập xong biên bản trước giờ bắt đầu kiểm phiếu.")
        if errors:
            raise ValidationError(errors)

    class Meta:
        verbose_name = "vòng giới thiệu"
        verbose_name_plural = "vòng giới thiệu"
        ordering = ["step"]
        constraints = [
            models.UniqueConstraint(fields=["nominee_list", "step"], name="uniq_round_step")
        ]


class RoundVote(models.Model):
    round = models.ForeignKey(NominationRound, on_delete=models.PROTECT, related_name="votes")
    cadre = models.ForeignKey("personnel.Cadre", on_delete=models.PROTECT, related_name="+")
    votes = models.PositiveIntegerField("số phiếu")
    is_floor_nomination = models.BooleanField("đề cử tại hội nghị", default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "cadre"], name="uniq_round_vote")]

    def __str__(self) -> str:
        return f"{self.votes} phiếu"
