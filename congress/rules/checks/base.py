"""What a slate rule is made of: the findings it may emit, the rule itself, and what it reads.

- :class:`FindingType`: a finding code with its severity and its message (a template with ``{name}``
  fields, in Vietnamese, for the user); ``TYPE.finding(people, **fields)`` makes the finding.
- :class:`Rule` and the :func:`rule` decorator: a check function together with the finding types it emits
  and the rule-set parameters it reads.
- :class:`SlateContext`: the facts every rule reads about one slate, computed once per slate by
  :func:`congress.rules.slate.slate_context` (a rule never recomputes an age or a ratio).
- :func:`retirement_of`: a candidate's retirement date, cached across slates.

A check function has the signature ``check(ctx, out)`` and appends its findings to ``out`` in a fixed order
(candidates in input order), so the order of the output stays stable.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from ..common import Finding, Ratio
from ..dates import retirement_date

if TYPE_CHECKING:
    from ..rulesets import RuleSet
    from ..slate import Body, Candidate, CompiledRuleSet, Slate

__all__ = [
    "ERROR",
    "RETIREMENT_CACHE",
    "WARNING",
    "Check",
    "FindingType",
    "Rule",
    "SlateContext",
    "retirement_of",
    "rule",
]

ERROR = "error"
WARNING = "warning"


#: A field of a message template: ``{name}``.
_FIELD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _finding_maker(code: str, severity: str, message: str) -> Callable[..., Finding]:
    """``finding(people, severity=None, /, **fields)`` of a finding type, compiled once from its template.

    The template becomes the body of an f-string: ``str.format`` and ``%`` parse a long Vietnamese
    template at every call and take about three times as long, which shows in the slate benchmark
    (several findings per slate). The fields become keyword-only parameters, so a rule that omits a
    field or misspells one fails at once. Only ``{name}`` fields are allowed: the compiled code is the
    template and nothing else.
    """
    names = list(dict.fromkeys(_FIELD.findall(message)))
    rest = _FIELD.sub("", message)
    if "{" in rest or "}" in rest:
        raise ValueError(f"{code}: a message field is written {{name}}: {message!r}")
    fields = f", *, {', '.join(names)}" if names else ""
    source = (
        f"def finding(people, severity=None, /{fields}):\n"
        f"    return {{'code': {code!r}, 'severity': severity or {severity!r}, "
        f"'people': people, 'message': f{message!r}}}\n"
    )
    namespace: dict[str, Any] = {}
    exec(source, namespace)
    return namespace["finding"]


@dataclass(frozen=True, slots=True)
class FindingType:
    """A finding code, its severity and its message: a template whose fields are ``{name}``.

    ``TYPE.finding(people, severity=None, /, **fields)`` makes the finding about ``people`` (sorted ids;
    empty for the whole slate), its message filled in with ``fields`` (all of the template's fields and
    no other); ``severity`` overrides the usual one where a rule set makes it depend on the body
    (``LOCAL_SECRETARY``).
    """

    code: str
    severity: str
    message: str
    finding: Callable[..., Finding] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        maker = _finding_maker(self.code, self.severity, self.message)
        object.__setattr__(self, "finding", maker)

    @property
    def fields(self) -> tuple[str, ...]:
        """The names of the fields of the message, in order."""
        return tuple(dict.fromkeys(_FIELD.findall(self.message)))


@dataclass(slots=True)
class SlateContext:
    """The facts about one slate that the rules read (per-candidate lists are in input order)."""

    slate: Slate
    ruleset: RuleSet
    #: Constants of the rule set, precomputed once per rule set (post sets, exact fractions...).
    compiled: CompiledRuleSet
    #: The rule set's parameters, by name (``ruleset.params``).
    params: dict[str, Any]
    #: The regulations the messages cite, by topic (``ruleset.references``).
    references: dict[str, str]
    reference_date: date
    body: Body
    candidates: tuple[Candidate, ...]
    #: Ids of the members of the outgoing body: a candidate among them is re-elected (tái cử), the
    #: others stand for the first time (lần đầu).
    incumbents: frozenset[str]
    #: Working months left at the reference date (RULES.md §2), per candidate.
    months_left: list[int]
    #: Indices of the candidates whose months left are below the largest age minimum of the rule set
    #: (``CompiledRuleSet.age_watch_below``): the only ones an age rule can report.
    short_of_time: list[int]
    #: The seven ratios of the output (female, young, ethnic_minority, renewal, age tiers), by key.
    ratios: dict[str, Ratio]
    #: The ``people`` of the output, per candidate; an age rule sets ``age_ok`` false for whom it reports.
    people: list[dict[str, Any]]


#: A check function: reads the context, appends its findings.
Check = Callable[[SlateContext, list[Finding]], None]


@dataclass(frozen=True, slots=True)
class Rule:
    """A registered check: its function, the finding types it emits, the parameters it reads."""

    name: str
    check: Check
    findings: tuple[FindingType, ...]
    params: tuple[str, ...]
    doc: str

    @property
    def codes(self) -> tuple[str, ...]:
        """The finding codes of this rule, without repeats, in declaration order."""
        return tuple(dict.fromkeys(f.code for f in self.findings))


def rule(*findings: FindingType, params: tuple[str, ...] = ()) -> Callable[[Check], Rule]:
    """Make a check function a :class:`Rule` emitting ``findings`` and reading ``params``.

    The rule is not run until it is listed in :data:`congress.rules.checks.RULES`.
    """

    def wrap(check: Check) -> Rule:
        doc = (check.__doc__ or "").strip()
        return Rule(check.__name__, check, findings, params, doc)

    return wrap


#: Retirement date and its ISO form by (birth date, men's roadmap): slates share birth dates, and the
#: roadmap derivation is the costliest step of an evaluation. Cleared when it grows past 50,000.
RETIREMENT_CACHE: dict[tuple[date, bool], tuple[date, str]] = {}


def retirement_of(c: Candidate) -> tuple[date, str]:
    """The retirement date of a candidate and its ISO form (RULES.md §2), through :data:`RETIREMENT_CACHE`."""
    key = (c.birth_date, c.sex == "male" or c.extended_retirement)
    hit = RETIREMENT_CACHE.get(key)
    if hit is None:
        ret = retirement_date(c.sex, c.birth_date, c.extended_retirement)
        if len(RETIREMENT_CACHE) >= 50000:
            RETIREMENT_CACHE.clear()
        hit = RETIREMENT_CACHE[key] = (ret, ret.isoformat())
    return hit
