"""Size of the list and of the body: the surplus of candidates (RULES.md §4, Quy định 190 Điều 14; Luật
Bầu cử for People's Council units) and the number of seats (§3).
"""

from __future__ import annotations

from typing import Any

from ..common import Finding, param_source, percent, percent_at_least, percent_at_most
from ..labels import KIND_LABELS, LEVEL_LABELS, num
from .base import ERROR, WARNING, FindingType, SlateContext, rule

__all__ = ["seats_range", "surplus"]

SURPLUS_NONE = FindingType(
    "SURPLUS_NONE",
    ERROR,
    "Danh sách có {candidates} ứng viên cho {seats} chỗ: không có số dư; danh sách bầu cử phải nhiều "
    "hơn số lượng cần bầu theo {source}.",
)
SURPLUS_LOW = FindingType(
    "SURPLUS_LOW",
    ERROR,
    "Đơn vị bầu cử {seats} đại biểu chỉ có {candidates} người ứng cử (dư {surplus}); phải dư ít nhất "
    "{minimum} người theo {source}.",
)
#: The same code for a body of ``small_body_max_seats`` seats or fewer (a surplus in persons).
SURPLUS_HIGH_SMALL_BODY = FindingType(
    "SURPLUS_HIGH",
    ERROR,
    "Cơ quan {seats} thành viên có số dư {surplus} người; cơ quan từ {small_seats} thành viên trở "
    "xuống chỉ được dư tối đa {maximum} người theo {source}.",
)
SURPLUS_HIGH = FindingType(
    "SURPLUS_HIGH",
    ERROR,
    "Số dư {surplus} người ({percent}%) vượt mức tối đa {maximum}% theo {source}.",
)
SURPLUS_OUT_OF_RANGE = FindingType(
    "SURPLUS_OUT_OF_RANGE",
    WARNING,
    "Số dư {surplus} người ({percent}%) nằm ngoài khoảng {minimum}-{maximum}% mà cấp ủy triệu tập "
    "chuẩn bị theo {source}.",
)


@rule(
    SURPLUS_NONE,
    SURPLUS_LOW,
    SURPLUS_HIGH_SMALL_BODY,
    SURPLUS_HIGH,
    SURPLUS_OUT_OF_RANGE,
    params=(
        "small_body_max_seats",
        "small_body_max_surplus",
        "surplus_max_percent",
        "surplus_prepared_min_percent",
        "surplus_prepared_max_percent",
    ),
)
def surplus(ctx: SlateContext, out: list[Finding]) -> None:
    """The list must be longer than the seats, by a bounded surplus; at most one finding.

    - No surplus: ``SURPLUS_NONE``.
    - People's Council unit: fewer extra candidates than the rule set's ``people_council_min_extra``
      table: ``SURPLUS_LOW``.
    - Body of ``small_body_max_seats`` or fewer: more than ``small_body_max_surplus`` extra:
      ``SURPLUS_HIGH``.
    - Otherwise above ``surplus_max_percent``: ``SURPLUS_HIGH``; for an executive committee, outside the
      ``surplus_prepared_min_percent``-``surplus_prepared_max_percent`` a convening committee prepares:
      ``SURPLUS_OUT_OF_RANGE``.
    """
    comp = ctx.compiled
    seats = ctx.body.seats
    n = len(ctx.candidates)
    extra = n - seats
    kind = ctx.body.kind
    if extra <= 0:
        out.append(
            SURPLUS_NONE.finding(
                [],
                candidates=n,
                seats=seats,
                source=ctx.references.get("surplus", ctx.ruleset.name),
            )
        )
        return
    if kind == "people_council":
        need = None
        for max_seats, min_extra in comp.people_council_extra:
            need = min_extra
            if seats <= max_seats:
                break
        if need is not None and extra < need:
            out.append(
                SURPLUS_LOW.finding(
                    [],
                    seats=seats,
                    candidates=n,
                    surplus=extra,
                    minimum=need,
                    source=ctx.references.get("people_council_surplus", ctx.ruleset.name),
                )
            )
        return
    if comp.small_seats is not None and seats <= comp.small_seats:
        if comp.small_surplus is not None and extra > comp.small_surplus:
            out.append(
                SURPLUS_HIGH_SMALL_BODY.finding(
                    [],
                    seats=seats,
                    surplus=extra,
                    small_seats=num(comp.small_seats),
                    maximum=num(comp.small_surplus),
                    source=param_source(ctx.ruleset, "small_body_max_surplus"),
                )
            )
        return
    p = ctx.params
    if comp.surplus_max is not None and not percent_at_most(extra, seats, comp.surplus_max):
        out.append(
            SURPLUS_HIGH.finding(
                [],
                surplus=extra,
                percent=num(percent(extra, seats)),
                maximum=num(p["surplus_max_percent"]),
                source=param_source(ctx.ruleset, "surplus_max_percent"),
            )
        )
        return
    if kind == "executive":
        lo, hi = comp.surplus_prepared_min, comp.surplus_prepared_max
        if (lo is not None and not percent_at_least(extra, seats, lo)) or (
            hi is not None and not percent_at_most(extra, seats, hi)
        ):
            out.append(
                SURPLUS_OUT_OF_RANGE.finding(
                    [],
                    surplus=extra,
                    percent=num(percent(extra, seats)),
                    minimum=num(p["surplus_prepared_min_percent"]),
                    maximum=num(p["surplus_prepared_max_percent"]),
                    source=param_source(ctx.ruleset, "surplus_prepared_min_percent"),
                )
            )


