"""Structure of the body (cơ cấu, RULES.md §3): a woman in the standing committee, and the ratios of
women, young people, ethnic minorities, newcomers and the three age tiers against their targets.

The ratios themselves (count, percent, target, ok) are counted once per slate into ``ctx.ratios`` by
:func:`congress.rules.slate.slate_context`, since the output carries them whether or not a target is
missed; the rules here report the misses.
"""

from __future__ import annotations

from ..common import Finding, param_source
from ..labels import num
from .base import WARNING, FindingType, SlateContext, rule

__all__ = [
    "age_tiers",
    "ethnic_ratio",
    "renewal_ratio",
    "woman_in_standing",
    "women_ratio",
    "young_ratio",
]

NO_FEMALE_IN_STANDING = FindingType(
    "NO_FEMALE_IN_STANDING",
    WARNING,
    "Danh sách Ban Thường vụ không có cán bộ nữ; cần bảo đảm có cán bộ nữ theo {source}.",
)


@rule(NO_FEMALE_IN_STANDING)
def woman_in_standing(ctx: SlateContext, out: list[Finding]) -> None:
    """A standing committee has at least one woman (under every rule set)."""
    if ctx.body.kind == "standing" and ctx.ratios["female"]["count"] == 0:
        out.append(
            NO_FEMALE_IN_STANDING.finding(
                [], source=ctx.references.get("female_in_standing", ctx.ruleset.name)
            )
        )


def _ratio_missed(
    ctx: SlateContext, out: list[Finding], finding_type: FindingType, key: str, param: str
) -> None:
    """Report ``finding_type`` when the ratio ``key`` misses the target set by parameter ``param``."""
    r = ctx.ratios[key]
    if r["ok"]:
        return
    out.append(
        finding_type.finding(
            [],
            count=r["count"],
            n=len(ctx.candidates),
            percent=num(r["percent"]),
            target=(r["target"] or "").replace(">=", "từ"),
            source=param_source(ctx.ruleset, param),
        )
    )


FEMALE_RATIO = FindingType(
    "FEMALE_RATIO",
    WARNING,
    "Tỷ lệ cán bộ nữ là {count}/{n} ({percent}%), chưa đạt chỉ tiêu {target}% theo {source}.",
)


@rule(FEMALE_RATIO, params=("female_min_percent",))
def women_ratio(ctx: SlateContext, out: list[Finding]) -> None:
    """Women are at least ``female_min_percent`` % of the candidates."""
    _ratio_missed(ctx, out, FEMALE_RATIO, "female", "female_min_percent")


YOUNG_RATIO = FindingType(
    "YOUNG_RATIO",
    WARNING,
    "Tỷ lệ cán bộ trẻ là {count}/{n} ({percent}%), chưa đạt chỉ tiêu {target}% theo {source}.",
)


@rule(YOUNG_RATIO, params=("young_age_below", "young_min_percent"))
def young_ratio(ctx: SlateContext, out: list[Finding]) -> None:
    """People younger than ``young_age_below`` are at least ``young_min_percent`` % of the candidates."""
    _ratio_missed(ctx, out, YOUNG_RATIO, "young", "young_min_percent")


ETHNIC_RATIO = FindingType(
    "ETHNIC_RATIO",
    WARNING,
    "Tỷ lệ cán bộ người dân tộc thiểu số là {count}/{n} ({percent}%), chưa đạt chỉ tiêu {target}% "
    "theo {source}.",
)


@rule(ETHNIC_RATIO, params=("ethnic_min_percent",))
def ethnic_ratio(ctx: SlateContext, out: list[Finding]) -> None:
    """Ethnic minorities (not Kinh) are at least ``ethnic_min_percent`` % (a per-unit target; null: none)."""
    _ratio_missed(ctx, out, ETHNIC_RATIO, "ethnic_minority", "ethnic_min_percent")


RENEWAL_RATIO = FindingType(
    "RENEWAL_RATIO",
    WARNING,
    "Tỷ lệ đổi mới (tham gia lần đầu) là {count}/{n} ({percent}%), chưa đạt chỉ tiêu {target}% theo "
    "{source}.",
)


@rule(RENEWAL_RATIO, params=("renewal_min_percent",))
def renewal_ratio(ctx: SlateContext, out: list[Finding]) -> None:
    """Candidates not in the outgoing body are at least ``renewal_min_percent`` % (đổi mới)."""
    _ratio_missed(ctx, out, RENEWAL_RATIO, "renewal", "renewal_min_percent")


AGE_TIER = FindingType("AGE_TIER", WARNING, "Cơ cấu ba độ tuổi chưa đạt: {tiers}.")


@rule(
    AGE_TIER,
    params=(
        "tier_low_below",
        "tier_high_above",
        "tier_low_min_percent",
        "tier_mid_min_percent",
        "tier_mid_max_percent",
    ),
)
def age_tiers(ctx: SlateContext, out: list[Finding]) -> None:
    """The three age tiers: under ``tier_low_below`` at least ``tier_low_min_percent`` %, from
    ``tier_low_below`` to ``tier_high_above`` between ``tier_mid_min_percent`` and
    ``tier_mid_max_percent`` %, the oldest tier without a target. One finding for both tiers.
    """
    ratios = ctx.ratios
    if ratios["age_tier_low"]["ok"] and ratios["age_tier_mid"]["ok"]:
        return
    comp = ctx.compiled
    n = len(ctx.candidates)
    low, high = num(comp.tier_low), num(comp.tier_high)
    missed = []
    for key, label, param in (
        ("age_tier_low", f"dưới {low} tuổi", "tier_low_min_percent"),
        ("age_tier_mid", f"từ {low} đến {high} tuổi", "tier_mid_min_percent"),
    ):
        r = ratios[key]
        if not r["ok"]:
            missed.append(
                f"nhóm {label} là {r['count']}/{n} ({num(r['percent'])}%), chỉ tiêu "
                f"{(r['target'] or '').replace('>= ', 'từ ')}% ({param_source(ctx.ruleset, param)})"
            )
    out.append(AGE_TIER.finding([], tiers="; ".join(missed)))
