"""Who may hold a proposed post: term limits of head posts (RULES.md §5), relatives who may not serve
together (§6), and the secretary who should not be local (§8).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import TYPE_CHECKING

from ..common import Finding, param_source, who
from ..dates import add_months
from ..labels import LEVEL_LABELS, RELATION_LABELS, num, post_label, vn_date
from .base import ERROR, WARNING, FindingType, SlateContext, rule

if TYPE_CHECKING:
    from ..slate import Candidate, Relative

__all__ = ["family_conflict", "local_secretary", "term_limit"]

TERM_LIMIT = FindingType(
    "TERM_LIMIT",
    ERROR,
    "{who} đã giữ chức {post} tại đơn vị {unit} liên tục từ {start} {until} (từ {years} năm trở lên, "
    "tính là hai nhiệm kỳ tính đến {reference_date}); không được giới thiệu giữ chức cấp trưởng này "
    "quá hai nhiệm kỳ liên tiếp theo {source}.",
)


@rule(TERM_LIMIT, params=("term_limit_years", "term_chain_gap_days", "term_current_within_days"))
def term_limit(ctx: SlateContext, out: list[Finding]) -> None:
    """Nobody holds the same head post of the same unit for more than two consecutive terms.

    The candidate's tenures of a proposed head post in ``body.unit`` are merged into chains (a tenure
    starting within ``term_chain_gap_days`` after the previous one ends continues it); a chain that is
    current (no end, or ended within ``term_current_within_days`` before the reference date) and began
    ``term_limit_years`` or more before the reference date counts as two terms. One finding per
    candidate and head post.
    """
    comp = ctx.compiled
    unit = ctx.body.unit
    if unit is None or comp.term_limit_months is None:
        return
    head_posts = comp.head_posts
    ref = ctx.reference_date
    limit_date = add_months(ref, -comp.term_limit_months)
    within = comp.current_days
    for c in [c for c in ctx.candidates if c.tenures]:
        if head_posts.isdisjoint(c.proposed_posts):
            continue
        done: set[str] = set()
        for post in c.proposed_posts:
            if post in done or post not in head_posts:
                continue
            done.add(post)
            spans = sorted((t.start, t.end) for t in c.tenures if t.post == post and t.unit == unit)
            for start, end in _chains(spans, comp.gap_days):
                current = end is None or within is None or (ref - end).days <= within
                if current and start <= limit_date:
                    out.append(
                        TERM_LIMIT.finding(
                            [c.id],
                            who=who(c.id, c.name),
                            post=post_label(post),
                            unit=unit,
                            start=vn_date(start),
                            until="đến nay" if end is None else f"đến {vn_date(end)}",
                            years=num(ctx.params["term_limit_years"]),
                            reference_date=vn_date(ref),
                            source=ctx.references.get(
                                "term_limit", param_source(ctx.ruleset, "term_limit_years")
                            ),
                        )
                    )
                    break


def _chains(spans: list[tuple[date, date | None]], gap_days: int) -> list[tuple[date, date | None]]:
    """Sorted (start, end) tenures merged where one starts within ``gap_days`` after the previous ends."""
    if not spans:
        return []
    chains: list[tuple[date, date | None]] = []
    cs, ce = spans[0]
    for s, e in spans[1:]:
        if ce is None or (s - ce).days <= gap_days:
            if ce is not None:
                ce = None if e is None else max(ce, e)
        else:
            chains.append((cs, ce))
            cs, ce = s, e
    chains.append((cs, ce))
    return chains


FAMILY_CONFLICT = FindingType(
    "FAMILY_CONFLICT",
    ERROR,
    "{who} và {relative} có quan hệ gia đình ({relation}) nhưng được đề xuất: {reasons}. Không được "
    "đồng thời đảm nhiệm theo {source}; trường hợp đặc biệt phải được cấp ủy cấp trên trực tiếp "
    "đồng ý.",
)
#: The same code for a relative outside the slate (one finding per candidate and outside person).
FAMILY_CONFLICT_OUTSIDE = FindingType(
    "FAMILY_CONFLICT",
    ERROR,
    "{who} có người thân ({relation}) là {relative}, ngoài danh sách, đang giữ chức {posts}: "
    "{reasons}. Không được đồng thời đảm nhiệm theo {source}; trường hợp đặc biệt phải được cấp ủy "
    "cấp trên trực tiếp đồng ý.",
)


@rule(FAMILY_CONFLICT, FAMILY_CONFLICT_OUTSIDE)
def family_conflict(ctx: SlateContext, out: list[Finding]) -> None:
    """Relatives may not hold together posts that Quy định 114 keeps apart (RULES.md §6).

    The relations counted and the posts concerned come from the rule set (``family_relations``,
    ``standing_posts``, ``head_deputy_pairs``, ``sector_conflict_heads``, ``sectors``); see
    :func:`_conflict_reasons`. A relation between two candidates, given on either side or both, is one
    finding naming both; a relative who is not a candidate is an outside person, taken to hold their
    posts in the same unit.
    """
    cands = ctx.candidates
    with_relatives = [c for c in cands if c.relatives]
    if not with_relatives:
        return
    comp = ctx.compiled
    by_id = {c.id: c for c in cands}
    counted = comp.counted_relations
    standing_posts = comp.standing_posts
    body_standing = ctx.body.kind == "standing"
    pairs: dict[tuple[str, str], str] = {}
    outside: dict[tuple[str, str], tuple[Candidate, Relative]] = {}
    for c in with_relatives:
        for i, r in enumerate(c.relatives):
            if r.relation not in counted:
                continue
            if r.id is not None and r.id in by_id:
                if r.id == c.id:
                    continue
                key = (c.id, r.id) if c.id < r.id else (r.id, c.id)
                pairs.setdefault(key, r.relation)
            else:
                okey = r.id if r.id is not None else (r.name if r.name else f"#{i}")
                outside.setdefault((c.id, okey), (c, r))
    source = ctx.references.get("family", ctx.ruleset.name)
    for (a_id, b_id), relation in pairs.items():
        a, b = by_id[a_id], by_id[b_id]
        sa = body_standing or any(p in standing_posts for p in a.proposed_posts)
        sb = body_standing or any(p in standing_posts for p in b.proposed_posts)
        reasons = _conflict_reasons(a.proposed_posts, sa, b.proposed_posts, sb, ctx)
        if reasons:
            out.append(
                FAMILY_CONFLICT.finding(
                    [a_id, b_id],
                    who=who(a.id, a.name),
                    relative=who(b.id, b.name),
                    relation=RELATION_LABELS.get(relation, relation),
                    reasons="; ".join(reasons),
                    source=source,
                )
            )
    for c, r in outside.values():
        sc = body_standing or any(p in standing_posts for p in c.proposed_posts)
        sr = any(p in standing_posts for p in r.posts)
        reasons = _conflict_reasons(c.proposed_posts, sc, r.posts, sr, ctx)
        if reasons:
            out.append(
                FAMILY_CONFLICT_OUTSIDE.finding(
                    [c.id],
                    who=who(c.id, c.name),
                    relation=RELATION_LABELS.get(r.relation, r.relation),
                    relative=r.name or r.id or "người thân ngoài danh sách",
                    posts=", ".join(post_label(p) for p in r.posts),
                    reasons="; ".join(reasons),
                    source=source,
                )
            )


def _conflict_reasons(
    posts_a: Collection[str],
    standing_a: bool,
    posts_b: Collection[str],
    standing_b: bool,
    ctx: SlateContext,
) -> list[str]:
    """Why two relatives may not hold these posts together, one text per reason (none: no conflict)."""
    comp = ctx.compiled
    reasons = []
    # (a) both in the standing committee
    if standing_a and standing_b:
        reasons.append("cùng tham gia ban thường vụ cấp ủy")
    # (b) head and deputy of the same body
    pairs = comp.head_deputy_pairs
    for pa in posts_a:
        for pb in posts_b:
            if (pa, pb) in pairs:
                reasons.append(f"{post_label(pa)} và {post_label(pb)} (cấp trưởng và cấp phó)")
    # (c) secretary or People's Committee chair, and the head of a sector at the same level
    heads, sectors = comp.sector_heads, comp.sectors
    for x, y in ((posts_a, posts_b), (posts_b, posts_a)):
        for pa in x:
            if pa in heads:
                for pb in y:
                    if pb in sectors:
                        reasons.append(f"{post_label(pa)} và {post_label(pb)} cùng cấp")
    return reasons


LOCAL_SECRETARY = FindingType(
    "LOCAL_SECRETARY",
    WARNING,
    "{who} được giới thiệu làm Bí thư nhưng là người địa phương; {level} {demand} bố trí Bí thư "
    "không là người địa phương theo {source}.",
)


@rule(LOCAL_SECRETARY)
def local_secretary(ctx: SlateContext, out: list[Finding]) -> None:
    """The secretary should not be a local person.

    Required (an error) at the levels of the rule set's ``local_secretary_error_levels`` (province,
    central); an aim (a warning) below.
    """
    local = [c for c in ctx.candidates if c.is_local and "secretary" in c.proposed_posts]
    if not local:
        return
    level = ctx.body.level
    required = level in ctx.compiled.local_error_levels
    for c in local:
        out.append(
            LOCAL_SECRETARY.finding(
                [c.id],
                ERROR if required else WARNING,
                who=who(c.id, c.name),
                level=LEVEL_LABELS[level],
                demand="bắt buộc" if required else "phấn đấu",
                source=ctx.references.get("local_secretary", ctx.ruleset.name),
            )
        )
