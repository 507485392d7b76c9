"""Slate evaluation: every finding code with its edges, ratios, rounding, overrides."""

from __future__ import annotations

import copy
import dataclasses
from collections import Counter
from datetime import date, timedelta
from typing import Any

import pytest

from congress.rules.rulesets import PRESETS
from congress.rules.slate import SEVERITY, SlateInputError, evaluate_dict, parse_slate

REF = "2025-07-01"  # CT45-2025 reference date of a commune body


def person(pid: str, **kw: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": pid,
        "name": f"Nguyễn Văn {pid}",
        "sex": "male",
        "birth_date": "1980-03-15",
        "ethnicity": "Kinh",
        "is_local": False,
        "proposed_posts": ["member"],
        "vetting": "eligible",
        "has_achievement_last_3y": True,
        "tenures": [],
        "relatives": [],
    }
    base.update(kw)
    return base


def crowd(n: int, start: int = 1, **kw: Any) -> list[dict[str, Any]]:
    return [person(f"Q{i:02d}", **kw) for i in range(start, start + n)]


def slate(
    candidates: list[dict[str, Any]],
    *,
    level: str = "commune",
    kind: str = "executive",
    seats: int | None = None,
    ruleset: str = "CT45-2025",
    **kw: Any,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "level": level,
        "kind": kind,
        "seats": seats if seats is not None else max(1, len(candidates) - 1),
        "unit": "X01",
        "term": "2025-2030",
    }
    body.update(kw.pop("body", {}))
    data = {"ruleset": ruleset, "body": body, "incumbents": [], "candidates": candidates}
    data.update(kw)
    return data


def findings(out: dict, code: str) -> list[dict]:
    return [f for f in out["findings"] if f["code"] == code]


def codes(out: dict) -> Counter:
    return Counter(f["code"] for f in out["findings"])


def people_of(out: dict, code: str) -> list[list[str]]:
    return sorted(f["people"] for f in findings(out, code))


# --------------------------------------------------------------------------------------------------
# Output shape


def test_output_shape_and_people_order() -> None:
    cands = [person("P02"), person("P01", sex="female"), person("P03")]
    out = evaluate_dict(slate(cands, level="grassroots", incumbents=["P01"]))
    assert list(out) == [
        "ruleset",
        "reference_date",
        "seats",
        "candidate_count",
        "surplus",
        "ratios",
        "people",
        "findings",
    ]
    assert out["ruleset"] == "CT45-2025"
    assert out["reference_date"] == "2025-04-01"
    assert [p["id"] for p in out["people"]] == ["P02", "P01", "P03"]
    assert list(out["people"][0]) == [
        "id",
        "age",
        "retirement_date",
        "months_left",
        "status",
        "age_ok",
    ]
    assert out["people"][1]["status"] == "tai_cu"
    assert out["people"][0]["status"] == "lan_dau"
    assert set(out["ratios"]) == {
        "female",
        "young",
        "ethnic_minority",
        "renewal",
        "age_tier_low",
        "age_tier_mid",
        "age_tier_high",
    }
    for ratio in out["ratios"].values():
        assert list(ratio) == ["count", "percent", "target", "ok"]


@pytest.mark.parametrize(
    "level,kind,expected",
    [
        ("grassroots", "executive", "2025-04-01"),
        ("cell", "executive", "2025-04-01"),
        ("district", "standing", "2025-06-01"),
        ("commune", "executive", "2025-07-01"),
        ("province", "executive", "2025-09-01"),
        ("province", "people_council", "2026-03-01"),
        ("commune", "people_council", "2026-03-01"),
    ],
)
def test_default_reference_dates(level: str, kind: str, expected: str) -> None:
    cands = [person("P01"), person("P02")]
    out = evaluate_dict(slate(cands, level=level, kind=kind, seats=1))
    assert out["reference_date"] == expected


def test_reference_date_given_is_used() -> None:
    out = evaluate_dict(slate([person("P01"), person("P02")], reference_date="2024-12-31"))
    assert out["reference_date"] == "2024-12-31"


def test_ct35_needs_reference_date() -> None:
    data = slate([person("P01"), person("P02")], ruleset="CT35-2019")
    with pytest.raises(SlateInputError):
        parse_slate(data)
    data["reference_date"] = "2020-06-01"
    assert evaluate_dict(data)["ruleset"] == "CT35-2019"


def test_central_has_no_reference_date_under_ct45() -> None:
    with pytest.raises(SlateInputError):
        parse_slate(slate([person("P01"), person("P02")], level="central"))


# --------------------------------------------------------------------------------------------------
# Age findings


def test_past_retirement_at_exactly_zero_months_replaces_age_findings() -> None:
    # Men born 4/1964 retire at 61y3m: 1964-04-01 -> 2025-07-01 = the reference date.
    cands = [person("P01", birth_date="1964-04-01"), person("P02", birth_date="1964-04-01")]
    out = evaluate_dict(slate(cands, incumbents=["P02"], seats=1))
    assert out["people"][0]["months_left"] == 0
    assert people_of(out, "PAST_RETIREMENT") == [["P01"], ["P02"]]
    assert not findings(out, "AGE_FIRST_TIME") and not findings(out, "AGE_REELECTION")
    assert [p["age_ok"] for p in out["people"]] == [False, False]
    assert "Nguyễn Văn P01" in findings(out, "PAST_RETIREMENT")[0]["message"]


