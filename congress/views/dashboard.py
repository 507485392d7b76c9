"""The board's dashboard: every unit in scope as a row, coloured against the targets."""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from congress.models import ListState
from congress.selectors import TARGETS, dashboard_rows, data_version, lists_by_unit
from personnel.models import Level
from personnel.policy import Kind, grants_of, requires

PAGE_SIZE = 50
CACHE_SECONDS = 600


def _cache_key(request) -> str:
    scope = ";".join(f"{g.role}@{g.path}" for g in grants_of(request.user))
    raw = f"{request.user.pk}|{request.user.is_superuser}|{scope}|{request.GET.urlencode()}"
    raw += "|" + data_version()
    return "dashboard:" + hashlib.sha256(raw.encode()).hexdigest()


@require_GET
@requires(Kind.STRUCTURE, "view", listing=True)
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
    states = lists_by_unit(request.user, [s.unit_id for s in page.object_list])
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
