"""The board's dashboard: every unit in scope as a row, coloured against the targets."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.shortcuts import render
from django.views.decorators.http import require_GET

from congress.models import ListState, NomineeList, StructureSnapshot
from personnel.models import Level
from personnel.scope import ALL_ROLES, unit_q

PAGE_SIZE = 50
TARGETS = [
    ("female", "Nữ"),
    ("young", "Trẻ"),
    ("ethnic_minority", "Dân tộc thiểu số"),
    ("renewal", "Đổi mới"),
    ("age_tier_low", "Độ tuổi thấp"),
    ("age_tier_mid", "Độ tuổi giữa"),
]
SORTS = {
    "don-vi": ("unit__path",),
    "nu": ("female_pct", "unit__path"),
    "tre": ("young_pct", "unit__path"),
    "doi-moi": ("renewal_pct", "unit__path"),
    "loi": ("-error_count", "unit__path"),
    "canh-bao": ("-warning_count", "unit__path"),
}


def dashboard_rows(user, params):
    """The filtered, sorted snapshots of the units in the user's scope (a queryset)."""
    # Dissolved units keep their history but have no congress to prepare.
    qs = StructureSnapshot.objects.filter(is_primary=True, unit__is_active=True).filter(
        unit_q(user, ALL_ROLES, prefix="unit__")
    )
    level = params.get("cap", "")
    if level in Level.values:
        qs = qs.filter(unit__level=level)
    state = params.get("trang-thai", "")
    if state in ListState.values:
        qs = qs.filter(
            Exists(NomineeList.objects.filter(body__congress__unit=OuterRef("unit"), state=state))
        )
    miss = params.get("chua-dat", "")
    if miss in dict(TARGETS):
        qs = qs.filter(missed__contains=f"|{miss}|")
    elif miss == "bat-ky":
        qs = qs.exclude(missed="")
    if params.get("co-loi"):
        qs = qs.filter(error_count__gt=0)
    sort = params.get("sap-xep", "don-vi")
    return qs.order_by(*SORTS.get(sort, SORTS["don-vi"])), sort


@login_required
@require_GET
def dashboard(request):
    qs, sort = dashboard_rows(request.user, request.GET)
    summary = qs.aggregate(
        units=Count("id"),
        members=Sum("member_count"),
        errors=Sum("error_count"),
        with_errors=Count("id", filter=Q(error_count__gt=0)),
        **{f"miss_{k}": Count("id", filter=Q(missed__contains=f"|{k}|")) for k, _ in TARGETS},
    )
    paginator = Paginator(qs.select_related("unit"), PAGE_SIZE)
    paginator.count = summary["units"]  # already counted by the aggregate: spare a query
    page = paginator.get_page(request.GET.get("trang"))
    unit_ids = [s.unit_id for s in page.object_list]
    states = defaultdict(list)
    for row in (
        NomineeList.objects.filter(body__congress__unit_id__in=unit_ids)
        .values("id", "state", "body__kind", "body__congress__unit_id")
        .order_by("body__kind")
    ):
        states[row["body__congress__unit_id"]].append(row)
    rows = [{"snap": s, "lists": states.get(s.unit_id, [])} for s in page.object_list]
    query = request.GET.copy()
    query.pop("trang", None)
    sort_query = query.copy()
    sort_query.pop("sap-xep", None)
    return render(
        request,
        "congress/dashboard.html",
        {
            "rows": rows,
            "page": page,
            "summary": summary,
            "misses": [(k, label, summary[f"miss_{k}"]) for k, label in TARGETS],
            "targets": TARGETS,
            "levels": Level.choices,
            "states": ListState.choices,
            "params": request.GET,
            "sort": sort,
            "query": query.urlencode(),
            "sort_query": sort_query.urlencode(),
            "kind_labels": {
                "executive": "BCH",
                "standing": "BTV",
                "people_council": "HĐND",
            },
        },
    )
