from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.http import require_GET

from congress import selectors
from congress.models import ListState
from congress.reports import charts
from personnel import policy
from personnel.models import Role
from personnel.policy import Kind, open_view, public_view
from personnel.selectors import units_visible_to
from vetting.models import Conclusion
from vetting.selectors import cases_visible_to

STATE_COLOURS = {
    "draft": "#9aa5b8",
    "submitted": "#1849a9",
    "returned": "#c77c02",
    "approved": "#2f6f3e",
    "locked": "#14532d",
}


@require_GET
@public_view
def health(request):
    """A fixed answer: the load balancer's probe and the benchmark's floor."""
    return HttpResponse("ok", content_type="text/plain")


@require_GET
@public_view
def favicon(request):
    """Browsers and PDF viewers ask /favicon.ico whatever the page says."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


@require_GET
@open_view
def home(request):
    """What each role needs first: a secretary their unit's lists and what is missing;
    board staff the lists waiting for them and their scope's figures; vetting officers the
    cases still without a conclusion."""
    user = request.user
    grants = policy.grants_of(user)
    ctx = {"grants": grants}
    own_units = [g.unit_id for g in grants if g.role == Role.SECRETARY]
    if own_units:
        ctx["own_lists"] = selectors.own_unit_lists(user, own_units)
        ctx["list_errors"] = selectors.list_snapshots(ctx["own_lists"])
    if policy.any_reach(user, Kind.NOMINEE_LIST, "review"):
        ctx["to_review"] = selectors.lists_to_review(user)[:20]
    if grants or user.is_superuser:
        ctx["scope"] = selectors.scope_figures(user)
        counts = selectors.list_state_counts(user)
        ctx["list_states"] = [(ListState(k).label, n) for k, n in sorted(counts.items())]
        ctx["progress_svg"] = charts.progress_bar(
            [(ListState(k).label, counts.get(k, 0), STATE_COLOURS[k]) for k in ListState.values],
            title="Tiến độ danh sách nhân sự trong phạm vi",
        )
    if policy.any_reach(user, Kind.VETTING_CASE, "edit") and not user.is_superuser:
        ctx["pending_cases"] = (
            cases_visible_to(user, "edit").filter(conclusion=Conclusion.PENDING).count()
        )
        ctx["to_vet"] = selectors.nominees_without_vetting(user)
    roots = units_visible_to(user).filter(pk__in=[g.unit_id for g in grants])
    if user.is_superuser and not grants:
        roots = units_visible_to(user).filter(parent__isnull=True)
    ctx["root_units"] = roots
    return render(request, "congress/home.html", ctx)
