"""The board's dashboard: every unit in scope as a row, coloured against the targets; the
same rows as an Excel file (`?xuat=excel`) and as a page to print (`?ban-in=1`)."""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from congress.models import ListState
from congress.reports import sheets
from congress.rules.labels import ratio_labels
from congress.selectors import (
    TARGETS,
    dashboard_congress,
    dashboard_congress_choices,
    dashboard_rows,
    data_version,
    lists_by_unit,
)
from personnel.models import Level
from personnel.policy import Kind, grants_of, requires
from personnel.selectors import terms
from personnel.services.ruleset_versions import latest_ruleset

PAGE_SIZE = 50
CACHE_SECONDS = 600
# The print view and the Excel file carry every filtered row, up to this many.
ALL_ROWS = 5000
KIND_LABELS = {"executive": "BCH", "standing": "BTV", "people_council": "HĐND"}


def _cache_key(request) -> str:
    scope = ";".join(f"{g.role}@{g.path}" for g in grants_of(request.user))
    raw = f"{request.user.pk}|{request.user.is_superuser}|{scope}|{request.GET.urlencode()}"
    raw += "|" + data_version(request.user)
    return "dashboard:" + hashlib.sha256(raw.encode()).hexdigest()


@require_GET
@requires(Kind.STRUCTURE, "view", listing=True)
def dashboard(request):
    if request.GET.get("xuat") == "excel":
        return _export(request)
    printing = bool(request.GET.get("ban-in"))
    key = _cache_key(request)
    body = cache.get(key)
    if body is None:
        body = render_to_string(
            "congress/partials/dashboard_body.html", _context(request, printing=printing)
        )
        cache.set(key, body, CACHE_SECONDS)
    return render(
        request,
        "congress/dashboard.html",
        {"body": mark_safe(body), "printing": printing},  # noqa: S308
    )


def _labels() -> dict[str, str]:
    """The ratio names, the age tiers named by the bounds of the current rule set: the same
    naming as on a list's page and in the documents."""
    params = latest_ruleset().data.get("params", {})
    return ratio_labels(
        young_below=params.get("young_age_below"),
        low=params.get("tier_low_below"),
        high=params.get("tier_high_above"),
    )


def _term(request) -> str:
    congress = dashboard_congress(request.user, request.GET)
    return congress.term.code if congress else request.GET.get("nhiem-ky", "")


def _context(request, *, printing: bool = False) -> dict:
    qs, sort = dashboard_rows(request.user, request.GET)
    summary = qs.aggregate(
        units=Count("id"),
        members=Sum("member_count"),
        errors=Sum("error_count"),
        with_errors=Count("id", filter=Q(error_count__gt=0)),
        **{f"miss_{k}": Count("id", filter=Q(missed__contains=f"|{k}|")) for k, _ in TARGETS},
    )
    paginator = Paginator(qs.select_related("unit"), ALL_ROWS if printing else PAGE_SIZE)
    paginator.count = summary["units"]  # already counted by the aggregate: spare a query
    page = paginator.get_page(request.GET.get("trang"))
    term = _term(request)
    states = lists_by_unit(request.user, [s.unit_id for s in page.object_list], term)
    rows = [{"snap": s, "lists": states.get(s.unit_id, [])} for s in page.object_list]
    query = request.GET.copy()
    query.pop("trang", None)
    sort_query = query.copy()
    sort_query.pop("sap-xep", None)
    labels = _labels()
    targets = [(k, labels.get(k, label)) for k, label in TARGETS]
    return {
        "rows": rows,
        "page": page,
        "printing": printing,
        "summary": summary,
        "misses": [(k, label, summary[f"miss_{k}"]) for k, label in targets],
        "targets": targets,
        "labels": labels,
        "levels": Level.choices,
        "states": ListState.choices,
        "terms": terms(),
        "term": term,
        "congress": dashboard_congress(request.user, request.GET),
        "congresses": dashboard_congress_choices(request.user),
        "params": request.GET,
        "sort": sort,
        "query": query.urlencode(),
        "sort_query": sort_query.urlencode(),
        "kind_labels": KIND_LABELS,
        "request": request,
    }


def _pct(ratios: dict, key: str):
    r = (ratios or {}).get(key)
    return r.get("percent") if r else None


def _export(request) -> HttpResponse:
    """Every filtered row (not only the page shown) as an Excel sheet."""
    qs, _sort = dashboard_rows(request.user, request.GET)
    snaps = list(qs.select_related("unit")[:ALL_ROWS])
    states = lists_by_unit(request.user, [s.unit_id for s in snaps], _term(request))
    labels = _labels()
    keys = [
        "female",
        "young",
        "ethnic_minority",
        "renewal",
        "age_tier_low",
        "age_tier_mid",
        "age_tier_high",
    ]
    header = [
        "Đơn vị",
        "Mã",
        "Cấp",
        "Danh sách",
        "Số người",
        *[f"{labels[k]} (%)" for k in keys],
        "Chưa đạt chỉ tiêu",
        "Lỗi",
        "Cảnh báo",
    ]
    state_names = dict(ListState.choices)
    rows = []
    for s in snaps:
        lists = "; ".join(
            f"{KIND_LABELS.get(row['body__kind'], row['body__kind'])}: "
            f"{state_names.get(row['state'], row['state'])}"
            for row in states.get(s.unit_id, [])
        )
        missed = [labels.get(k, k) for k in s.missed.strip("|").split("|") if k]
        rows.append(
            [
                s.unit.name,
                s.unit.code,
                s.unit.get_level_display(),
                lists,
                s.member_count,
                *[_pct(s.ratios, k) for k in keys],
                ", ".join(missed),
                s.error_count,
                s.warning_count,
            ]
        )
    body = sheets.workbook(
        [sheets.Sheet("Bảng theo dõi", header, rows, widths=(36, 14, 12, 30, 9))]
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return HttpResponse(
        body,
        content_type=sheets.XLSX,
        headers={"Content-Disposition": f'attachment; filename="bang-theo-doi-{stamp}.xlsx"'},
    )