def test_one_month_left_is_not_past_retirement() -> None:
    cands = [person("P01", birth_date="1964-05-01"), person("P02")]
    out = evaluate_dict(slate(cands, seats=1))
    assert out["people"][0]["months_left"] == 1
    assert not findings(out, "PAST_RETIREMENT")
    assert people_of(out, "AGE_FIRST_TIME") == [["P01"]]


def test_age_first_time_edge_60_months() -> None:
    # Men born 7/1968 retire at 62: 1968-07-01 -> 2030-07-01, exactly 60 months after 2025-07-01.
    cands = [person("P01", birth_date="1968-07-01"), person("P02", birth_date="1968-06-30")]
    out = evaluate_dict(slate(cands, seats=1))
    assert [p["months_left"] for p in out["people"]] == [60, 59]
    assert people_of(out, "AGE_FIRST_TIME") == [["P02"]]
    assert [p["age_ok"] for p in out["people"]] == [True, False]
    f = findings(out, "AGE_FIRST_TIME")[0]
    assert f["severity"] == "error"
    assert "Chỉ thị 45-CT/TW" in f["message"] and "59" in f["message"]


def test_age_reelection_edge_48_months() -> None:
    cands = [person("P01", birth_date="1967-07-01"), person("P02", birth_date="1967-06-01")]
    out = evaluate_dict(slate(cands, seats=1, incumbents=["P01", "P02"]))
    assert [p["months_left"] for p in out["people"]] == [48, 47]
    assert people_of(out, "AGE_REELECTION") == [["P02"]]
    assert not findings(out, "AGE_FIRST_TIME")


def test_age_reelection_ct35_uses_30_months() -> None:
    # Reference 2020-06-01; men born 1962-12 retire at 60y9m -> 2023-09 (39 months).
    cands = [person("P01", birth_date="1961-01-01"), person("P02", birth_date="1962-12-01")]
    data = slate(cands, seats=1, ruleset="CT35-2019", reference_date="2020-06-01")
    data["incumbents"] = ["P01", "P02"]
    out = evaluate_dict(data)
    # P01: 60y3m -> 2021-04-01 = 10 months left.
    assert [p["months_left"] for p in out["people"]] == [10, 39]
    assert people_of(out, "AGE_REELECTION") == [["P01"]]


@pytest.mark.parametrize("post", ["deputy_secretary", "standing_deputy_secretary"])
def test_province_deputy_secretary_reelection_42_months(post: str) -> None:
    # Reference 2025-09-01 (province). 1967-03-01 -> 2029-03-01: 42 months; 1967-02-01: 41.
    cands = [
        person("P01", birth_date="1967-03-01", proposed_posts=[post]),
        person("P02", birth_date="1967-02-01", proposed_posts=[post]),
        person("P03", birth_date="1967-03-01", proposed_posts=["standing_member"]),
    ]
    out = evaluate_dict(slate(cands, level="province", seats=2, incumbents=["P01", "P02", "P03"]))
    assert [p["months_left"] for p in out["people"]] == [42, 41, 42]
    assert people_of(out, "AGE_REELECTION") == [["P02"], ["P03"]]
    msg = findings(out, "AGE_REELECTION")[0]["message"]
    assert "42" in msg or "48" in msg


def test_deputy_secretary_42_months_only_at_province() -> None:
    cands = [person("P01", birth_date="1966-11-01", proposed_posts=["deputy_secretary"])]
    cands.append(person("P02"))
    # Commune (ref 2025-07-01): 1966-11-01 -> 2028-11-01 = 40 months; below 48.
    out = evaluate_dict(slate(cands, seats=1, incumbents=["P01"]))
    assert people_of(out, "AGE_REELECTION") == [["P01"]]


def test_province_deputy_secretary_first_time_uses_first_time_minimum() -> None:
    cands = [person("P01", birth_date="1967-03-01", proposed_posts=["deputy_secretary"])]
    cands.append(person("P02"))
    out = evaluate_dict(slate(cands, level="province", seats=1))
    assert people_of(out, "AGE_FIRST_TIME") == [["P01"]]


def test_ct35_has_no_province_deputy_secretary_minimum() -> None:
    assert PRESETS["CT35-2019"].params["reelection_min_months_province_deputy_secretary"] is None
    cands = [person("P01", birth_date="1962-12-01", proposed_posts=["deputy_secretary"])]
    cands.append(person("P02"))
    data = slate(cands, level="province", seats=1, ruleset="CT35-2019")
    data.update(reference_date="2020-06-01", incumbents=["P01"])
    out = evaluate_dict(data)
    assert not findings(out, "AGE_REELECTION")  # 39 months >= 30


