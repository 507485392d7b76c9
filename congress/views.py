from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, Sum
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from congress.models import ListState, StructureSnapshot
from congress.reports import charts
from congress.selectors import lists_visible_to
from personnel.models import Role
from personnel.scope import ALL_ROLES, grants_of, unit_q
from personnel.selectors import units_visible_to
from vetting.models import Conclusion, VettingCase

STATE_COLOURS = {
    "draft": "#9aa5b8",
    "submitted": "#1849a9",
    "returned": "#c77c02",
    "approved": "#2f6f3e",
    "locked": "#14532d",
}


@require_GET
def health(request):
    """A fixed answer: the load balancer's probe and the benchmark's floor."""
    return HttpResponse("ok", content_type="text/plain")


@login_required
@require_GET
def home(request):
    """What each role needs first: a secretary their unit's lists and what is missing;
    board staff the lists waiting for them and their scope's figures; vetting officers the
    cases still without a conclusion."""
    user = request.user
    grants = grants_of(user)
    roles = {g.role for g in grants}
    ctx = {"grants": grants}
    own_units = [g.unit_id for g in grants if g.role == Role.SECRETARY]
    if own_units:
        ctx["own_lists"] = (
            lists_visible_to(user)
            .filter(body__congress__unit_id__in=own_units)
            .select_related("body__congress__unit", "body__congress__term")
            .annotate(n=Count("nominees"))
            .order_by("body__congress__unit__path", "body__kind")
        )
        snaps = StructureSnapshot.objects.filter(nominee_list__in=ctx["own_lists"])
        ctx["list_errors"] = {s.nominee_list_id: s for s in snaps}
    if Role.BOARD_STAFF in roles or user.is_superuser:
        ctx["to_review"] = (
            lists_visible_to(user, "review")
            .filter(state=ListState.SUBMITTED)
            .select_related("body__congress__unit")
            .order_by("state_changed_at")[:20]
        )
    if roles or user.is_superuser:
        ctx["scope"] = StructureSnapshot.objects.filter(
            unit_q(user, ALL_ROLES, prefix="unit__"), is_primary=True
        ).aggregate(
            units=Count("id"),
            with_errors=Count("id", filter=Q(error_count__gt=0)),
            miss_female=Count("id", filter=Q(missed__contains="|female|")),
            miss_young=Count("id", filter=Q(missed__contains="|young|")),
            members=Sum("member_count"),
        )
        states = lists_visible_to(user).values("state").annotate(n=Count("id")).order_by("state")
        ctx["list_states"] = [(ListState(s["state"]).label, s["n"]) for s in states]
        counts = {s["state"]: s["n"] for s in states}
        ctx["progress_svg"] = charts.progress_bar(
            [(ListState(k).label, counts.get(k, 0), STATE_COLOURS[k]) for k in ListState.values],
            title="Tiến độ danh sách nhân sự trong phạm vi",
        )
    if Role.VETTING_OFFICER in roles:
        ctx["pending_cases"] = VettingCase.objects.filter(
            unit_q(user, {Role.VETTING_OFFICER}, prefix="cadre__unit__"),
            conclusion=Conclusion.PENDING,
        ).count()
    ctx["root_units"] = units_visible_to(user).filter(pk__in=[g.unit_id for g in grants])
    if user.is_superuser and not grants:
        ctx["root_units"] = units_visible_to(user).filter(parent__isnull=True)
    return render(request, "congress/home.html", ctx)
