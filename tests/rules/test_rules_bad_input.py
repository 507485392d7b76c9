"""Every bad-input case of SLATE_FORMAT.md: SlateInputError, and exit 2 with nothing on stdout."""

from __future__ import annotations

import copy
import io
import json
from collections.abc import Callable
from typing import Any

import pytest

from congress.rules.cli import main
from congress.rules.slate import SlateInputError, evaluate_dict, parse_slate


def valid() -> dict[str, Any]:
    return {
        "ruleset": "CT45-2025",
        "rules": {"young_min_percent": 10},
        "reference_date": "2025-07-01",
        "body": {"level": "commune", "kind": "executive", "seats": 1, "unit": "X01",
                 "term": "2025-2030", "formed_from": 2},
        "incumbents": ["P01"],
        "candidates": [
            {
                "id": "P01", "name": "Nguyễn Văn An", "sex": "male", "birth_date": "1970-05-14",
                "ethnicity": "Kinh", "is_local": False, "extended_retirement": False,
                "proposed_posts": ["secretary"], "vetting": "eligible",
                "has_achievement_last_3y": True,
                "tenures": [{"post": "secretary", "unit": "X01", "start": "2015-07-01",
                             "end": None}],
                "relatives": [{"id": "P03", "relation": "spouse"},
                              {"name": "Trần Thị B", "relation": "sibling",
                               "posts": ["sector:police"]}],
            },
            {"id": "P03", "name": "Lê Thị C", "sex": "female", "birth_date": "1985-01-01"},
        ],
    }  # fmt: skip


def c0(d: dict) -> dict:
    return d["candidates"][0]


def setter(path: list, value: Any) -> Callable[[dict], None]:
    def apply(d: dict) -> None:
        target = d
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return apply


def deleter(path: list) -> Callable[[dict], None]:
    def apply(d: dict) -> None:
        target = d
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return apply


CAND = ["candidates", 0]
TEN = [*CAND, "tenures", 0]
REL = [*CAND, "relatives", 1]

BAD_CASES: dict[str, Callable[[dict], None]] = {
    # ruleset and rules
    "missing ruleset": deleter(["ruleset"]),
    "unknown ruleset": setter(["ruleset"], "CT99-2099"),
    "ruleset not a string": setter(["ruleset"], 45),
    "rules not an object": setter(["rules"], [1]),
    "unknown rules name": setter(["rules"], {"young_min": 10}),
    "rules value a string": setter(["rules"], {"young_min_percent": "10"}),
    "rules value a bool": setter(["rules"], {"young_min_percent": True}),
    # reference date
    "reference date bad format": setter(["reference_date"], "2025-7-1"),
    "reference date compact": setter(["reference_date"], "20250701"),
    "reference date not existing": setter(["reference_date"], "2025-02-29"),
    "reference date with time": setter(["reference_date"], "2025-07-01T00:00:00"),
    "reference date a number": setter(["reference_date"], 20250701),
    "reference date unicode digits": setter(["reference_date"], "２０２５-07-01"),
    "no reference date where the rule set has none": lambda d: (
        d.pop("reference_date"),
        d["body"].update(level="central"),
    ),
    # body
    "missing body": deleter(["body"]),
    "body not an object": setter(["body"], "commune"),
    "missing level": deleter(["body", "level"]),
    "unknown level": setter(["body", "level"], "village"),
    "missing kind": deleter(["body", "kind"]),
    "unknown kind": setter(["body", "kind"], "committee"),
    "missing seats": deleter(["body", "seats"]),
    "seats zero": setter(["body", "seats"], 0),
    "seats negative": setter(["body", "seats"], -3),
    "seats a string": setter(["body", "seats"], "9"),
    "seats a float": setter(["body", "seats"], 9.0),
    "seats a bool": setter(["body", "seats"], True),
    "formed_from a string": setter(["body", "formed_from"], "2"),
    "formed_from a bool": setter(["body", "formed_from"], True),
    "formed_from zero": setter(["body", "formed_from"], 0),
    "unit a number": setter(["body", "unit"], 7),
    # incumbents and candidates
    "incumbents not a list": setter(["incumbents"], "P01"),
    "incumbent not a string": setter(["incumbents"], [1]),
    "missing candidates": deleter(["candidates"]),
    "no candidates": setter(["candidates"], []),
    "candidates not a list": setter(["candidates"], {"P01": {}}),
    "candidate not an object": setter(["candidates", 1], "P03"),
    "repeated candidate id": setter(["candidates", 1, "id"], "P01"),
    # candidate fields
    "missing id": deleter([*CAND, "id"]),
    "id a number": setter([*CAND, "id"], 1),
    "id empty": setter([*CAND, "id"], ""),
    "name a number": setter([*CAND, "name"], 5),
    "missing sex": deleter([*CAND, "sex"]),
    "unknown sex": setter([*CAND, "sex"], "M"),
    "missing birth date": deleter([*CAND, "birth_date"]),
    "birth date not existing": setter([*CAND, "birth_date"], "1990-02-30"),
    "birth date slashes": setter([*CAND, "birth_date"], "1990/01/01"),
    "birth date a number": setter([*CAND, "birth_date"], 1990),
    "birth date month 13": setter([*CAND, "birth_date"], "1990-13-01"),
    "birth after reference date": setter([*CAND, "birth_date"], "2025-07-02"),
    "ethnicity a number": setter([*CAND, "ethnicity"], 1),
    "is_local a string": setter([*CAND, "is_local"], "yes"),
    "is_local an int": setter([*CAND, "is_local"], 1),
    "extended_retirement an int": setter([*CAND, "extended_retirement"], 0),
    "has_achievement an int": setter([*CAND, "has_achievement_last_3y"], 1),
    "unknown vetting": setter([*CAND, "vetting"], "ok"),
    "vetting a bool": setter([*CAND, "vetting"], True),
    "proposed_posts not a list": setter([*CAND, "proposed_posts"], "secretary"),
    "unknown post": setter([*CAND, "proposed_posts"], ["mayor"]),
    "unknown sector": setter([*CAND, "proposed_posts"], ["sector:education"]),
    "post not a string": setter([*CAND, "proposed_posts"], [1]),
    # tenures
    "tenures not a list": setter([*CAND, "tenures"], {"post": "secretary"}),
    "tenure not an object": setter([*CAND, "tenures"], ["secretary"]),
    "tenure missing post": deleter([*TEN, "post"]),
    "tenure unknown post": setter([*TEN, "post"], "chief"),
    "tenure missing unit": deleter([*TEN, "unit"]),
    "tenure unit a number": setter([*TEN, "unit"], 1),
    "tenure missing start": deleter([*TEN, "start"]),
    "tenure bad start": setter([*TEN, "start"], "2015-06-31"),
    "tenure bad end": setter([*TEN, "end"], "2020-1-1"),
    "tenure ending before it starts": setter([*TEN, "end"], "2015-06-30"),
    # relatives
    "relatives not a list": setter([*CAND, "relatives"], "P03"),
    "relative not an object": setter([*CAND, "relatives"], ["P03"]),
    "relative missing relation": deleter([*REL, "relation"]),
    "unknown relation": setter([*REL, "relation"], "cousin"),
    "relation a number": setter([*REL, "relation"], 3),
    "relative unknown post": setter([*REL, "posts"], ["sector:sports"]),
    "relative posts not a list": setter([*REL, "posts"], "sector:police"),
    "relative id a number": setter([*REL, "id"], 3),
    # whole document
    "document a list": lambda d: None,  # replaced below
}


