"""Cadre planning (quy hoạch): selectors and services.

Reads build the engine's plain inputs (`PlanEntry`, `ReviewFacts`) from the database with a
fixed number of queries per list, whatever its size, and hand them to the pure rules in
`congress.rules.planning`: every threshold (3 people per post, 3 posts per person, 60 months,
discipline from reprimand…) lives in the rule set, never here.

Writes are services: keyword-only, one transaction, the list row locked while its state is
read and changed, the scope re-checked inside the transaction, an audit row per change.

Who may do what (the same roles and scope as nominee lists):
- view: every role whose grant reaches the unit;
- edit (add, remove, justify, review, submit, use): the unit's secretary or board staff whose
  grant reaches the unit;
- return / approve: board staff whose grant is on a strict ancestor of the unit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from congress.engine import without_ids
from congress.models import AuditLog, Nominee, NomineeList
from congress.models.congress import ListState
from congress.rules.dates import age_at, months_left, retirement_date
from congress.rules.planning import (
    PLAN_SEVERITY,
    PlanEntry,
    ReviewFacts,
    plan_age,
    plan_not_higher,
    plan_person_too_many_posts,
    plan_structure,
    plan_too_many,
    review_proposals,
)
from congress.rules.rulesets import RuleSet as EngineRuleSet
from congress.services.audit import audit
from congress.services.notifications import board_staff_above, notify, secretaries_of
from congress.services.rulesets import engine_ruleset, latest_ruleset
from personnel.models import (
    Cadre,
    Discipline,
    PartyUnit,
    PlanningEntry,
    PlanningJustification,
    PlanningList,
    PlanningReview,
    PlanningState,
    Post,
    RemovalReason,
    Role,
    Tenure,
    Term,
)
from personnel.scope import ALL_ROLES, reaches, unit_q
from personnel.selectors import cadres_visible_to
from vetting.models import VettingCase

PLANNING_TERM = "2030-2035"

PLANNING_ACTIONS: dict[str, frozenset[str]] = {
    "view": ALL_ROLES,
    "edit": frozenset({Role.SECRETARY, Role.BOARD_STAFF}),
    "approve": frozenset({Role.BOARD_STAFF}),
}
# Approving (and returning) is reserved to the level above: the grant must be on a strict
# ancestor of the unit, so board staff of the unit itself cannot approve their own plan.
STRICT_ACTIONS = frozenset({"approve"})

FINDING_LABELS: dict[str, str] = {
    "PLAN_TOO_MANY": "Quá số người cho một chức danh",
    "PLAN_PERSON_TOO_MANY_POSTS": "Một người quy hoạch quá nhiều chức danh cùng cấp",
    "PLAN_NOT_HIGHER": "Chức danh quy hoạch không cao hơn chức danh đang giữ",
    "PLAN_AGE": "Không đủ thời gian công tác cho một nhiệm kỳ",
}


# ----------------------------------------------------------------------------------------
# Scope


def planning_lists_visible_to(user, action: str = "view") -> QuerySet[PlanningList]:
    roles = PLANNING_ACTIONS[action]
    strict = action in STRICT_ACTIONS
    return PlanningList.objects.filter(unit_q(user, roles, prefix="unit__", strict=strict))


def planning_units_for(user, action: str = "edit") -> QuerySet[PartyUnit]:
    """Units where the user may open a plan."""
    return PartyUnit.objects.filter(unit_q(user, PLANNING_ACTIONS[action]), is_active=True)


def planning_can(user, planning_list: PlanningList, action: str) -> bool:
    return reaches(
        user, planning_list.unit, PLANNING_ACTIONS[action], strict=action in STRICT_ACTIONS
    )


def planning_list_for(user, pk: int, action: str = "view") -> PlanningList:
    """The list for a view: 404 when out of the user's scope, 403 when in scope without the
    right to `action`."""
    planning_list = get_object_or_404(
        planning_lists_visible_to(user, "view").select_related("unit", "term"), pk=pk
    )
    if action != "view" and not planning_can(user, planning_list, action):
        raise PermissionDenied("Bạn không có quyền thực hiện thao tác này với danh sách quy hoạch.")
    return planning_list


def planning_entry_for(user, planning_list: PlanningList, entry_pk: int) -> PlanningEntry:
    return get_object_or_404(
        PlanningEntry.objects.select_related("cadre", "post"),
        pk=entry_pk,
        planning_list=planning_list,
    )


def planning_candidates(user, planning_list: PlanningList) -> QuerySet[Cadre]:
    """Cadres who may be planned in this list: in the unit's subtree and in the user's scope
    (a secretary sees the cadres of their own unit only)."""
    return (
        cadres_visible_to(user)
        .filter(unit__path__startswith=planning_list.unit.path, is_active=True)
        .select_related("unit")
    )


def planning_posts(ruleset: EngineRuleSet | None = None) -> QuerySet[Post]:
    """Posts the rule set ranks (the engine cannot compare the others)."""
    ruleset = ruleset or current_ruleset()
    return Post.objects.filter(code__in=list(ruleset.post_ranks))


def planning_terms() -> QuerySet[Term]:
    """Terms a plan may be opened for: those not yet started."""
    return Term.objects.filter(start__gt=timezone.localdate())


def current_ruleset() -> EngineRuleSet:
    return engine_ruleset(latest_ruleset())


# ----------------------------------------------------------------------------------------
# Engine inputs


def _person_key(cadre_id: int) -> str:
    return str(cadre_id)


def _people_key(people: Iterable[str]) -> str:
    return ",".join(sorted(set(people)))


def _open_tenures_q(today: date) -> Q:
    return Q(end__isnull=True) | Q(end__gte=today)


def active_entries(planning_list: PlanningList) -> list[PlanningEntry]:
    return list(
        PlanningEntry.objects.filter(planning_list=planning_list, removed_at__isnull=True)
        .select_related("cadre", "post")
        .order_by("-post__rank", "post__code", "cadre__sort_key", "pk")
    )


def _current_posts(
    unit: PartyUnit, cadre_ids: Iterable[int], ruleset: EngineRuleSet
) -> dict[int, str]:
    """The highest post (by the rule set's ranks) each cadre holds now in the planning unit.
    Posts held in other units are not compared: a grassroots secretary planned for deputy
    secretary of the commune is planned for a higher post."""
    ranks = ruleset.post_ranks
    out: dict[int, str] = {}
    rows = Tenure.objects.filter(
        _open_tenures_q(timezone.localdate()), unit=unit, cadre_id__in=list(cadre_ids)
    ).values_list("cadre_id", "post__code")
    for cadre_id, code in rows:
        if code in ranks and (cadre_id not in out or ranks[code] > ranks[out[cadre_id]]):
            out[cadre_id] = code
    return out


def _plan_entry(e: PlanningEntry, unit: PartyUnit, current: str | None) -> PlanEntry:
    c = e.cadre
    return PlanEntry(
        person_id=_person_key(c.pk),
        name=c.full_name,
        sex=c.sex,
        birth_date=c.birth_date,
        extended_retirement=c.extended_retirement,
        current_post=current,
        planned_post=e.post.code,
        unit=unit.code,
        level=unit.level,
    )


def _engine_entries(
    planning_list: PlanningList, entries: list[PlanningEntry], ruleset: EngineRuleSet
) -> tuple[list[PlanEntry], list[PlanEntry]]:
    """(entries of this list, entries of the same people in every plan of the same term and
    level): the posts-per-person rule counts a person's posts across units of one level."""
    unit = planning_list.unit
    cadre_ids = {e.cadre_id for e in entries}
    current = _current_posts(unit, cadre_ids, ruleset)
    own = [_plan_entry(e, unit, current.get(e.cadre_id)) for e in entries]
    others = (
        PlanningEntry.objects.filter(
            cadre_id__in=list(cadre_ids),
            removed_at__isnull=True,
            planning_list__term_id=planning_list.term_id,
            planning_list__unit__level=unit.level,
        )
        .exclude(planning_list=planning_list)
        .select_related("cadre", "post", "planning_list__unit")
    )
    # The current post plays no part in the posts-per-person rule.
    wide = own + [_plan_entry(e, e.planning_list.unit, None) for e in others]
    return own, wide


def planning_findings(
    planning_list: PlanningList,
    *,
    ruleset: EngineRuleSet | None = None,
    entries: list[PlanningEntry] | None = None,
) -> list[dict[str, Any]]:
    """The engine's findings on the active entries of the list, each with `people_key`,
    `post` (the planned post it is about, None when about the person), `label` and
    `justification` (the recorded PlanningJustification or None)."""
    ruleset = ruleset or current_ruleset()
    entries = active_entries(planning_list) if entries is None else entries
    if not entries:
        return []
    own, wide = _engine_entries(planning_list, entries, ruleset)
    term_start = planning_list.term.start
    # The per-post rules run post by post and entry by entry (the same findings as one call)
    # so each finding knows the post it is about and is shown next to those entries only.
    by_post: dict[str, list[PlanEntry]] = defaultdict(list)
    for e in own:
        by_post[e.planned_post].append(e)
    findings = [
        *(
            {**f, "post": code}
            for code, group in by_post.items()
            for f in plan_too_many(group, ruleset)
        ),
        *({**f, "post": None} for f in plan_person_too_many_posts(wide, ruleset)),
        *({**f, "post": e.planned_post} for e in own for f in plan_not_higher([e], ruleset)),
        *({**f, "post": None} for f in plan_age(own, term_start, ruleset)),
    ]
    justified = {
        (j.code, j.people_key): j
        for j in PlanningJustification.objects.filter(planning_list=planning_list).select_related(
            "by"
        )
    }
    without_ids(findings, {e.person_id: e.name for e in wide})
    for f in findings:
        # One justification per finding: the people, and the post when it is about one.
        f["people_key"] = _people_key(f["people"]) + (f"@{f['post']}" if f["post"] else "")
        f["label"] = FINDING_LABELS.get(f["code"], f["code"])
        f["justification"] = justified.get((f["code"], f["people_key"]))
    return findings


def unjustified_errors(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [f for f in findings if f["severity"] == "error" and f.get("justification") is None]


def _ratio_labels(ruleset: EngineRuleSet) -> dict[str, str]:
    p = ruleset.params
    young, low, high = (
        p["plan_young_age_below"],
        p["plan_tier_low_below"],
        p["plan_tier_high_above"],
    )
    return {
        "female": "Cán bộ nữ",
        "young": f"Cán bộ trẻ (dưới {young} tuổi)",
        "age_tier_low": f"Độ tuổi dưới {low}",
        "age_tier_mid": f"Độ tuổi từ {low} đến {high}",
        "age_tier_high": f"Độ tuổi trên {high}",
    }


def planning_matrix(planning_list: PlanningList, user=None) -> dict[str, Any]:
    """Everything the planning page shows: posts × planned people (age at the start of the
    term, sex, ethnicity, current post, findings), the structure against its targets, the
    findings, and the editable nominee lists of the unit. A fixed number of queries."""
    ruleset = current_ruleset()
    entries = active_entries(planning_list)
    findings = planning_findings(planning_list, ruleset=ruleset, entries=entries)
    term_start = planning_list.term.start
    current = _current_posts(planning_list.unit, {e.cadre_id for e in entries}, ruleset)
    by_person: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in findings:
        for pid in f["people"]:
            by_person[pid].append(f)

    def about(e: PlanningEntry) -> list[dict[str, Any]]:
        return [
            f
            for f in by_person.get(_person_key(e.cadre_id), [])
            if f["post"] in (None, e.post.code)
        ]

    rows: dict[int, dict[str, Any]] = {}
    for e in entries:
        row = rows.setdefault(e.post_id, {"post": e.post, "people": []})
        row["people"].append(
            {
                "entry": e,
                "cadre": e.cadre,
                "age": age_at(e.cadre.birth_date, term_start),
                "current_post": current.get(e.cadre_id),
                "findings": about(e),
            }
        )
    own = [_plan_entry(e, planning_list.unit, None) for e in entries]
    structure = plan_structure(own, term_start, ruleset)
    labels = _ratio_labels(ruleset)
    ratios = [
        {"key": key, "label": labels.get(key, key), **value}
        for key, value in structure["ratios"].items()
    ]
    post_names = dict(Post.objects.values_list("code", "name"))
    for row in rows.values():
        for person in row["people"]:
            code = person["current_post"]
            person["current_post_label"] = post_names.get(code, code) if code else ""
    return {
        "rows": list(rows.values()),
        "entries": entries,
        "findings": findings,
        "unjustified": unjustified_errors(findings),
        "structure": {"person_count": structure["person_count"], "ratios": ratios},
        "ruleset": ruleset,
        "nominee_lists": list(editable_nominee_lists(planning_list)),
    }


def editable_nominee_lists(planning_list: PlanningList) -> QuerySet[NomineeList]:
    """Nominee lists of the unit a planned person can still be added to."""
    return NomineeList.objects.filter(
        body__congress__unit=planning_list.unit,
        state__in=(ListState.DRAFT, ListState.RETURNED),
    ).select_related("body__congress")


def removed_entries(planning_list: PlanningList) -> QuerySet[PlanningEntry]:
    return (
        PlanningEntry.objects.filter(planning_list=planning_list, removed_at__isnull=False)
        .select_related("cadre", "post", "removed_by")
        .order_by("-removed_at", "-pk")
    )


def planning_history(planning_list: PlanningList) -> QuerySet[AuditLog]:
    """The audit rows of the list, its entries, justifications and reviews, newest first."""
    entry_ids = [str(pk) for pk in planning_list.entries.values_list("pk", flat=True)]
    just_ids = [str(pk) for pk in planning_list.justifications.values_list("pk", flat=True)]
    review_ids = [
        str(pk)
        for pk in PlanningReview.objects.filter(
            unit_id=planning_list.unit_id, term_id=planning_list.term_id
        ).values_list("pk", flat=True)
    ]
    q = (
        Q(object_type=PlanningList._meta.label_lower, object_id=str(planning_list.pk))
        | Q(object_type=PlanningEntry._meta.label_lower, object_id__in=entry_ids)
        | Q(object_type=PlanningJustification._meta.label_lower, object_id__in=just_ids)
        | Q(object_type=PlanningReview._meta.label_lower, object_id__in=review_ids)
    )
    return AuditLog.objects.filter(q).select_related("actor").order_by("-at", "-id")


# ----------------------------------------------------------------------------------------
# Yearly review


def planning_review_proposals(
    planning_list: PlanningList, *, ruleset: EngineRuleSet | None = None
) -> list[dict[str, Any]]:
    """Removals the data already implies, one per (entry, reason), as the engine words them:
    appointed to the planned post (an open tenure of it in the unit), working time at the
    start of the term below the minimum, disciplined since the entry was added, latest
    vetting conclusion ineligible, no longer in the unit's subtree. Four queries."""
    ruleset = ruleset or current_ruleset()
    unit = planning_list.unit
    entries = list(
        PlanningEntry.objects.filter(planning_list=planning_list, removed_at__isnull=True)
        .select_related("cadre__unit", "post")
        .order_by("-post__rank", "cadre__sort_key", "pk")
    )
    if not entries:
        return []
    cadre_ids = list({e.cadre_id for e in entries})
    held = set(
        Tenure.objects.filter(
            _open_tenures_q(timezone.localdate()), unit=unit, cadre_id__in=cadre_ids
        ).values_list("cadre_id", "post_id")
    )
    disciplines: dict[int, list[tuple[date, str]]] = defaultdict(list)
    for cadre_id, decided_on, level in Discipline.objects.filter(
        cadre_id__in=cadre_ids
    ).values_list("cadre_id", "decided_on", "level"):
        disciplines[cadre_id].append((decided_on, level))
    vetting: dict[int, str] = {}
    # Latest case last: requested_at, then id, so a dict keeps the newest per cadre.
    for cadre_id, conclusion in (
        VettingCase.objects.filter(cadre_id__in=cadre_ids)
        .order_by("requested_at", "pk")
        .values_list("cadre_id", "conclusion")
    ):
        vetting[cadre_id] = conclusion
    levels = list(ruleset.discipline_levels)
    term_start = planning_list.term.start
    labels = dict(RemovalReason.choices)
    out: list[dict[str, Any]] = []
    for e in entries:
        c = e.cadre
        since_levels = [
            lvl for d, lvl in disciplines.get(c.pk, ()) if d >= e.since and lvl in levels
        ]
        worst = max(since_levels, key=levels.index) if since_levels else None
        facts = ReviewFacts(
            person_id=_person_key(c.pk),
            name=c.full_name,
            appointed_to_post=(c.pk, e.post_id) in held,
            months_left=months_left(
                term_start, retirement_date(c.sex, c.birth_date, c.extended_retirement)
            ),
            discipline_level=worst,
            vetting=vetting.get(c.pk),
            moved_away=not c.unit.path.startswith(unit.path),
        )
        # One engine call per entry: the same person may be planned for several posts, and
        # "used" depends on the post.
        for p in review_proposals([facts], ruleset):
            out.append(
                {
                    **p,
                    "entry": e,
                    "entry_id": e.pk,
                    "reason_label": labels.get(p["reason"], p["reason"]),
                }
            )
    return out


# ----------------------------------------------------------------------------------------
# Services


def _lock(planning_list: PlanningList) -> PlanningList:
    return (
        PlanningList.objects.select_for_update()
        .select_related("unit", "term")
        .get(pk=planning_list.pk)
    )


def _require(user, planning_list: PlanningList, action: str) -> None:
    if not planning_can(user, planning_list, action):
        raise PermissionDenied("Bạn không có quyền thực hiện thao tác này với danh sách quy hoạch.")


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
    if not reaches(user, unit, PLANNING_ACTIONS["edit"]):
        raise PermissionDenied("Bạn không có quyền lập quy hoạch cho đơn vị này.")
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
        "edit",
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
        to=board_staff_above(planning_list.unit),
        text=f"{planning_list.unit.name} trình quy hoạch nhiệm kỳ {planning_list.term} "
        "chờ phê duyệt.",
    )


@transaction.atomic
def planning_return(*, planning_list: PlanningList, user, remark: str) -> PlanningList:
    """The level above sends the plan back with its remarks."""
    planning_list, before = _open_transition(
        planning_list,
        user,
        "approve",
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
        "approve",
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
def planning_entry_use(
    *, entry: PlanningEntry, user, nominee_list: NomineeList | None = None, used_for: str = ""
) -> Nominee | None:
    """Use a planned person: mark the entry used and, given a nominee list of the unit that is
    still editable (draft or returned), add the cadre to it with the planned post."""
    planning_list = _lock(entry.planning_list)
    _require(user, planning_list, "edit")
    entry = (
        PlanningEntry.objects.select_for_update().select_related("cadre", "post").get(pk=entry.pk)
    )
    if entry.removed_at is not None:
        raise ValidationError("Người này đã được đưa ra khỏi quy hoạch.")
    nominee = None
    if nominee_list is not None:
        # The nominee-list service checks the user's right on the list, that it is still
        # editable, duplicates, bumps its revision and writes its audit row.
        from congress.services.lists import nominee_add

        if nominee_list.body.congress.unit_id != planning_list.unit_id:
            raise ValidationError("Danh sách nhân sự không thuộc đơn vị của quy hoạch.")
        nominee = nominee_add(
            nominee_list=nominee_list,
            cadre=entry.cadre,
            user=user,
            proposed_posts=[entry.post.code],
            notes=f"Từ quy hoạch nhiệm kỳ {planning_list.term}: {entry.post.name}",
        )
        used_for = used_for or str(nominee_list)
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
    return nominee
