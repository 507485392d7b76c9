"""The registry of slate rules (congress.rules.checks.RULES) against the contract's table of codes."""

from __future__ import annotations

import ast
import sys
from pathlib import Path
from typing import Any

import pytest

from congress.rules.checks import RULES, SEVERITY, FindingType, Rule
from congress.rules.checks.base import rule
from congress.rules.rulesets import PRESETS
from congress.rules.slate import SEVERITY as SLATE_SEVERITY
from congress.rules.slate import evaluate, parse_slate, slate_context

#: The "Finding codes" table of SLATE_FORMAT.md: code -> severity (LOCAL_SECRETARY: warning below
#: province; an error at the levels the rule set names).
CONTRACT_CODES = {
    "PAST_RETIREMENT": "error",
    "AGE_FIRST_TIME": "error",
    "AGE_REELECTION": "error",
    "TERM_LIMIT": "error",
    "FAMILY_CONFLICT": "error",
    "VETTING_MISSING": "error",
    "VETTING_INELIGIBLE": "error",
    "LOCAL_SECRETARY": "warning",
    "SURPLUS_NONE": "error",
    "SURPLUS_HIGH": "error",
    "SURPLUS_OUT_OF_RANGE": "warning",
    "SURPLUS_LOW": "error",
    "SEATS_RANGE": "error",
    "FEMALE_RATIO": "warning",
    "YOUNG_RATIO": "warning",
    "RENEWAL_RATIO": "warning",
    "AGE_TIER": "warning",
    "ETHNIC_RATIO": "warning",
    "NO_FEMALE_IN_STANDING": "warning",
    "NO_ACHIEVEMENT": "warning",
}

ENGINE = Path(__file__).resolve().parents[2] / "congress" / "rules"


def finding_types() -> list[tuple[Rule, FindingType]]:
    return [(r, t) for r in RULES for t in r.findings]


def test_every_rule_has_a_function_findings_and_a_docstring() -> None:
    names = [r.name for r in RULES]
    assert len(set(names)) == len(names)
    for r in RULES:
        assert callable(r.check), r.name
        assert r.check.__name__ == r.name
        assert r.findings, r.name
        assert r.doc, f"{r.name} says in its docstring what it checks"


def test_every_finding_type_has_a_severity_and_a_message() -> None:
    for r, t in finding_types():
        assert t.severity in ("error", "warning"), (r.name, t.code)
        assert t.message.strip(), (r.name, t.code)


def test_registry_covers_exactly_the_codes_of_the_contract_with_their_severity() -> None:
    assert {t.code: t.severity for _, t in finding_types()} == CONTRACT_CODES
    assert SEVERITY == CONTRACT_CODES
    assert SLATE_SEVERITY is SEVERITY


def test_each_code_belongs_to_one_rule() -> None:
    owner: dict[str, str] = {}
    for r in RULES:
        for code in r.codes:
            assert owner.setdefault(code, r.name) == r.name, code


@pytest.mark.parametrize("code", sorted(PRESETS))
def test_every_parameter_a_rule_declares_is_in_the_presets(code: str) -> None:
    params = PRESETS[code].params
    for r in RULES:
        for name in r.params:
            assert name in params, (r.name, name, code)


def test_finding_fills_the_template_as_str_format_would() -> None:
    for _, t in finding_types():
        fields: dict[str, Any] = {name: f"<{name}>" for name in t.fields}
        if "months_left" in fields:
            fields["months_left"] = 17  # numbers are written as str() writes them
        out = t.finding(["P01"], **fields)
        assert out == {
            "code": t.code,
            "severity": t.severity,
            "people": ["P01"],
            "message": t.message.format(**fields),
        }


def test_finding_severity_override_and_missing_field() -> None:
    t = FindingType("X_CODE", "warning", "{who} là {what}; 100% theo {who}.")
    assert t.fields == ("who", "what")
    assert t.finding([], "error", who="A", what="B")["severity"] == "error"
    assert t.finding([], who="A", what="B")["message"] == "A là B; 100% theo A."
    with pytest.raises(TypeError):
        t.finding([], who="A")
    with pytest.raises(TypeError):
        t.finding([], who="A", what="B", other="C")


@pytest.mark.parametrize("message", ["{who} {0}", "{who} {{literal}}", "{who.name}", "{who!r}"])
def test_a_template_field_must_be_a_plain_name(message: str) -> None:
    with pytest.raises(ValueError):
        FindingType("X_CODE", "error", message)


def test_rule_decorator_keeps_function_findings_and_params() -> None:
    t = FindingType("X_CODE", "warning", "{who}")

    @rule(t, params=("female_min_percent",))
    def sample(ctx: Any, out: list) -> None:
        """Sample."""

    assert (sample.name, sample.findings, sample.params, sample.doc) == (
        "sample",
        (t,),
        ("female_min_percent",),
        "Sample.",
    )
    assert sample.codes == ("X_CODE",)


def person(pid: str, **kw: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": pid,
        "name": f"Nguyễn Văn {pid}",
        "sex": "male",
        "birth_date": "1980-03-15",
        "proposed_posts": ["member"],
        "vetting": "eligible",
        "has_achievement_last_3y": True,
    }
    base.update(kw)
    return base


def busy_slate() -> dict[str, Any]:
    """A standing committee of a province that breaks most rules at once."""
    return {
        "ruleset": "CT45-2025",
        "body": {"level": "province", "kind": "standing", "seats": 3, "unit": "T01"},
        "incumbents": ["P02", "P03"],
        "candidates": [
            person("P01", birth_date="1960-01-01"),  # past retirement
            person("P02", birth_date="1966-09-01", proposed_posts=["deputy_secretary"]),
            person("P03", birth_date="1970-01-01"),
            person(
                "P04",
                birth_date="1966-06-01",
                is_local=True,
                proposed_posts=["secretary"],
                tenures=[{"post": "secretary", "unit": "T01", "start": "2010-01-01"}],
                relatives=[{"id": "P02", "relation": "spouse"}],
                vetting="pending",
                has_achievement_last_3y=False,
            ),
            person("P05", vetting="ineligible"),
        ],
    }


def test_findings_come_in_the_order_of_the_registry() -> None:
    out = evaluate(parse_slate(busy_slate()))
    order = {code: i for i, r in enumerate(RULES) for code in r.codes}
    positions = [order[f["code"]] for f in out["findings"]]
    assert positions == sorted(positions)
    assert len({f["code"] for f in out["findings"]}) >= 10


def test_a_rule_runs_alone_on_a_slate_context() -> None:
    ctx = slate_context(parse_slate(busy_slate()))
    by_name = {r.name: r for r in RULES}
    out: list = []
    by_name["reelection_age"].check(ctx, out)
    assert [(f["code"], f["people"]) for f in out] == [("AGE_REELECTION", ["P02"])]
    assert "Phó Bí thư cấp tỉnh" in out[0]["message"]
    out = []
    by_name["term_limit"].check(ctx, out)
    assert [(f["code"], f["people"]) for f in out] == [("TERM_LIMIT", ["P04"])]


def test_the_engine_imports_only_the_standard_library() -> None:
    for path in sorted(ENGINE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                roots = [(node.module or "").split(".")[0]]
            else:
                continue
            for root in roots:
                assert root in sys.stdlib_module_names or root == "__future__", (path, root)


def test_no_engine_module_imports_a_private_name_from_another() -> None:
    for path in sorted(ENGINE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level > 0:
                private = [a.name for a in node.names if a.name.startswith("_")]
                assert not private, (path, node.module, private)
