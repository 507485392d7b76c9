"""Nominee lists: the workflow from the secretary's draft to the board's approval.

Every write is a service here: keyword-only, in one transaction, re-checking the user's
right inside it, bumping the list's revision (optimistic lock) and writing its audit row.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from congress.engine import evaluate_body, load_candidates, unit_overrides
from congress.models import (
    FindingJustification,
    ListState,
    NominationRound,
    Nominee,
    NomineeList,
    NomineeListEdition,
    RoundVote,
)
from congress.rules.labels import finding_title
from congress.rules.people import people_key, person_key
from congress.rules.rulesets import PRESETS, ruleset_from_dict
from personnel import policy
from personnel.models import AuditLog, Cadre, CommitteeMembership, Term
from personnel.policy import Kind
from personnel.services import registry_changed
from personnel.services.audit import audit, audit_bulk
from personnel.services.notifications import (
    board_staff_above,
    notify,
    secretaries_above,
    secretaries_of,
)

# Findings that no justification can lift (RULES.md §7: no nomination before a conclusion).
UNJUSTIFIABLE = frozenset({"VETTING_MISSING", "VETTING_INELIGIBLE"})
# Findings whose justification needs the approval of the committee one level up (§6).
NEEDS_EXCEPTION = frozenset({"FAMILY_CONFLICT"})
MAX_STEPS = 5


class StaleListError(Exception):
    """The list changed since the user loaded it; `changes` says what changed."""

    def __init__(self, nominee_list: NomineeList, changes: list[AuditLog]):
        self.nominee_list = nominee_list
        self.changes = changes
        super().__init__(
            "Danh sách đã được người khác thay đổi trong lúc bạn đang sửa. "
            "Vui lòng xem các thay đổi dưới đây và thực hiện lại."
        )


# --- evaluation -------------------------------------------------------------------------


def outgoing_term(term: Term) -> Term | None:
    return Term.objects.filter(start__lt=term.start).order_by("-start").first()


def evaluate_list(nominee_list: NomineeList) -> dict[str, Any]:
    """The engine's verdict on a list, with each finding's justification attached."""
    body = nominee_list.body
    congress = body.congress
    nominees = list(nominee_list.nominees.select_related("cadre").order_by("order", "id"))
    ruleset = ruleset_from_dict(congress.ruleset.data)
    people = load_candidates(
        Cadre.objects.filter(pk__in=[n.cadre_id for n in nominees]),
        ref_year=(congress.held_on or timezone.localdate()).year,
        term_id=congress.term_id,
    )
    candidates = []
    for n in nominees:
        doc = dict(people[n.cadre_id])
        doc["proposed_posts"] = list(n.proposed_posts or [])
        candidates.append(doc)
    incumbents: list[str] = []
    prev = outgoing_term(congress.term)
    if prev and body.kind in ("executive", "standing"):
        incumbents = [
            person_key(cid)
            for cid in CommitteeMembership.objects.filter(
                unit=congress.unit, term=prev, body=body.kind
            ).values_list("cadre_id", flat=True)
        ]
    if not candidates:
        return {
            "empty": True,
            "findings": [],
            "ratios": {},
            "people": [],
            "seats": body.seats,
            "candidate_count": 0,
            "surplus": {"count": -body.seats, "percent": -100.0},
            "reference_date": "",
        }
    ref = None
    ref_key = "people_council" if body.kind == "people_council" else congress.unit.level
    if not ruleset.reference_dates.get(ref_key) and congress.held_on:
        ref = congress.held_on.replace(day=1)
    result = evaluate_body(
        ruleset=ruleset,
        level=congress.unit.level,
        kind=body.kind,
        seats=body.seats,
        unit_code=congress.unit.code,
        candidates=candidates,
        incumbents=incumbents,
        formed_from=congress.unit.formed_from,
        reference_date=ref,
        overrides=unit_overrides(congress.unit.ethnic_target_percent),
    )
    names = {person_key(n.cadre_id): n.cadre.full_name for n in nominees}
    justifications = {
        (j.code, j.people_key): j for j in nominee_list.justifications.order_by("created_at")
    }
    for f in result["findings"]:
        key = people_key(f["people"])
        f["people_key"] = key
        f["names"] = [names.get(p, p) for p in f["people"]]
        j = justifications.get((f["code"], key))
        f["justification"] = j
        f["blocking"] = _blocking(f, j)
    result["empty"] = False
    result["names"] = names
    return result


def _blocking(finding: dict[str, Any], j: FindingJustification | None) -> bool:
    if finding["severity"] != "error":
        return False
    if finding["code"] in UNJUSTIFIABLE:
        return True
    if j is None:
        return True
    if finding["code"] in NEEDS_EXCEPTION:
        return not j.is_exception_approved
    return False


# --- helpers ----------------------------------------------------------------------------


def _lock(nominee_list: NomineeList, expected_revision: int | None) -> NomineeList:
    """Bump the revision if it is still the one the user saw; otherwise explain."""
    if expected_revision is None:
        NomineeList.objects.filter(pk=nominee_list.pk).update(revision=F("revision") + 1)
    else:
        updated = NomineeList.objects.filter(pk=nominee_list.pk, revision=expected_revision).update(
            revision=F("revision") + 1
        )
        if not updated:
            changes = list(
                AuditLog.objects.filter(
                    object_type="congress.nomineelist",
                    object_id=str(nominee_list.pk),
                    after__revision__gt=expected_revision,
                ).order_by("at", "id")
            )
            raise StaleListError(nominee_list, changes)
    nominee_list.refresh_from_db()
    return nominee_list


def _require(user, nominee_list: NomineeList, action: str) -> None:
    policy.require(user, Kind.NOMINEE_LIST, action, nominee_list)


def _require_live(nominee_list: NomineeList) -> None:
    if nominee_list.is_withdrawn:
        raise ValidationError(
            "Danh sách (hoặc đại hội của danh sách) đã được lưu trữ: chỉ xem, không sửa được."
        )


def _require_editable(nominee_list: NomineeList) -> None:
    _require_live(nominee_list)
    if not nominee_list.is_editable:
        raise ValidationError(
            f"Danh sách đang ở trạng thái “{nominee_list.get_state_display()}”: "
            "chỉ sửa được danh sách dự thảo hoặc bị trả lại."
        )


def _log(user, nominee_list: NomineeList, action: str, before=None, after=None, note="") -> None:
    after = dict(after or {})
    after["revision"] = nominee_list.revision
    audit(
        actor=user,
        action=action,
        obj=nominee_list,
        before=before,
        after=after,
        unit=nominee_list.body.congress.unit,
        note=note,
    )


def _changed(nominee_list: NomineeList) -> None:
    registry_changed([nominee_list.body.congress.unit_id])


# --- nominees ---------------------------------------------------------------------------


@transaction.atomic
def nominee_add(
    *,
    nominee_list: NomineeList,
    cadre: Cadre,
    user,
    proposed_posts: list[str] | None = None,
    notes: str = "",
    expected_revision: int | None = None,
) -> Nominee:
    _require(user, nominee_list, "edit")
    _require_editable(nominee_list)
    unit = nominee_list.body.congress.unit
    if not policy.allows(user, Kind.CADRE, "view", cadre.unit):
        raise PermissionDenied("Cán bộ không thuộc phạm vi của bạn.")
    if not cadre.unit.path.startswith(unit.path) and not policy.allows(
        user, Kind.CADRE, "nominate", cadre.unit
    ):
        raise PermissionDenied(
            "Chỉ cán bộ Ban Tổ chức được giới thiệu người ngoài đơn vị vào danh sách."
        )
    if cadre.is_archived:
        raise ValidationError(f"Hồ sơ của {cadre.full_name} đã được lưu trữ: không thể thêm.")
    if nominee_list.nominees.filter(cadre=cadre).exists():
        raise ValidationError(f"{cadre.full_name} đã có trong danh sách.")
    _lock(nominee_list, expected_revision)
    order = (
        nominee_list.nominees.order_by("-order").values_list("order", flat=True).first() or 0
    ) + 1
    nominee = Nominee(
        nominee_list=nominee_list,
        cadre=cadre,
        order=order,
        proposed_posts=proposed_posts or ["member"],
        notes=notes,
    )
    nominee.full_clean()
    nominee.save()
    _log(
        user,
        nominee_list,
        "nominee.add",
        after={"cadre": cadre.pk, "name": cadre.full_name, "posts": nominee.proposed_posts},
    )
    _changed(nominee_list)
    return nominee


@transaction.atomic
def nominee_add_many(
    *,
    nominee_list: NomineeList,
    user,
    people: list[tuple[Cadre, list[str]]],
    expected_revision: int | None = None,
) -> list[Nominee]:
    """Add several people at once, each with their proposed posts: all or none. The
    revision the user saw is checked once, before the first; an audit row per person."""
    if not people:
        raise ValidationError("Chưa chọn người nào để thêm.")
    added = []
    for i, (cadre, posts) in enumerate(people):
        added.append(
            nominee_add(
                nominee_list=nominee_list,
                cadre=cadre,
                user=user,
                proposed_posts=posts,
                expected_revision=expected_revision if i == 0 else None,
            )
        )
    return added


@transaction.atomic
def nominee_add_outgoing(
    *, nominee_list: NomineeList, user, expected_revision: int | None = None
) -> list[Nominee]:
    """Propose every member of the outgoing body who is not on the list yet (re-election
    candidates) and whose record the user sees (the write reaches no further than the
    read), in one bulk insert with one audit row per person added."""
    _require(user, nominee_list, "edit")
    _require_editable(nominee_list)
    body = nominee_list.body
    prev = outgoing_term(body.congress.term)
    if prev is None or body.kind not in ("executive", "standing"):
        raise ValidationError("Cơ quan này không có cấp ủy khóa trước để đưa vào danh sách.")
    present = set(nominee_list.nominees.values_list("cadre_id", flat=True))
    members = list(
        policy.scoped(user, Kind.CADRE, "view", Cadre.objects.live())
        .filter(
            memberships__unit=body.congress.unit,
            memberships__term=prev,
            memberships__body=body.kind,
            is_active=True,
        )
        .exclude(pk__in=present)
        .order_by("sort_key")
    )
    if not members:
        return []
    _lock(nominee_list, expected_revision)
    start = nominee_list.nominees.order_by("-order").values_list("order", flat=True).first() or 0
    added = Nominee.objects.bulk_create(
        [
            Nominee(nominee_list=nominee_list, cadre=c, order=start + i, proposed_posts=["member"])
            for i, c in enumerate(members, start=1)
        ]
    )
    audit_bulk(
        actor=user,
        action="nominee.add",
        unit=body.congress.unit,
        rows=[
            (
                nominee_list,
                None,
                {"cadre": c.pk, "name": c.full_name, "posts": ["member"], "bulk": True,
                 "revision": nominee_list.revision},
            )
            for c in members
        ],
    )  # fmt: skip
    _changed(nominee_list)
    return added


@transaction.atomic
def nominee_update(
    *,
    nominee: Nominee,
    user,
    proposed_posts: list[str],
    notes: str,
    expected_revision: int | None = None,
) -> Nominee:
    nominee_list = nominee.nominee_list
    _require(user, nominee_list, "edit")
    _require_editable(nominee_list)
    _lock(nominee_list, expected_revision)
    before = {"posts": nominee.proposed_posts, "notes": nominee.notes}
    nominee.proposed_posts = proposed_posts or ["member"]
    nominee.notes = notes
    nominee.full_clean()
    nominee.save()
    _log(
        user,
        nominee_list,
        "nominee.update",
        before={**before, "name": nominee.cadre.full_name},
        after={"posts": nominee.proposed_posts, "notes": notes, "name": nominee.cadre.full_name},
    )
    _changed(nominee_list)
    return nominee


@transaction.atomic
def nominee_remove(*, nominee: Nominee, user, expected_revision: int | None = None) -> None:
    nominee_list = nominee.nominee_list
    _require(user, nominee_list, "edit")
    _require_editable(nominee_list)
    _lock(nominee_list, expected_revision)
    before = {"cadre": nominee.cadre_id, "name": nominee.cadre.full_name}
    nominee.delete()
    _log(user, nominee_list, "nominee.remove", before=before)
    _changed(nominee_list)


@transaction.atomic
def nominee_move(
    *, nominee: Nominee, user, direction: int, expected_revision: int | None = None
) -> None:
    """Swap a nominee with its neighbour above (-1) or below (+1)."""
    nominee_list = nominee.nominee_list
    _require(user, nominee_list, "edit")
    _require_editable(nominee_list)
    ordered = list(nominee_list.nominees.order_by("order", "id"))
    index = next(i for i, n in enumerate(ordered) if n.pk == nominee.pk)
    other = index + (1 if direction > 0 else -1)
    if not 0 <= other < len(ordered):
        return
    _lock(nominee_list, expected_revision)
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for i, n in enumerate(ordered, start=1):
        n.order = i
    Nominee.objects.bulk_update(ordered, ["order"])
    _log(
        user,
        nominee_list,
        "nominee.reorder",
        after={"order": [n.cadre.full_name for n in ordered]},
    )


# --- justifications ---------------------------------------------------------------------


def _finding(nominee_list: NomineeList, code: str, people_key: str) -> dict[str, Any]:
    """The finding the engine produces for this list now with this code and these people:
    a justification or an exception answers a real finding, never a code typed at will."""
    for f in evaluate_list(nominee_list)["findings"]:
        if f["code"] == code and f["people_key"] == people_key:
            return f
    raise ValidationError(
        f"Danh sách hiện không có phát hiện “{code}” cho những người đã chọn: chỉ giải trình "
        "được các phát hiện của lần kiểm tra mới nhất."
    )


@transaction.atomic
def justification_record(
    *,
    nominee_list: NomineeList,
    user,
    code: str,
    people_key: str,
    text: str,
) -> FindingJustification:
    """The editors' justification of one finding of a draft or returned list. A
    family-relation exception is not theirs to record (`family_exception_record`)."""
    _require(user, nominee_list, "edit")
    nominee_list = NomineeList.objects.select_for_update().get(pk=nominee_list.pk)
    _require_editable(nominee_list)
    if code in UNJUSTIFIABLE:
        raise ValidationError(
            "Không thể giải trình thay cho kết luận tiêu chuẩn chính trị: "
            "cần có kết luận “đủ tiêu chuẩn” của cấp có thẩm quyền (Quy định 58-QĐ/TW)."
        )
    if not text.strip():
        raise ValidationError({"text": "Cần nhập nội dung giải trình."})
    _finding(nominee_list, code, people_key)
    j = FindingJustification(
        nominee_list=nominee_list,
        code=code,
        people_key=people_key,
        text=text.strip(),
        created_by=user if getattr(user, "pk", None) else None,
    )
    j.full_clean()
    j.save()
    _lock(nominee_list, None)
    _log(
        user,
        nominee_list,
        "justification.add",
        after={"code": code, "people": people_key, "text": j.text},
    )
    return j


# States in which the level above may record an exception: while the unit prepares the list
# and while the level above reviews it; never once approved.
EXCEPTION_STATES = frozenset({ListState.DRAFT, ListState.RETURNED, ListState.SUBMITTED})


@transaction.atomic
def family_exception_record(
    *,
    nominee_list: NomineeList,
    user,
    code: str,
    people_key: str,
    approved_by_body: str,
    approval_document: str,
    approval_date: date | None,
) -> FindingJustification:
    """Record that the committee one level up approved a family-relation exception (its
    body, document number and date) on the unit's justification of that finding. Only board
    staff of a level above the list's unit (policy: `approve_exception`, reach BELOW)."""
    _require(user, nominee_list, "approve_exception")
    nominee_list = NomineeList.objects.select_for_update().get(pk=nominee_list.pk)
    _require_live(nominee_list)
    if nominee_list.state not in EXCEPTION_STATES:
        raise ValidationError(
            f"Danh sách đang ở trạng thái “{nominee_list.get_state_display()}”: không ghi "
            "nhận thêm ngoại lệ."
        )
    if code not in NEEDS_EXCEPTION:
        raise ValidationError(f"Phát hiện “{code}” không thuộc loại cần cấp trên cho ngoại lệ.")
    _finding(nominee_list, code, people_key)
    approved_by_body = (approved_by_body or "").strip()
    approval_document = (approval_document or "").strip()
    errors: dict[str, str] = {}
    if not approved_by_body:
        errors["approved_by_body"] = "Cần ghi cấp ủy cấp trên phê duyệt ngoại lệ."
    if not approval_document:
        errors["approval_document"] = "Cần ghi số văn bản phê duyệt."
    if approval_date is None:
        errors["approval_date"] = "Cần ghi ngày văn bản phê duyệt (dd/mm/yyyy)."
    elif approval_date > timezone.localdate():
        errors["approval_date"] = "Ngày văn bản phê duyệt ở tương lai."
    if errors:
        raise ValidationError(errors)
    j = (
        nominee_list.justifications.select_for_update()
        .filter(code=code, people_key=people_key)
        .order_by("-created_at", "-pk")
        .first()
    )
    if j is None:
        raise ValidationError(
            "Đơn vị chưa giải trình phát hiện này: ngoại lệ được ghi nhận trên giải trình của "
            "đơn vị."
        )
    before = {
        "approved_by_body": j.approved_by_body,
        "approval_document": j.approval_document,
        "approval_date": j.approval_date.isoformat() if j.approval_date else None,
    }
    j.approved_by_body = approved_by_body
    j.approval_document = approval_document
    j.approval_date = approval_date
    j.exception_recorded_by = user if getattr(user, "pk", None) else None
    j.exception_recorded_at = timezone.now()
    j.full_clean()
    j.save()
    _lock(nominee_list, None)
    _log(
        user,
        nominee_list,
        "justification.exception",
        before={"code": code, "people": people_key, **before},
        after={
            "code": code,
            "people": people_key,
            "approved_by_body": approved_by_body,
            "approval_document": approval_document,
            "approval_date": approval_date.isoformat(),
        },
    )
    return j


