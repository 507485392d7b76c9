"""Slate evaluation: parse a proposed body (SLATE_FORMAT.md) and check it against a rule set.

The parser validates everything the contract lists as bad input and raises :class:`SlateInputError` with a
Vietnamese message; :func:`evaluate` returns the exact output document of the contract. Every regulation
number comes from the :class:`~congress.rules.rulesets.RuleSet`.

Written for speed (thousands of slates per second): per-rule-set constants are compiled once and cached,
dates are parsed once, the hot loop uses local variables and integer arithmetic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any

from .common import (
    Finding,
    Ratio,
    finding,
    param_source,
    percent,
    percent_at_least,
    percent_at_most,
    percent_fraction,
    ratio,
    target_text,
    who,
)
from .dates import add_months, retirement_age_months
from .labels import KIND_LABELS, LEVEL_LABELS, RELATION_LABELS, num, post_label, vn_date
from .rulesets import LEVELS, PRESETS, RuleSet, RuleSetError, with_overrides

__all__ = [
    "BASE_POST_CODES",
    "Body",
    "Candidate",
    "KINDS",
    "RELATION_CODES",
    "Relative",
    "SEVERITY",
    "SEXES",
    "Slate",
    "SlateInputError",
    "Tenure",
    "VETTING_VALUES",
    "evaluate",
    "evaluate_dict",
    "parse_slate",
]


class SlateInputError(Exception):
    """The slate input is invalid; the message (Vietnamese) names the field and the candidate."""


# --------------------------------------------------------------------------------------------------
# Contract vocabularies (codes of the public interface, not regulation numbers)

KINDS: frozenset[str] = frozenset({"executive", "standing", "people_council"})
SEXES: frozenset[str] = frozenset({"male", "female"})
VETTING_VALUES: frozenset[str] = frozenset({"eligible", "ineligible", "pending", "none"})
BASE_POST_CODES: tuple[str, ...] = (
    "secretary",
    "standing_deputy_secretary",
    "deputy_secretary",
    "standing_member",
    "member",
    "people_council_chair",
    "people_council_vice_chair",
    "people_committee_chair",
    "people_committee_vice_chair",
    "inspection_chair",
    "organization_head",
    "fatherland_front_chair",
)
RELATION_CODES: tuple[str, ...] = (
    "spouse",
    "parent",
    "parent_in_law",
    "child",
    "child_in_law",
    "sibling",
    "sibling_in_law",
)
_LEVEL_SET = frozenset(LEVELS)
_MAJORITY_ETHNICITY = "kinh"

#: Severity of each finding code (LOCAL_SECRETARY depends on the level, see the rule set).
SEVERITY: dict[str, str] = {
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

# --------------------------------------------------------------------------------------------------
# Parsed input


@dataclass(slots=True)
class Tenure:
    post: str
    unit: str
    start: date
    end: date | None


@dataclass(slots=True)
class Relative:
    relation: str
    id: str | None
    name: str | None
    posts: tuple[str, ...]


@dataclass(slots=True)
class Candidate:
    id: str
    name: str
    sex: str
    birth_date: date
    ethnicity: str
    is_local: bool
    extended_retirement: bool
    proposed_posts: tuple[str, ...]
    vetting: str
    has_achievement_last_3y: bool
    tenures: tuple[Tenure, ...]
    relatives: tuple[Relative, ...]


@dataclass(slots=True)
class Body:
    level: str
    kind: str
    seats: int
    unit: str | None = None
    term: str | None = None
    formed_from: int = 1


@dataclass(slots=True)
class Slate:
    ruleset: RuleSet
    reference_date: date
    body: Body
    incumbents: frozenset[str]
    candidates: tuple[Candidate, ...]


# --------------------------------------------------------------------------------------------------
# Compiled rule set


class _Compiled:
    """Per-rule-set constants precomputed for the hot path."""

    __slots__ = (
        "rs",
        "p",
        "src",
        "ref",
        "posts",
        "relations",
        "counted_relations",
        "head_posts",
        "standing_posts",
        "pairs",
        "sector_heads",
        "sectors",
        "prov_dep_posts",
        "local_error_levels",
        "young_below",
        "tier_low",
        "tier_high",
        "ratio_targets",
        "surplus_max",
        "surplus_prep_min",
        "surplus_prep_max",
        "small_seats",
        "small_surplus",
        "pc_table",
        "term_limit_months",
        "gap_days",
        "current_days",
    )

    def __init__(self, rs: RuleSet) -> None:
        p = rs.params
        self.rs = rs
        self.p = p
        self.src = rs.param_sources
        self.ref = rs.references
        self.posts = frozenset(BASE_POST_CODES) | frozenset(rs.sectors) | frozenset(rs.head_posts)
        self.relations = frozenset(RELATION_CODES) | frozenset(rs.family_relations)
        self.counted_relations = frozenset(rs.family_relations)
        self.head_posts = frozenset(rs.head_posts)
        self.standing_posts = frozenset(rs.standing_posts)
        pairs: set[tuple[str, str]] = set()
        for a, b in rs.head_deputy_pairs:
            pairs.add((a, b))
            pairs.add((b, a))
        self.pairs = frozenset(pairs)
        self.sector_heads = frozenset(rs.sector_conflict_heads)
        self.sectors = frozenset(rs.sectors)
        self.prov_dep_posts = frozenset(rs.province_deputy_secretary_posts)
        self.local_error_levels = frozenset(rs.local_secretary_error_levels)
        for name in ("young_age_below", "tier_low_below", "tier_high_above"):
            if p.get(name) is None:
                raise RuleSetError(f"Tham số '{name}' của bộ quy tắc {rs.code} không được để trống")
        self.young_below = p["young_age_below"]
        self.tier_low = p["tier_low_below"]
        self.tier_high = p["tier_high_above"]
        # (key, finding code, min param, max param) for the seven ratios of the output.
        targets = []
        for key, lo_name, hi_name in (
            ("female", "female_min_percent", None),
            ("young", "young_min_percent", None),
            ("ethnic_minority", "ethnic_min_percent", None),
            ("renewal", "renewal_min_percent", None),
            ("age_tier_low", "tier_low_min_percent", None),
            ("age_tier_mid", "tier_mid_min_percent", "tier_mid_max_percent"),
            ("age_tier_high", None, None),
        ):
            lo = p.get(lo_name) if lo_name else None
            hi = p.get(hi_name) if hi_name else None
            targets.append(
                (
                    key,
                    percent_fraction(lo),
                    percent_fraction(hi),
                    target_text(lo, hi),
                    lo_name,
                    hi_name,
                )
            )
        self.ratio_targets = tuple(targets)
        self.surplus_max = percent_fraction(p.get("surplus_max_percent"))
        self.surplus_prep_min = percent_fraction(p.get("surplus_prepared_min_percent"))
        self.surplus_prep_max = percent_fraction(p.get("surplus_prepared_max_percent"))
        self.small_seats = p.get("small_body_max_seats")
        self.small_surplus = p.get("small_body_max_surplus")
        self.pc_table = tuple(
            (r["max_seats"], r["min_extra"])
            for r in sorted(rs.people_council_min_extra, key=lambda r: r["max_seats"])
        )
        years = p.get("term_limit_years")
        self.term_limit_months = None if years is None else _half_up(Fraction(str(years)) * 12)
        self.gap_days = p.get("term_chain_gap_days")
        self.current_days = p.get("term_current_within_days")


def _half_up(f: Fraction) -> int:
    return int((f * 2 + 1) // 2)


_COMPILED: dict[int, tuple[RuleSet, _Compiled]] = {}
#: Retirement dates by (birth date, men's roadmap), with their ISO form.
_RET_CACHE: dict[tuple[date, bool], tuple[date, str]] = {}


def _compiled(rs: RuleSet) -> _Compiled:
    hit = _COMPILED.get(id(rs))
    if hit is not None and hit[0] is rs:
        return hit[1]
    comp = _Compiled(rs)
    if len(_COMPILED) >= 256:
        _COMPILED.clear()
    _COMPILED[id(rs)] = (rs, comp)
    return comp


# --------------------------------------------------------------------------------------------------
# Parsing

_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATE_CACHE: dict[str, date] = {}
_TYPE_NAMES = {
    str: "chuỗi",
    int: "số nguyên",
    float: "số thực",
    bool: "true/false",
    list: "danh sách",
    dict: "đối tượng",
    type(None): "null",
}


def _tn(value: Any) -> str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def _parse_date(value: Any, where: str) -> date:
    if type(value) is str:
        d = _DATE_CACHE.get(value)
        if d is not None:
            return d
        if _DATE_RE.fullmatch(value) is not None:
            try:
                d = date.fromisoformat(value)
            except ValueError:
                raise SlateInputError(
                    f"{where} '{value}' không hợp lệ (ngày không tồn tại; định dạng YYYY-MM-DD)"
                ) from None
            if len(_DATE_CACHE) >= 50000:
                _DATE_CACHE.clear()
            _DATE_CACHE[value] = d
            return d
        raise SlateInputError(f"{where} '{value}' không hợp lệ (định dạng YYYY-MM-DD)")
    raise SlateInputError(
        f"{where} phải là chuỗi ngày dạng YYYY-MM-DD, nhận được {_tn(value)} ({value!r})"
    )


def _req_str(obj: dict[str, Any], key: str, where: str) -> str:
    value = obj.get(key)
    if type(value) is str and value:
        return value
    if value is None:
        raise SlateInputError(f"{where}: thiếu trường bắt buộc '{key}'")
    raise SlateInputError(f"{where}: trường '{key}' phải là chuỗi khác rỗng, nhận được {value!r}")


def _opt_str(obj: dict[str, Any], key: str, where: str, default: str | None) -> str | None:
    value = obj.get(key)
    if value is None:
        return default
    if type(value) is str:
        return value
    raise SlateInputError(
        f"{where}: trường '{key}' phải là chuỗi, nhận được {_tn(value)} ({value!r})"
    )


def _bool_err(where: str, key: str, value: Any) -> SlateInputError:
    return SlateInputError(
        f"{where}: trường '{key}' phải là true hoặc false, nhận được {_tn(value)} ({value!r})"
    )


def _list_err(where: str, key: str, value: Any) -> SlateInputError:
    return SlateInputError(
        f"{where}: trường '{key}' phải là danh sách, nhận được {_tn(value)} ({value!r})"
    )


def _posts(value: Any, where: str, key: str, known: frozenset[str]) -> tuple[str, ...]:
    if value is None:
        return ()
    if type(value) is not list:
        raise _list_err(where, key, value)
    for post in value:
        if type(post) is not str or post not in known:
            raise SlateInputError(f"{where}: mã chức danh {post!r} trong '{key}' không tồn tại")
    return tuple(value)


def _parse_tenures(value: Any, where: str, comp: _Compiled) -> tuple[Tenure, ...]:
    if value is None:
        return ()
    if type(value) is not list:
        raise _list_err(where, "tenures", value)
    out = []
    for i, t in enumerate(value, 1):
        tw = f"{where}, quá trình giữ chức thứ {i}"
        if type(t) is not dict:
            raise SlateInputError(f"{tw}: phải là một đối tượng, nhận được {t!r}")
        post = t.get("post")
        if post is None:
            raise SlateInputError(f"{tw}: thiếu trường bắt buộc 'post'")
        if type(post) is not str or post not in comp.posts:
            raise SlateInputError(f"{tw}: mã chức danh {post!r} không tồn tại")
        unit = _req_str(t, "unit", tw)
        if "start" not in t or t["start"] is None:
            raise SlateInputError(f"{tw}: thiếu trường bắt buộc 'start'")
        start = _parse_date(t["start"], f"{tw}: ngày bắt đầu")
        end_raw = t.get("end")
        end = None if end_raw is None else _parse_date(end_raw, f"{tw}: ngày kết thúc")
        if end is not None and end < start:
            raise SlateInputError(
                f"{tw}: ngày kết thúc {end.isoformat()} trước ngày bắt đầu {start.isoformat()}"
            )
        out.append(Tenure(post, unit, start, end))
    return tuple(out)


def _parse_relatives(value: Any, where: str, comp: _Compiled) -> tuple[Relative, ...]:
    if value is None:
        return ()
    if type(value) is not list:
        raise _list_err(where, "relatives", value)
    out = []
    for i, r in enumerate(value, 1):
        rw = f"{where}, người thân thứ {i}"
        if type(r) is not dict:
            raise SlateInputError(f"{rw}: phải là một đối tượng, nhận được {r!r}")
        relation = r.get("relation")
        if relation is None:
            raise SlateInputError(f"{rw}: thiếu trường bắt buộc 'relation'")
        if type(relation) is not str or relation not in comp.relations:
            raise SlateInputError(
                f"{rw}: quan hệ {relation!r} không tồn tại (có: {', '.join(RELATION_CODES)})"
            )
        rid = _opt_str(r, "id", rw, None)
        name = _opt_str(r, "name", rw, None)
        posts = _posts(r.get("posts"), rw, "posts", comp.posts)
        out.append(Relative(relation, rid, name, posts))
    return tuple(out)


def _parse_candidate(raw: Any, index: int, ref: date, comp: _Compiled) -> Candidate:
    if type(raw) is not dict:
        raise SlateInputError(f"Ứng viên thứ {index}: phải là một đối tượng, nhận được {raw!r}")
    get = raw.get
    cid = get("id")
    if type(cid) is not str or not cid:
        if cid is None:
            raise SlateInputError(f"Ứng viên thứ {index}: thiếu trường bắt buộc 'id'")
        raise SlateInputError(
            f"Ứng viên thứ {index}: trường 'id' phải là chuỗi khác rỗng, nhận được {cid!r}"
        )
    where = f"Ứng viên {cid}"
    name = get("name")
    if name is None:
        name = ""
    elif type(name) is not str:
        raise SlateInputError(f"{where}: trường 'name' phải là chuỗi, nhận được {name!r}")
    sex = get("sex")
    if type(sex) is not str or sex not in SEXES:
        if sex is None:
            raise SlateInputError(f"{where}: thiếu trường bắt buộc 'sex'")
        raise SlateInputError(f"{where}: giới tính {sex!r} không hợp lệ (male hoặc female)")
    bd = get("birth_date")
    if bd is None:
        raise SlateInputError(f"{where}: thiếu trường bắt buộc 'birth_date'")
    birth = _parse_date(bd, f"{where}: ngày sinh")
    if birth > ref:
        raise SlateInputError(
            f"{where}: ngày sinh {birth.isoformat()} sau thời điểm tính tuổi {ref.isoformat()}"
        )
    ethnicity = get("ethnicity")
    if ethnicity is None:
        ethnicity = "Kinh"
    elif type(ethnicity) is not str:
        raise SlateInputError(f"{where}: trường 'ethnicity' phải là chuỗi, nhận được {ethnicity!r}")
    is_local = get("is_local", False)
    if is_local is not True and is_local is not False:
        if is_local is not None:
            raise _bool_err(where, "is_local", is_local)
        is_local = False
    extended = get("extended_retirement", False)
    if extended is not True and extended is not False:
        if extended is not None:
            raise _bool_err(where, "extended_retirement", extended)
        extended = False
    achievement = get("has_achievement_last_3y", False)
    if achievement is not True and achievement is not False:
        if achievement is not None:
            raise _bool_err(where, "has_achievement_last_3y", achievement)
        achievement = False
    vetting = get("vetting")
    if vetting is None:
        vetting = "none"
    elif type(vetting) is not str or vetting not in VETTING_VALUES:
        raise SlateInputError(
            f"{where}: kết quả thẩm tra {vetting!r} không hợp lệ "
            "(eligible, ineligible, pending hoặc none)"
        )
    posts = get("proposed_posts")
    posts = () if posts is None else _posts(posts, where, "proposed_posts", comp.posts)
    tenures = get("tenures")
    # Fast path: absent or empty lists need no parsing.
    tenures = _parse_tenures(tenures, where, comp) if tenures or tenures not in (None, []) else ()
    relatives = get("relatives")
    relatives = (
        _parse_relatives(relatives, where, comp) if relatives or relatives not in (None, []) else ()
    )
    return Candidate(
        cid,
        name,
        sex,
        birth,
        ethnicity,
        is_local,
        extended,
        posts,
        vetting,
        achievement,
        tenures,
        relatives,
    )


def _resolve_ruleset(data: dict[str, Any], rulesets: dict[str, RuleSet]) -> RuleSet:
    code = data.get("ruleset")
    if code is None:
        raise SlateInputError("Thiếu trường bắt buộc 'ruleset' (bộ quy tắc)")
    if type(code) is not str:
        raise SlateInputError(f"Trường 'ruleset' phải là chuỗi, nhận được {code!r}")
    rs = rulesets.get(code)
    if rs is None:
        raise SlateInputError(
            f"Bộ quy tắc '{code}' không tồn tại (có: {', '.join(sorted(rulesets))})"
        )
    rules = data.get("rules")
    if rules is None:
        return rs
    if type(rules) is not dict:
        raise SlateInputError(f"Trường 'rules' phải là một đối tượng, nhận được {rules!r}")
    if not rules:
        return rs
    try:
        return with_overrides(rs, rules)
    except RuleSetError as exc:
        raise SlateInputError(f"Trường 'rules': {exc}") from None


def _parse_body(raw: Any) -> Body:
    if raw is None:
        raise SlateInputError("Thiếu trường bắt buộc 'body' (cơ quan được bầu)")
    if type(raw) is not dict:
        raise SlateInputError(f"Trường 'body' phải là một đối tượng, nhận được {raw!r}")
    level = raw.get("level")
    if type(level) is not str or level not in _LEVEL_SET:
        if level is None:
            raise SlateInputError("Cơ quan: thiếu trường bắt buộc 'body.level'")
        raise SlateInputError(f"Cơ quan: cấp {level!r} không tồn tại (có: {', '.join(LEVELS)})")
    kind = raw.get("kind")
    if type(kind) is not str or kind not in KINDS:
        if kind is None:
            raise SlateInputError("Cơ quan: thiếu trường bắt buộc 'body.kind'")
        raise SlateInputError(
            f"Cơ quan: loại {kind!r} không tồn tại (executive, standing hoặc people_council)"
        )
    seats = raw.get("seats")
    if type(seats) is not int or seats < 1:
        if seats is None:
            raise SlateInputError("Cơ quan: thiếu trường bắt buộc 'body.seats' (số lượng)")
        raise SlateInputError(
            f"Cơ quan: 'body.seats' phải là số nguyên từ 1 trở lên, nhận được {seats!r}"
        )
    unit = _opt_str(raw, "unit", "Cơ quan", None)
    term = _opt_str(raw, "term", "Cơ quan", None)
    formed_from = raw.get("formed_from")
    if formed_from is None:
        formed_from = 1
    elif type(formed_from) is not int or formed_from < 1:
        raise SlateInputError(
            f"Cơ quan: 'body.formed_from' phải là số nguyên từ 1 trở lên, nhận được {formed_from!r}"
        )
    return Body(level, kind, seats, unit, term, formed_from)


def parse_slate(data: Any, rulesets: dict[str, RuleSet] | None = None) -> Slate:
    """Validate ``data`` (decoded JSON) into a :class:`Slate`; raise :class:`SlateInputError`."""
    if type(data) is not dict:
        raise SlateInputError("Dữ liệu đầu vào phải là một đối tượng JSON")
    rs = _resolve_ruleset(data, PRESETS if rulesets is None else rulesets)
    try:
        comp = _compiled(rs)
    except RuleSetError as exc:
        raise SlateInputError(str(exc)) from None
    body = _parse_body(data.get("body"))
    ref_raw = data.get("reference_date")
    if ref_raw is not None:
        ref = _parse_date(ref_raw, "Thời điểm tính tuổi (reference_date)")
    else:
        key = "people_council" if body.kind == "people_council" else body.level
        ref = rs.reference_dates.get(key)
        if ref is None:
            raise SlateInputError(
                f"Bộ quy tắc {rs.code} không quy định thời điểm tính tuổi cho "
                f"{KIND_LABELS[body.kind] if body.kind == 'people_council' else LEVEL_LABELS[body.level]}"
                "; cần nhập 'reference_date' (YYYY-MM-DD)"
            )
    inc_raw = data.get("incumbents")
    if inc_raw is None:
        incumbents: frozenset[str] = frozenset()
    else:
        if type(inc_raw) is not list:
            raise SlateInputError(
                f"Trường 'incumbents' phải là danh sách mã ứng viên, nhận được {inc_raw!r}"
            )
        for item in inc_raw:
            if type(item) is not str:
                raise SlateInputError(f"Trường 'incumbents': mã {item!r} phải là chuỗi")
        incumbents = frozenset(inc_raw)
    raw_cands = data.get("candidates")
    if raw_cands is None:
        raise SlateInputError("Thiếu trường bắt buộc 'candidates' (danh sách ứng viên)")
    if type(raw_cands) is not list:
        raise SlateInputError(f"Trường 'candidates' phải là danh sách, nhận được {_tn(raw_cands)}")
    if not raw_cands:
        raise SlateInputError("Danh sách ứng viên 'candidates' rỗng (cần ít nhất một ứng viên)")
    cands = tuple([_parse_candidate(raw, i, ref, comp) for i, raw in enumerate(raw_cands, 1)])
    ids = {c.id for c in cands}
    if len(ids) != len(cands):
        seen: set[str] = set()
        for c in cands:
            if c.id in seen:
                raise SlateInputError(f"Ứng viên {c.id}: mã ứng viên bị lặp lại")
            seen.add(c.id)
    return Slate(rs, ref, body, incumbents, cands)


# --------------------------------------------------------------------------------------------------
# Evaluation helpers


def _who(c: Candidate) -> str:
    return who(c.id, c.name)


def _finding(code: str, people: list[str], message: str, severity: str | None = None) -> Finding:
    return finding(code, severity or SEVERITY[code], people, message)


_RATIO_FINDINGS = {
    "female": ("FEMALE_RATIO", "Tỷ lệ cán bộ nữ"),
    "young": ("YOUNG_RATIO", "Tỷ lệ cán bộ trẻ"),
    "ethnic_minority": ("ETHNIC_RATIO", "Tỷ lệ cán bộ người dân tộc thiểu số"),
    "renewal": ("RENEWAL_RATIO", "Tỷ lệ đổi mới (tham gia lần đầu)"),
}


def _src(comp: _Compiled, name: str | None) -> str:
    return param_source(comp.rs, name)


def _term_limit(
    c: Candidate, unit: str | None, ref: date, comp: _Compiled, findings: list[dict]
) -> None:
    if unit is None or comp.term_limit_months is None:
        return
    done: set[str] = set()
    limit_date = add_months(ref, -comp.term_limit_months)
    gap = comp.gap_days
    within = comp.current_days
    for post in c.proposed_posts:
        if post in done or post not in comp.head_posts:
            continue
        done.add(post)
        spans = sorted(
            (t.start, t.end) for t in c.tenures if t.post == post and t.unit == unit
        ) if c.tenures else []  # fmt: skip
        if not spans:
            continue
        chains: list[tuple[date, date | None]] = []
        cs, ce = spans[0]
        for s, e in spans[1:]:
            if ce is None or (s - ce).days <= gap:
                if ce is not None:
                    ce = None if e is None else max(ce, e)
            else:
                chains.append((cs, ce))
                cs, ce = s, e
        chains.append((cs, ce))
        for cs, ce in chains:
            current = ce is None or within is None or (ref - ce).days <= within
            if current and cs <= limit_date:
                label = post_label(post)
                held = "đến nay" if ce is None else f"đến {vn_date(ce)}"
                findings.append(
                    _finding(
                        "TERM_LIMIT",
                        [c.id],
                        f"{_who(c)} đã giữ chức {label} tại đơn vị {unit} liên tục từ "
                        f"{vn_date(cs)} {held} (từ {num(comp.p['term_limit_years'])} năm trở lên, "
                        f"tính là hai nhiệm kỳ tính đến {vn_date(ref)}); không được giới thiệu giữ "
                        f"chức cấp trưởng này quá hai nhiệm kỳ liên tiếp theo "
                        f"{comp.ref.get('term_limit', _src(comp, 'term_limit_years'))}.",
                    )
                )
                break


def _conflict_reasons(
    posts_a: frozenset[str] | tuple[str, ...],
    standing_a: bool,
    posts_b: frozenset[str] | tuple[str, ...],
    standing_b: bool,
    comp: _Compiled,
) -> list[str]:
    reasons = []
    if standing_a and standing_b:
        reasons.append("cùng tham gia ban thường vụ cấp ủy")
    pairs = comp.pairs
    for pa in posts_a:
        for pb in posts_b:
            if (pa, pb) in pairs:
                reasons.append(f"{post_label(pa)} và {post_label(pb)} (cấp trưởng và cấp phó)")
    heads, sectors = comp.sector_heads, comp.sectors
    for x, y in ((posts_a, posts_b), (posts_b, posts_a)):
        for pa in x:
            if pa in heads:
                for pb in y:
                    if pb in sectors:
                        reasons.append(f"{post_label(pa)} và {post_label(pb)} cùng cấp")
    return reasons


def _family(
    cands: tuple[Candidate, ...], body: Body, comp: _Compiled, findings: list[dict]
) -> None:
    by_id = {c.id: c for c in cands}
    counted = comp.counted_relations
    standing_posts = comp.standing_posts
    body_standing = body.kind == "standing"
    pairs: dict[tuple[str, str], str] = {}
    outside: dict[tuple[str, str], tuple[Candidate, Relative]] = {}
    for c in cands:
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
    reference = comp.ref.get("family", comp.rs.name)
    for (a_id, b_id), relation in pairs.items():
        a, b = by_id[a_id], by_id[b_id]
        sa = body_standing or any(p in standing_posts for p in a.proposed_posts)
        sb = body_standing or any(p in standing_posts for p in b.proposed_posts)
        reasons = _conflict_reasons(a.proposed_posts, sa, b.proposed_posts, sb, comp)
        if reasons:
            findings.append(
                _finding(
                    "FAMILY_CONFLICT",
                    [a_id, b_id],
                    f"{_who(a)} và {_who(b)} có quan hệ gia đình "
                    f"({RELATION_LABELS.get(relation, relation)}) nhưng được đề xuất: "
                    f"{'; '.join(reasons)}. Không được đồng thời đảm nhiệm theo {reference}; "
                    "trường hợp đặc biệt phải được cấp ủy cấp trên trực tiếp đồng ý.",
                )
            )
    for (_cid, _okey), (c, r) in outside.items():
        sc = body_standing or any(p in standing_posts for p in c.proposed_posts)
        sr = any(p in standing_posts for p in r.posts)
        reasons = _conflict_reasons(c.proposed_posts, sc, r.posts, sr, comp)
        if reasons:
            rel_name = r.name or r.id or "người thân ngoài danh sách"
            findings.append(
                _finding(
                    "FAMILY_CONFLICT",
                    [c.id],
                    f"{_who(c)} có người thân ({RELATION_LABELS.get(r.relation, r.relation)}) "
                    f"là {rel_name}, ngoài danh sách, đang giữ chức "
                    f"{', '.join(post_label(p) for p in r.posts)}: {'; '.join(reasons)}. "
                    f"Không được đồng thời đảm nhiệm theo {reference}; trường hợp đặc biệt phải "
                    "được cấp ủy cấp trên trực tiếp đồng ý.",
                )
            )


def _seat_range(body: Body, comp: _Compiled) -> tuple[Any, Any, str]:
    lo = hi = None
    source = ""
    for r in comp.rs.seat_ranges:
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
    p = comp.p
    if p.get("seats_min") is not None:
        lo, source = p["seats_min"], _src(comp, "seats_min")
    if p.get("seats_max") is not None:
        hi, source = p["seats_max"], _src(comp, "seats_max")
    return lo, hi, source


def _surplus(body: Body, n: int, comp: _Compiled, findings: list[dict]) -> None:
    seats = body.seats
    surplus = n - seats
    kind = body.kind
    ref = comp.ref.get("surplus", comp.rs.name)
    if surplus <= 0:
        findings.append(
            _finding(
                "SURPLUS_NONE",
                [],
                f"Danh sách có {n} ứng viên cho {seats} chỗ: không có số dư; danh sách bầu cử phải "
                f"nhiều hơn số lượng cần bầu theo {ref}.",
            )
        )
        return
    pct = num(percent(surplus, seats))
    if kind == "people_council":
        need = None
        for max_seats, min_extra in comp.pc_table:
            need = min_extra
            if seats <= max_seats:
                break
        if need is not None and surplus < need:
            findings.append(
                _finding(
                    "SURPLUS_LOW",
                    [],
                    f"Đơn vị bầu cử {seats} đại biểu chỉ có {n} người ứng cử (dư {surplus}); "
                    f"phải dư ít nhất {need} người theo "
                    f"{comp.ref.get('people_council_surplus', comp.rs.name)}.",
                )
            )
        return
    small = comp.small_seats is not None and seats <= comp.small_seats
    if small:
        if comp.small_surplus is not None and surplus > comp.small_surplus:
            findings.append(
                _finding(
                    "SURPLUS_HIGH",
                    [],
                    f"Cơ quan {seats} thành viên có số dư {surplus} người; cơ quan từ "
                    f"{num(comp.small_seats)} thành viên trở xuống chỉ được dư tối đa "
                    f"{num(comp.small_surplus)} người theo {_src(comp, 'small_body_max_surplus')}.",
                )
            )
        return
    mx = comp.surplus_max
    if mx is not None and not percent_at_most(surplus, seats, mx):
        findings.append(
            _finding(
                "SURPLUS_HIGH",
                [],
                f"Số dư {surplus} người ({pct}%) vượt mức tối đa "
                f"{num(comp.p['surplus_max_percent'])}% theo {_src(comp, 'surplus_max_percent')}.",
            )
        )
        return
    if kind == "executive":
        lo, hi = comp.surplus_prep_min, comp.surplus_prep_max
        if (lo is not None and not percent_at_least(surplus, seats, lo)) or (
            hi is not None and not percent_at_most(surplus, seats, hi)
        ):
            p = comp.p
            findings.append(
                _finding(
                    "SURPLUS_OUT_OF_RANGE",
                    [],
                    f"Số dư {surplus} người ({pct}%) nằm ngoài khoảng "
                    f"{num(p['surplus_prepared_min_percent'])}-"
                    f"{num(p['surplus_prepared_max_percent'])}% mà cấp ủy triệu tập chuẩn bị theo "
                    f"{_src(comp, 'surplus_prepared_min_percent')}.",
                )
            )


# --------------------------------------------------------------------------------------------------
# Evaluation


def evaluate(slate: Slate) -> dict[str, Any]:
    """Evaluate ``slate``; returns the output document of SLATE_FORMAT.md."""
    comp = _compiled(slate.ruleset)
    p = comp.p
    ref = slate.reference_date
    body = slate.body
    cands = slate.candidates
    incumbents = slate.incumbents
    n = len(cands)
    ref_y, ref_m, ref_d = ref.year, ref.month, ref.day
    ref_key = ref_m * 100 + ref_d
    first_min = p.get("first_time_min_months")
    reel_min = p.get("reelection_min_months")
    prov_dep_min = (
        p.get("reelection_min_months_province_deputy_secretary")
        if body.level == "province"
        else None
    )
    prov_dep_posts = comp.prov_dep_posts
    young_below, tier_low, tier_high = comp.young_below, comp.tier_low, comp.tier_high
    head_posts = comp.head_posts
    ret_cache = _RET_CACHE
    female = young = ethnic = renewal = low = mid = high = 0
    people: list[dict[str, Any]] = []
    findings: list[dict[str, Any]] = []
    past: list[Candidate] = []
    first_low: list[tuple[Candidate, int]] = []
    reel_low: list[tuple[Candidate, int, Any]] = []
    vet_missing: list[Candidate] = []
    vet_bad: list[Candidate] = []
    local_sec: list[Candidate] = []
    no_ach: list[Candidate] = []
    term_check: list[Candidate] = []
    has_relatives = False
    for c in cands:
        b = c.birth_date
        male = c.sex == "male"
        rkey = (b, male or c.extended_retirement)
        hit = ret_cache.get(rkey)
        if hit is None:
            ret = add_months(b, retirement_age_months(c.sex, b, c.extended_retirement))
            hit = ret_cache[rkey] = (ret, ret.isoformat())
            if len(ret_cache) > 50000:
                ret_cache.clear()
        ret, ret_iso = hit
        by, bm = b.year, b.month
        ml = (ret.year - ref_y) * 12 + (ret.month - ref_m) - (1 if ret.day < ref_d else 0)
        age = ref_y - by - (1 if ref_key < bm * 100 + b.day else 0)
        tai_cu = c.id in incumbents
        age_ok = True
        if ml <= 0:
            past.append(c)
            age_ok = False
        elif tai_cu:
            need = reel_min
            if prov_dep_min is not None:
                for post in c.proposed_posts:
                    if post in prov_dep_posts:
                        need = prov_dep_min
                        break
            if need is not None and ml < need:
                reel_low.append((c, ml, need))
                age_ok = False
        elif first_min is not None and ml < first_min:
            first_low.append((c, ml))
            age_ok = False
        people.append(
            {
                "id": c.id,
                "age": age,
                "retirement_date": ret_iso,
                "months_left": ml,
                "status": "tai_cu" if tai_cu else "lan_dau",
                "age_ok": age_ok,
            }
        )
        if not male:
            female += 1
        if age < young_below:
            young += 1
        if age < tier_low:
            low += 1
        elif age > tier_high:
            high += 1
        else:
            mid += 1
        eth = c.ethnicity
        if eth != "Kinh" and eth.strip().casefold() != _MAJORITY_ETHNICITY:
            ethnic += 1
        if not tai_cu:
            renewal += 1
        vetting = c.vetting
        if vetting != "eligible":
            if vetting == "ineligible":
                vet_bad.append(c)
            else:
                vet_missing.append(c)
        if not c.has_achievement_last_3y:
            no_ach.append(c)
        posts = c.proposed_posts
        if posts:
            if c.is_local and "secretary" in posts:
                local_sec.append(c)
            if c.tenures:
                for post in posts:
                    if post in head_posts:
                        term_check.append(c)
                        break
        if c.relatives:
            has_relatives = True

    ref_text = vn_date(ref)
    # --- findings about people
    if past:
        src = comp.ref.get("retirement", "")
        for c in past:
            findings.append(
                _finding(
                    "PAST_RETIREMENT",
                    [c.id],
                    f"{_who(c)} đã đến tuổi nghỉ hưu (ngày đủ tuổi nghỉ hưu "
                    f"{vn_date(retirement_date_of(c))}) tại thời điểm tính tuổi {ref_text}; "
                    f"không đủ điều kiện tuổi theo {src} và {comp.ref.get('directive', '')}.",
                )
            )
    for c, ml in first_low:
        findings.append(
            _finding(
                "AGE_FIRST_TIME",
                [c.id],
                f"{_who(c)} tham gia lần đầu nhưng chỉ còn {ml} tháng công tác tính đến "
                f"{ref_text}, dưới mức tối thiểu {num(first_min)} tháng theo "
                f"{_src(comp, 'first_time_min_months')}.",
            )
        )
    for c, ml, need in reel_low:
        special = need is not reel_min
        name = (
            "reelection_min_months_province_deputy_secretary"
            if special
            else "reelection_min_months"
        )
        findings.append(
            _finding(
                "AGE_REELECTION",
                [c.id],
                f"{_who(c)} tái cử nhưng chỉ còn {ml} tháng công tác tính đến {ref_text}, dưới "
                f"mức tối thiểu {num(need)} tháng"
                f"{' đối với Phó Bí thư cấp tỉnh' if special else ''} theo {_src(comp, name)}.",
            )
        )
    for c in term_check:
        _term_limit(c, body.unit, ref, comp, findings)
    if has_relatives:
        _family(cands, body, comp, findings)
    vet_ref = comp.ref.get("vetting", "")
    for c in vet_missing:
        state = "đang thẩm tra" if c.vetting == "pending" else "chưa thẩm tra"
        findings.append(
            _finding(
                "VETTING_MISSING",
                [c.id],
                f"{_who(c)} chưa có kết luận về tiêu chuẩn chính trị ({state}); không giới thiệu "
                f"ứng cử khi chưa được kết luận về tiêu chuẩn chính trị theo {vet_ref}.",
            )
        )
    for c in vet_bad:
        findings.append(
            _finding(
                "VETTING_INELIGIBLE",
                [c.id],
                f"{_who(c)} đã được kết luận không đạt tiêu chuẩn chính trị; không được giới "
                f"thiệu ứng cử theo {vet_ref}.",
            )
        )
    if local_sec:
        is_error = body.level in comp.local_error_levels
        severity = "error" if is_error else "warning"
        demand = "bắt buộc" if is_error else "phấn đấu"
        for c in local_sec:
            findings.append(
                _finding(
                    "LOCAL_SECRETARY",
                    [c.id],
                    f"{_who(c)} được giới thiệu làm Bí thư nhưng là người địa phương; "
                    f"{LEVEL_LABELS[body.level]} {demand} bố trí Bí thư không là người địa phương "
                    f"theo {comp.ref.get('local_secretary', comp.rs.name)}.",
                    severity,
                )
            )
    if no_ach:
        years = num(p.get("achievement_years"))
        for c in no_ach:
            findings.append(
                _finding(
                    "NO_ACHIEVEMENT",
                    [c.id],
                    f"{_who(c)} không có thành tích được ghi nhận trong {years} năm gần nhất, "
                    f"là điều kiện để giới thiệu ứng cử theo "
                    f"{comp.ref.get('achievement', _src(comp, 'achievement_years'))}.",
                )
            )

    # --- findings about the slate
    _surplus(body, n, comp, findings)
    seats = body.seats
    lo, hi, seat_src = _seat_range(body, comp)
    if (lo is not None and seats < lo) or (hi is not None and seats > hi):
        if lo is not None and hi is not None:
            rng = f"từ {num(lo)} đến {num(hi)}"
        elif hi is not None:
            rng = f"tối đa {num(hi)}"
        else:
            rng = f"tối thiểu {num(lo)}"
        findings.append(
            _finding(
                "SEATS_RANGE",
                [],
                f"Số lượng {seats} của {KIND_LABELS[body.kind]} {LEVEL_LABELS[body.level]} nằm "
                f"ngoài giới hạn ({rng}) theo {seat_src}.",
            )
        )
    if body.kind == "standing" and female == 0:
        findings.append(
            _finding(
                "NO_FEMALE_IN_STANDING",
                [],
                "Danh sách Ban Thường vụ không có cán bộ nữ; cần bảo đảm có cán bộ nữ theo "
                f"{comp.ref.get('female_in_standing', comp.rs.name)}.",
            )
        )

    counts = {
        "female": female,
        "young": young,
        "ethnic_minority": ethnic,
        "renewal": renewal,
        "age_tier_low": low,
        "age_tier_mid": mid,
        "age_tier_high": high,
    }
    ratios: dict[str, Ratio] = {}
    tier_missed: list[str] = []
    for key, lo_f, hi_f, text, lo_name, hi_name in comp.ratio_targets:
        count = counts[key]
        r = ratios[key] = ratio(count, n, lo_f, hi_f, text)
        if not r["ok"]:
            pct = r["percent"]
            if key in _RATIO_FINDINGS:
                code, label = _RATIO_FINDINGS[key]
                findings.append(
                    _finding(
                        code,
                        [],
                        f"{label} là {count}/{n} ({num(pct)}%), chưa đạt chỉ tiêu "
                        f"{text.replace('>=', 'từ')}% theo {_src(comp, lo_name or hi_name)}.",
                    )
                )
            else:
                tier_missed.append(
                    f"nhóm {_tier_label(key, comp)} là {count}/{n} ({num(pct)}%), chỉ tiêu "
                    f"{text.replace('>= ', 'từ ')}% ({_src(comp, lo_name or hi_name)})"
                )
    if tier_missed:
        findings.append(
            _finding(
                "AGE_TIER",
                [],
                "Cơ cấu ba độ tuổi chưa đạt: " + "; ".join(tier_missed) + ".",
            )
        )

    surplus = n - seats
    return {
        "ruleset": slate.ruleset.code,
        "reference_date": ref.isoformat(),
        "seats": seats,
        "candidate_count": n,
        "surplus": {"count": surplus, "percent": percent(surplus, seats)},
        "ratios": ratios,
        "people": people,
        "findings": findings,
    }


def _tier_label(key: str, comp: _Compiled) -> str:
    if key == "age_tier_low":
        return f"dưới {num(comp.tier_low)} tuổi"
    if key == "age_tier_mid":
        return f"từ {num(comp.tier_low)} đến {num(comp.tier_high)} tuổi"
    return f"trên {num(comp.tier_high)} tuổi"


def retirement_date_of(c: Candidate) -> date:
    """Retirement date of a parsed candidate."""
    return add_months(
        c.birth_date, retirement_age_months(c.sex, c.birth_date, c.extended_retirement)
    )


def evaluate_dict(data: Any, rulesets: dict[str, RuleSet] | None = None) -> dict[str, Any]:
    """``evaluate(parse_slate(data, rulesets))``."""
    return evaluate(parse_slate(data, rulesets))
