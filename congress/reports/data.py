"""The data of each document, collected from the database with a fixed number of queries.

A builder returns a `ReportData`: `data` is plain JSON (what the document says; its hash is
printed on the paper and recomputed by the verify page), `extra` holds what is derived for
presentation only (charts). Rules are never re-implemented here: ratios, ages, first-time or
re-election and findings come from `congress.engine`. Titles come from `personnel.titles`.

Confidentiality (one rule for pages, PDFs, Word copies and exports): a document prints the
outcome of a vetting case (đủ / không đủ / chưa kết luận) to everyone, and the conclusion's
number and date only when `params["vetting_details"]` is set, which the request sets only for
a vetting officer of the unit (`vetting_details_for`). Vetting items are never read here.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from congress.models import (
    Congress,
    ListState,
    NominationRound,
    Nominee,
    NomineeList,
    RoundVote,
    StructureSnapshot,
)
from congress.reports import charts
from congress.reports.findings import group_findings
from congress.reports.header import (
    Issuer,
    cite,
    congress_body_issuer,
    date_words,
    has_standing_committee,
    place_of,
    unit_issuer,
)
from congress.rules.labels import KIND_LABELS, LEVEL_LABELS, POST_LABELS, RATIO_LABELS, ratio_labels
from congress.services.structure import COMMITTEE_SLOT, current_terms
from personnel import policy
from personnel.models import (
    Achievement,
    Cadre,
    Discipline,
    FamilyRelation,
    Level,
    PartyUnit,
    Post,
    Sex,
    Tenure,
    Term,
    Training,
    WorkHistory,
)
from personnel.models import PoliticalTheory as Theory
from personnel.policy import Kind
from personnel.selectors import cadres_visible_to, units_visible_to
from personnel.titles import TENURE_VALUES, compose_title, current_titles, held_post
from planning.models import PlanningEntry, PlanningList, PlanningReview, RemovalReason
from planning.selectors import planning_matrix
from vetting.models import Conclusion, VettingCase

KINDS = (
    "nominee-list",
    "personnel-plan",
    "structure-summary",
    "resume",
    "ballot-minutes",
    "planning",
)

STATUS_LABELS = {"lan_dau": "Lần đầu", "tai_cu": "Tái cử"}
FINAL_STATES = (ListState.APPROVED, ListState.LOCKED)
# Short outcomes for a crowded table cell.
OUTCOMES = {
    Conclusion.ELIGIBLE: "Đủ TCCT",
    Conclusion.INELIGIBLE: "Không đủ TCCT",
    Conclusion.PENDING: "Chưa kết luận TCCT",
}


class ReportError(Exception):
    """A document cannot be made; the message is shown to the user as is (Vietnamese)."""


class ReportNotFound(ReportError):
    """The object does not exist or lies outside the user's scope (a 404 on the web)."""


@dataclass
class ReportData:
    kind: str
    unit: PartyUnit
    term: str
    title: str
    params: dict[str, Any]
    data: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict)
    landscape: bool = False
    # A draft (DỰ THẢO) prints no number and takes none.
    draft: bool = False
    # Who issues it: the unit's committee unless a builder says otherwise.
    issuer: Issuer | None = None
    # The date of the date line when it is not the day of issue (the minutes: the meeting's).
    day: date | None = None
    # The summary line under the type ("Nhân sự dự kiến giới thiệu …").
    subtitle: str = ""
    # The place of the date line when it is not the issuer's (a résumé: the declarant's).
    place: str = ""

    @property
    def data_hash(self) -> str:
        return data_hash(self.data)

    @property
    def confidential(self) -> bool:
        value = self.params.get("confidential")
        if value is None:
            return self.kind in settings.DOCUMENTS_CONFIDENTIAL
        return bool(value)


def data_hash(data: Any) -> str:
    raw = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


def d(value: date | None) -> str:
    return f"{value.day:02d}/{value.month:02d}/{value.year}" if value else ""


def my(value: date | None) -> str:
    """Month and year, as the résumé's tables write them."""
    return f"{value.month:02d}/{value.year}" if value else ""


def vetting_details_for(user, unit: PartyUnit) -> bool:
    """Whether `user` may read vetting details (conclusion number, date, body) of `unit`'s
    cadres: the one rule, `policy`'s "view_items" on vetting cases."""
    return user is not None and policy.allows(user, Kind.VETTING_CASE, "view_items", unit)


# --- scope and lookups -----------------------------------------------------------------------


def visible_units(user):
    """Units whose documents `user` may get; no user (the command line) means all."""
    if user is None:
        return PartyUnit.objects.all()
    return units_visible_to(user)


def resolve_unit(code: str, user=None) -> PartyUnit:
    unit = visible_units(user).select_related("parent").filter(code=code).first()
    if unit is None:
        raise ReportNotFound(f"Không tìm thấy đơn vị có mã «{code}».")
    return unit


def resolve_congress(unit: PartyUnit, term: str | None) -> Congress:
    qs = Congress.objects.filter(unit=unit).select_related("term", "ruleset", "unit")
    if term:
        congress = qs.filter(term__code=term).first()
        if congress is None:
            raise ReportNotFound(f"{unit.name} chưa có đại hội nhiệm kỳ {term}.")
        return congress
    congress = qs.order_by("-term__start").first()
    if congress is None:
        raise ReportNotFound(f"{unit.name} chưa có đại hội nào.")
    return congress


def default_term(unit: PartyUnit, term: str | None) -> str:
    if term:
        if not Term.objects.filter(code=term).exists():
            raise ReportNotFound(f"Không có nhiệm kỳ «{term}».")
        return term
    latest = Congress.objects.filter(unit=unit).order_by("-term__start").first()
    if latest:
        return latest.term.code
    today = timezone.localdate()
    current = Term.objects.filter(start__lte=today).order_by("-start").first()
    return current.code if current else ""