# --- state machine ----------------------------------------------------------------------

TRANSITIONS = {
    "submit": ({ListState.DRAFT, ListState.RETURNED}, ListState.SUBMITTED, "submit"),
    "return": ({ListState.SUBMITTED}, ListState.RETURNED, "review"),
    "approve": ({ListState.SUBMITTED}, ListState.APPROVED, "review"),
    "lock": ({ListState.APPROVED}, ListState.LOCKED, "review"),
    "reopen": ({ListState.APPROVED}, ListState.DRAFT, "review"),
}


def _transition(nominee_list: NomineeList, user, name: str, remark: str = "") -> NomineeList:
    sources, target, action = TRANSITIONS[name]
    _require(user, nominee_list, action)
    # Re-read under a row lock: two reviewers acting at once cannot both move the list.
    current = NomineeList.objects.select_for_update().get(pk=nominee_list.pk)
    _require_live(current)
    if current.state not in sources:
        raise ValidationError(
            f"Không thể chuyển danh sách từ trạng thái “{current.get_state_display()}” "
            f"sang “{ListState(target).label}”."
        )
    before = {"state": current.state}
    current.state = target
    current.state_changed_at = timezone.now()
    current.state_changed_by = user
    if remark:
        current.remark = remark
    current.revision = current.revision + 1
    current.save()
    nominee_list.__dict__.update(current.__dict__)
    _log(user, current, f"list.{name}", before=before, after={"state": target}, note=remark)
    return current


