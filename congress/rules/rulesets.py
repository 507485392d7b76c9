"""Versioned rule sets: every regulation number the engine uses lives here, with its source.

A new congress cycle (e.g. 2030-2035) is a new :class:`RuleSet` (stored as JSON by the application through
:func:`ruleset_to_dict` / :func:`ruleset_from_dict`), never a code change.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

__all__ = [
    "CT35_2019",
    "CT45_2025",
    "LEVELS",
    "PRESETS",
    "PUBLIC_PARAM_NAMES",
    "RuleSet",
    "RuleSetError",
    "UnknownParameterError",
    "InvalidParameterError",
    "ruleset_from_dict",
    "ruleset_to_dict",
    "with_overrides",
]

#: Party levels, from the top (RULES.md §1).
LEVELS: tuple[str, ...] = ("central", "province", "district", "commune", "grassroots", "cell")

#: Parameter names that SLATE_FORMAT.md fixes as a public interface (a rule set may have more).
PUBLIC_PARAM_NAMES: tuple[str, ...] = (
    "first_time_min_months",
    "reelection_min_months",
    "female_min_percent",
    "reelection_min_months_province_deputy_secretary",
    "young_age_below",
    "young_min_percent",
    "tier_low_below",
    "tier_high_above",
    "tier_low_min_percent",
    "tier_mid_min_percent",
    "tier_mid_max_percent",
    "ethnic_min_percent",
    "renewal_min_percent",
    "surplus_max_percent",
    "surplus_prepared_min_percent",
    "surplus_prepared_max_percent",
    "seats_min",
    "seats_max",
    "term_limit_years",
)


class RuleSetError(ValueError):
    """A rule set or an override of it is invalid."""


class UnknownParameterError(RuleSetError):
    """An override names a parameter the rule set does not have."""


class InvalidParameterError(RuleSetError):
    """An override gives a parameter a value of the wrong type."""


@dataclass(frozen=True, slots=True)
class RuleSet:
    """A versioned, self-describing set of personnel rules.

    ``params`` holds scalar parameters (numbers, or None for "no target / not applicable");
    ``param_sources`` gives the Vietnamese source of each. The other fields are structured data
    (seat ranges, post lists and ranks, family relations) that the engine reads as-is.
    """

    code: str
    name: str
    source: str
    params: dict[str, Any]
    param_sources: dict[str, str]
    #: Reference date (thời điểm tính tuổi) by level, plus the key ``people_council``.
    reference_dates: dict[str, date | None]
    #: Seat ranges: dicts {level (None: any), kind, formed_from_min, formed_from_max, min, max, source}.
    seat_ranges: tuple[dict[str, Any], ...]
    #: Head posts (cấp trưởng) subject to the term limit.
    head_posts: tuple[str, ...]
    #: Relations counted by the family rule.
    family_relations: tuple[str, ...]
    #: The sectors of rule (c) of the family rule, as post codes ``sector:*``.
    sectors: tuple[str, ...]
    #: Posts that sit in the standing committee (family rule (a)).
    standing_posts: tuple[str, ...]
    #: Head/deputy pairs of the same body (family rule (b)).
    head_deputy_pairs: tuple[tuple[str, str], ...]
    #: Heads that may not have a relative heading a sector at the same level (family rule (c)).
    sector_conflict_heads: tuple[str, ...]
    #: Posts whose holders get the special re-election minimum at province level.
    province_deputy_secretary_posts: tuple[str, ...]
    #: Levels where a local secretary is an error (a warning elsewhere).
    local_secretary_error_levels: tuple[str, ...]
    #: People's Council surplus table: dicts {max_seats, min_extra}, ascending by max_seats.
    people_council_min_extra: tuple[dict[str, int], ...]
    #: Post ranks for planning (a higher number is a higher post).
    post_ranks: dict[str, int]
    #: Discipline levels, mildest first.
    discipline_levels: tuple[str, ...]
    #: Vietnamese citations by topic, used in messages.
    references: dict[str, str] = field(default_factory=dict)


# --------------------------------------------------------------------------------------------------
# Shared data

_SECTORS: tuple[str, ...] = (
    "sector:internal_affairs",
    "sector:inspectorate",
    "sector:finance",
    "sector:banking",
    "sector:tax",
    "sector:customs",
    "sector:industry_trade",
    "sector:planning_investment",
    "sector:natural_resources",
    "sector:military",
    "sector:police",
    "sector:court",
    "sector:procuracy",
)

_HEAD_POSTS: tuple[str, ...] = (
    "secretary",
    "people_council_chair",
    "people_committee_chair",
    "inspection_chair",
    "organization_head",
    "fatherland_front_chair",
    *_SECTORS,
)

_RELATIONS: tuple[str, ...] = (
    "spouse",
    "parent",
    "parent_in_law",
    "child",
    "child_in_law",
    "sibling",
    "sibling_in_law",
)

_POST_RANKS: dict[str, int] = {
    "secretary": 60,
    "standing_deputy_secretary": 50,
    "deputy_secretary": 40,
    "people_council_chair": 40,
    "people_committee_chair": 40,
    "standing_member": 30,
    "people_council_vice_chair": 30,
    "people_committee_vice_chair": 30,
    "inspection_chair": 30,
    "organization_head": 30,
    "fatherland_front_chair": 30,
    **{s: 20 for s in _SECTORS},
    "member": 10,
}

_REF_SURPLUS = "Quy chế bầu cử trong Đảng (Quyết định 190-QĐ/TW ngày 10/10/2024), Điều 14"
_REF_PC_LAW = "Luật Bầu cử đại biểu Quốc hội và đại biểu Hội đồng nhân dân, khoản 3 Điều 58"
_REF_TERM = "Quy định 114-QĐ/TW ngày 11/7/2023 và Quy định 65-QĐ/TW ngày 28/4/2022 (khoản 3 Điều 3)"
_REF_FAMILY = "Quy định 114-QĐ/TW ngày 11/7/2023, khoản 5 Điều 6"
_REF_VETTING = "Quy định 58-QĐ/TW ngày 08/02/2022"
_REF_PLAN = "Quy định 377-QĐ/TW ngày 8/10/2025 (thay Quy định 50-QĐ/TW ngày 27/12/2021)"
_REF_PLAN50 = "Quy định 50-QĐ/TW ngày 27/12/2021"
_REF_RETIRE = "Bộ luật Lao động 2019; Nghị định 135/2020/NĐ-CP, khoản 1 Điều 4"
_REF_PEOPLE_COUNCIL_SEATS = "Luật Bầu cử đại biểu Quốc hội và đại biểu Hội đồng nhân dân (tối đa 5 đại biểu mỗi đơn vị bầu cử)"


def _common_params() -> tuple[dict[str, Any], dict[str, str]]:
    """Parameters whose values and sources do not depend on the directive."""
    params: dict[str, Any] = {
        "surplus_max_percent": 30,
        "surplus_prepared_min_percent": 10,
        "surplus_prepared_max_percent": 15,
        "small_body_max_seats": 5,
        "small_body_max_surplus": 1,
        "seats_min": None,
        "seats_max": None,
        "term_limit_years": 8,
        "term_chain_gap_days": 31,
        "term_current_within_days": 365,
        "ethnic_min_percent": None,
        "achievement_years": 3,
        "plan_max_per_post": 3,
        "plan_max_posts_per_person": 3,
        "plan_min_months": 60,
        "term_years": 5,
        "plan_young_age_below": 40,
        "plan_young_min_percent": 15,
        "plan_female_min_percent": 25,
        "plan_tier_low_below": 40,
        "plan_tier_high_above": 50,
        "plan_tier_low_min_percent": None,
        "plan_tier_mid_min_percent": None,
        "plan_tier_mid_max_percent": None,
        "plan_remove_discipline_from": 1,
        "nomination_min_percent": 50,
        "floor_nomination_min_percent": 30,
    }
    sources: dict[str, str] = {
        "surplus_max_percent": f"{_REF_SURPLUS}: số dư không quá 30%",
        "surplus_prepared_min_percent": f"{_REF_SURPLUS}: cấp ủy triệu tập chuẩn bị số dư 10-15%",
        "surplus_prepared_max_percent": f"{_REF_SURPLUS}: cấp ủy triệu tập chuẩn bị số dư 10-15%",
        "small_body_max_seats": f"{_REF_SURPLUS}: cơ quan có từ 3 đến 5 thành viên",
        "small_body_max_surplus": f"{_REF_SURPLUS}: cơ quan 3-5 thành viên chỉ dư tối đa 1 người",
        "seats_min": "Tham số theo đơn vị (mặc định: không quy định)",
        "seats_max": "Tham số theo đơn vị (mặc định: theo bảng số lượng của bộ quy tắc)",
        "term_limit_years": f"{_REF_TERM}: giữ chức liên tục từ 8 năm trở lên được tính là hai nhiệm kỳ",
        "term_chain_gap_days": "Quy ước của phần mềm: hai lần giữ chức cách nhau không quá 31 ngày được coi là liên tục",
        "term_current_within_days": "Quy ước của phần mềm: chuỗi giữ chức kết thúc trong vòng 365 ngày được coi là đương nhiệm",
        "ethnic_min_percent": 'Chỉ tiêu theo từng địa phương ("phù hợp với đặc điểm địa phương"); mặc định: không đặt',
        "achievement_years": "Hướng dẫn của cấp ủy (tài liệu mẫu 002, điểm 5): thành tích trong 3 năm gần nhất",
        "plan_max_per_post": f"{_REF_PLAN}: mỗi chức danh quy hoạch không quá 3 người",
        "plan_max_posts_per_person": f"{_REF_PLAN}: mỗi người quy hoạch không quá 3 chức danh cùng cấp",
        "plan_min_months": f"{_REF_PLAN50}: ít nhất phải trọn một nhiệm kỳ kế tiếp (60 tháng)",
        "term_years": "Nhiệm kỳ đại hội: 5 năm",
        "plan_young_age_below": f"{_REF_PLAN50}: cán bộ trẻ dưới 40 tuổi",
        "plan_young_min_percent": f"{_REF_PLAN50}: cán bộ trẻ trong quy hoạch từ 15% trở lên",
        "plan_female_min_percent": f"{_REF_PLAN50}: cán bộ nữ trong quy hoạch từ 25% trở lên",
        "plan_tier_low_below": f"{_REF_PLAN50}: cơ cấu ba độ tuổi (mốc dưới)",
        "plan_tier_high_above": f"{_REF_PLAN50}: cơ cấu ba độ tuổi (mốc trên)",
        "plan_tier_low_min_percent": "Chưa có chỉ tiêu chính thức (không đặt)",
        "plan_tier_mid_min_percent": "Chưa có chỉ tiêu chính thức (không đặt)",
        "plan_tier_mid_max_percent": "Chưa có chỉ tiêu chính thức (không đặt)",
        "plan_remove_discipline_from": (
            f"{_REF_PLAN}: đưa ra khỏi quy hoạch cán bộ bị kỷ luật từ khiển trách trở lên "
            "(chỉ số trong danh sách mức kỷ luật, 1 = khiển trách)"
        ),
        "nomination_min_percent": (
            f"{_REF_SURPLUS}: mỗi bước giới thiệu cần trên 50% số người được triệu tập"
        ),
        "floor_nomination_min_percent": (
            f"{_REF_SURPLUS}: đề cử tại đại hội cần trên 30% đại biểu tán thành"
        ),
    }
    return params, sources


def _references(directive: str) -> dict[str, str]:
    return {
        "directive": directive,
        "retirement": _REF_RETIRE,
        "surplus": _REF_SURPLUS,
        "people_council_surplus": _REF_PC_LAW,
        "term_limit": _REF_TERM,
        "family": _REF_FAMILY,
        "vetting": _REF_VETTING,
        "local_secretary": f"{directive} (bố trí bí thư cấp ủy không là người địa phương)",
        "achievement": "Hướng dẫn của cấp ủy (tài liệu mẫu 002, điểm 5)",
        "planning": _REF_PLAN,
        "female_in_standing": f"{directive} (bảo đảm có cán bộ nữ trong ban thường vụ)",
    }


_COMMON_STRUCTURE: dict[str, Any] = {
    "head_posts": _HEAD_POSTS,
    "family_relations": _RELATIONS,
    "sectors": _SECTORS,
    "standing_posts": (
        "secretary",
        "standing_deputy_secretary",
        "deputy_secretary",
        "standing_member",
    ),
    "head_deputy_pairs": (
        ("secretary", "deputy_secretary"),
        ("secretary", "standing_deputy_secretary"),
        ("people_committee_chair", "people_committee_vice_chair"),
        ("people_council_chair", "people_council_vice_chair"),
    ),
    "sector_conflict_heads": ("secretary", "people_committee_chair"),
    "province_deputy_secretary_posts": ("deputy_secretary", "standing_deputy_secretary"),
    "local_secretary_error_levels": ("province", "central"),
    "people_council_min_extra": (
        {"max_seats": 2, "min_extra": 1},
        {"max_seats": 3, "min_extra": 2},
        {"max_seats": 5, "min_extra": 3},
    ),
    "post_ranks": _POST_RANKS,
    "discipline_levels": ("reprimand", "warning", "dismissal", "expulsion"),
}

_PEOPLE_COUNCIL_RANGE: dict[str, Any] = {
    "level": None,
    "kind": "people_council",
    "formed_from_min": None,
    "formed_from_max": None,
    "min": 1,
    "max": 5,
    "source": _REF_PEOPLE_COUNCIL_SEATS,
}


def _ct45() -> RuleSet:
    d45 = "Chỉ thị 45-CT/TW ngày 14/4/2025 của Bộ Chính trị"
    params, sources = _common_params()
    params.update(
        {
            "first_time_min_months": 60,
            "reelection_min_months": 48,
            "reelection_min_months_province_deputy_secretary": 42,
            "female_min_percent": 15,
            "young_age_below": 40,
            "young_min_percent": 10,
            "tier_low_below": 40,
            "tier_high_above": 50,
            "tier_low_min_percent": 10,
            "tier_mid_min_percent": 40,
            "tier_mid_max_percent": 50,
            "renewal_min_percent": 33,
        }
    )
    sources.update(
        {
            "first_time_min_months": f"{d45}: tham gia lần đầu phải đủ tuổi công tác trọn một nhiệm kỳ (60 tháng)",
            "reelection_min_months": f"{d45}: tái cử phải còn ít nhất 48 tháng công tác",
            "reelection_min_months_province_deputy_secretary": (
                f"{d45}: Phó Bí thư Tỉnh ủy tái cử phải còn ít nhất 42 tháng công tác"
            ),
            "female_min_percent": f"{d45}: cán bộ nữ từ 15% trở lên (chưa xác nhận)",
            "young_age_below": f"{d45}: cán bộ trẻ dưới 40 tuổi",
            "young_min_percent": f"{d45}: cán bộ trẻ từ 10% trở lên (chưa xác nhận)",
            "tier_low_below": f"{d45}: cơ cấu ba độ tuổi, nhóm dưới 40 tuổi (chưa xác nhận)",
            "tier_high_above": f"{d45}: cơ cấu ba độ tuổi, nhóm trên 50 tuổi (chưa xác nhận)",
            "tier_low_min_percent": f"{d45}: nhóm dưới 40 tuổi từ 10% trở lên (chưa xác nhận)",
            "tier_mid_min_percent": f"{d45}: nhóm 40-50 tuổi từ 40% đến 50% (chưa xác nhận)",
            "tier_mid_max_percent": f"{d45}: nhóm 40-50 tuổi từ 40% đến 50% (chưa xác nhận)",
            "renewal_min_percent": f"{d45}: tỷ lệ đổi mới từ 33% trở lên (chưa xác nhận)",
        }
    )
    commune_src = f"{d45}, phụ lục: số lượng cấp ủy cấp xã"
    seat_ranges = (
        {"level": "commune", "kind": "executive", "formed_from_min": None, "formed_from_max": 2,
         "min": None, "max": 27, "source": f"{commune_src} (hình thành từ 2 đơn vị trở xuống: tối đa 27)"},
        {"level": "commune", "kind": "executive", "formed_from_min": 3, "formed_from_max": None,
         "min": None, "max": 33, "source": f"{commune_src} (hình thành từ 3 đơn vị trở lên: tối đa 33)"},
        {"level": "commune", "kind": "standing", "formed_from_min": None, "formed_from_max": 2,
         "min": None, "max": 9, "source": f"{commune_src} (ban thường vụ, từ 2 đơn vị trở xuống: tối đa 9)"},
        {"level": "commune", "kind": "standing", "formed_from_min": 3, "formed_from_max": None,
         "min": None, "max": 11, "source": f"{commune_src} (ban thường vụ, từ 3 đơn vị trở lên: tối đa 11)"},
        dict(_PEOPLE_COUNCIL_RANGE),
    )  # fmt: skip
    return RuleSet(
        code="CT45-2025",
        name="Chỉ thị 45-CT/TW (đại hội đảng bộ các cấp nhiệm kỳ 2025-2030)",
        source=d45 + " về đại hội đảng bộ các cấp tiến tới Đại hội đại biểu toàn quốc lần thứ XIV",
        params=params,
        param_sources=sources,
        reference_dates={
            "central": None,
            "province": date(2025, 9, 1),
            "district": date(2025, 6, 1),
            "commune": date(2025, 7, 1),
            "grassroots": date(2025, 4, 1),
            "cell": date(2025, 4, 1),
            "people_council": date(2026, 3, 1),
        },
        seat_ranges=seat_ranges,
        references=_references("Chỉ thị 45-CT/TW"),
        **_COMMON_STRUCTURE,
    )


def _ct35() -> RuleSet:
    d35 = "Chỉ thị 35-CT/TW ngày 30/5/2019 của Bộ Chính trị"
    params, sources = _common_params()
    params.update(
        {
            "first_time_min_months": 60,
            "reelection_min_months": 30,
            "reelection_min_months_province_deputy_secretary": None,
            "female_min_percent": 15,
            "young_age_below": 40,
            "young_min_percent": 10,
            "tier_low_below": 40,
            "tier_high_above": 50,
            "tier_low_min_percent": 10,
            "tier_mid_min_percent": 40,
            "tier_mid_max_percent": 50,
            "renewal_min_percent": 33,
        }
    )
    sources.update(
        {
            "first_time_min_months": f"{d35}: tham gia lần đầu phải đủ tuổi công tác trọn một nhiệm kỳ (60 tháng)",
            "reelection_min_months": f"{d35}: tái cử phải còn ít nhất 30 tháng công tác",
            "reelection_min_months_province_deputy_secretary": (
                f"{d35}: không có quy định riêng (áp dụng mức tái cử chung)"
            ),
            "female_min_percent": f"{d35}: cán bộ nữ từ 15% trở lên",
            "young_age_below": f"{d35}: cán bộ trẻ dưới 40 tuổi",
            "young_min_percent": f"{d35}: cán bộ trẻ từ 10% trở lên (cấp tỉnh, cấp huyện)",
            "tier_low_below": f"{d35}: cơ cấu ba độ tuổi, nhóm dưới 40 tuổi",
            "tier_high_above": f"{d35}: cơ cấu ba độ tuổi, nhóm trên 50 tuổi",
            "tier_low_min_percent": f"{d35}: nhóm dưới 40 tuổi từ 10% trở lên",
            "tier_mid_min_percent": f"{d35}: nhóm 40-50 tuổi từ 40% đến 50%",
            "tier_mid_max_percent": f"{d35}: nhóm 40-50 tuổi từ 40% đến 50%",
            "renewal_min_percent": f"{d35}: tỷ lệ đổi mới khoảng 1/3 (từ 33% trở lên)",
        }
    )
    return RuleSet(
        code="CT35-2019",
        name="Chỉ thị 35-CT/TW (đại hội đảng bộ các cấp nhiệm kỳ 2020-2025)",
        source=d35 + " về đại hội đảng bộ các cấp tiến tới Đại hội đại biểu toàn quốc lần thứ XIII",
        params=params,
        param_sources=sources,
        reference_dates={
            "central": None,
            "province": None,
            "district": None,
            "commune": None,
            "grassroots": None,
            "cell": None,
            "people_council": None,
        },
        seat_ranges=(dict(_PEOPLE_COUNCIL_RANGE),),
        references=_references("Chỉ thị 35-CT/TW"),
        **_COMMON_STRUCTURE,
    )


CT45_2025: RuleSet = _ct45()
CT35_2019: RuleSet = _ct35()

#: Built-in rule sets by code.
PRESETS: dict[str, RuleSet] = {CT35_2019.code: CT35_2019, CT45_2025.code: CT45_2025}


# --------------------------------------------------------------------------------------------------
# Overrides and (de)serialisation


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, float) and math.isfinite(value)


def with_overrides(rs: RuleSet, overrides: dict[str, Any]) -> RuleSet:
    """A copy of ``rs`` with some parameters replaced.

    Raises :class:`UnknownParameterError` for a name the rule set does not have and
    :class:`InvalidParameterError` for a value that is not a number (or null).
    """
    if not overrides:
        return rs
    params = rs.params
    unknown = [name for name in overrides if name not in params]
    if unknown:
        raise UnknownParameterError(
            f"Tham số không tồn tại trong bộ quy tắc {rs.code}: " + ", ".join(map(str, unknown))
        )
    for name, value in overrides.items():
        if value is not None and not _is_number(value):
            raise InvalidParameterError(
                f"Tham số '{name}' của bộ quy tắc {rs.code} phải là một số hoặc null, "
                f"nhận được {value!r}"
            )
    new_params = {**params, **overrides}
    new_sources = dict(rs.param_sources)
    for name in overrides:
        original = rs.param_sources.get(name, "")
        new_sources[name] = "Giá trị ghi đè trong dữ liệu đầu vào" + (
            f" (mặc định: {original})" if original else ""
        )
    return replace(rs, params=new_params, param_sources=new_sources)


def _iso(d: date | None) -> str | None:
    return None if d is None else d.isoformat()


def ruleset_to_dict(rs: RuleSet) -> dict[str, Any]:
    """A JSON-serialisable dict for ``rs`` (dates as ISO strings, tuples as lists)."""
    return {
        "code": rs.code,
        "name": rs.name,
        "source": rs.source,
        "params": dict(rs.params),
        "param_sources": dict(rs.param_sources),
        "reference_dates": {k: _iso(v) for k, v in rs.reference_dates.items()},
        "seat_ranges": [dict(r) for r in rs.seat_ranges],
        "head_posts": list(rs.head_posts),
        "family_relations": list(rs.family_relations),
        "sectors": list(rs.sectors),
        "standing_posts": list(rs.standing_posts),
        "head_deputy_pairs": [list(p) for p in rs.head_deputy_pairs],
        "sector_conflict_heads": list(rs.sector_conflict_heads),
        "province_deputy_secretary_posts": list(rs.province_deputy_secretary_posts),
        "local_secretary_error_levels": list(rs.local_secretary_error_levels),
        "people_council_min_extra": [dict(r) for r in rs.people_council_min_extra],
        "post_ranks": dict(rs.post_ranks),
        "discipline_levels": list(rs.discipline_levels),
        "references": dict(rs.references),
    }


def _str_tuple(d: dict[str, Any], key: str) -> tuple[str, ...]:
    value = d[key]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise RuleSetError(f"Bộ quy tắc: trường '{key}' phải là danh sách chuỗi")
    return tuple(value)


def ruleset_from_dict(d: dict[str, Any]) -> RuleSet:
    """Inverse of :func:`ruleset_to_dict`; raises :class:`RuleSetError` on malformed data."""
    if not isinstance(d, dict):
        raise RuleSetError("Bộ quy tắc phải là một đối tượng JSON")
    try:
        params = d["params"]
        if not isinstance(params, dict):
            raise RuleSetError("Bộ quy tắc: trường 'params' phải là đối tượng")
        for name, value in params.items():
            if value is not None and not _is_number(value):
                raise RuleSetError(f"Bộ quy tắc: tham số '{name}' phải là số hoặc null")
        missing = [n for n in PUBLIC_PARAM_NAMES if n not in params]
        if missing:
            raise RuleSetError("Bộ quy tắc thiếu tham số: " + ", ".join(missing))
        ref_dates: dict[str, date | None] = {}
        for level, value in d["reference_dates"].items():
            ref_dates[level] = None if value is None else date.fromisoformat(value)
        pairs = tuple(tuple(p) for p in d["head_deputy_pairs"])
        if not all(len(p) == 2 for p in pairs):
            raise RuleSetError("Bộ quy tắc: 'head_deputy_pairs' phải gồm các cặp")
        return RuleSet(
            code=str(d["code"]),
            name=str(d.get("name", d["code"])),
            source=str(d.get("source", "")),
            params=dict(params),
            param_sources={str(k): str(v) for k, v in d.get("param_sources", {}).items()},
            reference_dates=ref_dates,
            seat_ranges=tuple(dict(r) for r in d["seat_ranges"]),
            head_posts=_str_tuple(d, "head_posts"),
            family_relations=_str_tuple(d, "family_relations"),
            sectors=_str_tuple(d, "sectors"),
            standing_posts=_str_tuple(d, "standing_posts"),
            head_deputy_pairs=pairs,  # type: ignore[arg-type]
            sector_conflict_heads=_str_tuple(d, "sector_conflict_heads"),
            province_deputy_secretary_posts=_str_tuple(d, "province_deputy_secretary_posts"),
            local_secretary_error_levels=_str_tuple(d, "local_secretary_error_levels"),
            people_council_min_extra=tuple(
                sorted(
                    (
                        {"max_seats": int(r["max_seats"]), "min_extra": int(r["min_extra"])}
                        for r in d["people_council_min_extra"]
                    ),
                    key=lambda r: r["max_seats"],
                )
            ),  # fmt: skip
            post_ranks={str(k): int(v) for k, v in d["post_ranks"].items()},
            discipline_levels=_str_tuple(d, "discipline_levels"),
            references={str(k): str(v) for k, v in d.get("references", {}).items()},
        )
    except RuleSetError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise RuleSetError(f"Bộ quy tắc không hợp lệ: {exc!r}") from exc