def term_words(code: str) -> str:
    """ "2025-2030" -> "2025 - 2030", as documents write a term."""
    return code.replace("-", " - ")


def _latest_list(body) -> NomineeList | None:
    return NomineeList.objects.filter(body=body).order_by("-edition", "-pk").first()


def _vetting(cadre_ids, term_id: int | None) -> dict[int, dict[str, str]]:
    """The outcome, date and number of each cadre's case (the case of the congress's term
    wins, then the latest). Only these columns are read, never the confidential items."""
    best: dict[int, tuple] = {}
    rows = VettingCase.objects.filter(cadre__in=cadre_ids).values_list(
        "cadre_id", "term_id", "requested_at", "conclusion", "concluded_on", "document_number"
    )
    for cid, case_term, requested_at, conclusion, concluded_on, number in rows:
        rank = (1 if term_id is not None and case_term == term_id else 0, requested_at)
        if cid not in best or rank > best[cid][0]:
            best[cid] = (rank, conclusion, concluded_on, number)
    out = {}
    for cid, (_, conclusion, concluded_on, number) in best.items():
        out[cid] = {
            "outcome": OUTCOMES.get(conclusion, OUTCOMES[Conclusion.PENDING]),
            "date": d(concluded_on),
            "number": number or "",
        }
    return out


def _vetting_note(vet: dict[str, str] | None, details: bool) -> str:
    """The outcome for everyone; the conclusion's number and date for vetting officers."""
    if not vet:
        return "Chưa thẩm tra TCCT"
    text = vet["outcome"]
    if details and vet["number"]:
        text += f" (KL số {vet['number']}" + (f", {vet['date']})" if vet["date"] else ")")
    return text


def _evaluate_list(nl: NomineeList) -> tuple[dict, dict[int, dict]]:
    """The engine's verdict on a list, as the list editor shows it (one implementation:
    congress.services.lists.evaluate_list), and its person rows by cadre id."""
    from congress.services.lists import evaluate_list

    result = evaluate_list(nl)
    by_id = {int(p["id"]): p for p in result["people"]}
    return result, by_id


def _unit_names() -> dict[str, str]:
    return dict(PartyUnit.objects.values_list("code", "name"))


def _qualification(cadre: dict) -> dict[str, str]:
    theory = dict(Theory.choices)
    return {
        "general_education": cadre["general_education"],
        "education": cadre["education"],
        "academic_title": cadre["academic_title"],
        "theory": theory.get(cadre["political_theory"] or "", "")
        if cadre["political_theory"]
        else "",
        "state_management": cadre["state_management"],
        "foreign_language": cadre["foreign_language"],
        "it_skill": cadre["it_skill"],
    }


NOMINEE_FIELDS = (
    "full_name",
    "other_names",
    "birth_date",
    "sex",
    "ethnicity",
    "religion",
    "hometown",
    "party_entry_date",
    "party_confirmed_date",
    "general_education",
    "education",
    "academic_title",
    "political_theory",
    "state_management",
    "foreign_language",
    "it_skill",
)


def _nominee_rows(
    nl: NomineeList, congress: Congress, status: dict[int, dict], *, details: bool
) -> list[dict]:
    """The rows of a trích ngang (DOCUMENTS.md §5), in Vietnamese name order."""
    rows = list(
        Nominee.objects.filter(nominee_list=nl)
        .order_by("cadre__sort_key", "cadre_id")
        .values("cadre_id", "proposed_posts", *(f"cadre__{f}" for f in NOMINEE_FIELDS))
    )
    ids = [r["cadre_id"] for r in rows]
    titles = current_titles(ids)
    names = _post_names(code for r in rows for code in (r["proposed_posts"] or []))
    vetting = _vetting(ids, congress.term_id)
    out = []
    for i, r in enumerate(rows, 1):
        cid = r["cadre_id"]
        c = {f: r[f"cadre__{f}"] for f in NOMINEE_FIELDS}
        female = c["sex"] == Sex.FEMALE
        name = c["full_name"] + (f" ({c['other_names']})" if c["other_names"] else "")
        out.append(
            {
                "no": i,
                "name": name,
                "birth_male": "" if female else d(c["birth_date"]),
                "birth_female": d(c["birth_date"]) if female else "",
                "ethnicity": c["ethnicity"],
                "religion": c["religion"] or "Không",
                "hometown": c["hometown"],
                "party_entry": d(c["party_entry_date"]),
                "party_confirmed": d(c["party_confirmed_date"]),
                **_qualification(c),
                "current_post": ", ".join(titles.get(cid, [])),
                "proposed_post": ", ".join(
                    names.get(code, code) for code in (r["proposed_posts"] or [])
                ),
                "status": STATUS_LABELS.get(status.get(cid, {}).get("status", ""), ""),
                "note": _vetting_note(vetting.get(cid), details),
            }
        )
    return out


def _post_names(codes) -> dict[str, str]:
    names = dict(POST_LABELS)
    names.update(Post.objects.filter(code__in=set(codes)).values_list("code", "name"))
    return names


def _body_name(body, congress: Congress) -> str:
    """ "Ban Chấp hành Đảng bộ tỉnh An Hòa", "Ban Thường vụ Tỉnh ủy An Hòa"."""
    unit = congress.unit
    if body.kind == "executive":
        return f"Ban Chấp hành {unit.name}"
    if body.kind == "standing":
        return f"Ban Thường vụ {unit.committee_name or unit.name}"
    return f"đại biểu Hội đồng nhân dân, {body.name}" if body.name else "đại biểu Hội đồng nhân dân"


def _congress_words(congress: Congress) -> str:
    """ "khóa XVIII, nhiệm kỳ 2025 - 2030"."""
    from congress.reports.header import roman

    term = f"nhiệm kỳ {term_words(congress.term.code)}"
    return f"khóa {roman(congress.ordinal)}, {term}" if congress.ordinal else term