@transaction.atomic
def nominee_list_submit(*, nominee_list: NomineeList, user) -> NomineeList:
    if not nominee_list.nominees.exists():
        raise ValidationError("Danh sách chưa có người nào: không thể trình.")
    result = _transition(nominee_list, user, "submit")
    _notify_reviewers(result, f"{result.body.congress.unit.name} đã trình danh sách {result.body}.")
    return result


@transaction.atomic
def nominee_list_return(*, nominee_list: NomineeList, user, remark: str) -> NomineeList:
    if not remark.strip():
        raise ValidationError({"remark": "Cần ghi ý kiến khi trả lại danh sách."})
    result = _transition(nominee_list, user, "return", remark=remark.strip())
    _notify_editors(result, f"Danh sách {result.body} bị trả lại: {remark.strip()}")
    return result


@transaction.atomic
def nominee_list_approve(*, nominee_list: NomineeList, user) -> NomineeList:
    _require(user, nominee_list, "review")
    evaluation = evaluate_list(nominee_list)
    blocking = [f for f in evaluation["findings"] if f["blocking"]]
    if blocking:
        lines = "; ".join(
            f"{finding_title(f['code'])} ({', '.join(f['names']) or 'cả danh sách'})"
            for f in blocking
        )
        raise ValidationError(
            f"Chưa thể phê duyệt: còn {len(blocking)} lỗi chưa được giải trình hoặc chưa có "
            f"ngoại lệ được cấp trên phê duyệt: {lines}."
        )
    result = _transition(nominee_list, user, "approve")
    NomineeListEdition.objects.create(
        nominee_list=result,
        edition=result.edition,
        approved_by=user,
        data={
            "nominees": [
                {
                    "cadre": n.cadre_id,
                    "name": n.cadre.full_name,
                    "posts": n.proposed_posts,
                    "order": n.order,
                    "notes": n.notes,
                }
                for n in result.nominees.select_related("cadre").order_by("order", "id")
            ],
            "findings": [
                {k: f[k] for k in ("code", "severity", "people")} for f in evaluation["findings"]
            ],
        },
    )
    _notify_editors(result, f"Danh sách {result.body} đã được phê duyệt.")
    return result


