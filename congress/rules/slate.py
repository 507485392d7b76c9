"""Slate evaluation: parse a proposed body (SLATE_FORMAT.md) and check it against a rule set.

This module is the contract's front and back: the vocabularies and the parsed input (:class:`Slate`,
:class:`Body`, :class:`Candidate`...), :func:`parse_slate`, which validates everything the contract lists
as bad input and raises :class:`SlateInputError` with a Vietnamese message, and :func:`evaluate`, the
driver that returns the output document. The rules themselves are in :mod:`congress.rules.checks`, one
function per rule, run in the order of :data:`congress.rules.checks.RULES`. Every regulation number comes
from the :class:`~congress.rules.rulesets.RuleSet`.

Written for speed (thousands of slates per second): per-rule-set constants are compiled once and cached
(:class:`CompiledRuleSet`), dates are parsed once, and the facts every rule needs (months left,
re-election, the ratios) are computed in one pass per slate (:func:`slate_context`), with local variables
and integer arithmetic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any

from .checks import RULES, SEVERITY, SlateContext
from .checks.base import RETIREMENT_CACHE, retirement_of
from .common import Finding, age_structure, percent, percent_fraction, ratio, target_text
from .dates import retirement_date
from .labels import KIND_LABELS, LEVEL_LABELS
from .rulesets import LEVELS, PRESETS, RuleSet, RuleSetError, with_overrides

__all__ = [
    "BASE_POST_CODES",
    "Body",
    "Candidate",
    "CompiledRuleSet",
    "KINDS",
    "RATIO_PARAMS",
    "RELATION_CODES",
    "Relative",
    "SEVERITY",
    "SEXES",
    "Slate",
    "SlateInputError",
    "Tenure",
    "VETTING_VALUES",
    "compiled_ruleset",
    "evaluate",
    "evaluate_dict",
    "parse_slate",
    "retirement_date_of",
    "slate_context",
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

#: The seven ratios of the output, in output order: (key, minimum parameter, maximum parameter).
RATIO_PARAMS: tuple[tuple[str, str | None, str | None], ...] = (
    ("female", "female_min_percent", None),
    ("young", "young_min_percent", None),
    ("ethnic_minority", "ethnic_min_percent", None),
    ("renewal", "renewal_min_percent", None),
    ("age_tier_low", "tier_low_min_percent", None),
    ("age_tier_mid", "tier_mid_min_percent", "tier_mid_max_percent"),
    ("age_tier_high", None, None),
)


class CompiledRuleSet:
    """Constants of one rule set that the parser and the rules use, precomputed once per rule set."""

    __slots__ = (
        "rs",
        "params",
        "references",
        "posts",
        "relations",
        "counted_relations",
        "head_posts",
        "standing_posts",
        "head_deputy_pairs",
        "sector_heads",
        "sectors",
        "province_deputy_posts",
        "local_error_levels",
        "young_below",
        "tier_low",
        "tier_high",
        "ratio_targets",
        "surplus_max",
        "surplus_prepared_min",
        "surplus_prepared_max",
        "small_seats",
        "small_surplus",
        "people_council_extra",
        "term_limit_months",
        "gap_days",
        "current_days",
        "age_watch_below",
    )

    def __init__(self, rs: RuleSet) -> None:
        p = rs.params
        self.rs = rs
        self.params = p
        self.references = rs.references
        # the parser: post and relation codes the input may use
        self.posts = frozenset(BASE_POST_CODES) | frozenset(rs.sectors) | frozenset(rs.head_posts)
        self.relations = frozenset(RELATION_CODES) | frozenset(rs.family_relations)
        # family_conflict
        self.counted_relations = frozenset(rs.family_relations)
        self.standing_posts = frozenset(rs.standing_posts)
        pairs: set[tuple[str, str]] = set()
        for a, b in rs.head_deputy_pairs:
            pairs.add((a, b))
            pairs.add((b, a))
        self.head_deputy_pairs = frozenset(pairs)
        self.sector_heads = frozenset(rs.sector_conflict_heads)
        self.sectors = frozenset(rs.sectors)
        # term_limit, reelection_age, local_secretary
        self.head_posts = frozenset(rs.head_posts)
        self.province_deputy_posts = frozenset(rs.province_deputy_secretary_posts)
        self.local_error_levels = frozenset(rs.local_secretary_error_levels)
        # slate_context: the ratios as (key, minimum, maximum as exact fractions, target text)
        for name in ("young_age_below", "tier_low_below", "tier_high_above"):
            if p.get(name) is None:
                raise RuleSetError(f"Tham số '{name}' của bộ quy tắc {rs.code} không được để trống")
        self.young_below = p["young_age_below"]
        self.tier_low = p["tier_low_below"]
        self.tier_high = p["tier_high_above"]
        targets = []
        for key, lo_name, hi_name in RATIO_PARAMS:
            lo = p.get(lo_name) if lo_name else None
            hi = p.get(hi_name) if hi_name else None
            targets.append((key, percent_fraction(lo), percent_fraction(hi), target_text(lo, hi)))
        self.ratio_targets = tuple(targets)
        # surplus
        self.surplus_max = percent_fraction(p.get("surplus_max_percent"))
        self.surplus_prepared_min = percent_fraction(p.get("surplus_prepared_min_percent"))
        self.surplus_prepared_max = percent_fraction(p.get("surplus_prepared_max_percent"))
        self.small_seats = p.get("small_body_max_seats")
        self.small_surplus = p.get("small_body_max_surplus")
        # (max seats, min extra candidates) of a People's Council unit, by increasing seats
        self.people_council_extra = tuple(
            (r["max_seats"], r["min_extra"])
            for r in sorted(rs.people_council_min_extra, key=lambda r: r["max_seats"])
        )
        # term_limit
        years = p.get("term_limit_years")
        self.term_limit_months = None if years is None else _half_up(Fraction(str(years)) * 12)
        self.gap_days = p.get("term_chain_gap_days")
        self.current_days = p.get("term_current_within_days")
        # slate_context, for the age rules: with this many months left or more, a candidate passes
        # all of them
        self.age_watch_below = max(
            value
            for value in (
                1,  # past retirement: months left <= 0
                p.get("first_time_min_months"),
                p.get("reelection_min_months"),
                p.get("reelection_min_months_province_deputy_secretary"),
            )
            if value is not None
        )


def _half_up(f: Fraction) -> int:
    return int((f * 2 + 1) // 2)


_COMPILED: dict[int, tuple[RuleSet, CompiledRuleSet]] = {}


def compiled_ruleset(rs: RuleSet) -> CompiledRuleSet:
    """The :class:`CompiledRuleSet` of ``rs`` (cached by identity; a rule set is immutable)."""
    hit = _COMPILED.get(id(rs))
    if hit is not None and hit[0] is rs:
        return hit[1]
    comp = CompiledRuleSet(rs)
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


def _parse_tenures(value: Any, where: str, comp: CompiledRuleSet) -> tuple[Tenure, ...]:
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


def _parse_relatives(value: Any, where: str, comp: CompiledRuleSet) -> tuple[Relative, ...]:
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


def _parse_candidate(raw: Any, index: int, ref: date, comp: CompiledRuleSet) -> Candidate:
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
        comp = compiled_ruleset(rs)
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
# Evaluation

_MAJORITY_ETHNICITY = "kinh"
#: The check functions of RULES, looked up once.
_CHECKS = tuple(r.check for r in RULES)


def slate_context(slate: Slate) -> SlateContext:
    """What the rules read about ``slate``, computed in one pass over the candidates.

    Per candidate: retirement date, months left and age at the reference date, re-election; the
    ``people`` of the output; and the counts of the seven ratios against their targets.
    """
    comp = compiled_ruleset(slate.ruleset)
    ref = slate.reference_date
    incumbents = slate.incumbents
    cands = slate.candidates
    ref_y, ref_m, ref_d = ref.year, ref.month, ref.day
    ref_key = ref_m * 100 + ref_d
    ret_cache = RETIREMENT_CACHE
    female = ethnic = renewal = 0
    watch_below = comp.age_watch_below
    people: list[dict[str, Any]] = []
    months_left: list[int] = []
    ages: list[int] = []
    short_of_time: list[int] = []
    for i, c in enumerate(cands):
        b = c.birth_date
        male = c.sex == "male"
        rkey = (b, male or c.extended_retirement)
        hit = ret_cache.get(rkey)  # retirement_of(c), inlined: this loop is the hot path
        ret, ret_iso = hit if hit is not None else retirement_of(c)
        # months_left and age_at of dates.py, inlined
        ml = (ret.year - ref_y) * 12 + (ret.month - ref_m) - (1 if ret.day < ref_d else 0)
        age = ref_y - b.year - (1 if ref_key < b.month * 100 + b.day else 0)
        tai_cu = c.id in incumbents
        months_left.append(ml)
        ages.append(age)
        if ml < watch_below:
            short_of_time.append(i)
        people.append(
            {
                "id": c.id,
                "age": age,
                "retirement_date": ret_iso,
                "months_left": ml,
                "status": "tai_cu" if tai_cu else "lan_dau",
                "age_ok": True,
            }
        )
        if not male:
            female += 1
        eth = c.ethnicity
        if eth != "Kinh" and eth.strip().casefold() != _MAJORITY_ETHNICITY:
            ethnic += 1
        if not tai_cu:
            renewal += 1
    n = len(cands)
    young, low, mid, high = age_structure(ages, comp.young_below, comp.tier_low, comp.tier_high)
    counts = {
        "female": female,
        "young": young,
        "ethnic_minority": ethnic,
        "renewal": renewal,
        "age_tier_low": low,
        "age_tier_mid": mid,
        "age_tier_high": high,
    }
    ratios = {key: ratio(counts[key], n, lo, hi, text) for key, lo, hi, text in comp.ratio_targets}
    return SlateContext(
        slate,
        slate.ruleset,
        comp,
        comp.params,
        comp.references,
        ref,
        slate.body,
        cands,
        incumbents,
        months_left,
        short_of_time,
        ratios,
        people,
    )


def evaluate(slate: Slate) -> dict[str, Any]:
    """Evaluate ``slate``; returns the output document of SLATE_FORMAT.md.

    Computes the per-slate context once, runs every rule of :data:`~congress.rules.checks.RULES` in
    order, and assembles the document.
    """
    ctx = slate_context(slate)
    findings: list[Finding] = []
    for check in _CHECKS:
        check(ctx, findings)
    n = len(ctx.candidates)
    seats = slate.body.seats
    return {
        "ruleset": slate.ruleset.code,
        "reference_date": ctx.reference_date.isoformat(),
        "seats": seats,
        "candidate_count": n,
        "surplus": {"count": n - seats, "percent": percent(n - seats, seats)},
        "ratios": ctx.ratios,
        "people": ctx.people,
        "findings": findings,
    }


def retirement_date_of(c: Candidate) -> date:
    """Retirement date of a parsed candidate."""
    return retirement_date(c.sex, c.birth_date, c.extended_retirement)


def evaluate_dict(data: Any, rulesets: dict[str, RuleSet] | None = None) -> dict[str, Any]:
    """``evaluate(parse_slate(data, rulesets))``."""
    return evaluate(parse_slate(data, rulesets))