def test_extended_retirement_woman() -> None:
    # A woman born 1970-01-10: 57y4m -> 2027-05-10 (22 months); extended: 62 -> 2032-01-10.
    cands = [
        person("P01", sex="female", birth_date="1970-01-10"),
        person("P02", sex="female", birth_date="1970-01-10", extended_retirement=True),
    ]
    out = evaluate_dict(slate(cands, seats=1))
    assert [p["retirement_date"] for p in out["people"]] == ["2027-05-10", "2032-01-10"]
    assert people_of(out, "AGE_FIRST_TIME") == [["P01"]]


def test_age_29_february_and_clamped_retirement() -> None:
    cands = [person("P01", birth_date="1992-02-29"), person("P02")]
    out = evaluate_dict(slate(cands, seats=1, reference_date="2026-02-28"))
    assert out["people"][0]["age"] == 33
    assert out["people"][0]["retirement_date"] == "2054-02-28"
    out = evaluate_dict(slate(cands, seats=1, reference_date="2026-03-01"))
    assert out["people"][0]["age"] == 34


def test_birth_on_reference_date_is_accepted() -> None:
    cands = [person("P01", birth_date=REF), person("P02")]
    out = evaluate_dict(slate(cands, seats=1))
    assert out["people"][0]["age"] == 0


# --------------------------------------------------------------------------------------------------
# TERM_LIMIT


def term_slate(tenures: list[dict], post: str = "secretary", **kw: Any) -> dict:
    cands = [person("P01", proposed_posts=[post], tenures=tenures), person("P02")]
    return slate(cands, seats=1, **kw)


def tenure(start: str, end: str | None, post: str = "secretary", unit: str = "X01") -> dict:
    return {"post": post, "unit": unit, "start": start, "end": end}


@pytest.mark.parametrize(
    "start,expected", [("2017-07-01", 1), ("2017-06-30", 1), ("2017-07-02", 0)]
)
def test_term_limit_started_exactly_8_years_before(start: str, expected: int) -> None:
    out = evaluate_dict(term_slate([tenure(start, None)]))
    assert len(findings(out, "TERM_LIMIT")) == expected
    if expected:
        f = findings(out, "TERM_LIMIT")[0]
        assert f["people"] == ["P01"] and f["severity"] == "error"
        assert "Quy định 114-QĐ/TW" in f["message"] and "Bí thư" in f["message"]


@pytest.mark.parametrize("gap_days,expected", [(0, 1), (1, 1), (31, 1), (32, 0)])
def test_term_limit_chain_merge_31_vs_32_days(gap_days: int, expected: int) -> None:
    first_end = date(2020, 1, 1)
    second_start = first_end + timedelta(days=gap_days)
    tenures = [
        tenure("2015-01-01", first_end.isoformat()),
        tenure(second_start.isoformat(), None),
    ]
    out = evaluate_dict(term_slate(tenures))
    assert len(findings(out, "TERM_LIMIT")) == expected


def test_term_limit_chain_merge_order_insensitive_and_three_links() -> None:
    tenures = [
        tenure("2021-01-10", None),
        tenure("2013-01-01", "2016-01-01"),
        tenure("2016-01-20", "2021-01-01"),
    ]
    out = evaluate_dict(term_slate(tenures))
    assert len(findings(out, "TERM_LIMIT")) == 1


def test_term_limit_overlapping_tenures_merge() -> None:
    tenures = [tenure("2014-01-01", "2020-01-01"), tenure("2019-06-01", "2025-06-01")]
    assert len(findings(evaluate_dict(term_slate(tenures)), "TERM_LIMIT")) == 1


@pytest.mark.parametrize("days_ago,expected", [(0, 1), (364, 1), (365, 1), (366, 0)])
def test_term_limit_ended_365_vs_366_days_ago(days_ago: int, expected: int) -> None:
    end = date(2025, 7, 1) - timedelta(days=days_ago)
    out = evaluate_dict(term_slate([tenure("2010-01-01", end.isoformat())]))
    assert len(findings(out, "TERM_LIMIT")) == expected


def test_term_limit_end_after_reference_is_current() -> None:
    out = evaluate_dict(term_slate([tenure("2010-01-01", "2026-01-01")]))
    assert len(findings(out, "TERM_LIMIT")) == 1


def test_term_limit_only_same_unit_and_post() -> None:
    other_unit = [tenure("2010-01-01", None, unit="X02")]
    assert not findings(evaluate_dict(term_slate(other_unit)), "TERM_LIMIT")
    deputy = [tenure("2010-01-01", None, post="deputy_secretary")]
    assert not findings(evaluate_dict(term_slate(deputy)), "TERM_LIMIT")
    # Not proposed for a head post: no term limit even with a long tenure as secretary.
    long = [tenure("2010-01-01", None)]
    assert not findings(evaluate_dict(term_slate(long, post="deputy_secretary")), "TERM_LIMIT")
    # No unit on the body: nothing to compare with.
    data = term_slate(long)
    data["body"]["unit"] = None
    assert not findings(evaluate_dict(data), "TERM_LIMIT")