@transaction.atomic
def nominee_list_lock(*, nominee_list: NomineeList, user) -> NomineeList:
    return _transition(nominee_list, user, "lock")


@transaction.atomic
def nominee_list_reopen(*, nominee_list: NomineeList, user, remark: str = "") -> NomineeList:
    """An approved list is frozen; changing it starts a new edition, the old one stays."""
    result = _transition(nominee_list, user, "reopen", remark=remark)
    NomineeList.objects.filter(pk=result.pk).update(edition=F("edition") + 1)
    result.refresh_from_db()
    return result


# --- nomination rounds ------------------------------------------------------------------


def vote_passes(votes: int, summoned: int, floor: bool, ruleset_data: dict) -> bool:
    """More than the rule set's percentage of those summoned (a floor nomination has its
    own, lower bar), compared exactly in integers."""
    name = "floor_nomination_min_percent" if floor else "nomination_min_percent"
    params = ruleset_data.get("params", {})
    pct = params.get(name)
    if pct is None:  # a copy stored before the parameter existed: take the preset's value
        preset = PRESETS.get(ruleset_data.get("code", ""), PRESETS["CT45-2025"])
        pct = preset.params[name]
    return votes * 100 > pct * summoned


# The fields of a round's vote-counting minutes (DOCUMENTS.md §5), beyond step, date and the
# number summoned.
MINUTES_FIELDS = NominationRound.MINUTES_FIELDS


