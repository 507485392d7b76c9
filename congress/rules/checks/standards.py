"""Standards of the person: the political standard must be concluded and met (RULES.md §7, Quy định 58),
and achievements of the last years recorded (§8).
"""

from __future__ import annotations

from ..common import Finding, param_source, who
from ..labels import num
from .base import ERROR, WARNING, FindingType, SlateContext, rule

__all__ = ["recent_achievement", "vetting"]

VETTING_MISSING = FindingType(
    "VETTING_MISSING",
    ERROR,
    "{who} chưa có kết luận về tiêu chuẩn chính trị ({state}); không giới thiệu ứng cử khi chưa được "
    "kết luận về tiêu chuẩn chính trị theo {source}.",
)
VETTING_INELIGIBLE = FindingType(
    "VETTING_INELIGIBLE",
    ERROR,
    "{who} đã được kết luận không đạt tiêu chuẩn chính trị; không được giới thiệu ứng cử theo "
    "{source}.",
)


@rule(VETTING_MISSING, VETTING_INELIGIBLE)
def vetting(ctx: SlateContext, out: list[Finding]) -> None:
    """No nomination before the competent committee has concluded on the person's political standard
    (vetting ``pending`` or ``none``: ``VETTING_MISSING``), nor of a person concluded not to meet it
    (``ineligible``: ``VETTING_INELIGIBLE``). All the first findings, then all the second.
    """
    unsettled = [c for c in ctx.candidates if c.vetting != "eligible"]
    if not unsettled:
        return
    source = ctx.references.get("vetting", "")
    for c in unsettled:
        if c.vetting != "ineligible":
            out.append(
                VETTING_MISSING.finding(
                    [c.id],
                    who=who(c.id, c.name),
                    state="đang thẩm tra" if c.vetting == "pending" else "chưa thẩm tra",
                    source=source,
                )
            )
    for c in unsettled:
        if c.vetting == "ineligible":
            out.append(VETTING_INELIGIBLE.finding([c.id], who=who(c.id, c.name), source=source))


NO_ACHIEVEMENT = FindingType(
    "NO_ACHIEVEMENT",
    WARNING,
    "{who} không có thành tích được ghi nhận trong {years} năm gần nhất, là điều kiện để giới thiệu "
    "ứng cử theo {source}.",
)


@rule(NO_ACHIEVEMENT, params=("achievement_years",))
def recent_achievement(ctx: SlateContext, out: list[Finding]) -> None:
    """Achievements in the last ``achievement_years`` years are a condition of nomination."""
    without = [c for c in ctx.candidates if not c.has_achievement_last_3y]
    if not without:
        return
    years = num(ctx.params.get("achievement_years"))
    source = ctx.references.get("achievement", param_source(ctx.ruleset, "achievement_years"))
    for c in without:
        out.append(
            NO_ACHIEVEMENT.finding([c.id], who=who(c.id, c.name), years=years, source=source)
        )
