"""Writes of cadre planning: keyword-only services, one transaction each, the list row
locked while its state is read and changed, the user's right re-checked inside the
transaction (`personnel.policy`), an audit row per change.

Using a planned person in another app (adding them to a congress's nominee list) goes through
the `planning.hooks` the congress app registers: planning never imports congress.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from congress.rules.planning import PLAN_SEVERITY
from personnel import policy
from personnel.models import Cadre, PartyUnit, Post, Term
from personnel.policy import Kind
from personnel.services.audit import audit
from personnel.services.notifications import (
    board_staff_above,
    notify,
    secretaries_above,
    secretaries_of,
)
from planning import hooks
from planning.models import (
    PlanningEntry,
    PlanningJustification,
    PlanningList,
    PlanningReview,
    PlanningState,
    RemovalReason,
)
from planning.selectors import (
    current_ruleset,
    planning_candidates,
    planning_findings,
    unjustified_errors,
)


def _lock(planning_list: PlanningList) -> PlanningList:
    return (
        PlanningList.objects.select_for_update()
        .select_related("unit", "term")
        .get(pk=planning_list.pk)
    )


def _require(user, planning_list: PlanningList, action: str) -> None:
    policy.require(user, Kind.PLANNING_LIST, action, planning_list)


def _snapshot(planning_list: PlanningList) -> dict[str, Any]:
    return {
        "state": planning_list.state,
        "decision_number": planning_list.decision_number,
        "decision_date": planning_list.decision_date.isoformat()
        if planning_list.decision_date
        else None,
        "remark": planning_list.remark,
    }


def _entry_doc(e: PlanningEntry) -> dict[str, Any]:
    return {
        "cadre": e.cadre_id,
        "cadre_name": e.cadre.full_name,
        "post": e.post.code,
        "since": e.since.isoformat() if e.since else None,
        "decision_number": e.decision_number,
        "decision_date": e.decision_date.isoformat() if e.decision_date else None,
        "readiness_notes": e.readiness_notes,
        "removed_at": e.removed_at.isoformat() if e.removed_at else None,
        "removed_reason": e.removed_reason,
        "removed_note": e.removed_note,
        "used_for": e.used_for,
    }


def _set_state(planning_list: PlanningList, state: str, user) -> None:
    planning_list.state = state
    planning_list.state_changed_at = timezone.now()
    planning_list.state_changed_by = user if getattr(user, "pk", None) else None


def _before_change(planning_list: PlanningList, user) -> None:
    """A locked list about to change: refused while the level above decides; an approved
    plan changed by the yearly review goes back to draft for a new approval."""
    if planning_list.state == PlanningState.SUBMITTED:
        raise ValidationError("Danh sách quy hoạch đang chờ cấp trên phê duyệt, không thể sửa đổi.")
    if planning_list.state == PlanningState.APPROVED:
        before = _snapshot(planning_list)
        _set_state(planning_list, PlanningState.DRAFT, user)
        planning_list.save(update_fields=["state", "state_changed_at", "state_changed_by"])
        audit(
            actor=user,
            action="planning.reopen",
            obj=planning_list,
            before=before,
            after=_snapshot(planning_list),
            unit=planning_list.unit,
            note="Điều chỉnh quy hoạch đã phê duyệt: cần phê duyệt lại.",
        )


def _notify(users, text: str, planning_list: PlanningList) -> int:
    return notify(users, text, reverse("planning:detail", args=[planning_list.pk]))


@transaction.atomic
def planning_list_create(*, unit: PartyUnit, term: Term, user) -> PlanningList:
    policy.require(user, Kind.PLANNING_LIST, "edit", unit)
    planning_list = PlanningList(unit=unit, term=term, state_changed_by=user)
    planning_list.full_clean()
    planning_list.save()
    audit(
        actor=user,
        action="planning.create",
        obj=planning_list,
        after=_snapshot(planning_list),
        unit=unit,
    )
    return planning_list


@transaction.atomic
def planning_entry_add(
    *,
    planning_list: PlanningList,
    cadre: Cadre,
    post: Post,
    user,
    since: date | None = None,
    decision_number: str = "",
    decision_date: date | None = None,
    readiness_notes: str = "",
) -> PlanningEntry:
    """Plan `cadre` for `post`. The engine's findings are not refused here: they are shown
    where the list is edited and block approval until justified."""
    planning_list = _lock(planning_list)
    _require(user, planning_list, "edit")
    if not planning_candidates(user, planning_list).filter(pk=cadre.pk).exists():
        raise ValidationError({"cadre": "Cán bộ không thuộc đơn vị hoặc ngoài phạm vi của bạn."})
    if post.code not in current_ruleset().post_ranks:
        raise ValidationError({"post": "Chức danh này không có trong bảng thứ bậc của bộ quy tắc."})
    if PlanningEntry.objects.filter(
        planning_list=planning_list, cadre=cadre, post=post, removed_at__isnull=True
    ).exists():
        raise ValidationError("Cán bộ này đã có trong quy hoạch chức danh này.")
    _before_change(planning_list, user)
    entry = PlanningEntry(
        planning_list=planning_list,
        cadre=cadre,
        post=post,
        since=since or timezone.localdate(),
        decision_number=decision_number,
        decision_date=decision_date,
        readiness_notes=readiness_notes,
        added_by=user if getattr(user, "pk", None) else None,
    )
    entry.full_clean()
    entry.save()
    audit(
        actor=user,
        action="planning.entry_add",
        obj=entry,
        after=_entry_doc(entry),
        unit=planning_list.unit,
    )
    return entry


@transaction.atomic
def planning_entry_remove(
    *,
    entry: PlanningEntry,
    reason: str,
    user,
    on: date | None = None,
    note: str = "",
) -> PlanningEntry:
    """Take an entry out of the plan: it stays in the history with its reason, date and who."""
    planning_list = _lock(entry.planning_list)
    _require(user, planning_list, "edit")
    entry = (
        PlanningEntry.objects.select_for_update().select_related("cadre", "post").get(pk=entry.pk)
    )
    if entry.removed_at is not None:
        raise ValidationError("Người này đã được đưa ra khỏi quy hoạch.")
    if reason not in RemovalReason.values:
        raise ValidationError({"removed_reason": "Lý do đưa ra khỏi quy hoạch không hợp lệ."})
    if reason == RemovalReason.OTHER and not note.strip():
        raise ValidationError({"removed_note": "Cần ghi rõ lý do khác."})
    _before_change(planning_list, user)
    before = _entry_doc(entry)
    entry.removed_at = on or timezone.localdate()
    entry.removed_reason = reason
    entry.removed_note = note
    entry.removed_by = user if getattr(user, "pk", None) else None
    entry.full_clean()
    entry.save(update_fields=["removed_at", "removed_reason", "removed_note", "removed_by"])
    audit(
        actor=user,
        action="planning.entry_remove",
        obj=entry,
        before=before,
        after=_entry_doc(entry),
        unit=planning_list.unit,
        note=note,
    )
    return entry


@transaction.atomic
def planning_justify(
    *, planning_list: PlanningList, code: str, people_key: str, text: str, user
) -> PlanningJustification:
    """Record (or replace) the justification of one finding."""
    planning_list = _lock(planning_list)
    _require(user, planning_list, "edit")
    if code not in PLAN_SEVERITY:
        raise ValidationError({"code": "Mã phát hiện không hợp lệ."})
    if not text.strip():
        raise ValidationError({"text": "Cần nhập nội dung giải trình."})
    # A justification answers a finding the engine produces for this plan now, never a
    # code and people typed at will.
    if not any(
        f["code"] == code and f["people_key"] == people_key
        for f in planning_findings(planning_list)
    ):
        raise ValidationError(
            {"code": f"Quy hoạch hiện không có phát hiện “{code}” cho những người đã chọn."}
        )
    _before_change(planning_list, user)
    existing = PlanningJustification.objects.filter(
        planning_list=planning_list, code=code, people_key=people_key
    ).first()
    before = {"text": existing.text} if existing else None
    j = existing or PlanningJustification(
        planning_list=planning_list, code=code, people_key=people_key
    )
    j.text = text.strip()
    j.by = user if getattr(user, "pk", None) else None
    j.at = timezone.now()
    j.full_clean()
    j.save()
    audit(
        actor=user,
        action="planning.justify",
        obj=j,
        before=before,
        after={"code": code, "people": people_key, "text": j.text},
        unit=planning_list.unit,
    )
    return j


def _open_transition(
    planning_list: PlanningList, user, permission: str, allowed: tuple[str, ...], refusal: str
) -> tuple[PlanningList, dict[str, Any]]:
    """Lock the list, check the user's right and the state it must be in; returns the locked
    list and its state before the change, for the audit."""
    planning_list = _lock(planning_list)
    _require(user, planning_list, permission)
    if planning_list.state not in allowed:
        raise ValidationError(refusal)
    return planning_list, _snapshot(planning_list)


def _record_transition(
    planning_list: PlanningList, user, *, action: str, before: dict, note: str, to, text: str
) -> PlanningList:
    """Audit a state change that has been saved, and tell `to` about it."""
    audit(
        actor=user,
        action=action,
        obj=planning_list,
        before=before,
        after=_snapshot(planning_list),
        unit=planning_list.unit,
        note=note,
    )
    _notify(to, text, planning_list)
    return planning_list


@transaction.atomic
def planning_submit(*, planning_list: PlanningList, user, remark: str = "") -> PlanningList:
    """The unit proposes its plan to the level above."""
    planning_list, before = _open_transition(
        planning_list,
        user,
        "submit",
        (PlanningState.DRAFT, PlanningState.RETURNED),
        "Chỉ trình được danh sách đang dự thảo hoặc bị trả lại.",
    )
    if not planning_list.entries.filter(removed_at__isnull=True).exists():
        raise ValidationError("Danh sách quy hoạch chưa có người nào.")
    _set_state(planning_list, PlanningState.SUBMITTED, user)
    planning_list.remark = remark
    planning_list.save(update_fields=["state", "state_changed_at", "state_changed_by", "remark"])
    return _record_transition(
        planning_list,
        user,
        action="planning.submit",
        before=before,
        note=remark,
        to=board_staff_above(planning_list.unit) + secretaries_above(planning_list.unit),
        text=f"{planning_list.unit.name} trình quy hoạch nhiệm kỳ {planning_list.term} "
        "chờ phê duyệt.",
    )


@transaction.atomic
def planning_return(*, planning_list: PlanningList, user, remark: str) -> PlanningList:
    """The level above sends the plan back with its remarks."""
    planning_list, before = _open_transition(
        planning_list,
        user,
        "review",
        (PlanningState.SUBMITTED,),
        "Chỉ trả lại được danh sách đã trình.",
    )
    if not remark.strip():
        raise ValidationError({"remark": "Cần ghi ý kiến khi trả lại."})
    _set_state(planning_list, PlanningState.RETURNED, user)
    planning_list.remark = remark.strip()
    planning_list.save(update_fields=["state", "state_changed_at", "state_changed_by", "remark"])
    return _record_transition(
        planning_list,
        user,
        action="planning.return",
        before=before,
        note=planning_list.remark,
        to=secretaries_of(planning_list.unit),
        text=f"Cấp trên trả lại quy hoạch nhiệm kỳ {planning_list.term} của "
        f"{planning_list.unit.name}: {planning_list.remark}",
    )


@transaction.atomic
def planning_approve(
    *,
    planning_list: PlanningList,
    user,
    decision_number: str,
    decision_date: date,
    remark: str = "",
) -> PlanningList:
    """The level above approves by a decision. Refused while an error finding of the engine
    has no recorded justification."""
    planning_list, before = _open_transition(
        planning_list,
        user,
        "review",
        (PlanningState.SUBMITTED,),
        "Chỉ phê duyệt được danh sách đã trình.",
    )
    if not decision_number.strip() or decision_date is None:
        raise ValidationError("Cần số và ngày quyết định phê duyệt.")
    missing = unjustified_errors(planning_findings(planning_list))
    if missing:
        raise ValidationError(
            [f"Chưa giải trình: {f['message']}" for f in missing],
            code="unjustified",
        )
    _set_state(planning_list, PlanningState.APPROVED, user)
    planning_list.decision_number = decision_number.strip()
    planning_list.decision_date = decision_date
    planning_list.remark = remark
    planning_list.full_clean()
    planning_list.save()
    # Entries approved for the first time carry the decision that approved them.
    planning_list.entries.filter(removed_at__isnull=True, decision_number="").update(
        decision_number=planning_list.decision_number, decision_date=decision_date
    )
    return _record_transition(
        planning_list,
        user,
        action="planning.approve",
        before=before,
        note=remark,
        to=secretaries_of(planning_list.unit),
        text=f"Quy hoạch nhiệm kỳ {planning_list.term} của {planning_list.unit.name} đã được "
        f"phê duyệt (Quyết định số {planning_list.decision_number}).",
    )


@transaction.atomic
def planning_review_record(
    *,
    planning_list: PlanningList,
    user,
    year: int,
    decided_on: date,
    decision_number: str,
    notes: str = "",
) -> PlanningReview:
    """Record the decision closing the yearly review, with what changed that year."""
    planning_list = _lock(planning_list)
    _require(user, planning_list, "edit")
    review = PlanningReview(
        unit=planning_list.unit,
        term=planning_list.term,
        year=year,
        decided_on=decided_on,
        decision_number=decision_number.strip(),
        notes=notes,
        reviewer=user if getattr(user, "pk", None) else None,
    )
    review.full_clean()
    review.save()
    removed = planning_list.entries.filter(removed_at__year=year)
    added = planning_list.entries.filter(added_at__year=year)
    audit(
        actor=user,
        action="planning.review",
        obj=review,
        after={
            "year": year,
            "decided_on": decided_on.isoformat(),
            "decision_number": review.decision_number,
            "removed": removed.count(),
            "added": added.count(),
        },
        unit=planning_list.unit,
        note=notes,
    )
    return review


@transaction.atomic
def planning_entry_use(*, entry: PlanningEntry, user, target: str = "", used_for: str = "") -> Any:
    """Use a planned person: mark the entry used and, given a target one of the
    `hooks.use_targets` offered (e.g. a nominee list of the unit still being drafted), let
    the app that owns the target act on it in the same transaction. Returns its answer."""
    planning_list = _lock(entry.planning_list)
    _require(user, planning_list, "edit")
    entry = (
        PlanningEntry.objects.select_for_update().select_related("cadre", "post").get(pk=entry.pk)
    )
    if entry.removed_at is not None:
        raise ValidationError("Người này đã được đưa ra khỏi quy hoạch.")
    result = None
    if target:
        answers = hooks.entry_used(
            entry=entry, planning_list=planning_list, target=target, user=user
        )
        if not answers:
            raise ValidationError("Nơi sử dụng quy hoạch không hợp lệ.")
        result, label = answers[0]
        used_for = used_for or label
    before = _entry_doc(entry)
    entry.used_at = timezone.now()
    entry.used_for = (used_for or f"Sử dụng quy hoạch chức danh {entry.post.name}")[:255]
    entry.save(update_fields=["used_at", "used_for"])
    audit(
        actor=user,
        action="planning.entry_use",
        obj=entry,
        before=before,
        after=_entry_doc(entry),
        unit=planning_list.unit,
    )
    return result