@pytest.mark.parametrize(
    "post",
    [
        "people_council_chair",
        "people_committee_chair",
        "inspection_chair",
        "organization_head",
        "fatherland_front_chair",
        "sector:police",
        "sector:procuracy",
    ],
)
def test_term_limit_other_head_posts(post: str) -> None:
    out = evaluate_dict(term_slate([tenure("2012-01-01", None, post=post)], post=post))
    assert len(findings(out, "TERM_LIMIT")) == 1


def test_term_limit_one_finding_per_head_post() -> None:
    tenures = [
        tenure("2012-01-01", None),
        tenure("2012-01-01", None, post="people_council_chair"),
    ]
    cands = [
        person(
            "P01",
            proposed_posts=["secretary", "people_council_chair", "secretary"],
            tenures=tenures,
        ),
        person("P02"),
    ]
    out = evaluate_dict(slate(cands, seats=1))
    assert len(findings(out, "TERM_LIMIT")) == 2


def test_term_limit_years_override() -> None:
    data = term_slate([tenure("2015-06-20", None)])
    data["rules"] = {"term_limit_years": 10}
    assert len(findings(evaluate_dict(data), "TERM_LIMIT")) == 1
    data["candidates"][0]["tenures"] = [tenure("2015-07-02", None)]
    assert not findings(evaluate_dict(data), "TERM_LIMIT")


# --------------------------------------------------------------------------------------------------
# FAMILY_CONFLICT


def rel(pid: str | None = None, relation: str = "sibling", **kw: Any) -> dict:
    r: dict[str, Any] = {"relation": relation}
    if pid is not None:
        r["id"] = pid
    r.update(kw)
    return r


def family_out(a_posts: list[str], b_posts: list[str], kind: str = "executive", **kw: Any) -> dict:
    cands = [
        person("P01", proposed_posts=a_posts, relatives=[rel("P02", "spouse")]),
        person("P02", proposed_posts=b_posts),
        person("P03"),
    ]
    return evaluate_dict(slate(cands, kind=kind, seats=2, **kw))


@pytest.mark.parametrize(
    "a,b,expected",
    [
        (["secretary"], ["deputy_secretary"], 1),
        (["secretary"], ["standing_deputy_secretary"], 1),
        (["people_committee_chair"], ["people_committee_vice_chair"], 1),
        (["people_council_chair"], ["people_council_vice_chair"], 1),
        (["standing_member"], ["standing_member"], 1),
        (["secretary"], ["sector:police"], 1),
        (["sector:tax"], ["people_committee_chair"], 1),
        (["member"], ["member"], 0),
        (["standing_member"], ["member"], 0),
        (["people_committee_vice_chair"], ["people_council_vice_chair"], 0),
        (["deputy_secretary"], ["sector:police"], 0),
        (["sector:police"], ["sector:tax"], 0),
    ],
)
def test_family_conflict_rules(a: list[str], b: list[str], expected: int) -> None:
    out = family_out(a, b)
    assert len(findings(out, "FAMILY_CONFLICT")) == expected
    if expected:
        f = findings(out, "FAMILY_CONFLICT")[0]
        assert f["people"] == ["P01", "P02"] and f["severity"] == "error"
        assert "Quy định 114-QĐ/TW" in f["message"]


def test_family_conflict_standing_body_members() -> None:
    assert (
        len(findings(family_out(["member"], ["member"], kind="standing"), "FAMILY_CONFLICT")) == 1
    )


def test_family_relation_on_both_sides_counted_once() -> None:
    cands = [
        person("P02", proposed_posts=["deputy_secretary"], relatives=[rel("P01", "sibling")]),
        person("P01", proposed_posts=["secretary"], relatives=[rel("P02", "sibling")]),
        person("P03"),
    ]
    out = evaluate_dict(slate(cands, seats=2))
    assert people_of(out, "FAMILY_CONFLICT") == [["P01", "P02"]]


def test_family_outside_relative() -> None:
    cands = [
        person(
            "P01",
            proposed_posts=["secretary"],
            relatives=[
                rel(name="Trần Thị B", relation="spouse", posts=["sector:police"]),
                rel(name="Trần Văn C", relation="sibling", posts=["member"]),
                rel("X99", relation="child", posts=["standing_member"]),
                rel(name="Trần Văn D", relation="parent"),
            ],
        ),
        person("P02", proposed_posts=["people_committee_chair"], relatives=[rel(
            name="Lê Văn E", relation="child_in_law", posts=["sector:court"])]),
        person("P03"),
    ]  # fmt: skip
    out = evaluate_dict(slate(cands, seats=2))
    # P01: police chief spouse (rule c) and a child in the standing committee (rule a);
    # P02: court president son-in-law (rule c).
    assert people_of(out, "FAMILY_CONFLICT") == [["P01"], ["P01"], ["P02"]]
    messages = " ".join(f["message"] for f in findings(out, "FAMILY_CONFLICT"))
    assert "Trần Thị B" in messages and "Lê Văn E" in messages


