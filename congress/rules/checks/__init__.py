"""The rules a slate is checked against: one function per rule, all registered in :data:`RULES`.

Each rule is a function ``check(ctx, out)`` made a :class:`~.base.Rule` by the ``@rule`` decorator, which
names the finding types it emits (code, severity and Vietnamese message, declared just above it) and
the rule-set parameters it reads. :func:`congress.rules.slate.evaluate` runs :data:`RULES` in order on a
:class:`~.base.SlateContext` computed once per slate; the order of :data:`RULES` is the order of the
findings in the output.

Where each rule lives (RULES.md section):

============================  ==============================================  ====================
module                        rule (finding codes)                            RULES.md
============================  ==============================================  ====================
``age``                       ``past_retirement`` (PAST_RETIREMENT)            §2
                              ``first_time_age`` (AGE_FIRST_TIME)
                              ``reelection_age`` (AGE_REELECTION)
``posts``                     ``term_limit`` (TERM_LIMIT)                      §5
                              ``family_conflict`` (FAMILY_CONFLICT)            §6
                              ``local_secretary`` (LOCAL_SECRETARY)            §8
``standards``                 ``vetting`` (VETTING_MISSING,                    §7
                              VETTING_INELIGIBLE)
                              ``recent_achievement`` (NO_ACHIEVEMENT)          §8
``size``                      ``surplus`` (SURPLUS_NONE, SURPLUS_LOW,          §4
                              SURPLUS_HIGH, SURPLUS_OUT_OF_RANGE)
                              ``seats_range`` (SEATS_RANGE)                    §3
``structure``                 ``woman_in_standing`` (NO_FEMALE_IN_STANDING)    §3
                              ``women_ratio`` (FEMALE_RATIO), ``young_ratio``
                              (YOUNG_RATIO), ``ethnic_ratio`` (ETHNIC_RATIO),
                              ``renewal_ratio`` (RENEWAL_RATIO), ``age_tiers``
                              (AGE_TIER)
``base``                      ``FindingType``, ``Rule``, ``rule``,
                              ``SlateContext``
============================  ==============================================  ====================

To add a rule: write the function and its finding type in the module of its topic, decorate it with
``@rule``, list it in :data:`RULES` where its findings should appear, and add its code to
SLATE_FORMAT.md. Every number it uses comes from the rule set (``ctx.params``, ``ctx.compiled``).
"""

from __future__ import annotations

from .age import first_time_age, past_retirement, reelection_age
from .base import ERROR, WARNING, Check, FindingType, Rule, SlateContext, rule
from .posts import family_conflict, local_secretary, term_limit
from .size import seats_range, surplus
from .standards import recent_achievement, vetting
from .structure import (
    age_tiers,
    ethnic_ratio,
    renewal_ratio,
    woman_in_standing,
    women_ratio,
    young_ratio,
)

__all__ = [
    "ERROR",
    "RULES",
    "SEVERITY",
    "WARNING",
    "Check",
    "FindingType",
    "Rule",
    "SlateContext",
    "rule",
]

#: Every slate rule, in the order its findings appear in the output: findings about people first (in
#: candidate order within a rule), then findings about the whole slate.
RULES: tuple[Rule, ...] = (
    past_retirement,
    first_time_age,
    reelection_age,
    term_limit,
    family_conflict,
    vetting,
    local_secretary,
    recent_achievement,
    surplus,
    seats_range,
    woman_in_standing,
    women_ratio,
    young_ratio,
    ethnic_ratio,
    renewal_ratio,
    age_tiers,
)

#: The usual severity of each finding code (LOCAL_SECRETARY is an error at the levels the rule set names).
SEVERITY: dict[str, str] = {t.code: t.severity for r in RULES for t in r.findings}