def _minutes_errors(rnd: NominationRound, votes: dict[int, tuple[int, bool]]) -> list[str]:
    """What is inconsistent in a round's minutes: the counts among themselves, a vote above
    the valid ballots, a member of the counting board on the ballot."""
    errors: list[str] = []
    try:
        rnd.clean()
    except ValidationError as exc:
        errors.extend(exc.messages)
    board = [" ".join(str(m).split()) for m in rnd.counting_board or [] if str(m).strip()]
    rnd.counting_board = board
    names = dict(Cadre.objects.filter(pk__in=votes.keys()).values_list("pk", "full_name"))
    names.update(
        rnd.nominee_list.nominees.values_list("cadre_id", "cadre__full_name")
        if rnd.nominee_list_id
        else []
    )
    on_ballot = {n.casefold() for n in names.values()}
    for member in board:
        if member.casefold() in on_ballot:
            errors.append(
                f"{member} có tên trong danh sách giới thiệu: không được là thành viên Ban kiểm phiếu."
            )
    if rnd.ballots_valid is not None:
        for cadre_id, (count, _floor) in votes.items():
            if count is not None and count > rnd.ballots_valid:
                who = names.get(cadre_id, f"#{cadre_id}")
                errors.append(
                    f"{who}: số phiếu ({count}) lớn hơn số phiếu hợp lệ ({rnd.ballots_valid})."
                )
    return errors


