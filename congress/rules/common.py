"""Helpers shared by the slate checks (``slate``, ``checks``) and the planning checks (``planning``).

- Exact percent arithmetic: a percent parameter becomes a fraction once (:func:`percent_fraction`), and a
  count is compared with it in integers (:func:`percent_at_least`, :func:`percent_at_most`), so a target of
  33.3 % never suffers a float rounding; :func:`percent` is the rounded figure a user reads.
- The ratio of the output documents: :func:`target_text` (``">= 15"``, ``"40-50"``) and :func:`ratio`;
  the young and the three age tiers of a group (:func:`age_structure`).
- The finding of the output documents: :class:`Finding` and :func:`finding`.
- How a message names a person (:func:`who`) and the source of a number (:func:`param_source`).

Standard library only, like the whole engine.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from fractions import Fraction
from typing import TYPE_CHECKING, Any, TypedDict

if TYPE_CHECKING:
    from .rulesets import RuleSet

__all__ = [
    "Finding",
    "Ratio",
    "age_structure",
    "finding",
    "param_source",
    "percent",
    "percent_at_least",
    "percent_at_most",
    "percent_fraction",
    "ratio",
    "target_number",
    "target_text",
    "who",
]

#: A percent parameter as an exact fraction (numerator, denominator).
PercentFraction = tuple[int, int]


class Finding(TypedDict):
    """One violation, as the output documents carry it (SLATE_FORMAT.md, "findings")."""

    code: str
    severity: str
    people: list[str]
    message: str


class Ratio(TypedDict):
    """One ratio of a structure, as the output documents carry it (SLATE_FORMAT.md, "ratios")."""

    count: int
    percent: float
    target: str | None
    ok: bool


def percent_fraction(value: Any) -> PercentFraction | None:
    """A percent parameter as an exact fraction (numerator, denominator), or None."""
    if value is None:
        return None
    f = Fraction(str(value)) if isinstance(value, float) else Fraction(value)
    return f.numerator, f.denominator


def target_number(value: Any) -> str:
    """A parameter value in a target string (``">= 15"``): integral floats without decimals."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def target_text(lo: Any, hi: Any) -> str | None:
    """The ``target`` of a ratio whose percent must be at least ``lo`` and at most ``hi`` (None: no bound)."""
    if lo is None and hi is None:
        return None
    if hi is None:
        return ">= " + target_number(lo)
    if lo is None:
        return "<= " + target_number(hi)
    return f"{target_number(lo)}-{target_number(hi)}"


def percent(count: int, n: int) -> float:
    """count / n × 100 rounded half-up (away from zero) to one decimal, in integer arithmetic."""
    if count >= 0:
        return ((2000 * count + n) // (2 * n)) / 10
    return -((2000 * -count + n) // (2 * n)) / 10


def percent_at_least(count: int, n: int, frac: PercentFraction) -> bool:
    """count / n × 100 >= frac (exact)."""
    return count * 100 * frac[1] >= frac[0] * n


def percent_at_most(count: int, n: int, frac: PercentFraction) -> bool:
    """count / n × 100 <= frac (exact)."""
    return count * 100 * frac[1] <= frac[0] * n


def ratio(
    count: int,
    n: int,
    lo: PercentFraction | None,
    hi: PercentFraction | None,
    target: str | None,
) -> Ratio:
    """``count`` of ``n`` against the bounds ``lo``..``hi`` (fractions; None: no bound).

    ``target`` is the text of the bounds (:func:`target_text`); ``ok`` compares the exact fraction, not
    the rounded percent. An empty group (``n == 0``) has percent 0.
    """
    ok = (lo is None or percent_at_least(count, n, lo)) and (
        hi is None or percent_at_most(count, n, hi)
    )
    return {"count": count, "percent": percent(count, n) if n else 0.0, "target": target, "ok": ok}


def age_structure(
    ages: list[int], young_below: Any, low_below: Any, high_above: Any
) -> tuple[int, int, int, int]:
    """How many of ``ages`` are young, and in each of the three age tiers: (young, low, mid, high).

    Young: age < ``young_below``. Tiers (cơ cấu 3 độ tuổi): low, age < ``low_below``; high, age >
    ``high_above`` (and not low); mid, the rest. Sorts ``ages`` in place.
    """
    ages.sort()
    n = len(ages)
    low = bisect_left(ages, low_below)
    high = n - max(low, bisect_right(ages, high_above))
    return bisect_left(ages, young_below), low, n - low - high, high


def finding(code: str, severity: str, people: list[str], message: str) -> Finding:
    """A finding; ``people`` names the persons concerned (sorted), empty for the whole slate or plan."""
    return {"code": code, "severity": severity, "people": people, "message": message}


def who(person_id: str, name: str) -> str:
    """A person as a message names them: ``Name (ID)``, or the id alone when the name is empty."""
    return f"{name} ({person_id})" if name else person_id


def param_source(rs: RuleSet, name: str | None, fallback: str | None = None) -> str:
    """Where parameter ``name`` of ``rs`` comes from; else ``fallback``; else the rule set's name."""
    return (name and rs.param_sources.get(name)) or fallback or rs.name
