"""Reads of cadre planning (quy hoạch).

They build the engine's plain inputs (`PlanEntry`, `ReviewFacts`) from the database with a
fixed number of queries per list, whatever its size, and hand them to the pure rules in
`congress.rules.planning`: every threshold (3 people per post, 3 posts per person, 60 months,
discipline from reprimand…) lives in the rule set, never here. Who may see and do what is
the planning-list row of `personnel.policy`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from congress.rules.dates import age_at, months_left, retirement_date
from congress.rules.labels import finding_title, ratio_labels
from congress.rules.people import people_key, person_key, without_ids
from congress.rules.planning import (
    PlanEntry,
    ReviewFacts,
    plan_age,
    plan_not_higher,
    plan_person_too_many_posts,
    plan_structure,
    plan_too_many,
    review_proposals,
)
from congress.rules.rulesets import RuleSet
from personnel import policy
from personnel.models import AuditLog, Cadre, Discipline, PartyUnit, Post, Tenure, Term
from personnel.policy import Kind
from personnel.selectors import cadres_visible_to, object_history
from personnel.services.ruleset_versions import engine_ruleset, latest_ruleset
from planning.models import (
    PlanningEntry,
    PlanningJustification,
    PlanningList,
    PlanningReview,
    RemovalReason,
)
from vetting.models import VettingCase

PLANNING_TERM = "2030-2035"


# ----------------------------------------------------------------------------------------
# Scope


def planning_lists_visible_to(user, action: str = "view") -> QuerySet[PlanningList]:
    return policy.scoped(user, Kind.PLANNING_LIST, action, PlanningList.objects.all())


def planning_units_for(user, action: str = "edit") -> QuerySet[PartyUnit]:
    """Units where the user may open a plan."""
    return policy.scoped(user, Kind.PLANNING_LIST, action, PartyUnit.objects.filter(is_active=True))


def planning_can(user, planning_list: PlanningList, action: str) -> bool:
    return policy.allows(user, Kind.PLANNING_LIST, action, planning_list.unit)


def planning_list_for(user, pk: int, action: str = "view") -> PlanningList:
    """The list for a view: 404 when out of the user's scope, 403 when in scope without the
    right to `action`."""
    qs = PlanningList.objects.select_related("unit", "term")
    return policy.object_for(user, Kind.PLANNING_LIST, action, qs, pk=pk)


def planning_entry_for(user, planning_list: PlanningList, entry_pk: int) -> PlanningEntry:
    """An entry of a list already fetched through the policy."""
    return policy.object_for(
        user,
        Kind.PLANNING_LIST,
        "view",
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


def planning_posts(ruleset: RuleSet | None = None) -> QuerySet[Post]:
    """Posts the rule set ranks (the engine cannot compare the others)."""
    ruleset = ruleset or current_ruleset()
    return Post.objects.filter(code__in=list(ruleset.post_ranks))


def planning_terms() -> QuerySet[Term]:
    """Terms a plan may be opened for: those not yet started."""
    return Term.objects.filter(start__gt=timezone.localdate())


def current_ruleset() -> RuleSet:
    return engine_ruleset(latest_ruleset())


# ----------------------------------------------------------------------------------------
# Engine inputs


def active_entries(planning_list: PlanningList) -> list[PlanningEntry]:
    return list(
        PlanningEntry.objects.filter(planning_list=planning_list, removed_at__isnull=True)
        .select_related("cadre", "post")
        .order_by("-post__rank", "post__code", "cadre__sort_key", "pk")
    )


def _current_posts(unit: PartyUnit, cadre_ids: Iterable[int], ruleset: RuleSet) -> dict[int, str]:
    """The highest post (by the rule set's ranks) each cadre holds now in the planning unit.
    Posts held in other units are not compared: a grassroots secretary planned for deputy
    secretary of the commune is planned for a higher post."""
    ranks = ruleset.post_ranks
    out: dict[int, str] = {}
    rows = Tenure.objects.current().filter(unit=unit, cadre_id__in=list(cadre_ids))
    rows = rows.values_list("cadre_id", "post__code")
    for cadre_id, code in rows:
        if code in ranks and (cadre_id not in out or ranks[code] > ranks[out[cadre_id]]):
            out[cadre_id] = code
    return out


def _plan_entry(e: PlanningEntry, unit: PartyUnit, current: str | None) -> PlanEntry:
    c = e.cadre
    return PlanEntry(
        person_id=person_key(c.pk),
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
    planning_list: PlanningList, entries: list[PlanningEntry], ruleset: RuleSet
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
    ruleset: RuleSet | None = None,
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
        f["people_key"] = people_key(f["people"]) + (f"@{f['post']}" if f["post"] else "")
        f["label"] = finding_title(f["code"])
        f["justification"] = justified.get((f["code"], f["people_key"]))
    return findings


def unjustified_errors(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [f for f in findings if f["severity"] == "error" and f.get("justification") is None]


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
            f for f in by_person.get(person_key(e.cadre_id), []) if f["post"] in (None, e.post.code)
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
    p = ruleset.params
    labels = ratio_labels(
        young_below=p["plan_young_age_below"],
        low=p["plan_tier_low_below"],
        high=p["plan_tier_high_above"],
    )
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
    }


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
        Q(object_type=PlanningEntry._meta.label_lower, object_id__in=entry_ids)
        | Q(object_type=PlanningJustification._meta.label_lower, object_id__in=just_ids)
        | Q(object_type=PlanningReview._meta.label_lower, object_id__in=review_ids)
    )
    return object_history(planning_list, extra=q)


# ----------------------------------------------------------------------------------------
# Yearly review


def planning_review_proposals(
    planning_list: PlanningList, *, ruleset: RuleSet | None = None
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
        Tenure.objects.current()
        .filter(unit=unit, cadre_id__in=cadre_ids)
        .values_list("cadre_id", "post_id")
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
            person_id=person_key(c.pk),
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
