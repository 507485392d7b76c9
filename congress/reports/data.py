"""The data of each document, collected from the database with a fixed number of queries.

A builder returns a `ReportData`: `data` is plain JSON (what the document says; its hash is
printed on the paper and recomputed by the verify page), `extra` holds what is derived for
presentation only (charts). Rules are never re-implemented here: ratios, ages, first-time or
re-election and findings come from `congress.engine`.
Vetting *items* are never read: only a case's conclusion, date and document number.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q
from django.utils import timezone

from congress.models import (
    Congress,
    NominationRound,
    Nominee,
    NomineeList,
    RoundVote,
    StructureSnapshot,
)
from congress.reports import charts
from congress.rules.labels import KIND_LABELS, LEVEL_LABELS, POST_LABELS, RATIO_LABELS, ratio_labels
from congress.services.structure import COMMITTEE_SLOT
from personnel.models import (
    Achievement,
    Cadre,
    CommitteeMembership,
    Discipline,
    FamilyRelation,
    PartyUnit,
    Post,
    Rating,
    Sex,
    Tenure,
    Term,
    Training,
)
from personnel.models import PoliticalTheory as Theory
from personnel.selectors import cadres_visible_to, units_visible_to
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

SEVERITY_LABELS = {"error": "Vi phạm", "warning": "Lưu ý"}
STATUS_LABELS = {"lan_dau": "Lần đầu", "tai_cu": "Tái cử"}


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

    @property
    def data_hash(self) -> str:
        return data_hash(self.data)


def data_hash(data: Any) -> str:
    raw = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


def d(value: date | None) -> str:
    return f"{value.day:02d}/{value.month:02d}/{value.year}" if value else ""


def _post_names(codes) -> dict[str, str]:
    names = dict(POST_LABELS)
    names.update(Post.objects.filter(code__in=set(codes)).values_list("code", "name"))
    return names


# --- scope and lookups -----------------------------------------------------------------------


def visible_units(user):
    """Units whose documents `user` may get; no user (the command line) means all."""
    if user is None:
        return PartyUnit.objects.all()
    return units_visible_to(user)


def resolve_unit(code: str, user=None) -> PartyUnit:
    unit = visible_units(user).filter(code=code).first()
    if unit is None:
        raise ReportNotFound(f"Không tìm thấy đơn vị có mã «{code}».")
    return unit


def resolve_congress(unit: PartyUnit, term: str | None) -> Congress:
    qs = Congress.objects.filter(unit=unit).select_related("term", "ruleset", "unit")
    if term:
        congress = qs.filter(term__code=term).first()
        if congress is None:
            raise ReportNotFound(f"Đơn vị {unit.name} chưa có đại hội nhiệm kỳ {term}.")
        return congress
    congress = qs.order_by("-term__start").first()
    if congress is None:
        raise ReportNotFound(f"Đơn vị {unit.name} chưa có đại hội nào.")
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


def _latest_list(body) -> NomineeList | None:
    return NomineeList.objects.filter(body=body).order_by("-edition", "-pk").first()


def _vetting(cadre_ids, term_id: int | None) -> dict[int, dict[str, str]]:
    """The conclusion, date and number of each cadre's case (the case of the congress's term
    wins, then the latest). Only these three columns are read, never the confidential items."""
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
            "conclusion": Conclusion(conclusion).label if conclusion else "",
            "concluded": conclusion != Conclusion.PENDING,
            "date": d(concluded_on),
            "number": number or "",
        }
    return out


def _evaluate_list(nl: NomineeList, congress: Congress) -> tuple[dict, dict[int, dict]]:
    """The engine's verdict on a list, as the list editor shows it (one implementation:
    congress.services.lists.evaluate_list), and its person rows by cadre id."""
    from congress.services.lists import evaluate_list

    result = evaluate_list(nl)
    by_id = {int(p["id"]): p for p in result["people"]}
    return result, by_id


def _nominee_rows(nl: NomineeList, congress: Congress, status: dict[int, dict]) -> list[dict]:
    rows = list(
        Nominee.objects.filter(nominee_list=nl)
        .order_by("cadre__sort_key", "cadre_id")
        .values(
            "cadre_id",
            "proposed_posts",
            "cadre__full_name",
            "cadre__birth_date",
            "cadre__sex",
            "cadre__ethnicity",
            "cadre__hometown",
            "cadre__party_entry_date",
            "cadre__education",
            "cadre__political_theory",
        )
    )
    ids = [r["cadre_id"] for r in rows]
    current: dict[int, list[str]] = defaultdict(list)
    for cid, post, unit_name in (
        Tenure.objects.current()
        .filter(cadre_id__in=ids)
        .order_by("-post__rank", "start")
        .values_list("cadre_id", "post__name", "unit__name")
    ):
        current[cid].append(f"{post} {unit_name}")
    names = _post_names(code for r in rows for code in (r["proposed_posts"] or []))
    vetting = _vetting(ids, congress.term_id)
    theory = dict(Theory.choices)
    out = []
    for i, r in enumerate(rows, 1):
        cid = r["cadre_id"]
        vet = vetting.get(cid, {})
        out.append(
            {
                "no": i,
                "name": r["cadre__full_name"],
                "birth": d(r["cadre__birth_date"]),
                "sex": Sex(r["cadre__sex"]).label if r["cadre__sex"] else "",
                "ethnicity": r["cadre__ethnicity"],
                "hometown": r["cadre__hometown"],
                "party_entry": d(r["cadre__party_entry_date"]),
                "education": r["cadre__education"],
                "theory": theory.get(r["cadre__political_theory"] or "", "")
                if r["cadre__political_theory"]
                else "",
                "current_post": "; ".join(current.get(cid, [])),
                "proposed_post": "; ".join(
                    names.get(code, code) for code in (r["proposed_posts"] or [])
                ),
                "status": STATUS_LABELS.get(status.get(cid, {}).get("status", ""), ""),
                "vetting": vet.get("conclusion", "Chưa thẩm tra"),
                "vetting_date": vet.get("date", ""),
                "vetting_number": vet.get("number", ""),
            }
        )
    return out


# --- 1. Danh sách trích ngang ------------------------------------------------------------------


def nominee_list_data(
    unit: PartyUnit, *, term: str | None = None, body: str = "executive", list_id: int | None = None
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
            f"Đại hội {congress.title} chưa có danh sách nhân sự {KIND_LABELS.get(body, body)}."
        )
    _, status = _evaluate_list(nl, congress)
    rows = _nominee_rows(nl, congress, status)
    title = "DANH SÁCH TRÍCH NGANG"
    data = {
        "congress": congress.title,
        "term": congress.term.code,
        "body": str(nl.body),
        "seats": nl.body.seats,
        "list_id": nl.pk,
        "edition": nl.edition,
        "state": nl.get_state_display(),
        "rows": rows,
    }
    return ReportData(
        kind="nominee-list",
        unit=unit,
        term=congress.term.code,
        title=title,
        params={"term": congress.term.code, "body": nl.body.kind, "list": nl.pk},
        data=data,
        landscape=True,
    )


# --- 2. Đề án nhân sự ------------------------------------------------------------------------

_TARGET_RE = re.compile(r"^\s*(>=|<=)?\s*([\d.,]+)\s*(?:-\s*([\d.,]+))?\s*$")


def _target_bounds(text: str | None) -> tuple[float | None, float | None]:
    """The bounds of an engine target text (">= 15", "<= 30", "40-50")."""
    m = _TARGET_RE.match(text or "")
    if not m:
        return None, None
    op, a, b = m.groups()
    a = float(a.replace(",", "."))
    if b is not None:
        return a, float(b.replace(",", "."))
    return (None, a) if op == "<=" else (a, None)


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
                "target": (r.get("target") or "").replace(">=", "≥").replace("<=", "≤"),
                "lo": lo,
                "hi": hi,
                "ok": r["ok"],
            }
        )
    return rows


def personnel_plan_data(unit: PartyUnit, *, term: str | None = None) -> ReportData:
    congress = resolve_congress(unit, term)
    rs = congress.ruleset.data.get("params", {}) if isinstance(congress.ruleset.data, dict) else {}
    bodies = []
    extra_bodies = []
    names_cache: dict[int, str] = {}
    for cb in congress.bodies.order_by("kind", "pk"):
        nl = _latest_list(cb)
        if nl is None:
            continue
        result, status = _evaluate_list(nl, congress)
        rows = _nominee_rows(nl, congress, status)
        names_cache.update(
            Nominee.objects.filter(nominee_list=nl).values_list("cadre_id", "cadre__full_name")
        )
        findings = []
        for f in result["findings"]:
            match = f.get("justification")
            findings.append(
                {
                    "code": f["code"],
                    "severity": SEVERITY_LABELS.get(f["severity"], f["severity"]),
                    "is_error": f["severity"] == "error",
                    "message": f["message"],
                    "people": [names_cache.get(int(p), p) for p in f["people"] if p.isdigit()],
                    "justification": match.text if match else "",
                    "approved": bool(match and match.is_exception_approved),
                    "approval": (
                        f"{match.approved_by_body} — văn bản số "
                        f"{match.approval_document} ngày {d(match.approval_date)}"
                    ).strip(" —")
                    if match and match.approval_document
                    else "",
                }
            )
        ratios = ratio_rows(result, rs)
        sexes = dict(
            Cadre.objects.filter(pk__in=[int(p["id"]) for p in result["people"]]).values_list(
                "pk", "sex"
            )
        )
        ages = [(p["age"], sexes.get(int(p["id"]), "")) for p in result["people"]]
        surplus = result["surplus"]
        bodies.append(
            {
                "name": str(cb),
                "kind": cb.kind,
                "seats": cb.seats,
                "candidates": result["candidate_count"],
                "surplus_count": surplus["count"],
                "surplus_percent": surplus["percent"],
                "surplus_target": (
                    f"{rs.get('surplus_prepared_min_percent')}–"
                    f"{rs.get('surplus_prepared_max_percent')}%, tối đa "
                    f"{rs.get('surplus_max_percent')}%"
                )
                if rs.get("surplus_max_percent") is not None
                else "",
                "reference_date": d(date.fromisoformat(result["reference_date"])),
                "ratios": ratios,
                "findings": findings,
                "age_bins": charts.age_bins(ages),
                "rows": rows,
            }
        )
    if not bodies:
        raise ReportNotFound(f"Đại hội {congress.title} chưa có danh sách nhân sự nào.")
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
        "held_on": d(congress.held_on),
        "ruleset": f"{congress.ruleset.name} (phiên bản {congress.ruleset.version})",
        "bodies": bodies,
    }
    return ReportData(
        kind="personnel-plan",
        unit=unit,
        term=congress.term.code,
        title="ĐỀ ÁN NHÂN SỰ",
        params={"term": congress.term.code},
        data=data,
        extra={"bodies": extra_bodies},
    )


# --- 3. Báo cáo tổng hợp cơ cấu --------------------------------------------------------------

SUMMARY_KEYS = ("female", "young", "ethnic_minority", "renewal", "age_tier_low", "age_tier_mid")


def structure_summary_data(
    unit: PartyUnit, *, term: str | None = None, user=None, scope_user_id: int | None = None
) -> ReportData:
    units = visible_units(user).filter(path__startswith=unit.path).order_by("path")
    unit_rows = list(units.values("id", "code", "name", "level", "depth"))
    snaps = {
        s["unit_id"]: s
        for s in StructureSnapshot.objects.filter(
            unit_id__in=[u["id"] for u in unit_rows], slot=COMMITTEE_SLOT
        ).values(
            "unit_id", "member_count", "ratios", "error_count", "warning_count", "missed_targets"
        )
    }
    rows, missing = [], []
    totals = {"members": 0, "errors": 0, "warnings": 0, "counts": defaultdict(int)}
    for u in unit_rows:
        s = snaps.get(u["id"])
        ratios = (s or {}).get("ratios") or {}
        row = {
            "code": u["code"],
            "name": u["name"],
            "level": LEVEL_LABELS.get(u["level"], u["level"]),
            "indent": max(0, u["depth"] - unit.depth),
            "computed": s is not None and bool(ratios),
            # Computed, but the unit has no executive committee in the current term.
            "no_committee": s is not None and not ratios,
            "members": (s or {}).get("member_count", 0),
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
            "errors": (s or {}).get("error_count", 0),
            "warnings": (s or {}).get("warning_count", 0),
        }
        rows.append(row)
        if row["computed"]:
            totals["members"] += row["members"]
            totals["errors"] += row["errors"]
            totals["warnings"] += row["warnings"]
            for k in SUMMARY_KEYS:
                if k in ratios:
                    totals["counts"][k] += ratios[k]["count"]
        missed = (s or {}).get("missed_targets") or []
        if missed:
            missing.append(
                {
                    "name": u["name"],
                    "code": u["code"],
                    "targets": [RATIO_LABELS.get(k, k) for k in missed],
                    "details": [
                        f"{RATIO_LABELS.get(k, k)} {str(ratios[k]['percent']).replace('.', ',')}% "
                        f"(chỉ tiêu {ratios[k].get('target') or ''}%)".replace(">=", "≥")
                        for k in missed
                        if k in ratios
                    ],
                }
            )
    n = totals["members"]
    total_cells = [
        {
            "count": totals["counts"][k],
            "percent": round(totals["counts"][k] * 100 / n, 1) if n else 0,
        }
        for k in SUMMARY_KEYS
    ]
    data = {
        "root": unit.name,
        "columns": [RATIO_LABELS[k] for k in SUMMARY_KEYS],
        "rows": rows,
        "totals": {
            "units": sum(1 for r in rows if r["computed"]),
            "members": n,
            "errors": totals["errors"],
            "warnings": totals["warnings"],
            "cells": total_cells,
        },
        "missing": missing,
        "no_committee": sum(1 for r in rows if r["no_committee"]),
        "not_computed": sum(1 for r in rows if not r["computed"] and not r["no_committee"]),
    }
    params = {"term": term or ""}
    if user is not None:
        params["scope_user"] = user.pk
    return ReportData(
        kind="structure-summary",
        unit=unit,
        term=term or "",
        title="BÁO CÁO TỔNG HỢP CƠ CẤU CẤP ỦY",
        params=params,
        data=data,
        landscape=True,
    )


# --- 4. Sơ yếu lý lịch -------------------------------------------------------------------------


def resume_data(
    unit: PartyUnit, *, cadre_id: int, term: str | None = None, user=None
) -> ReportData:
    qs = Cadre.objects.all() if user is None else cadres_visible_to(user)
    qs = qs.select_related("unit").filter(pk=cadre_id, unit__path__startswith=unit.path)
    cadre = qs.first()
    if cadre is None:
        raise ReportNotFound(f"Không tìm thấy cán bộ số {cadre_id} trong đơn vị {unit.name}.")
    theory = dict(Theory.choices)
    tenures = [
        {
            "from": d(t["start"]),
            "to": d(t["end"]) if t["end"] else "nay",
            "text": f"{t['post__name']} {t['unit__name']}",
        }
        for t in Tenure.objects.filter(cadre=cadre)
        .order_by("start", "pk")
        .values("start", "end", "post__name", "unit__name")
    ]
    current = [t["text"] for t in tenures if t["to"] == "nay"]
    memberships = [
        f"{m['body'] == 'standing' and 'Ủy viên Ban Thường vụ' or 'Ủy viên Ban Chấp hành'} "
        f"{m['unit__name']} nhiệm kỳ {m['term__code']}"
        for m in CommitteeMembership.objects.filter(cadre=cadre)
        .order_by("term__start", "body")
        .values("body", "unit__name", "term__code")
    ]
    trainings = [
        {
            "from": d(t.start),
            "to": d(t.end),
            "kind": t.kind,
            "institution": t.institution,
            "qualification": t.qualification,
        }
        for t in Training.objects.filter(cadre=cadre).order_by("start", "pk")
    ]
    ratings = [
        {"year": r.year, "level": r.get_level_display(), "points": r.points}
        for r in Rating.objects.filter(cadre=cadre).order_by("-year")[:5]
    ]
    achievements = [
        {"year": a.year, "title": a.title, "decision": a.decision}
        for a in Achievement.objects.filter(cadre=cadre).order_by("-year", "pk")
    ]
    disciplines = [
        {"date": d(x.decided_on), "level": x.get_level_display(), "decision": x.decision}
        for x in Discipline.objects.filter(cadre=cadre).order_by("-decided_on", "pk")
    ]
    relations = []
    for r in (
        FamilyRelation.objects.filter(Q(cadre=cadre) | Q(relative=cadre))
        .select_related("relative", "cadre")
        .order_by("pk")
    ):
        if r.cadre_id == cadre.pk:
            other = r.relative.full_name if r.relative_id else r.relative_name
            posts = ", ".join(POST_LABELS.get(p, p) for p in (r.relative_posts or []))
            relation = r.get_relation_display()
        else:
            other, posts, relation = r.cadre.full_name, "", r.get_relation_display()
        relations.append({"relation": relation, "name": other, "posts": posts})
    vet = _vetting([cadre.pk], None).get(cadre.pk, {})
    data = {
        "name": cadre.full_name,
        "code": cadre.code or "",
        "sex": cadre.get_sex_display(),
        "birth": d(cadre.birth_date),
        "citizen_id": cadre.citizen_id or "",
        "hometown": cadre.hometown,
        "ethnicity": cadre.ethnicity,
        "religion": cadre.religion or "Không",
        "party_entry": d(cadre.party_entry_date),
        "party_confirmed": d(cadre.party_confirmed_date),
        "education": cadre.education,
        "theory": theory.get(cadre.political_theory or "", "") if cadre.political_theory else "",
        "state_management": cadre.state_management,
        "foreign_language": cadre.foreign_language,
        "it_skill": cadre.it_skill,
        "unit": cadre.unit.name,
        "current_posts": current,
        "memberships": memberships,
        "tenures": tenures,
        "trainings": trainings,
        "ratings": ratings,
        "achievements": achievements,
        "disciplines": disciplines,
        "relations": relations,
        "vetting": vet.get("conclusion", "Chưa thẩm tra"),
        "vetting_date": vet.get("date", ""),
        "vetting_number": vet.get("number", ""),
    }
    params = {"term": term or "", "cadre": cadre.pk}
    return ReportData(
        kind="resume",
        unit=unit,
        term=term or "",
        title="SƠ YẾU LÝ LỊCH",
        params=params,
        data=data,
    )


# --- 5. Biên bản kiểm phiếu ---------------------------------------------------------------------


def ballot_minutes_data(unit: PartyUnit, *, round_id: int, term: str | None = None) -> ReportData:
    rnd = (
        NominationRound.objects.select_related(
            "nominee_list__body__congress__term", "nominee_list__body__congress__unit"
        )
        .filter(pk=round_id, nominee_list__body__congress__unit=unit)
        .first()
    )
    if rnd is None:
        raise ReportNotFound(f"Không tìm thấy vòng giới thiệu số {round_id} của {unit.name}.")
    nl = rnd.nominee_list
    congress = nl.body.congress
    base = rnd.present or rnd.summoned
    votes = [
        {
            "no": i,
            "name": v["cadre__full_name"],
            "votes": v["votes"],
            "percent_summoned": round(v["votes"] * 100 / rnd.summoned, 2) if rnd.summoned else 0,
            "percent_present": round(v["votes"] * 100 / base, 2) if base else 0,
            "floor": v["is_floor_nomination"],
        }
        for i, v in enumerate(
            RoundVote.objects.filter(round=rnd)
            .order_by("cadre__sort_key", "cadre_id")
            .values("cadre__full_name", "votes", "is_floor_nomination"),
            1,
        )
    ]
    data = {
        "congress": congress.title,
        "term": congress.term.code,
        "body": str(nl.body),
        "seats": nl.body.seats,
        "step": rnd.step,
        "held_on": d(rnd.held_on),
        "summoned": rnd.summoned,
        "present": rnd.present if rnd.present is not None else "",
        "absent": rnd.summoned - rnd.present if rnd.present is not None else "",
        "votes": votes,
    }
    return ReportData(
        kind="ballot-minutes",
        unit=unit,
        term=congress.term.code,
        title="BIÊN BẢN KIỂM PHIẾU",
        params={"term": congress.term.code, "round": rnd.pk},
        data=data,
    )


# --- 6. Báo cáo quy hoạch cán bộ ---------------------------------------------------------------


def planning_data(unit: PartyUnit, *, term: str | None = None) -> ReportData:
    """The unit's planning list of `term` (by default the latest term it has one for): the
    planned people post by post, the structure against the planning targets, the engine's
    PLAN_* findings with their justifications, and the entries taken out of the plan.
    Findings and structure come from `planning.selectors` (the same as the planning page)."""
    qs = PlanningList.objects.filter(unit=unit).select_related("unit", "term")
    if term:
        if not Term.objects.filter(code=term).exists():
            raise ReportNotFound(f"Không có nhiệm kỳ «{term}».")
        planning_list = qs.filter(term__code=term).first()
        if planning_list is None:
            raise ReportNotFound(
                f"Đơn vị {unit.name} chưa có danh sách quy hoạch cán bộ nhiệm kỳ {term}."
            )
    else:
        planning_list = qs.order_by("-term__start").first()
        if planning_list is None:
            raise ReportNotFound(f"Đơn vị {unit.name} chưa có danh sách quy hoạch cán bộ nào.")
    plan_term = planning_list.term
    m = planning_matrix(planning_list)
    entries = m["entries"]
    cadre_ids = {e.cadre_id for e in entries}
    current: dict[int, list[str]] = defaultdict(list)
    for cid, post, unit_name in (
        Tenure.objects.current()
        .filter(cadre_id__in=cadre_ids)
        .order_by("-post__rank", "start", "pk")
        .values_list("cadre_id", "post__name", "unit__name")
    ):
        current[cid].append(f"{post} {unit_name}")
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
                    "current_post": "; ".join(current.get(c.pk, [])),
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
        findings.append(
            {
                "code": f["code"],
                "label": f["label"],
                "severity": SEVERITY_LABELS.get(f["severity"], f["severity"]),
                "is_error": f["severity"] == "error",
                "post": post_names.get(f["post"], f["post"] or ""),
                "people": [names.get(pid, pid) for pid in f["people"]],
                "message": f["message"],
                "justification": j.text if j else "",
                "justified_on": d(timezone.localtime(j.at).date()) if j else "",
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
                "target": (r.get("target") or "").replace(">=", "≥").replace("<=", "≤"),
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
    data = {
        "unit": unit.name,
        "term": plan_term.code,
        "term_start": d(plan_term.start),
        "state": planning_list.get_state_display(),
        "approved": planning_list.state == "approved",
        "decision_number": planning_list.decision_number,
        "decision_date": d(planning_list.decision_date),
        "ruleset": m["ruleset"].name,
        "person_count": m["structure"]["person_count"],
        "entry_count": len(entries),
        "posts": posts,
        "ratios": ratios,
        "findings": findings,
        "unjustified": sum(1 for f in findings if f["is_error"] and not f["justification"]),
        "removed": removed,
        "reviews": reviews,
    }
    extra = {
        "ratio_svg": charts.ratio_bars(ratios, title="Tỷ lệ cơ cấu (vạch đứng: chỉ tiêu)")
        if ratios and entries
        else ""
    }
    return ReportData(
        kind="planning",
        unit=unit,
        term=plan_term.code,
        title="BÁO CÁO QUY HOẠCH CÁN BỘ",
        params={"term": plan_term.code},
        data=data,
        extra=extra,
    )


def build(kind: str, unit: PartyUnit, params: dict[str, Any], user=None) -> ReportData:
    """The data of a document of `kind`, from the parameters stored with it."""
    term = params.get("term") or None
    if kind == "nominee-list":
        return nominee_list_data(
            unit, term=term, body=params.get("body") or "executive", list_id=params.get("list")
        )
    if kind == "personnel-plan":
        return personnel_plan_data(unit, term=term)
    if kind == "structure-summary":
        return structure_summary_data(unit, term=default_term(unit, term), user=user)
    if kind == "resume":
        if not params.get("cadre"):
            raise ReportError("Sơ yếu lý lịch cần chọn cán bộ (--cadre).")
        return resume_data(
            unit, cadre_id=int(params["cadre"]), term=default_term(unit, term), user=user
        )
    if kind == "ballot-minutes":
        if not params.get("round"):
            raise ReportError("Biên bản kiểm phiếu cần chọn vòng giới thiệu (--round).")
        return ballot_minutes_data(unit, round_id=int(params["round"]), term=term)
    if kind == "planning":
        return planning_data(unit, term=term)
    raise ReportError(f"Loại văn bản không hợp lệ: «{kind}».")