def test_family_same_outside_person_listed_twice_counted_once() -> None:
    r = rel("X01", relation="spouse", posts=["sector:police"])
    cands = [person("P01", proposed_posts=["secretary"], relatives=[r, dict(r)]), person("P02")]
    out = evaluate_dict(slate(cands, seats=1))
    assert people_of(out, "FAMILY_CONFLICT") == [["P01"]]


def test_family_relations_not_counted_by_ruleset() -> None:
    rs = dataclasses.replace(PRESETS["CT45-2025"], code="TEST", family_relations=("spouse",))
    cands = [
        person("P01", proposed_posts=["secretary"], relatives=[rel("P02", "sibling")]),
        person("P02", proposed_posts=["deputy_secretary"]),
        person("P03", proposed_posts=["deputy_secretary"], relatives=[rel("P01", "spouse")]),
    ]
    out = evaluate_dict(slate(cands, seats=2, ruleset="TEST"), {"TEST": rs})
    assert people_of(out, "FAMILY_CONFLICT") == [["P01", "P03"]]


# --------------------------------------------------------------------------------------------------
# Vetting, local secretary, achievements


@pytest.mark.parametrize(
    "vetting,code",
    [
        ("pending", "VETTING_MISSING"),
        ("none", "VETTING_MISSING"),
        (None, "VETTING_MISSING"),
        ("ineligible", "VETTING_INELIGIBLE"),
        ("eligible", None),
    ],
)
def test_vetting(vetting: str | None, code: str | None) -> None:
    p1 = person("P01", vetting=vetting)
    if vetting is None:
        del p1["vetting"]
    out = evaluate_dict(slate([p1, person("P02")], seats=1))
    got = [f for f in out["findings"] if f["code"].startswith("VETTING")]
    if code is None:
        assert got == []
    else:
        assert [(f["code"], f["severity"], f["people"]) for f in got] == [(code, "error", ["P01"])]
        assert "Quy định 58-QĐ/TW" in got[0]["message"]


@pytest.mark.parametrize(
    "level,severity",
    [
        ("province", "error"),
        ("central", "error"),
        ("district", "warning"),
        ("commune", "warning"),
        ("grassroots", "warning"),
        ("cell", "warning"),
    ],
)
def test_local_secretary(level: str, severity: str) -> None:
    cands = [
        person("P01", proposed_posts=["secretary"], is_local=True),
        person("P02", proposed_posts=["deputy_secretary"], is_local=True),
        person("P03", proposed_posts=["secretary"], is_local=False),
    ]
    out = evaluate_dict(slate(cands, level=level, seats=2, reference_date="2025-07-01"))
    got = findings(out, "LOCAL_SECRETARY")
    assert [(f["severity"], f["people"]) for f in got] == [(severity, ["P01"])]


@pytest.mark.parametrize("kind", ["standing", "people_council"])
def test_local_secretary_every_kind(kind: str) -> None:
    cands = [person("P01", proposed_posts=["secretary"], is_local=True), person("P02")]
    out = evaluate_dict(slate(cands, kind=kind, seats=1))
    assert people_of(out, "LOCAL_SECRETARY") == [["P01"]]


def test_no_achievement() -> None:
    p3 = person("P03")
    del p3["has_achievement_last_3y"]
    cands = [person("P01", has_achievement_last_3y=False), person("P02"), p3]
    out = evaluate_dict(slate(cands, seats=2))
    assert people_of(out, "NO_ACHIEVEMENT") == [["P01"], ["P03"]]
    assert {f["severity"] for f in findings(out, "NO_ACHIEVEMENT")} == {"warning"}


# --------------------------------------------------------------------------------------------------
# Surplus


def surplus_out(seats: int, n: int, kind: str = "executive", level: str = "grassroots") -> dict:
    return evaluate_dict(slate(crowd(n), seats=seats, kind=kind, level=level))


SURPLUS_CODES = {"SURPLUS_NONE", "SURPLUS_HIGH", "SURPLUS_OUT_OF_RANGE", "SURPLUS_LOW"}


def surplus_codes(out: dict) -> list[tuple[str, str]]:
    return [(f["code"], f["severity"]) for f in out["findings"] if f["code"] in SURPLUS_CODES]


@pytest.mark.parametrize(
    "seats,n,expected",
    [
        (20, 20, [("SURPLUS_NONE", "error")]),
        (20, 18, [("SURPLUS_NONE", "error")]),
        (20, 21, [("SURPLUS_OUT_OF_RANGE", "warning")]),  # 5 %
        (20, 22, []),  # 10 %
        (20, 23, []),  # 15 %
        (20, 24, [("SURPLUS_OUT_OF_RANGE", "warning")]),  # 20 %
        (20, 26, [("SURPLUS_OUT_OF_RANGE", "warning")]),  # 30 %: not above 30
        (20, 27, [("SURPLUS_HIGH", "error")]),  # 35 %
        (6, 7, [("SURPLUS_OUT_OF_RANGE", "warning")]),  # 16.7 %, 6 seats > 5
        (5, 6, []),  # small body: 1 extra allowed, no 10-15 % check
        (5, 7, [("SURPLUS_HIGH", "error")]),
        (3, 4, []),  # 33 % but a small body
        (3, 5, [("SURPLUS_HIGH", "error")]),
        (1, 2, []),
        (1, 3, [("SURPLUS_HIGH", "error")]),
        (1, 1, [("SURPLUS_NONE", "error")]),
    ],
)
def test_surplus_executive(seats: int, n: int, expected: list) -> None:
    assert surplus_codes(surplus_out(seats, n)) == expected