SEATS_RANGE = FindingType(
    "SEATS_RANGE",
    ERROR,
    "Số lượng {seats} của {kind} {level} nằm ngoài giới hạn ({range}) theo {source}.",
)


@rule(SEATS_RANGE, params=("seats_min", "seats_max"))
def seats_range(ctx: SlateContext, out: list[Finding]) -> None:
    """The number of seats is within the rule set's range for the level, kind and merger of the body.

    The first of the rule set's ``seat_ranges`` that fits the body gives the range; the parameters
    ``seats_min`` and ``seats_max``, where set, replace its bounds.
    """
    body = ctx.body
    seats = body.seats
    lo, hi, source = _seat_range(ctx)
    if (lo is not None and seats < lo) or (hi is not None and seats > hi):
        if lo is not None and hi is not None:
            bounds = f"từ {num(lo)} đến {num(hi)}"
        elif hi is not None:
            bounds = f"tối đa {num(hi)}"
        else:
            bounds = f"tối thiểu {num(lo)}"
        out.append(
            SEATS_RANGE.finding(
                [],
                seats=seats,
                kind=KIND_LABELS[body.kind],
                level=LEVEL_LABELS[body.level],
                range=bounds,
                source=source,
            )
        )


def _seat_range(ctx: SlateContext) -> tuple[Any, Any, str]:
    """(minimum, maximum, source) of the seats of the body; None where there is no bound."""
    body = ctx.body
    rs = ctx.ruleset
    lo = hi = None
    source = ""
    for r in rs.seat_ranges:
        level = r.get("level")
        if level is not None and level != body.level:
            continue
        if r.get("kind") not in (None, body.kind):
            continue
        fmin, fmax = r.get("formed_from_min"), r.get("formed_from_max")
        if fmin is not None and body.formed_from < fmin:
            continue
        if fmax is not None and body.formed_from > fmax:
            continue
        lo, hi, source = r.get("min"), r.get("max"), r.get("source", "")
        break
    p = ctx.params
    if p.get("seats_min") is not None:
        lo, source = p["seats_min"], param_source(rs, "seats_min")
    if p.get("seats_max") is not None:
        hi, source = p["seats_max"], param_source(rs, "seats_max")
    return lo, hi, source