# --- 1. Danh sách trích ngang ------------------------------------------------------------------


def nominee_list_data(
    unit: PartyUnit,
    *,
    term: str | None = None,
    body: str = "executive",
    list_id: int | None = None,
    details: bool = False,
) -> ReportData:
    congress = resolve_congress(unit, term)
    if list_id is not None:
        nl = (
            NomineeList.objects.select_related("body")
            .filter(pk=list_id, body__congress=congress)
            .first()
        )
    else:
        cb = congress.bodies.filter(kind=body).first()
        nl = _latest_list(cb) if cb else None
    if nl is None:
        raise ReportNotFound(
            f"{congress.title} chưa có danh sách nhân sự {KIND_LABELS.get(body, body)}."
        )
    _, status = _evaluate_list(nl)
    rows = _nominee_rows(nl, congress, status, details=details)
    body_name = _body_name(nl.body, congress)
    data = {
        "congress": congress.title,
        "term": congress.term.code,
        "body": body_name,
        "seats": nl.body.seats,
        "list_id": nl.pk,
        "final": nl.state in FINAL_STATES,
        "rows": rows,
    }
    return ReportData(
        kind="nominee-list",
        unit=unit,
        term=congress.term.code,
        title="DANH SÁCH TRÍCH NGANG",
        subtitle=f"Nhân sự dự kiến giới thiệu bầu {body_name} {_congress_words(congress)}",
        params={
            "term": congress.term.code,
            "body": nl.body.kind,
            "list": nl.pk,
            "vetting_details": details,
        },
        data=data,
        landscape=True,
        draft=nl.state not in FINAL_STATES,
    )


# --- 2. Đề án nhân sự ------------------------------------------------------------------------

_TARGET_SIGNS = ((">=", "≥"), ("<=", "≤"))


def _target_bounds(text: str | None) -> tuple[float | None, float | None]:
    """The bounds of an engine target text (">= 15", "<= 30", "40-50")."""
    import re

    m = re.match(r"^\s*(>=|<=)?\s*([\d.,]+)\s*(?:-\s*([\d.,]+))?\s*$", text or "")
    if not m:
        return None, None
    op, a, b = m.groups()
    a = float(a.replace(",", "."))
    if b is not None:
        return a, float(b.replace(",", "."))
    return (None, a) if op == "<=" else (a, None)


def _target_text(text: str | None) -> str:
    text = text or ""
    for a, b in _TARGET_SIGNS:
        text = text.replace(a, b)
    return text


def ratio_rows(result: dict, params: dict) -> list[dict]:
    """The engine's ratios as chart rows (label, percent, target bounds, ok), the age tiers
    named by the bounds of the congress's own rule set."""
    labels = ratio_labels(
        young_below=params.get("young_age_below"),
        low=params.get("tier_low_below"),
        high=params.get("tier_high_above"),
    )
    rows = []
    for key, label in labels.items():
        r = result["ratios"].get(key)
        if r is None:
            continue
        lo, hi = _target_bounds(r.get("target"))
        rows.append(
            {
                "key": key,
                "label": label,
                "count": r["count"],
                "percent": r["percent"],
                "target": _target_text(r.get("target")),
                "lo": lo,
                "hi": hi,
                "ok": r["ok"],
            }
        )
    return rows


def _findings_of(result: dict, names: dict[str, str]) -> list[dict]:
    """The engine's findings with their justification and approval as text."""
    out = []
    for f in result["findings"]:
        match = f.get("justification")
        approval = ""
        if match and match.is_exception_approved:
            approval = f"{match.approved_by_body}, văn bản số {match.approval_document}, " + (
                f"ngày {d(match.approval_date)}"
            )
        out.append(
            {
                "code": f["code"],
                "severity": f["severity"],
                "people": [p for p in f["people"] if p in names],
                "message": f["message"],
                "justification": match.text if match else "",
                "approval": approval.strip(", "),
                "needs_approval": f["code"] == "FAMILY_CONFLICT",
            }
        )
    return out


def _criteria(rs: dict, unit: PartyUnit) -> list[str]:
    """The targets of the new committee, as section II states them."""
    p = rs.get("params", {})
    out = []

    def add(text: str, *keys: str) -> None:
        if all(p.get(k) is not None for k in keys):
            out.append(text.format(**{k: _num(p[k]) for k in keys}))

    add("Cán bộ nữ từ {female_min_percent}% trở lên.", "female_min_percent")
    add(
        "Cán bộ trẻ (dưới {young_age_below} tuổi) từ {young_min_percent}% trở lên.",
        "young_age_below",
        "young_min_percent",
    )
    target = unit.ethnic_target_percent
    if target is not None:
        out.append(f"Cán bộ người dân tộc thiểu số khoảng {_num(float(target))}%.")
    else:
        out.append("Cán bộ người dân tộc thiểu số phù hợp với đặc điểm của địa phương.")
    add(
        "Tỷ lệ đổi mới (tham gia lần đầu) từ {renewal_min_percent}% trở lên.", "renewal_min_percent"
    )
    add(
        "Cơ cấu ba độ tuổi: dưới {tier_low_below} tuổi từ {tier_low_min_percent}% trở lên; từ "
        "{tier_low_below} đến {tier_high_above} tuổi từ {tier_mid_min_percent}% đến "
        "{tier_mid_max_percent}%; trên {tier_high_above} tuổi phần còn lại.",
        "tier_low_below",
        "tier_high_above",
        "tier_low_min_percent",
        "tier_mid_min_percent",
        "tier_mid_max_percent",
    )
    add(
        "Số dư từ {surplus_prepared_min_percent}% đến {surplus_prepared_max_percent}%, không quá "
        "{surplus_max_percent}% so với số lượng được bầu.",
        "surplus_prepared_min_percent",
        "surplus_prepared_max_percent",
        "surplus_max_percent",
    )
    return out