@transaction.atomic
def nomination_round_record(
    *,
    nominee_list: NomineeList,
    user,
    step: int,
    held_on: date,
    summoned: int,
    votes: dict[int, tuple[int, bool]],
    minutes: dict[str, Any] | None = None,
) -> NominationRound:
    """Record one step of the nomination with each person's votes, all or nothing; only on
    a draft or returned list, and only for people on it. With `minutes`, what its
    vote-counting minutes state (time, place, counting board, present, ballots)."""
    _require(user, nominee_list, "edit")
    nominee_list = NomineeList.objects.select_for_update().get(pk=nominee_list.pk)
    _require_editable(nominee_list)
    errors: list[str] = []
    if not 1 <= step <= MAX_STEPS:
        errors.append(f"Bước {step} không hợp lệ: quy trình có {MAX_STEPS} bước.")
    if summoned is None or summoned < 1:
        errors.append("Số người được triệu tập phải lớn hơn 0.")
    previous = nominee_list.rounds.filter(step=step - 1).first() if step > 1 else None
    if step > 1 and previous is None:
        errors.append(f"Chưa có kết quả bước {step - 1}: phải ghi các bước theo thứ tự.")
    if previous and held_on < previous.held_on:
        errors.append(
            f"Ngày của bước {step} ({held_on:%d/%m/%Y}) trước ngày của bước {step - 1} "
            f"({previous.held_on:%d/%m/%Y})."
        )
    if nominee_list.rounds.filter(step=step).exists():
        errors.append(f"Bước {step} đã được ghi kết quả.")
    names = dict(
        nominee_list.nominees.filter(cadre_id__in=votes.keys()).values_list(
            "cadre_id", "cadre__full_name"
        )
    )
    for cadre_id, (count, _floor) in votes.items():
        if cadre_id not in names:
            errors.append(f"Cán bộ #{cadre_id} không có trong danh sách này.")
            continue
        who = names[cadre_id]
        if count is None or count < 0:
            errors.append(f"{who}: số phiếu không được âm.")
        elif summoned and count > summoned:
            errors.append(
                f"{who}: số phiếu ({count}) lớn hơn số người được triệu tập ({summoned})."
            )
    rnd = NominationRound(
        nominee_list=nominee_list,
        step=step,
        held_on=held_on,
        summoned=summoned,
        **{k: v for k, v in (minutes or {}).items() if k in MINUTES_FIELDS},
    )
    errors.extend(_minutes_errors(rnd, votes))
    if errors:
        raise ValidationError(errors)
    rnd.save()
    RoundVote.objects.bulk_create(
        [
            RoundVote(round=rnd, cadre_id=cid, votes=count, is_floor_nomination=floor)
            for cid, (count, floor) in votes.items()
        ]
    )
    _lock(nominee_list, None)
    _log(
        user,
        nominee_list,
        "round.record",
        after={
            "step": step,
            "summoned": summoned,
            "votes": {str(k): v[0] for k, v in votes.items()},
            **_minutes_audit(rnd),
        },
    )
    return rnd


