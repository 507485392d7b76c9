"""Planning (quy hoạch) checks, RULES.md §9 (Quy định 377-QĐ/TW, replacing Quy định 50-QĐ/TW).

Findings have the same shape as those of a slate: ``{code, severity, people, message}``, made by
:func:`congress.rules.common.finding`; the structure of a plan is counted like that of a slate
(:func:`~congress.rules.common.ratio`, :func:`~congress.rules.common.age_structure`). Every number comes
from the rule set (``plan_*`` parameters, ``post_ranks``, ``discipline_levels``). One function per check
(``plan_too_many``, ``plan_person_too_many_posts``, ``plan_not_higher``, ``plan_age``); :func:`check_plan`
runs them all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from .common import (
    Finding,
    Ratio,
    age_structure,
    finding,
    param_source,
    percent_fraction,
    ratio,
    target_text,
    who,
)
from .dates import age_at, months_left, retirement_date
from .labels import DISCIPLINE_LABELS, num, post_label, vn_date
from .rulesets import RuleSet

__all__ = [
    "PLAN_SEVERITY",
    "REVIEW_REASONS",
    "PlanEntry",
    "PlanInputError",
    "ReviewFacts",
    "check_plan",
    "plan_age",
    "plan_not_higher",
    "plan_person_too_many_posts",
    "plan_structure",
    "plan_too_many",
    "review_proposals",
]

PLAN_SEVERITY: dict[str, str] = {
    "PLAN_TOO_MANY": "error",
    "PLAN_PERSON_TOO_MANY_POSTS": "error",
    "PLAN_NOT_HIGHER": "error",
    "PLAN_AGE": "error",
}

#: Removal reason codes of the yearly review, in the order they are reported.
REVIEW_REASONS: tuple[str, ...] = ("used", "over_age", "disciplined", "ineligible", "moved_away")


class PlanInputError(ValueError):
    """Planning input is invalid (unknown post, sex, discipline level...)."""


@dataclass(frozen=True, slots=True)
class PlanEntry:
    """One person planned for one post of one unit (for the term starting at ``term_start``)."""

    person_id: str
    name: str
    sex: str
    birth_date: date
    extended_retirement: bool
    current_post: str | None
    planned_post: str
    unit: str
    level: str


@dataclass(frozen=True, slots=True)
class ReviewFacts:
    """Facts about a planned person at the yearly review."""

    person_id: str
    name: str = ""
    appointed_to_post: bool = False
    months_left: int | None = None
    discipline_level: str | None = None
    vetting: str | None = None
    moved_away: bool = False


def _finding(code: str, people: Iterable[str], message: str) -> Finding:
    return finding(code, PLAN_SEVERITY[code], sorted(set(people)), message)


def _src(rs: RuleSet, name: str) -> str:
    """Source of a planning parameter; the planning regulation when the parameter names none."""
    return param_source(rs, name, rs.references.get("planning"))


def _param(rs: RuleSet, name: str) -> Any:
    try:
        return rs.params[name]
    except KeyError:
        raise PlanInputError(f"Bộ quy tắc {rs.code} thiếu tham số '{name}'") from None


def _rank(rs: RuleSet, post: str | None) -> int:
    if post is None or post == "":
        return 0
    rank = rs.post_ranks.get(post)
    if rank is None:
        raise PlanInputError(f"Mã chức danh {post!r} không có trong bảng thứ bậc của {rs.code}")
    return rank


def plan_too_many(entries: Sequence[PlanEntry], ruleset: RuleSet) -> list[Finding]:
    """``PLAN_TOO_MANY``: more than ``plan_max_per_post`` people planned for one post of one unit."""
    limit = _param(ruleset, "plan_max_per_post")
    if limit is None:
        return []
    groups: dict[tuple[str, str, str], dict[str, str]] = {}
    for e in entries:
        groups.setdefault((e.level, e.unit, e.planned_post), {})[e.person_id] = e.name
    out = []
    for (_level, unit, post), people in groups.items():
        if len(people) > limit:
            names = ", ".join(who(pid, people[pid]) for pid in sorted(people))
            out.append(
                _finding(
                    "PLAN_TOO_MANY",
                    people,
                    f"Chức danh {post_label(post)} của đơn vị {unit} có {len(people)} người trong "
                    f"quy hoạch ({names}), vượt quá {num(limit)} người theo "
                    f"{_src(ruleset, 'plan_max_per_post')}.",
                )
            )
    return out


def plan_person_too_many_posts(entries: Sequence[PlanEntry], ruleset: RuleSet) -> list[Finding]:
    """``PLAN_PERSON_TOO_MANY_POSTS``: one person in more posts of one level than allowed."""
    limit = _param(ruleset, "plan_max_posts_per_person")
    if limit is None:
        return []
    groups: dict[tuple[str, str], set[tuple[str, str]]] = {}
    names: dict[str, str] = {}
    for e in entries:
        groups.setdefault((e.person_id, e.level), set()).add((e.unit, e.planned_post))
        names[e.person_id] = e.name
    out = []
    for (pid, _level), posts in groups.items():
        if len(posts) > limit:
            listed = ", ".join(f"{post_label(p)} ({u})" for u, p in sorted(posts))
            out.append(
                _finding(
                    "PLAN_PERSON_TOO_MANY_POSTS",
                    [pid],
                    f"{who(pid, names[pid])} được quy hoạch vào {len(posts)} chức danh cùng cấp "
                    f"({listed}), vượt quá {num(limit)} chức danh theo "
                    f"{_src(ruleset, 'plan_max_posts_per_person')}.",
                )
            )
    return out


def plan_not_higher(entries: Sequence[PlanEntry], ruleset: RuleSet) -> list[Finding]:
    """``PLAN_NOT_HIGHER``: the planned post is not higher than the post currently held."""
    out = []
    reference = ruleset.references.get("planning", ruleset.name)
    for e in entries:
        if _rank(ruleset, e.planned_post) <= _rank(ruleset, e.current_post):
            current = post_label(e.current_post) if e.current_post else "(không có)"
            out.append(
                _finding(
                    "PLAN_NOT_HIGHER",
                    [e.person_id],
                    f"{who(e.person_id, e.name)} đang giữ chức {current} nhưng được quy hoạch "
                    f"chức danh {post_label(e.planned_post)} (đơn vị {e.unit}) không cao hơn; chỉ "
                    f"quy hoạch vào chức danh cao hơn chức danh hiện giữ theo {reference}.",
                )
            )
    return out


def plan_age(entries: Sequence[PlanEntry], term_start: date, ruleset: RuleSet) -> list[Finding]:
    """``PLAN_AGE``: working time left at ``term_start`` below ``plan_min_months`` (one per person)."""
    minimum = _param(ruleset, "plan_min_months")
    if minimum is None:
        return []
    out = []
    seen: set[str] = set()
    for e in entries:
        if e.person_id in seen:
            continue
        seen.add(e.person_id)
        if e.sex not in ("male", "female"):
            raise PlanInputError(f"{who(e.person_id, e.name)}: giới tính {e.sex!r} không hợp lệ")
        ret = retirement_date(e.sex, e.birth_date, e.extended_retirement)
        left = months_left(term_start, ret)
        if left < minimum:
            out.append(
                _finding(
                    "PLAN_AGE",
                    [e.person_id],
                    f"{who(e.person_id, e.name)} chỉ còn {left} tháng công tác tính đến đầu nhiệm "
                    f"kỳ quy hoạch ({vn_date(term_start)}; nghỉ hưu {vn_date(ret)}), dưới mức "
                    f"{num(minimum)} tháng theo {_src(ruleset, 'plan_min_months')}.",
                )
            )
    return out


def check_plan(entries: Sequence[PlanEntry], term_start: date, ruleset: RuleSet) -> list[Finding]:
    """All planning checks."""
    return [
        *plan_too_many(entries, ruleset),
        *plan_person_too_many_posts(entries, ruleset),
        *plan_not_higher(entries, ruleset),
        *plan_age(entries, term_start, ruleset),
    ]


def _ratio(count: int, n: int, lo: Any, hi: Any) -> Ratio:
    return ratio(count, n, percent_fraction(lo), percent_fraction(hi), target_text(lo, hi))


def plan_structure(
    entries: Sequence[PlanEntry], term_start: date, ruleset: RuleSet
) -> dict[str, Any]:
    """Structure of a plan (distinct people; age at ``term_start``) against the planning targets.

    Returns ``{"person_count": n, "ratios": {female, young, age_tier_low, age_tier_mid,
    age_tier_high}}``, each ratio shaped like a slate ratio (count, percent, target, ok).
    """
    p = ruleset.params
    people: dict[str, PlanEntry] = {}
    for e in entries:
        people.setdefault(e.person_id, e)
    n = len(people)
    young_below = p["plan_young_age_below"]
    low_below, high_above = p["plan_tier_low_below"], p["plan_tier_high_above"]
    female = sum(1 for e in people.values() if e.sex == "female")
    ages = [age_at(e.birth_date, term_start) for e in people.values()]
    young, low, mid, high = age_structure(ages, young_below, low_below, high_above)
    return {
        "person_count": n,
        "ratios": {
            "female": _ratio(female, n, p.get("plan_female_min_percent"), None),
            "young": _ratio(young, n, p.get("plan_young_min_percent"), None),
            "age_tier_low": _ratio(low, n, p.get("plan_tier_low_min_percent"), None),
            "age_tier_mid": _ratio(
                mid, n, p.get("plan_tier_mid_min_percent"), p.get("plan_tier_mid_max_percent")
            ),
            "age_tier_high": _ratio(high, n, None, None),
        },
    }


def review_proposals(facts: Iterable[ReviewFacts], ruleset: RuleSet) -> list[dict[str, Any]]:
    """Yearly review: who to take out of the plan and why.

    Returns one dict per (person, reason): ``{person_id, name, reason, message}`` with ``reason`` among
    :data:`REVIEW_REASONS`.
    """
    minimum = _param(ruleset, "plan_min_months")
    levels = ruleset.discipline_levels
    threshold = _param(ruleset, "plan_remove_discipline_from")
    reference = ruleset.references.get("planning", ruleset.name)
    out: list[dict[str, Any]] = []

    def add(f: ReviewFacts, reason: str, message: str) -> None:
        out.append({"person_id": f.person_id, "name": f.name, "reason": reason, "message": message})

    for f in facts:
        person = who(f.person_id, f.name)
        if f.appointed_to_post:
            add(
                f,
                "used",
                f"{person} đã được bổ nhiệm vào chức danh quy hoạch (đã sử dụng quy hoạch).",
            )
        if f.months_left is not None and minimum is not None and f.months_left < minimum:
            add(
                f,
                "over_age",
                f"{person} chỉ còn {f.months_left} tháng công tác, không còn đủ tuổi quy hoạch "
                f"(tối thiểu {num(minimum)} tháng theo {_src(ruleset, 'plan_min_months')}).",
            )
        if f.discipline_level is not None:
            if f.discipline_level not in levels:
                raise PlanInputError(
                    f"{person}: mức kỷ luật {f.discipline_level!r} không hợp lệ "
                    f"(có: {', '.join(levels)})"
                )
            if threshold is not None and levels.index(f.discipline_level) + 1 >= threshold:
                add(
                    f,
                    "disciplined",
                    f"{person} bị kỷ luật "
                    f"{DISCIPLINE_LABELS.get(f.discipline_level, f.discipline_level)}; đưa ra khỏi "
                    f"quy hoạch cán bộ bị kỷ luật từ "
                    f"{DISCIPLINE_LABELS.get(levels[int(threshold) - 1], '')} trở lên theo "
                    f"{reference}.",
                )
        if f.vetting == "ineligible":
            add(
                f,
                "ineligible",
                f"{person} được kết luận không đạt tiêu chuẩn chính trị theo "
                f"{ruleset.references.get('vetting', ruleset.name)}.",
            )
        if f.moved_away:
            add(f, "moved_away", f"{person} đã chuyển công tác khỏi địa phương, đơn vị.")
    return out