def build(name: str) -> Any:
    if name == "document a list":
        return [valid()]
    data = valid()
    BAD_CASES[name](data)
    return data


def test_valid_document_is_valid() -> None:
    out = evaluate_dict(valid())
    assert out["candidate_count"] == 2


@pytest.mark.parametrize("name", sorted(BAD_CASES))
def test_bad_input_raises(name: str) -> None:
    data = build(name)
    before = copy.deepcopy(data)
    with pytest.raises(SlateInputError) as info:
        parse_slate(data)
    message = str(info.value)
    assert message.strip()
    assert data == before


@pytest.mark.parametrize("name", sorted(BAD_CASES))
def test_bad_input_cli_exit_2_empty_stdout(name: str) -> None:
    stdin = io.StringIO(json.dumps(build(name), ensure_ascii=False))
    out, err = io.StringIO(), io.StringIO()
    assert main(["-"], stdin, out, err) == 2
    assert out.getvalue() == ""
    assert err.getvalue().strip()


def test_messages_name_candidate_and_field() -> None:
    data = valid()
    data["candidates"][1]["birth_date"] = "1990-02-30"
    with pytest.raises(SlateInputError) as info:
        parse_slate(data)
    msg = str(info.value)
    assert "Ứng viên P03" in msg and "ngày sinh" in msg and "'1990-02-30'" in msg
    assert "YYYY-MM-DD" in msg

    data = valid()
    data["candidates"][0]["relatives"][0]["relation"] = "cousin"
    with pytest.raises(SlateInputError, match="P01.*cousin"):
        parse_slate(data)

    data = valid()
    data["candidates"][1]["id"] = "P01"
    with pytest.raises(SlateInputError, match="P01"):
        parse_slate(data)

    data = valid()
    data["ruleset"] = "CT99"
    with pytest.raises(SlateInputError, match="CT99"):
        parse_slate(data)


def test_defaults_accept_minimal_input() -> None:
    data = {
        "ruleset": "CT45-2025",
        "body": {"level": "grassroots", "kind": "executive", "seats": 1},
        "candidates": [
            {"id": "A", "sex": "female", "birth_date": "1990-01-01"},
            {"id": "B", "sex": "male", "birth_date": "1991-01-01"},
        ],
    }
    out = evaluate_dict(data)
    assert out["ratios"]["renewal"]["count"] == 2
    codes = sorted(f["code"] for f in out["findings"])
    assert codes == [
        "AGE_TIER",  # both under 40: no one in the middle tier
        "NO_ACHIEVEMENT",
        "NO_ACHIEVEMENT",
        "VETTING_MISSING",
        "VETTING_MISSING",
    ]


def test_malformed_json_exit_2() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main(["-"], io.StringIO('{"ruleset": "CT45-2025",'), out, err) == 2
    assert out.getvalue() == "" and "JSON" in err.getvalue()


def test_nan_in_json_refused() -> None:
    data = json.dumps(valid()).replace('"young_min_percent": 10', '"young_min_percent": NaN')
    out, err = io.StringIO(), io.StringIO()
    assert main(["-"], io.StringIO(data), out, err) == 2
    assert out.getvalue() == ""
