"""Planning checks (RULES.md §9) and the yearly review."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from congress.rules.planning import (
    PlanEntry,
    PlanInputError,
    ReviewFacts,
    check_plan,
    plan_age,
    plan_not_higher,
    plan_person_too_many_posts,
    plan_structure,
    plan_too_many,
    review_proposals,
)
from congress.rules.rulesets import PRESETS, with_overrides

RS = PRESETS["CT45-2025"]
TERM_START = date(2026, 1, 1)


def entry(pid: str, planned: str = "secretary", current: str | None = "deputy_secretary",
          unit: str = "U1", level: str = "commune", sex: str = "male",
          birth: date = date(1980, 1, 1), ext: bool = False) -> PlanEntry:  # fmt: skip
    return PlanEntry(pid, f"Nguyễn Văn {pid}", sex, birth, ext, current, planned, unit, level)


def codes(findings: list[dict]) -> list[str]:
    return [f["code"] for f in findings]


def test_plan_too_many_edge() -> None:
    three = [entry(f"P{i}") for i in range(3)]
    assert plan_too_many(three, RS) == []
    four = [*three, entry("P3")]
    got = plan_too_many(four, RS)
    assert [(f["code"], f["severity"], f["people"]) for f in got] == [
        ("PLAN_TOO_MANY", "error", ["P0", "P1", "P2", "P3"])
    ]
    assert "Quy định 377-QĐ/TW" in got[0]["message"]


def test_plan_too_many_counts_people_per_unit_and_post() -> None:
    entries = [entry(f"P{i}") for i in range(3)] + [entry("P0")]  # P0 listed twice
    assert plan_too_many(entries, RS) == []
    entries = [entry(f"P{i}") for i in range(3)] + [entry("P9", unit="U2")]
    assert plan_too_many(entries, RS) == []
    entries = [entry(f"P{i}") for i in range(3)] + [entry("P9", planned="people_committee_chair")]
    assert plan_too_many(entries, RS) == []


def test_plan_too_many_override() -> None:
    rs = with_overrides(RS, {"plan_max_per_post": 2})
    assert codes(plan_too_many([entry(f"P{i}") for i in range(3)], rs)) == ["PLAN_TOO_MANY"]


def test_plan_person_too_many_posts_edge() -> None:
    posts = [
        "secretary",
        "people_committee_chair",
        "people_council_chair",
        "standing_deputy_secretary",
    ]
    three = [entry("P1", planned=p, current="member") for p in posts[:3]]
    assert plan_person_too_many_posts(three, RS) == []
    four = [entry("P1", planned=p, current="member") for p in posts]
    got = plan_person_too_many_posts(four, RS)
    assert [(f["code"], f["people"]) for f in got] == [("PLAN_PERSON_TOO_MANY_POSTS", ["P1"])]
    # The fourth post at another level does not count.
    mixed = [*three, entry("P1", planned="secretary", current="member", level="province")]
    assert plan_person_too_many_posts(mixed, RS) == []
    # The same post listed twice counts once.
    assert plan_person_too_many_posts([*three, three[0]], RS) == []


@pytest.mark.parametrize(
    "current,planned,bad",
    [
        ("member", "standing_member", False),
        (None, "member", False),
        ("deputy_secretary", "secretary", False),
        ("standing_deputy_secretary", "secretary", False),
        ("deputy_secretary", "standing_deputy_secretary", False),
        ("people_committee_vice_chair", "people_committee_chair", False),
        ("deputy_secretary", "deputy_secretary", True),
        ("secretary", "deputy_secretary", True),
        ("secretary", "secretary", True),
        ("people_committee_chair", "people_committee_vice_chair", True),
        ("standing_member", "member", True),
    ],
)
def test_plan_not_higher(current: str | None, planned: str, bad: bool) -> None:
    got = plan_not_higher([entry("P1", planned=planned, current=current)], RS)
    assert codes(got) == (["PLAN_NOT_HIGHER"] if bad else [])


def test_plan_not_higher_unknown_post() -> None:
    with pytest.raises(PlanInputError):
        plan_not_higher([entry("P1", planned="king")], RS)


def test_plan_age_edge_60_months() -> None:
    # Men born 1/1969 retire at 62: 2031-01-01, exactly 60 months after 2026-01-01.
    ok = entry("P1", birth=date(1969, 1, 1))
    short = entry("P2", birth=date(1968, 12, 31))
    got = plan_age([ok, short, short], TERM_START, RS)
    assert [(f["code"], f["severity"], f["people"]) for f in got] == [("PLAN_AGE", "error", ["P2"])]
    assert "59" in got[0]["message"]


def test_plan_age_women_and_extended() -> None:
    # A woman born 1975-06-01 retires at 60 (2035-06-01): 113 months left.
    assert plan_age([entry("W1", sex="female", birth=date(1975, 6, 1))], TERM_START, RS) == []
    # A woman born 1970-01-01 retires at 57y4m (2027-05-01): too late for a plan, unless extended.
    woman = entry("W2", sex="female", birth=date(1970, 1, 1))
    assert codes(plan_age([woman], TERM_START, RS)) == ["PLAN_AGE"]
    extended = dataclasses.replace(woman, extended_retirement=True)  # 62: 2032-01-01, 72 months
    assert plan_age([extended], TERM_START, RS) == []


def test_plan_age_parameter() -> None:
    rs = with_overrides(RS, {"plan_min_months": 120})
    assert codes(plan_age([entry("P1", birth=date(1969, 1, 1))], TERM_START, rs)) == ["PLAN_AGE"]


def test_check_plan_combines_all() -> None:
    entries = [entry(f"P{i}") for i in range(4)] + [
        entry("P9", planned="member", current="member", birth=date(1965, 1, 1))
    ]
    got = sorted(codes(check_plan(entries, TERM_START, RS)))
    assert got == ["PLAN_AGE", "PLAN_NOT_HIGHER", "PLAN_TOO_MANY"]
    for f in check_plan(entries, TERM_START, RS):
        assert list(f) == ["code", "severity", "people", "message"] and f["message"]


def test_plan_structure() -> None:
    entries = [
        entry("P1", sex="female", birth=date(1990, 1, 1)),  # 36
        entry("P1", planned="people_committee_chair", sex="female", birth=date(1990, 1, 1)),
        entry("P2", birth=date(1980, 1, 1)),  # 46
        entry("P3", birth=date(1970, 1, 2)),  # 55
        entry("P4", sex="female", birth=date(1986, 1, 2)),  # 39
    ]
    got = plan_structure(entries, TERM_START, RS)
    assert got["person_count"] == 4
    r = got["ratios"]
    assert r["female"] == {"count": 2, "percent": 50.0, "target": ">= 25", "ok": True}
    assert r["young"] == {"count": 2, "percent": 50.0, "target": ">= 15", "ok": True}
    assert r["age_tier_low"]["count"] == 2
    assert r["age_tier_mid"]["count"] == 1
    assert r["age_tier_high"] == {"count": 1, "percent": 25.0, "target": None, "ok": True}


def test_plan_structure_targets_missed() -> None:
    entries = [entry(f"P{i}", birth=date(1970, 1, 1)) for i in range(7)]
    r = plan_structure(entries, TERM_START, RS)["ratios"]
    assert r["female"]["ok"] is False and r["young"]["ok"] is False
    assert r["female"]["percent"] == 0.0


def test_plan_structure_empty() -> None:
    got = plan_structure([], TERM_START, RS)
    assert got["person_count"] == 0
    assert got["ratios"]["female"]["percent"] == 0.0


def test_review_proposals_each_reason() -> None:
    facts = [
        ReviewFacts("A", "Người A", appointed_to_post=True, months_left=100),
        ReviewFacts("B", "Người B", months_left=59),
        ReviewFacts("C", "Người C", months_left=60),
        ReviewFacts("D", "Người D", discipline_level="reprimand"),
        ReviewFacts("E", "Người E", discipline_level="expulsion", vetting="ineligible"),
        ReviewFacts("F", "Người F", vetting="pending"),
        ReviewFacts("G", "Người G", moved_away=True),
        ReviewFacts("H", "Người H", vetting="eligible"),
    ]
    got = review_proposals(facts, RS)
    assert [(p["person_id"], p["reason"]) for p in got] == [
        ("A", "used"),
        ("B", "over_age"),
        ("D", "disciplined"),
        ("E", "disciplined"),
        ("E", "ineligible"),
        ("G", "moved_away"),
    ]
    for p in got:
        assert p["message"].strip() and p["name"]
    assert "khiển trách" in got[2]["message"]


def test_review_discipline_threshold_parameter() -> None:
    rs = with_overrides(RS, {"plan_remove_discipline_from": 2})  # from "warning" up
    facts = [
        ReviewFacts("D", discipline_level="reprimand"),
        ReviewFacts("W", discipline_level="warning"),
    ]
    assert [p["person_id"] for p in review_proposals(facts, rs)] == ["W"]


def test_review_unknown_discipline_level() -> None:
    with pytest.raises(PlanInputError):
        review_proposals([ReviewFacts("X", discipline_level="scolded")], RS)
