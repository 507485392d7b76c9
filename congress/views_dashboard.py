"""The board's dashboard: every unit in scope as a row, coloured against the targets."""

from __future__ import annotations

import hashlib
from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from congress.models import ListState, NomineeList, StructureSnapshot
from personnel.models import Level
from personnel.scope import ALL_ROLES, grants_of, unit_q

PAGE_SIZE = 50
CACHE_SECONDS = 600
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


def data_version() -> str:
    """What the dashboard shows changes only when a snapshot is written or a list changes
    state; one cheap query tells which version of the data is current."""
    with connection.cursor() as cur:
        cur.execute(
            # Each an index lookup (congress migration 0007), whatever the number of rows.
            "SELECT (SELECT MAX(computed_at) FROM congress_structuresnapshot),"
            " (SELECT MAX(state_changed_at) FROM congress_nomineelist),"
            " (SELECT MAX(id) FROM congress_nomineelist)"
        )
        return "|".join(str(v) for v in cur.fetchone())


def _cache_key(request) -> str:
    scope = ";".join(f"{g.role}@{g.path}" for g in grants_of(request.user))
    raw = f"{request.user.pk}|{request.user.is_superuser}|{scope}|{request.GET.urlencode()}"
    raw += "|" + data_version()
    return "dashboard:" + hashlib.sha256(raw.encode()).hexdigest()


@login_required
@require_GET
def dashboard(request):
    key = _cache_key(request)
    body = cache.get(key)
    if body is None:
        body = render_to_string("congress/partials/dashboard_body.html", _context(request))
        cache.set(key, body, CACHE_SECONDS)
    return render(request, "congress/dashboard.html", {"body": mark_safe(body)})  # noqa: S308


def _context(request) -> dict:
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
    return {
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
        "request": request,
    }