@pytest.mark.parametrize(
    "seats,n,expected",
    [
        (20, 21, []),  # standing: no 10-15 % warning
        (20, 27, [("SURPLUS_HIGH", "error")]),
        (9, 10, []),
        (5, 7, [("SURPLUS_HIGH", "error")]),
        (9, 9, [("SURPLUS_NONE", "error")]),
    ],
)
def test_surplus_standing(seats: int, n: int, expected: list) -> None:
    out = surplus_out(seats, n, kind="standing", level="grassroots")
    assert surplus_codes(out) == expected


@pytest.mark.parametrize(
    "seats,n,expected",
    [
        (1, 1, [("SURPLUS_NONE", "error")]),
        (1, 2, []),
        (2, 3, []),
        (3, 4, [("SURPLUS_LOW", "error")]),
        (3, 5, []),
        (4, 6, [("SURPLUS_LOW", "error")]),
        (4, 7, []),
        (5, 7, [("SURPLUS_LOW", "error")]),
        (5, 8, []),
        (5, 20, []),  # no upper bound in the People's Council table
    ],
)
def test_surplus_people_council(seats: int, n: int, expected: list) -> None:
    out = surplus_out(seats, n, kind="people_council", level="commune")
    assert surplus_codes(out) == expected


def test_surplus_output_and_rounding() -> None:
    out = surplus_out(9, 10)
    assert out["surplus"] == {"count": 1, "percent": 11.1}
    out = surplus_out(6, 7)
    assert out["surplus"] == {"count": 1, "percent": 16.7}
    out = surplus_out(20, 18)
    assert out["surplus"] == {"count": -2, "percent": -10.0}
    out = surplus_out(40, 41)  # 2.5 %
    assert out["surplus"]["percent"] == 2.5
    out = surplus_out(80, 81)  # 1.25 % -> 1.3 (half up)
    assert out["surplus"]["percent"] == 1.3


def test_surplus_overrides() -> None:
    data = slate(crowd(21), seats=20, level="grassroots")
    data["rules"] = {"surplus_prepared_min_percent": 5}
    assert surplus_codes(evaluate_dict(data)) == []
    data["rules"] = {"surplus_max_percent": 4}
    assert surplus_codes(evaluate_dict(data)) == [("SURPLUS_HIGH", "error")]


# --------------------------------------------------------------------------------------------------
# Seats


@pytest.mark.parametrize(
    "level,kind,formed_from,seats,bad",
    [
        ("commune", "executive", 1, 27, False),
        ("commune", "executive", 2, 28, True),
        ("commune", "executive", 3, 33, False),
        ("commune", "executive", 3, 34, True),
        ("commune", "standing", 2, 9, False),
        ("commune", "standing", 1, 10, True),
        ("commune", "standing", 4, 11, False),
        ("commune", "standing", 3, 12, True),
        ("province", "people_council", 1, 5, False),
        ("grassroots", "people_council", 1, 6, True),
        ("commune", "people_council", 1, 1, False),
        ("grassroots", "executive", 1, 60, False),
        ("province", "executive", 1, 80, False),
    ],
)
def test_seats_range(level: str, kind: str, formed_from: int, seats: int, bad: bool) -> None:
    data = slate(crowd(seats + 1), level=level, kind=kind, seats=seats)
    data["body"]["formed_from"] = formed_from
    out = evaluate_dict(data)
    got = findings(out, "SEATS_RANGE")
    assert len(got) == (1 if bad else 0)
    if bad:
        assert got[0]["people"] == [] and got[0]["severity"] == "error"


def test_seats_range_ct35_only_people_council() -> None:
    data = slate(crowd(41), seats=40, ruleset="CT35-2019", reference_date="2020-06-01")
    assert not findings(evaluate_dict(data), "SEATS_RANGE")
    data = slate(
        crowd(8), seats=6, kind="people_council", ruleset="CT35-2019", reference_date="2021-03-01"
    )
    assert len(findings(evaluate_dict(data), "SEATS_RANGE")) == 1


def test_seats_range_from_rules() -> None:
    data = slate(crowd(17), seats=16, level="grassroots", rules={"seats_max": 15})
    assert len(findings(evaluate_dict(data), "SEATS_RANGE")) == 1
    data = slate(crowd(5), seats=4, level="grassroots", rules={"seats_min": 5})
    assert len(findings(evaluate_dict(data), "SEATS_RANGE")) == 1
    data = slate(crowd(29), seats=28, rules={"seats_max": 30})  # overrides the commune 27
    assert not findings(evaluate_dict(data), "SEATS_RANGE")