def _minutes_audit(rnd: NominationRound) -> dict[str, Any]:
    out = {}
    for name in MINUTES_FIELDS:
        value = getattr(rnd, name)
        out[name] = value.isoformat(timespec="minutes") if hasattr(value, "isoformat") else value
    return out


@transaction.atomic
def round_minutes_record(
    *, nomination_round: NominationRound, user, minutes: dict[str, Any]
) -> NominationRound:
    """Complete what the vote-counting minutes of a recorded round state (time, place, the
    counting board, present, ballots). The votes and the result are not touched: this records
    how a meeting that took place was held, so it is allowed whatever the list's state."""
    rnd = NominationRound.objects.select_for_update().get(pk=nomination_round.pk)
    nominee_list = rnd.nominee_list
    _require(user, nominee_list, "edit")
    before = _minutes_audit(rnd)
    for name, value in minutes.items():
        if name in MINUTES_FIELDS:
            setattr(rnd, name, value)
    votes = {v.cadre_id: (v.votes, v.is_floor_nomination) for v in rnd.votes.all()}
    errors = _minutes_errors(rnd, votes)
    if errors:
        raise ValidationError(errors)
    rnd.save()
    _log(
        user,
        nominee_list,
        "round.minutes",
        before={"step": rnd.step, **before},
        after={"step": rnd.step, **_minutes_audit(rnd)},
    )
    return rnd


def round_results(rnd: NominationRound) -> list[dict[str, Any]]:
    data = rnd.nominee_list.body.congress.ruleset.data
    out = []
    for v in rnd.votes.select_related("cadre").order_by("-votes", "cadre__sort_key"):
        out.append(
            {
                "cadre": v.cadre,
                "votes": v.votes,
                "percent": round(100 * v.votes / rnd.summoned, 1),
                "floor": v.is_floor_nomination,
                "passed": vote_passes(v.votes, rnd.summoned, v.is_floor_nomination, data),
            }
        )
    return out


# --- notifications ---------------------------------------------------------------------


def _list_url(nominee_list: NomineeList) -> str:
    return reverse("lists:detail", args=[nominee_list.pk])


def _notify_reviewers(nominee_list: NomineeList, text: str) -> None:
    """The board staff above who decide, and the secretaries above who follow (up the tree
    to the commune)."""
    unit = nominee_list.body.congress.unit
    users = {u.pk: u for u in [*board_staff_above(unit), *secretaries_above(unit)]}
    notify(users.values(), text, _list_url(nominee_list))


def _notify_editors(nominee_list: NomineeList, text: str) -> None:
    notify(secretaries_of(nominee_list.body.congress.unit), text, _list_url(nominee_list))
