"""Demo planning (quy hoạch) for term 2030-2035: a list for every unit with a sitting
executive committee, planned from its members.

Most lists are clean (at most 2 people per post, each person in at most 2 posts, only higher
posts, enough working time) and many of those are approved. A deterministic share breaks one
rule of the engine, or holds a person the yearly review should take out; one unit (the first
below the root) holds every case at once, so even the tiny scale shows them all:

- four people planned for one post (PLAN_TOO_MANY);
- one person planned for four posts (PLAN_PERSON_TOO_MANY_POSTS);
- a committee member planned for "member" (PLAN_NOT_HIGHER);
- someone too old for a full term (PLAN_AGE, and the review's "over_age");
- someone disciplined since they were planned (review: "disciplined");
- someone planned for the post they already hold (review: "used");
- someone whose unit is outside the planning unit (review: "moved_away").

The registry is read from the database (the context may be None); the data is planned in
memory from `random.Random(seed)` over rows sorted by code, then written with `bulk_create`.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from congress.rules.dates import months_left, retirement_date

TERM = "2030-2035"
SITTING_TERM = "2025-2030"
DEFAULT_SEED = 2025
BATCH = 5000
SCENARIOS = (
    "too_many",
    "too_many_posts",
    "not_higher",
    "age",
    "disciplined",
    "appointed",
    "moved_away",
)
# Posts a broken list may plan besides those held in the unit, highest first.
EXTRA_POSTS = ("secretary", "deputy_secretary", "people_committee_chair", "standing_member")
SINCE_FROM = date(2025, 8, 1)


@dataclass
class _Person:
    pk: int
    unit_path: str
    sex: str
    birth: date
    extended: bool
    months: int  # working time left at the start of the planned term


@dataclass
class _Plan:
    unit_id: int
    unit_path: str
    entries: list[dict[str, Any]] = field(default_factory=list)
    broken: bool = False

    def has(self, cadre: int, post: str) -> bool:
        return any(e["cadre"] == cadre and e["post"] == post for e in self.entries)

    def add(self, cadre: int, post: str, since: date, **extra) -> None:
        if not self.has(cadre, post):
            self.entries.append({"cadre": cadre, "post": post, "since": since, **extra})


def seed_planning(ctx: Any = None) -> dict[str, int]:
    """Create the 2030-2035 planning lists; returns counts. Units that already have a list
    for the term are left alone, so a second run adds nothing."""
    from personnel.models import (
        Body,
        Cadre,
        CommitteeMembership,
        Discipline,
        PartyUnit,
        Post,
        Tenure,
        Term,
    )
    from personnel.services.ruleset_versions import engine_ruleset, latest_ruleset
    from planning.models import PlanningEntry, PlanningList, PlanningState, RemovalReason

    seed = getattr(ctx, "seed", DEFAULT_SEED)
    rng = ctx.rng("planning") if hasattr(ctx, "rng") else random.Random(f"{seed}:planning")
    ruleset = engine_ruleset(latest_ruleset())
    ranks = ruleset.post_ranks
    minimum = ruleset.params["plan_min_months"]
    term = Term.objects.get(code=TERM)
    sitting = Term.objects.filter(code=SITTING_TERM).first()
    if sitting is None:
        return {"planning_lists": 0, "planning_entries": 0}
    done = set(PlanningList.objects.filter(term=term).values_list("unit_id", flat=True))

    members: dict[int, list[int]] = defaultdict(list)
    for unit_id, cadre_id in (
        CommitteeMembership.objects.filter(term=sitting, body=Body.EXECUTIVE, unit__is_active=True)
        .order_by("unit__code", "cadre__code", "cadre_id")
        .values_list("unit_id", "cadre_id")
    ):
        if unit_id not in done and cadre_id not in members[unit_id]:
            members[unit_id].append(cadre_id)
    if not members:
        return {"planning_lists": 0, "planning_entries": 0}
    # By code, not path: a path holds primary keys, whose string order (/1000/ before /999/)
    # changes with where the database's sequences stand, and the plans with it.
    units = list(
        PartyUnit.objects.filter(pk__in=list(members)).order_by("code").values("id", "path")
    )
    cadre_ids = {c for ids in members.values() for c in ids}
    people: dict[int, _Person] = {}
    for pk, path, sex, birth, ext in Cadre.objects.filter(pk__in=cadre_ids).values_list(
        "pk", "unit__path", "sex", "birth_date", "extended_retirement"
    ):
        ret = retirement_date(sex, birth, ext)
        people[pk] = _Person(pk, path, sex, birth, ext, months_left(term.start, ret))
    held: dict[tuple[int, int], list[str]] = defaultdict(list)  # (unit, cadre) -> posts
    for unit_id, cadre_id, code in (
        Tenure.objects.current()
        .filter(unit_id__in=list(members))
        .order_by("unit_id", "cadre_id", "post__code")
        .values_list("unit_id", "cadre_id", "post__code")
    ):
        if code in ranks:
            held[(unit_id, cadre_id)].append(code)
    disciplines: dict[int, date] = {}
    for cadre_id, decided_on in (
        Discipline.objects.filter(cadre_id__in=cadre_ids, level__in=ruleset.discipline_levels)
        .order_by("cadre_id", "decided_on")
        .values_list("cadre_id", "decided_on")
    ):
        disciplines[cadre_id] = decided_on  # the latest one

    def rank_in(unit_id: int, cadre: int) -> int:
        return max((ranks[c] for c in held.get((unit_id, cadre), ())), default=0)

    everyone = sorted(cadre_ids)

    def since() -> date:
        return SINCE_FROM + timedelta(days=rng.randrange(150))

    # The unit with every case: the first below the root (a root's subtree holds everyone,
    # so nobody could have moved away from it).
    min_depth = min(u["path"].count("/") for u in units)
    showcase = next((u["id"] for u in units if u["path"].count("/") > min_depth), units[0]["id"])
    new_disciplines: list[Discipline] = []
    plans: list[_Plan] = []
    for u in units:
        unit_id, path = u["id"], u["path"]
        plan = _Plan(unit_id, path)
        plans.append(plan)
        mem = members[unit_id]
        unit_posts = sorted(
            {code for c in mem for code in held.get((unit_id, c), ()) if code != "member"},
            key=lambda code: (-ranks[code], code),
        )
        per_person: dict[int, int] = defaultdict(int)
        for post in unit_posts:
            fit = [
                c
                for c in mem
                if rank_in(unit_id, c) < ranks[post]
                and people[c].months >= minimum
                and c not in disciplines
                and per_person[c] < 2
            ]
            for c in rng.sample(fit, min(len(fit), rng.randint(1, 2))):
                plan.add(c, post, since(), readiness_notes=rng.choice(READINESS))
                per_person[c] += 1

        if unit_id == showcase:
            scenarios = list(SCENARIOS)
        elif rng.random() < 0.35:
            scenarios = [rng.choice(SCENARIOS)]
        else:
            scenarios = []
        for scenario in scenarios:
            made = _break(
                scenario, plan, mem, people, held, disciplines, ranks, minimum, rng, since,
                everyone, new_disciplines, unit_posts,
            )  # fmt: skip
            plan.broken = plan.broken or made

    Discipline.objects.bulk_create(new_disciplines, batch_size=BATCH)

    posts = {p.code: p for p in Post.objects.filter(code__in=list(ranks))}
    lists: list[PlanningList] = []
    for i, plan in enumerate(plans):
        if plan.broken:
            state = PlanningState.SUBMITTED if rng.random() < 0.3 else PlanningState.DRAFT
        else:
            state = PlanningState.APPROVED if rng.random() < 0.6 else PlanningState.DRAFT
        approved = state == PlanningState.APPROVED
        lists.append(
            PlanningList(
                unit_id=plan.unit_id,
                term=term,
                state=state,
                decision_number=f"{100 + i}-QĐ/TU" if approved else "",
                decision_date=date(2025, 12, 20) if approved else None,
            )
        )
    PlanningList.objects.bulk_create(lists, batch_size=BATCH)

    entries: list[PlanningEntry] = []
    for plan, pl in zip(plans, lists, strict=True):
        approved = pl.state == PlanningState.APPROVED
        for e in plan.entries:
            removed = e.get("removed")
            entries.append(
                PlanningEntry(
                    planning_list=pl,
                    cadre_id=e["cadre"],
                    post=posts[e["post"]],
                    since=e["since"],
                    decision_number=pl.decision_number if approved else "",
                    decision_date=pl.decision_date if approved else None,
                    readiness_notes=e.get("readiness_notes", ""),
                    removed_at=removed,
                    removed_reason=RemovalReason.POOR_HEALTH if removed else "",
                    removed_note="Sức khỏe không bảo đảm đảm nhiệm chức danh." if removed else "",
                )
            )
    PlanningEntry.objects.bulk_create(entries, batch_size=BATCH)
    counts = {
        "planning_lists": len(lists),
        "planning_entries": len(entries),
        "planning_disciplines": len(new_disciplines),
    }
    if ctx is not None and hasattr(ctx, "count"):
        for name, value in counts.items():
            ctx.count(name, value)
    return counts


def seed_step(ctx) -> None:
    """The "planning" step of `congress.demo.STEPS`."""
    seed_planning(ctx)


def _break(
    scenario: str,
    plan: _Plan,
    mem: list[int],
    people: dict[int, _Person],
    held: dict[tuple[int, int], list[str]],
    disciplines: dict[int, date],
    ranks: dict[str, int],
    minimum: int,
    rng: random.Random,
    since,
    everyone: list[int],
    new_disciplines: list,
    unit_posts: list[str],
) -> bool:
    """Add the entries of one broken case to `plan`; False when the unit has nobody fit."""
    from personnel.models import Discipline

    unit_id = plan.unit_id

    def rank_in(c: int) -> int:
        return max((ranks[p] for p in held.get((unit_id, c), ())), default=0)

    if scenario == "too_many":
        post = "deputy_secretary"
        below = [c for c in mem if rank_in(c) < ranks[post] and not plan.has(c, post)]
        already = sum(1 for e in plan.entries if e["post"] == post)
        need = 4 - already
        if len(below) < need:
            return False
        for c in rng.sample(below, need):
            plan.add(c, post, since())
        return True
    if scenario == "too_many_posts":
        lowest = [c for c in mem if rank_in(c) <= ranks["member"]]
        if not lowest:
            return False
        c = rng.choice(lowest)
        for post in EXTRA_POSTS:
            plan.add(c, post, since())
        return True
    if scenario == "not_higher":
        plain = [c for c in mem if "member" in held.get((unit_id, c), ())]
        if not plain:
            return False
        plan.add(rng.choice(plain), "member", since())
        return True
    if scenario == "age":
        old = [c for c in mem if people[c].months < minimum]
        if not old:
            return False
        # The one closest to the minimum: a few months short of a full term.
        c = max(old, key=lambda c: (people[c].months, -c))
        post = next((p for p in EXTRA_POSTS if ranks[p] > rank_in(c)), None)
        if post is None:
            return False
        plan.add(c, post, since())
        return True
    if scenario == "disciplined":
        fit = [c for c in mem if people[c].months >= minimum and rank_in(c) < ranks["secretary"]]
        if not fit:
            return False
        c = rng.choice(fit)
        post = next(p for p in EXTRA_POSTS if ranks[p] > rank_in(c))
        decided = disciplines.get(c)
        if decided is None:
            decided = date(2025, 10, 15)
            disciplines[c] = decided
            new_disciplines.append(
                Discipline(
                    cadre_id=c,
                    decided_on=decided,
                    level="reprimand",
                    reason="Vi phạm quy chế làm việc (dữ liệu minh họa rà soát quy hoạch).",
                    decision=f"{rng.randint(10, 999)}-QĐ/UBKT",
                )
            )
        plan.add(c, post, decided - timedelta(days=120))
        return True
    if scenario == "appointed":
        holders = [(c, p) for c in mem for p in held.get((unit_id, c), ()) if p in unit_posts]
        if not holders:
            return False
        c, post = rng.choice(holders)
        plan.add(c, post, since())
        return True
    if scenario == "moved_away":
        # Someone whose unit is outside the planning unit's subtree; a few draws find one
        # without scanning every cadre for every unit.
        c = next(
            (
                c
                for c in (rng.choice(everyone) for _ in range(64))
                if not people[c].unit_path.startswith(plan.unit_path)
            ),
            None,
        )
        if c is None:
            return False
        post = rng.choice(unit_posts or list(EXTRA_POSTS))
        plan.add(c, post, since())
        # An earlier entry of the same list, taken out for health: the history shows it.
        for other in plan.entries:
            if other["cadre"] != c and "removed" not in other:
                other["removed"] = min(date(2026, 1, 15), date.today())
                break
        return True
    raise ValueError(scenario)


READINESS = (
    "Có thể đảm nhận ngay.",
    "Cần luân chuyển, rèn luyện thêm ở cơ sở.",
    "Cần bồi dưỡng lý luận chính trị cao cấp.",
    "Sẵn sàng sau 2 năm.",
    "Cần đào tạo thêm về quản lý nhà nước.",
)