# --------------------------------------------------------------------------------------------------
# Ratios


def ages_slate(ages: list[int], **kw: Any) -> dict:
    # Reference 2025-07-01: someone born 2025-07-01 minus N years (same day) is N.
    cands = [person(f"P{i:02d}", birth_date=f"{2025 - a}-07-01") for i, a in enumerate(ages)]
    return slate(cands, seats=max(1, len(ages) - 1), level="grassroots", reference_date=REF, **kw)


def test_young_and_age_tiers_bounds() -> None:
    out = evaluate_dict(ages_slate([39, 40, 50, 51, 30, 45, 45, 45, 45, 60]))
    r = out["ratios"]
    assert r["young"] == {"count": 2, "percent": 20.0, "target": ">= 10", "ok": True}
    assert r["age_tier_low"]["count"] == 2
    assert r["age_tier_mid"] == {"count": 6, "percent": 60.0, "target": "40-50", "ok": False}
    assert r["age_tier_high"] == {"count": 2, "percent": 20.0, "target": None, "ok": True}
    assert [f["people"] for f in findings(out, "AGE_TIER")] == [[]]
    assert not findings(out, "YOUNG_RATIO")


def test_age_tier_low_missed_and_mid_boundaries() -> None:
    out = evaluate_dict(ages_slate([40, 40, 40, 40, 40, 55, 55, 55, 55, 55]))
    assert out["ratios"]["age_tier_mid"]["ok"] is True  # exactly 50 %
    assert out["ratios"]["age_tier_low"]["ok"] is False
    assert len(findings(out, "AGE_TIER")) == 1
    out = evaluate_dict(ages_slate([30, 40, 40, 40, 40, 55, 55, 55, 55, 55]))
    assert out["ratios"]["age_tier_mid"]["ok"] is True  # exactly 40 %
    assert not findings(out, "AGE_TIER")
    out = evaluate_dict(ages_slate([30, 40, 40, 40, 55, 55, 55, 55, 55, 55]))
    assert out["ratios"]["age_tier_mid"]["ok"] is False  # 30 %
    assert len(findings(out, "AGE_TIER")) == 1


def test_young_ratio_missed() -> None:
    out = evaluate_dict(ages_slate([40] * 10))
    assert out["ratios"]["young"]["ok"] is False
    assert [f["severity"] for f in findings(out, "YOUNG_RATIO")] == ["warning"]


def test_tier_bounds_overridden() -> None:
    data = ages_slate([41, 41, 45, 52, 53, 60, 60, 60, 60, 60])
    data["rules"] = {"tier_low_below": 42, "tier_high_above": 52, "young_age_below": 42}
    r = evaluate_dict(data)["ratios"]
    assert (r["age_tier_low"]["count"], r["age_tier_mid"]["count"]) == (2, 2)
    assert r["young"]["count"] == 2


def test_female_ratio_exact_fraction() -> None:
    def run(n_female: int, n: int, **kw: Any) -> dict:
        cands = crowd(n_female, sex="female") + crowd(n - n_female, start=n_female + 1)
        return evaluate_dict(slate(cands, level="grassroots", seats=n - 1, **kw))

    out = run(3, 20)  # exactly 15 %
    assert out["ratios"]["female"] == {"count": 3, "percent": 15.0, "target": ">= 15", "ok": True}
    assert not findings(out, "FEMALE_RATIO")
    out = run(2, 20)
    assert out["ratios"]["female"]["ok"] is False
    assert [f["people"] for f in findings(out, "FEMALE_RATIO")] == [[]]
    # 1/6 = 16.666…: rounds to 16.7 but misses a 16.7 % target.
    out = run(1, 6, rules={"female_min_percent": 16.7})
    assert out["ratios"]["female"]["percent"] == 16.7
    assert out["ratios"]["female"]["target"] == ">= 16.7"
    assert out["ratios"]["female"]["ok"] is False
    # Half-up rounding: 1/16 = 6.25 % -> 6.3.
    out = run(1, 16)
    assert out["ratios"]["female"]["percent"] == 6.3


def test_renewal_ratio() -> None:
    cands = crowd(10)
    data = slate(cands, level="grassroots", seats=9)
    data["incumbents"] = [c["id"] for c in cands[:7]] + ["NOT-A-CANDIDATE"]
    out = evaluate_dict(data)
    assert out["ratios"]["renewal"] == {"count": 3, "percent": 30.0, "target": ">= 33", "ok": False}
    assert len(findings(out, "RENEWAL_RATIO")) == 1
    data["incumbents"] = [c["id"] for c in cands[:6]]
    assert not findings(evaluate_dict(data), "RENEWAL_RATIO")


