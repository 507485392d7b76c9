"""Rule sets: presets, parameters and sources, overrides, JSON round trip."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from congress.rules.rulesets import (
    PRESETS,
    PUBLIC_PARAM_NAMES,
    InvalidParameterError,
    RuleSet,
    RuleSetError,
    UnknownParameterError,
    ruleset_from_dict,
    ruleset_to_dict,
    with_overrides,
)
from congress.rules.slate import evaluate_dict


def test_presets() -> None:
    assert set(PRESETS) == {"CT35-2019", "CT45-2025"}
    for code, rs in PRESETS.items():
        assert isinstance(rs, RuleSet) and rs.code == code


@pytest.mark.parametrize("code", sorted(PRESETS))
def test_every_public_parameter_present_with_source(code: str) -> None:
    rs = PRESETS[code]
    for name in PUBLIC_PARAM_NAMES:
        assert name in rs.params, name
    for name in rs.params:
        assert rs.param_sources.get(name, "").strip(), f"no source for {name}"


def test_preset_values() -> None:
    ct45, ct35 = PRESETS["CT45-2025"].params, PRESETS["CT35-2019"].params
    assert (ct45["first_time_min_months"], ct45["reelection_min_months"]) == (60, 48)
    assert ct45["reelection_min_months_province_deputy_secretary"] == 42
    assert (ct35["first_time_min_months"], ct35["reelection_min_months"]) == (60, 30)
    assert ct35["reelection_min_months_province_deputy_secretary"] is None
    for p in (ct45, ct35):
        assert p["ethnic_min_percent"] is None
        assert p["term_limit_years"] == 8
        assert (p["surplus_prepared_min_percent"], p["surplus_prepared_max_percent"]) == (10, 15)
        assert p["surplus_max_percent"] == 30
        assert (p["plan_max_per_post"], p["plan_max_posts_per_person"]) == (3, 3)


def test_reference_dates() -> None:
    ct45 = PRESETS["CT45-2025"].reference_dates
    assert ct45["grassroots"] == ct45["cell"] == date(2025, 4, 1)
    assert ct45["district"] == date(2025, 6, 1)
    assert ct45["commune"] == date(2025, 7, 1)
    assert ct45["province"] == date(2025, 9, 1)
    assert ct45["people_council"] == date(2026, 3, 1)
    assert ct45["central"] is None
    assert all(v is None for v in PRESETS["CT35-2019"].reference_dates.values())


@pytest.mark.parametrize("code", sorted(PRESETS))
def test_json_round_trip(code: str) -> None:
    rs = PRESETS[code]
    d = ruleset_to_dict(rs)
    text = json.dumps(d, ensure_ascii=False)
    back = ruleset_from_dict(json.loads(text))
    assert back == rs
    assert ruleset_to_dict(back) == d


def test_stored_copy_can_be_edited_and_used() -> None:
    d = ruleset_to_dict(PRESETS["CT45-2025"])
    d["code"] = "CT-2030"
    d["params"]["reelection_min_months"] = 60
    d["reference_dates"]["commune"] = "2030-07-01"
    rs = ruleset_from_dict(d)
    data = {
        "ruleset": "CT-2030",
        "body": {"level": "commune", "kind": "executive", "seats": 1},
        "incumbents": ["A"],
        "candidates": [
            {"id": "A", "sex": "male", "birth_date": "1972-01-01"},
            {"id": "B", "sex": "male", "birth_date": "1980-01-01"},
        ],
    }
    out = evaluate_dict(data, {"CT-2030": rs})
    assert out["reference_date"] == "2030-07-01"
    # 1972 -> 62 -> 2034-01-01: 42 months left < 60.
    assert [f["people"] for f in out["findings"] if f["code"] == "AGE_REELECTION"] == [["A"]]


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d.pop("params"),
        lambda d: d["params"].pop("young_min_percent"),
        lambda d: d["params"].update(young_min_percent="10"),
        lambda d: d["reference_dates"].update(commune="2025-13-01"),
        lambda d: d.update(head_posts="secretary"),
        lambda d: d.update(head_deputy_pairs=[["secretary"]]),
    ],
)
def test_from_dict_rejects_malformed(mutate) -> None:
    d = ruleset_to_dict(PRESETS["CT45-2025"])
    mutate(d)
    with pytest.raises(RuleSetError):
        ruleset_from_dict(d)


def test_from_dict_rejects_non_dict() -> None:
    with pytest.raises(ValueError):
        ruleset_from_dict([])  # type: ignore[arg-type]


def test_with_overrides() -> None:
    rs = PRESETS["CT45-2025"]
    new = with_overrides(rs, {"young_min_percent": 12.5, "ethnic_min_percent": 5})
    assert new.params["young_min_percent"] == 12.5
    assert new.params["ethnic_min_percent"] == 5
    assert rs.params["young_min_percent"] == 10  # the original is untouched
    assert "ghi đè" in new.param_sources["young_min_percent"]
    assert with_overrides(rs, {}) is rs


def test_with_overrides_unknown_name() -> None:
    with pytest.raises(UnknownParameterError) as info:
        with_overrides(PRESETS["CT45-2025"], {"young_min": 3})
    assert isinstance(info.value, ValueError)
    assert "young_min" in str(info.value)


@pytest.mark.parametrize("value", ["3", True, [1], float("nan"), float("inf")])
def test_with_overrides_bad_value(value) -> None:
    with pytest.raises(InvalidParameterError):
        with_overrides(PRESETS["CT45-2025"], {"young_min_percent": value})


def test_no_regulation_number_literal_in_evaluation_code() -> None:
    """The evaluation modules take every regulation number from the rule set."""
    src = Path(__file__).resolve().parents[2] / "congress" / "rules"
    allowed = {"0", "0.0", "1", "2", "10", "12", "100", "1000", "2000", "256", "50000"}
    for name in ("slate.py", "planning.py"):
        code = (src / name).read_text(encoding="utf-8")
        # Drop strings and comments, then look for numeric literals.
        code = re.sub(r'"""[\s\S]*?"""', "", code)
        code = re.sub(r"#.*", "", code)
        code = re.sub(r"f?\"(?:[^\"\\\n]|\\.)*\"", '""', code)
        numbers = set(re.findall(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.])", code))
        assert numbers <= allowed, (name, numbers - allowed)