def _num(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace(".", ",")


def _outgoing(unit: PartyUnit, rs_params: dict) -> dict[str, Any]:
    """Section I: the sitting committee, from its structure snapshot."""
    snap = (
        StructureSnapshot.objects.filter(unit=unit, slot=COMMITTEE_SLOT)
        .values("member_count", "ratios")
        .first()
    )
    if not snap or not snap["ratios"]:
        return {"members": 0, "ratios": []}
    labels = ratio_labels(
        young_below=rs_params.get("young_age_below"),
        low=rs_params.get("tier_low_below"),
        high=rs_params.get("tier_high_above"),
    )
    ratios = [
        {"label": labels[k], "count": v["count"], "percent": v["percent"]}
        for k, v in snap["ratios"].items()
        if k in labels and k != "renewal"
    ]
    return {"members": snap["member_count"], "ratios": ratios}


# The posts section V of the plan names (proposed secretary, deputies, inspection chair).
LEADER_POSTS = ("Bí thư", "Chủ nhiệm Ủy ban Kiểm tra")


def personnel_plan_data(
    unit: PartyUnit, *, term: str | None = None, details: bool = False
) -> ReportData:
    congress = resolve_congress(unit, term)
    rsdata = congress.ruleset.data if isinstance(congress.ruleset.data, dict) else {}
    rs = rsdata.get("params", {})
    unit_names = _unit_names()
    bodies, extra_bodies, appendix, leaders = [], [], [], []
    draft = False
    for cb in congress.bodies.exclude(kind="people_council").order_by("kind", "pk"):
        nl = _latest_list(cb)
        if nl is None:
            continue
        draft = draft or nl.state not in FINAL_STATES
        result, status = _evaluate_list(nl)
        rows = _nominee_rows(nl, congress, status, details=details)
        names = {
            str(cid): name
            for cid, name in Nominee.objects.filter(nominee_list=nl).values_list(
                "cadre_id", "cadre__full_name"
            )
        }
        people = {p["id"]: p for p in result["people"]}
        groups = group_findings(
            _findings_of(result, names),
            names=names,
            params={
                **rs,
                "reference_date": d(date.fromisoformat(result["reference_date"]))
                if result["reference_date"]
                else "",
            },
            people=people,
            unit_names=unit_names,
        )
        ratios = ratio_rows(result, rs)
        sexes = dict(Cadre.objects.filter(pk__in=[int(p) for p in people]).values_list("pk", "sex"))
        ages = [(p["age"], sexes.get(int(p["id"]), "")) for p in result["people"]]
        surplus = result["surplus"]
        bodies.append(
            {
                "name": _body_name(cb, congress),
                "kind": cb.kind,
                "seats": cb.seats,
                "candidates": result["candidate_count"],
                "surplus_count": surplus["count"],
                "surplus_percent": surplus["percent"],
                "reference_date": d(date.fromisoformat(result["reference_date"]))
                if result["reference_date"]
                else "",
                "ratios": ratios,
                "findings": groups,
                "errors": sum(1 for g in groups if g["severity"] == "error"),
                "age_bins": charts.age_bins(ages),
                "rows": [
                    {k: r[k] for k in ("no", "name", "current_post", "proposed_post", "status")}
                    for r in rows
                ],
            }
        )
        if cb.kind == "executive":
            appendix = rows
            leaders = [
                {"name": r["name"], "post": r["proposed_post"], "current": r["current_post"]}
                for r in rows
                if any(w in r["proposed_post"] for w in LEADER_POSTS)
            ]
    if not bodies:
        raise ReportNotFound(f"{congress.title} chưa có danh sách nhân sự nào.")
    for b in bodies:
        extra_bodies.append(
            {
                "ratio_svg": charts.ratio_bars(b["ratios"], title=f"Cơ cấu {b['name']}"),
                "age_svg": charts.age_pyramid(b["age_bins"], title="Tháp tuổi theo giới tính"),
            }
        )
    data = {
        "congress": congress.title,
        "term": congress.term.code,
        "term_words": term_words(congress.term.code),
        "held_on": d(congress.held_on),
        "directive": cite(rsdata.get("source", "")),
        "outgoing": _outgoing(unit, rs),
        "criteria": _criteria(rsdata, unit),
        "unit": unit.name,
        "bodies": bodies,
        "has_standing": any(b["kind"] == "standing" for b in bodies),
        "leaders": leaders,
        "appendix": appendix,
    }
    return ReportData(
        kind="personnel-plan",
        unit=unit,
        term=congress.term.code,
        title="ĐỀ ÁN",
        subtitle=f"Nhân sự Ban Chấp hành {unit.name} {_congress_words(congress)}",
        params={"term": congress.term.code, "vetting_details": details},
        data=data,
        extra={"bodies": extra_bodies},
        draft=draft,
    )


# --- 3. Báo cáo tổng hợp cơ cấu --------------------------------------------------------------

SUMMARY_KEYS = (
    "female",
    "young",
    "ethnic_minority",
    "renewal",
    "age_tier_low",
    "age_tier_mid",
    "age_tier_high",
)
LEVEL_ORDER = ("province", "district", "commune", "grassroots", "cell")


def structure_summary_data(
    unit: PartyUnit, *, term: str | None = None, user=None, scope_user_id: int | None = None
) -> ReportData:
    """Per unit of the subtree, the sitting committee of the current term: members and the
    structure ratios against the targets, missed targets marked; grouped by level with a
    subtotal for each level and no total across levels (DOCUMENTS.md §5)."""
    current, _ = current_terms()
    if current is None:
        raise ReportNotFound("Chưa có nhiệm kỳ nào đang diễn ra.")
    if term and term != current.code:
        raise ReportNotFound(
            f"Số liệu cơ cấu chỉ có cho cấp ủy nhiệm kỳ hiện tại ({current.code}), "
            f"không có cho nhiệm kỳ {term}."
        )
    units = visible_units(user).filter(path__startswith=unit.path, is_active=True).order_by("path")
    unit_rows = list(units.values("id", "code", "name", "level", "depth"))
    snaps = {
        s["unit_id"]: s
        for s in StructureSnapshot.objects.filter(
            unit_id__in=[u["id"] for u in unit_rows], slot=COMMITTEE_SLOT
        ).values("unit_id", "member_count", "ratios", "missed_targets", "ruleset_code")
    }
    params = _summary_params()
    labels = ratio_labels(
        young_below=params.get("young_age_below"),
        low=params.get("tier_low_below"),
        high=params.get("tier_high_above"),
    )
    by_level: dict[str, list[dict]] = defaultdict(list)
    missing, no_committee, not_computed = [], 0, 0
    for u in unit_rows:
        s = snaps.get(u["id"])
        ratios = (s or {}).get("ratios") or {}
        if s is None:
            not_computed += 1
            continue
        if not ratios:
            no_committee += 1
            continue
        row = {
            "name": u["name"],
            "members": s["member_count"],
            "cells": [
                {
                    "count": ratios[k]["count"],
                    "percent": ratios[k]["percent"],
                    "ok": ratios[k]["ok"],
                }
                if k in ratios
                else None
                for k in SUMMARY_KEYS
            ],
        }
        by_level[u["level"]].append(row)
        missed = s.get("missed_targets") or []
        if missed:
            missing.append(
                {
                    "name": u["name"],
                    "details": [
                        f"{labels.get(k, RATIO_LABELS.get(k, k))} "
                        f"{_num(ratios[k]['percent'])}% (chỉ tiêu {_target_text(ratios[k].get('target'))}%)"
                        for k in missed
                        if k in ratios
                    ],
                }
            )
    rows: list[dict] = []
    groups = []
    for level in LEVEL_ORDER:
        members = by_level.get(level)
        if not members:
            continue
        label = LEVEL_LABELS.get(level, level)
        rows.append({"type": "level", "label": f"{label[0].upper()}{label[1:]}"})
        for i, r in enumerate(members, 1):
            rows.append({"type": "unit", "no": i, **r})
        n = sum(r["members"] for r in members)
        counts = [
            sum((r["cells"][i] or {}).get("count", 0) for r in members)
            for i in range(len(SUMMARY_KEYS))
        ]
        subtotal = {
            "type": "subtotal",
            "label": f"Cộng {label} ({len(members)} đơn vị)",
            "members": n,
            "cells": [{"count": c, "percent": round(c * 100 / n, 1) if n else 0.0} for c in counts],
        }
        rows.append(subtotal)
        groups.append({"label": label, "units": len(members), "members": n})
    data = {
        "root": unit.name,
        "term": current.code,
        "term_words": term_words(current.code),
        "columns": [labels.get(k, RATIO_LABELS[k]) for k in SUMMARY_KEYS],
        "rows": rows,
        "groups": groups,
        "missing": missing,
        "no_committee": no_committee,
        "not_computed": not_computed,
    }
    params_out = {"term": current.code}
    if user is not None:
        params_out["scope_user"] = user.pk
    return ReportData(
        kind="structure-summary",
        unit=unit,
        term=current.code,
        title="BÁO CÁO",
        subtitle=f"Tổng hợp cơ cấu cấp ủy nhiệm kỳ {term_words(current.code)} trong {unit.name}",
        params=params_out,
        data=data,
        landscape=True,
    )


def _summary_params() -> dict:
    """The age bounds of the rule set the snapshots are computed with (the latest)."""
    from personnel.services.ruleset_versions import latest_ruleset

    rs = latest_ruleset()
    return rs.data.get("params", {}) if rs and isinstance(rs.data, dict) else {}


# --- 4. Sơ yếu lý lịch (mẫu 2C) ---------------------------------------------------------------


def _certifier(cadre: Cadre) -> PartyUnit:
    """The body that certifies a résumé: the cadre's unit, or the level above when the cadre
    signs for the unit (a secretary never certifies their own résumé)."""
    unit = cadre.unit
    while unit is not None:
        signer = unit.signer_name or _secretary_of(unit)
        if signer and signer != cadre.full_name:
            return unit
        if unit.parent is None:
            return unit
        unit = unit.parent
    return cadre.unit


def _secretary_of(unit: PartyUnit) -> str:
    from congress.reports.header import secretary_name

    return secretary_name(unit)


def _relatives(cadre: Cadre) -> tuple[list[dict], list[dict]]:
    """Own side and spouse's side, each with relation, name, year of birth, home town,
    occupation, workplace and residence."""
    rows = list(
        FamilyRelation.objects.filter(
            Q(cadre=cadre) | Q(relative=cadre, relation__in=("spouse", "sibling"))
        )
        .select_related("relative", "cadre")
        .order_by("pk")
    )
    related = {r.relative_id for r in rows if r.cadre_id == cadre.pk and r.relative_id}
    other_ids = {r.relative_id for r in rows if r.relative_id and r.cadre_id == cadre.pk} | {
        r.cadre_id for r in rows if r.cadre_id != cadre.pk
    }
    titles = current_titles(other_ids)
    own, spouse = [], []
    for r in rows:
        if r.cadre_id == cadre.pk:
            person = r.relative
            relation = r.kinship or r.get_relation_display()
        else:
            if r.cadre_id in related:
                continue  # recorded both ways: keep the cadre's own row
            person = r.cadre
            relation = r.get_relation_display()
        if person is not None:
            entry = {
                "relation": relation,
                "name": person.full_name,
                "birth_year": str(person.birth_date.year),
                "hometown": r.hometown or person.hometown,
                "occupation": r.occupation or ", ".join(titles.get(person.pk, [])),
                "workplace": r.work_unit,
                "residence": r.residence or person.current_address,
            }
        else:
            posts = ", ".join(POST_LABELS.get(p, p) for p in (r.relative_posts or []))
            entry = {
                "relation": relation,
                "name": r.relative_name,
                "birth_year": str(r.birth_year or ""),
                "hometown": r.hometown,
                "occupation": r.occupation or posts,
                "workplace": r.work_unit,
                "residence": r.residence,
            }
        (spouse if r.spouse_side else own).append(entry)
    return own, spouse


def resume_data(
    unit: PartyUnit, *, cadre_id: int, term: str | None = None, user=None
) -> ReportData:
    qs = Cadre.objects.all() if user is None else cadres_visible_to(user)
    qs = qs.select_related("unit", "unit__parent").filter(
        pk=cadre_id, unit__path__startswith=unit.path
    )
    cadre = qs.first()
    if cadre is None:
        raise ReportNotFound(f"Không tìm thấy cán bộ số {cadre_id} trong {unit.name}.")
    theory = dict(Theory.choices)
    held = list(
        Tenure.objects.filter(cadre=cadre)
        .order_by("start", "pk")
        .values("start", "end", *TENURE_VALUES)
    )
    declared = list(WorkHistory.objects.filter(cadre=cadre).order_by("start", "pk"))
    if declared:
        history = [
            {"from": my(w.start), "to": my(w.end) if w.end else "nay", "text": w.description}
            for w in declared
        ]
    else:
        history = [
            {
                "from": my(t["start"]),
                "to": my(t["end"]) if t["end"] else "nay",
                "text": compose_title(held_post(t)),
            }
            for t in held
        ]
    trainings = [
        {
            "institution": t.institution,
            "major": t.major or t.kind,
            "period": f"{my(t.start)} - {my(t.end)}" if t.start or t.end else "",
            "mode": t.mode,
            "qualification": t.qualification,
        }
        for t in Training.objects.filter(cadre=cadre).order_by("start", "pk")
    ]
    achievements = "; ".join(
        f"{a.title} ({a.year})"
        for a in Achievement.objects.filter(cadre=cadre).order_by("-year", "pk")
    )
    disciplines = "; ".join(
        f"{x.get_level_display()} ({d(x.decided_on)}"
        + (f", Quyết định số {x.decision})" if x.decision else ")")
        for x in Discipline.objects.filter(cadre=cadre).order_by("-decided_on", "pk")
    )
    own, spouse = _relatives(cadre)
    titles = current_titles([cadre.pk]).get(cadre.pk, [])
    province = cadre.unit
    chain = list(PartyUnit.objects.filter(pk__in=cadre.unit.ancestor_ids()).order_by("depth"))
    province = next(
        (u for u in chain if u.level == Level.PROVINCE), chain[0] if chain else cadre.unit
    )
    direct = next((u for u in chain if u.level in (Level.COMMUNE, Level.DISTRICT)), None)
    salary = ""
    if cadre.salary_grade or cadre.salary_step or cadre.salary_coefficient:
        parts = []
        if cadre.salary_grade:
            parts.append(f"ngạch {cadre.salary_grade}")
        if cadre.salary_step:
            parts.append(f"bậc {cadre.salary_step}")
        if cadre.salary_coefficient is not None:
            parts.append(f"hệ số {_num(float(cadre.salary_coefficient))}")
        salary = ", ".join(parts)
    military = ""
    if cadre.enlisted_on or cadre.discharged_on or cadre.military_rank:
        military = "; ".join(
            x
            for x in (
                f"nhập ngũ {d(cadre.enlisted_on)}" if cadre.enlisted_on else "",
                f"xuất ngũ {d(cadre.discharged_on)}" if cadre.discharged_on else "",
                f"quân hàm cao nhất: {cadre.military_rank}" if cadre.military_rank else "",
            )
            if x
        )
    certifier = _certifier(cadre)
    data = {
        "province": place_of(province),
        "direct_unit": direct.name if direct else "",
        "unit": cadre.unit.name,
        "code": cadre.code or "",
        "name": cadre.full_name,
        "other_names": cadre.other_names,
        "birth": d(cadre.birth_date),
        "sex": cadre.get_sex_display(),
        "birth_place": cadre.birth_place,
        "hometown": cadre.hometown,
        "ethnicity": cadre.ethnicity,
        "religion": cadre.religion or "Không",
        "permanent_address": cadre.permanent_address,
        "current_address": cadre.current_address,
        "recruitment_occupation": cadre.recruitment_occupation,
        "recruited_on": d(cadre.recruited_on),
        "recruiting_body": cadre.recruiting_body,
        "current_posts": ", ".join(titles),
        "main_duties": cadre.main_duties,
        "salary": salary,
        "general_education": cadre.general_education,
        "education": cadre.education,
        "academic_title": cadre.academic_title,
        "theory": theory.get(cadre.political_theory or "", "") if cadre.political_theory else "",
        "state_management": cadre.state_management,
        "foreign_language": cadre.foreign_language,
        "it_skill": cadre.it_skill,
        "party_entry": d(cadre.party_entry_date),
        "party_confirmed": d(cadre.party_confirmed_date),
        "mass_org_joined": cadre.mass_org_joined,
        "military": military,
        "highest_honour": cadre.highest_honour,
        "strengths": cadre.strengths,
        "achievements": achievements,
        "disciplines": disciplines,
        "health": cadre.health,
        "citizen_id": cadre.citizen_id or "",
        "trainings": trainings,
        "history": history,
        "personal_history": cadre.personal_history,
        "own_family": own,
        "spouse_family": spouse,
        "certifier": certifier.pk,
    }
    return ReportData(
        kind="resume",
        unit=unit,
        term=term or "",
        title="SƠ YẾU LÝ LỊCH",
        params={"term": term or "", "cadre": cadre.pk},
        data=data,
        issuer=unit_issuer(certifier),
        place=place_of(cadre.unit),
    )


# --- 5. Biên bản kiểm phiếu ---------------------------------------------------------------------


def _same_person(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def ballot_minutes_data(unit: PartyUnit, *, round_id: int, term: str | None = None) -> ReportData:
    from congress.services.lists import vote_passes

    rnd = (
        NominationRound.objects.select_related(
            "nominee_list__body__congress__term",
            "nominee_list__body__congress__unit__parent",
            "nominee_list__body__congress__ruleset",
        )
        .filter(pk=round_id, nominee_list__body__congress__unit=unit)
        .first()
    )
    if rnd is None:
        raise ReportNotFound(f"Không tìm thấy vòng giới thiệu số {round_id} của {unit.name}.")
    gaps = rnd.minutes_gaps()
    if gaps:
        raise ReportError(
            f"Bước {rnd.step} chưa đủ thông tin để lập biên bản kiểm phiếu; còn thiếu: "
            + ", ".join(gaps)
            + "."
        )
    nl = rnd.nominee_list
    congress = nl.body.congress
    votes_qs = list(
        RoundVote.objects.filter(round=rnd)
        .order_by("cadre__sort_key", "cadre_id")
        .values("cadre__full_name", "votes", "is_floor_nomination")
    )
    on_ballot = [v["cadre__full_name"] for v in votes_qs] + list(
        Nominee.objects.filter(nominee_list=nl).values_list("cadre__full_name", flat=True)
    )
    clash = [m for m in rnd.counting_board if any(_same_person(m, n) for n in on_ballot)]
    if clash:
        raise ReportError(
            "Thành viên Ban kiểm phiếu không được có tên trong danh sách giới thiệu: "
            + ", ".join(clash)
            + "."
        )
    rsdata = congress.ruleset.data if isinstance(congress.ruleset.data, dict) else {}
    params = rsdata.get("params", {})
    valid = rnd.ballots_valid or 0
    votes = []
    for i, v in enumerate(votes_qs, 1):
        votes.append(
            {
                "no": i,
                "name": v["cadre__full_name"],
                "votes": v["votes"],
                "percent_summoned": round(v["votes"] * 100 / rnd.summoned, 2)
                if rnd.summoned
                else 0,
                "percent_valid": round(v["votes"] * 100 / valid, 2) if valid else 0,
                "floor": v["is_floor_nomination"],
                "passed": vote_passes(v["votes"], rnd.summoned, v["is_floor_nomination"], rsdata),
            }
        )
    passed = [v["name"] for v in votes if v["passed"]]
    body_name = _body_name(nl.body, congress)
    data = {
        "congress": congress.title,
        "term": congress.term.code,
        "term_words": term_words(congress.term.code),
        "body": body_name,
        "seats": nl.body.seats,
        "step": rnd.step,
        "held_on": d(rnd.held_on),
        "day_words": date_words(rnd.held_on),
        "started": f"{rnd.counting_started.hour} giờ {rnd.counting_started.minute:02d} phút",
        "finished": f"{rnd.minutes_finished.hour} giờ {rnd.minutes_finished.minute:02d} phút",
        "place": rnd.place,
        "head": rnd.counting_board[0],
        "members": list(rnd.counting_board[1:]),
        "summoned": rnd.summoned,
        "present": rnd.present,
        "absent": rnd.summoned - rnd.present,
        "issued": rnd.ballots_issued,
        "received": rnd.ballots_received,
        "valid": rnd.ballots_valid,
        "invalid": rnd.ballots_invalid,
        "threshold": _num(params.get("nomination_min_percent", 50)),
        "floor_threshold": _num(params.get("floor_nomination_min_percent", 30)),
        "votes": votes,
        "passed": passed,
    }
    return ReportData(
        kind="ballot-minutes",
        unit=unit,
        term=congress.term.code,
        title="BIÊN BẢN",
        subtitle=f"Kiểm phiếu giới thiệu nhân sự {body_name} {_congress_words(congress)} "
        f"(bước {rnd.step})",
        params={"term": congress.term.code, "round": rnd.pk},
        data=data,
        issuer=congress_body_issuer(congress),
        day=rnd.held_on,
    )


# --- 6. Báo cáo quy hoạch cán bộ ---------------------------------------------------------------


def planning_data(unit: PartyUnit, *, term: str | None = None) -> ReportData:
    """The unit's planning list of `term` (by default the latest term it has one for): the
    planned people post by post, the structure against the planning targets, the findings
    grouped with names and their justifications, those added and those taken out with the
    reasons. Findings and structure come from `planning.selectors` (as the planning page)."""
    qs = PlanningList.objects.filter(unit=unit).select_related("unit", "term")
    if term:
        if not Term.objects.filter(code=term).exists():
            raise ReportNotFound(f"Không có nhiệm kỳ «{term}».")
        planning_list = qs.filter(term__code=term).first()
        if planning_list is None:
            raise ReportNotFound(f"{unit.name} chưa có danh sách quy hoạch cán bộ nhiệm kỳ {term}.")
    else:
        planning_list = qs.order_by("-term__start").first()
        if planning_list is None:
            raise ReportNotFound(f"{unit.name} chưa có danh sách quy hoạch cán bộ nào.")
    plan_term = planning_list.term
    m = planning_matrix(planning_list)
    entries = m["entries"]
    titles = current_titles({e.cadre_id for e in entries})
    posts = []
    no = 0
    for row in m["rows"]:
        people = []
        for p in row["people"]:
            no += 1
            e, c = p["entry"], p["cadre"]
            people.append(
                {
                    "no": no,
                    "name": c.full_name,
                    "birth": d(c.birth_date),
                    "age": p["age"],
                    "sex": Sex(c.sex).label if c.sex else "",
                    "ethnicity": c.ethnicity,
                    "current_post": ", ".join(titles.get(c.pk, [])),
                    "since": d(e.since),
                    "decision_number": e.decision_number,
                    "decision_date": d(e.decision_date),
                    "used": e.used_for if e.used_at else "",
                }
            )
        posts.append({"name": row["post"].name, "count": len(people), "people": people})
    names = {str(e.cadre_id): e.cadre.full_name for e in entries}
    post_names = {e.post.code: e.post.name for e in entries}
    findings = []
    for f in m["findings"]:
        j = f["justification"]
        message = f["message"]
        if f["code"] == "PLAN_TOO_MANY" and f["post"]:
            message = (
                f"{post_names.get(f['post'], f['post'])}: "
                + ", ".join(names.get(p, p) for p in f["people"])
                + "."
            )
        findings.append(
            {
                "code": f["code"],
                "severity": f["severity"],
                "people": [p for p in f["people"] if p in names],
                "message": message,
                "justification": j.text if j else "",
                "justified_on": d(timezone.localtime(j.at).date()) if j else "",
            }
        )
    groups = group_findings(findings, names=names, unit_names=_unit_names())
    unjustified = sorted(
        {
            names[p]
            for f in findings
            if f["severity"] == "error" and not f["justification"]
            for p in f["people"]
        }
    )
    ratios = []
    for r in m["structure"]["ratios"]:
        lo, hi = _target_bounds(r.get("target"))
        ratios.append(
            {
                "key": r["key"],
                "label": r["label"],
                "count": r["count"],
                "percent": r["percent"],
                "target": _target_text(r.get("target")),
                "lo": lo,
                "hi": hi,
                "ok": r["ok"],
            }
        )
    reasons = dict(RemovalReason.choices)
    removed = [
        {
            "no": i,
            "name": r["cadre__full_name"],
            "birth": d(r["cadre__birth_date"]),
            "post": r["post__name"],
            "since": d(r["since"]),
            "removed": d(r["removed_at"]),
            "reason": reasons.get(r["removed_reason"], r["removed_reason"]),
            "note": r["removed_note"],
        }
        for i, r in enumerate(
            PlanningEntry.objects.filter(planning_list=planning_list, removed_at__isnull=False)
            .order_by("removed_at", "cadre__sort_key", "pk")
            .values(
                "cadre__full_name",
                "cadre__birth_date",
                "post__name",
                "since",
                "removed_at",
                "removed_reason",
                "removed_note",
            ),
            1,
        )
    ]
    reviews = [
        {"year": year, "number": number, "date": d(decided_on)}
        for year, number, decided_on in PlanningReview.objects.filter(unit=unit, term=plan_term)
        .order_by("year")
        .values_list("year", "decision_number", "decided_on")
    ]
    # Those added since the plan was approved (or all, for a plan not approved yet).
    approved_on = planning_list.decision_date
    added = [
        f"{p['name']} ({post['name']}, từ {p['since']})"
        for post in posts
        for p in post["people"]
        if approved_on and p["since"] and _date(p["since"]) > approved_on
    ]
    regulation = cite(m["ruleset"].references.get("planning", ""))
    committee = unit.committee_name or unit.name
    data = {
        "unit": unit.name,
        "reporter": f"Ban Thường vụ {committee}" if has_standing_committee(unit) else committee,
        "term": plan_term.code,
        "term_words": term_words(plan_term.code),
        "term_start": d(plan_term.start),
        "regulation": regulation,
        "approved": planning_list.state == "approved",
        "decision_number": planning_list.decision_number,
        "decision_date": d(planning_list.decision_date),
        "person_count": m["structure"]["person_count"],
        "entry_count": len(entries),
        "posts": posts,
        "ratios": ratios,
        "findings": groups,
        "unjustified": unjustified,
        "added": added,
        "removed": removed,
        "reviews": reviews,
    }
    extra = {
        "ratio_svg": charts.ratio_bars(ratios, title="Tỷ lệ cơ cấu so với chỉ tiêu quy hoạch")
        if ratios and entries
        else ""
    }
    return ReportData(
        kind="planning",
        unit=unit,
        term=plan_term.code,
        title="BÁO CÁO",
        subtitle=f"Kết quả quy hoạch cán bộ nhiệm kỳ {term_words(plan_term.code)}",
        params={"term": plan_term.code},
        data=data,
        extra=extra,
        draft=planning_list.state != "approved",
    )


def _date(text: str) -> date:
    dd, mm, yy = text.split("/")
    return date(int(yy), int(mm), int(dd))


def build(kind: str, unit: PartyUnit, params: dict[str, Any], user=None) -> ReportData:
    """The data of a document of `kind`, from the parameters stored with it."""
    term = params.get("term") or None
    details = bool(params.get("vetting_details"))
    if kind == "nominee-list":
        report = nominee_list_data(
            unit,
            term=term,
            body=params.get("body") or "executive",
            list_id=params.get("list"),
            details=details,
        )
    elif kind == "personnel-plan":
        report = personnel_plan_data(unit, term=term, details=details)
    elif kind == "structure-summary":
        report = structure_summary_data(unit, term=term, user=user)
    elif kind == "resume":
        if not params.get("cadre"):
            raise ReportError("Sơ yếu lý lịch cần chọn cán bộ (--cadre).")
        report = resume_data(unit, cadre_id=int(params["cadre"]), term=term, user=user)
    elif kind == "ballot-minutes":
        if not params.get("round"):
            raise ReportError("Biên bản kiểm phiếu cần chọn vòng giới thiệu (--round).")
        report = ballot_minutes_data(unit, round_id=int(params["round"]), term=term)
    elif kind == "planning":
        report = planning_data(unit, term=term)
    else:
        raise ReportError(f"Loại văn bản không hợp lệ: «{kind}».")
    # What the request chose beyond the builder's own parameters: a draft on purpose, the
    # confidentiality mark.
    if params.get("draft"):
        report.params["draft"] = True
        report.draft = True
    if params.get("confidential") is not None:
        report.params["confidential"] = bool(params["confidential"])
    return report
