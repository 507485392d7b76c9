"""Age conditions for a seat (RULES.md §2): retirement age, working time left for a first-time or a
re-elected member.

A person past retirement age gets ``PAST_RETIREMENT`` only; the two minimums apply to the others. A
person with any of these findings is not ``age_ok`` in the output, so the rule that reports a person
also sets their ``age_ok`` to false. Only the candidates of ``ctx.short_of_time`` can be reported, so
the rules look at those alone.
"""

from __future__ import annotations

from ..common import Finding, param_source, who
from ..labels import num, vn_date
from .base import ERROR, FindingType, SlateContext, retirement_of, rule

__all__ = ["first_time_age", "past_retirement", "reelection_age"]

PAST_RETIREMENT = FindingType(
    "PAST_RETIREMENT",
    ERROR,
    "{who} đã đến tuổi nghỉ hưu (ngày đủ tuổi nghỉ hưu {retirement_date}) tại thời điểm tính tuổi "
    "{reference_date}; không đủ điều kiện tuổi theo {retirement_law} và {directive}.",
)


@rule(PAST_RETIREMENT)
def past_retirement(ctx: SlateContext, out: list[Finding]) -> None:
    """No working time left at the reference date (months left ≤ 0)."""
    references = ctx.references
    for i in ctx.short_of_time:
        if ctx.months_left[i] <= 0:
            c = ctx.candidates[i]
            ctx.people[i]["age_ok"] = False
            out.append(
                PAST_RETIREMENT.finding(
                    [c.id],
                    who=who(c.id, c.name),
                    retirement_date=vn_date(retirement_of(c)[0]),
                    reference_date=vn_date(ctx.reference_date),
                    retirement_law=references.get("retirement", ""),
                    directive=references.get("directive", ""),
                )
            )


AGE_FIRST_TIME = FindingType(
    "AGE_FIRST_TIME",
    ERROR,
    "{who} tham gia lần đầu nhưng chỉ còn {months_left} tháng công tác tính đến {reference_date}, "
    "dưới mức tối thiểu {minimum} tháng theo {source}.",
)


@rule(AGE_FIRST_TIME, params=("first_time_min_months",))
def first_time_age(ctx: SlateContext, out: list[Finding]) -> None:
    """A first-time candidate (lần đầu) needs ``first_time_min_months`` of working time left."""
    minimum = ctx.params.get("first_time_min_months")
    if minimum is None:
        return
    for i in ctx.short_of_time:
        c, left = ctx.candidates[i], ctx.months_left[i]
        if 0 < left < minimum and c.id not in ctx.incumbents:
            ctx.people[i]["age_ok"] = False
            out.append(
                AGE_FIRST_TIME.finding(
                    [c.id],
                    who=who(c.id, c.name),
                    months_left=left,
                    reference_date=vn_date(ctx.reference_date),
                    minimum=num(minimum),
                    source=param_source(ctx.ruleset, "first_time_min_months"),
                )
            )


AGE_REELECTION = FindingType(
    "AGE_REELECTION",
    ERROR,
    "{who} tái cử nhưng chỉ còn {months_left} tháng công tác tính đến {reference_date}, dưới mức "
    "tối thiểu {minimum} tháng{for_whom} theo {source}.",
)


@rule(
    AGE_REELECTION,
    params=("reelection_min_months", "reelection_min_months_province_deputy_secretary"),
)
def reelection_age(ctx: SlateContext, out: list[Finding]) -> None:
    """A re-elected candidate (tái cử) needs ``reelection_min_months`` of working time left.

    At a province, a candidate proposed as a deputy secretary needs
    ``reelection_min_months_province_deputy_secretary`` instead, where the rule set sets it.
    """
    p = ctx.params
    ordinary = p.get("reelection_min_months")
    deputy = (
        p.get("reelection_min_months_province_deputy_secretary")
        if ctx.body.level == "province"
        else None
    )
    deputy_posts = ctx.compiled.province_deputy_posts
    for i in ctx.short_of_time:
        c, left = ctx.candidates[i], ctx.months_left[i]
        if left <= 0 or c.id not in ctx.incumbents:
            continue
        need = ordinary
        if deputy is not None and not deputy_posts.isdisjoint(c.proposed_posts):
            need = deputy
        if need is not None and left < need:
            # The deputy minimum is named only when it is not the ordinary one itself.
            special = need is not ordinary
            name = (
                "reelection_min_months_province_deputy_secretary"
                if special
                else "reelection_min_months"
            )
            ctx.people[i]["age_ok"] = False
            out.append(
                AGE_REELECTION.finding(
                    [c.id],
                    who=who(c.id, c.name),
                    months_left=left,
                    reference_date=vn_date(ctx.reference_date),
                    minimum=num(need),
                    for_whom=" đối với Phó Bí thư cấp tỉnh" if special else "",
                    source=param_source(ctx.ruleset, name),
                )
            )