def test_ethnic_ratio() -> None:
    cands = crowd(10)
    cands[0]["ethnicity"] = "Tày"
    cands[1]["ethnicity"] = "  kinh "
    cands[2]["ethnicity"] = "KINH"
    del cands[3]["ethnicity"]
    data = slate(cands, level="grassroots", seats=9)
    out = evaluate_dict(data)
    assert out["ratios"]["ethnic_minority"] == {
        "count": 1,
        "percent": 10.0,
        "target": None,
        "ok": True,
    }
    assert not findings(out, "ETHNIC_RATIO")
    data["rules"] = {"ethnic_min_percent": 20}
    out = evaluate_dict(data)
    assert out["ratios"]["ethnic_minority"]["target"] == ">= 20"
    assert out["ratios"]["ethnic_minority"]["ok"] is False
    assert [(f["severity"], f["people"]) for f in findings(out, "ETHNIC_RATIO")] == [
        ("warning", [])
    ]


def test_target_null_by_override_disables_check() -> None:
    data = slate(crowd(10), level="grassroots", seats=9, rules={"female_min_percent": None})
    out = evaluate_dict(data)
    assert out["ratios"]["female"] == {"count": 0, "percent": 0.0, "target": None, "ok": True}
    assert not findings(out, "FEMALE_RATIO")


@pytest.mark.parametrize("ruleset,ref", [("CT45-2025", None), ("CT35-2019", "2020-06-01")])
def test_no_female_in_standing(ruleset: str, ref: str | None) -> None:
    kw = {"reference_date": ref} if ref else {}
    out = evaluate_dict(slate(crowd(5), kind="standing", seats=4, ruleset=ruleset, **kw))
    assert [(f["severity"], f["people"]) for f in findings(out, "NO_FEMALE_IN_STANDING")] == [
        ("warning", [])
    ]
    out = evaluate_dict(slate(crowd(5), kind="executive", seats=4, ruleset=ruleset, **kw))
    assert not findings(out, "NO_FEMALE_IN_STANDING")
    cands = crowd(4) + [person("W01", sex="female")]
    out = evaluate_dict(slate(cands, kind="standing", seats=4, ruleset=ruleset, **kw))
    assert not findings(out, "NO_FEMALE_IN_STANDING")


# --------------------------------------------------------------------------------------------------
# Rule overrides and custom rule sets


def test_rules_override_changes_target_and_findings() -> None:
    out = evaluate_dict(
        slate(crowd(10), level="grassroots", seats=9, rules={"young_min_percent": 25})
    )
    assert out["ratios"]["young"]["target"] == ">= 25"


def test_rules_override_first_time_minimum() -> None:
    cands = [person("P01", birth_date="1968-07-01"), person("P02")]
    assert not findings(evaluate_dict(slate(cands, seats=1)), "AGE_FIRST_TIME")
    data = slate(cands, seats=1, rules={"first_time_min_months": 61})
    assert people_of(evaluate_dict(data), "AGE_FIRST_TIME") == [["P01"]]


def test_unknown_rules_name_rejected() -> None:
    with pytest.raises(SlateInputError, match="no_such_rule"):
        parse_slate(slate(crowd(2), rules={"no_such_rule": 1}))


@pytest.mark.parametrize("value", ["10", True, [10], {"a": 1}])
def test_rules_value_of_wrong_type_rejected(value: Any) -> None:
    with pytest.raises(SlateInputError):
        parse_slate(slate(crowd(2), rules={"young_min_percent": value}))


def test_custom_ruleset_through_rulesets_param() -> None:
    rs = dataclasses.replace(
        PRESETS["CT45-2025"],
        code="CT-2030",
        params={**PRESETS["CT45-2025"].params, "first_time_min_months": 120},
    )
    cands = [person("P01", birth_date="1970-01-01"), person("P02")]
    data = slate(cands, seats=1, ruleset="CT-2030")
    out = evaluate_dict(data, {"CT-2030": rs})
    assert out["ruleset"] == "CT-2030"
    assert people_of(out, "AGE_FIRST_TIME") == [["P01"]]
    with pytest.raises(SlateInputError):
        parse_slate(data)  # not a preset


def test_severity_table_covers_every_code() -> None:
    assert set(SEVERITY) == {
        "PAST_RETIREMENT",
        "AGE_FIRST_TIME",
        "AGE_REELECTION",
        "TERM_LIMIT",
        "FAMILY_CONFLICT",
        "VETTING_MISSING",
        "VETTING_INELIGIBLE",
        "LOCAL_SECRETARY",
        "SURPLUS_NONE",
        "SURPLUS_HIGH",
        "SURPLUS_OUT_OF_RANGE",
        "SURPLUS_LOW",
        "SEATS_RANGE",
        "FEMALE_RATIO",
        "YOUNG_RATIO",
        "RENEWAL_RATIO",
        "AGE_TIER",
        "ETHNIC_RATIO",
        "NO_FEMALE_IN_STANDING",
        "NO_ACHIEVEMENT",
    }


def test_input_not_mutated() -> None:
    data = slate([person("P01", relatives=[rel("P02")]), person("P02")], seats=1)
    before = copy.deepcopy(data)
    evaluate_dict(data)
    assert data == before


def test_evaluation_is_deterministic_and_repeatable() -> None:
    data = slate([person("P01", relatives=[rel("P02")]), person("P02")], seats=1)
    assert evaluate_dict(data) == evaluate_dict(data)
