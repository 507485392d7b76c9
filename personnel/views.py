from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from personnel.models import Level
from personnel.selectors import cadre_search, cadres_visible_to, units_visible_to

PAGE_SIZE = 50


@login_required
@require_GET
def unit_tree(request):
    """The units in the user's scope, as an indented tree, with a search box."""
    qs = units_visible_to(request.user).only("code", "name", "level", "depth", "path", "is_active")
    text = request.GET.get("q", "").strip()
    level = request.GET.get("level", "")
    if text:
        qs = qs.filter(name__icontains=text) | qs.filter(code__iexact=text)
    if level in Level.values:
        qs = qs.filter(level=level)
    page = Paginator(qs.order_by("path"), 200).get_page(request.GET.get("page"))
    min_depth = min((u.depth for u in page.object_list), default=0)
    template = "personnel/partials/unit_rows.html" if request.htmx else "personnel/unit_tree.html"
    return render(
        request,
        template,
        {"page": page, "q": text, "level": level, "levels": Level.choices, "min_depth": min_depth},
    )


@login_required
@require_GET
def unit_detail(request, code):
    unit = get_object_or_404(units_visible_to(request.user), code=code)
    children = units_visible_to(request.user).filter(parent=unit).order_by("code")
    cadres = cadres_visible_to(request.user).filter(unit=unit).select_related("unit")
    page = Paginator(cadres, PAGE_SIZE).get_page(request.GET.get("page"))
    from congress.selectors import lists_visible_to
    from congress.services.committee import committee_evaluation

    lists = (
        lists_visible_to(request.user)
        .filter(body__congress__unit=unit)
        .select_related("body__congress__term")
        .order_by("-body__congress__term__start", "body__kind")
    )
    return render(
        request,
        "personnel/unit_detail.html",
        {
            "unit": unit,
            "children": children,
            "page": page,
            "ancestors": unit.ancestors(),
            "lists": lists,
            "committee": committee_evaluation(unit) if page.number == 1 else None,
        },
    )


@login_required
@require_GET
def cadre_list(request):
    text = request.GET.get("q", "")
    qs = cadre_search(cadres_visible_to(request.user), text).select_related("unit")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "personnel/partials/cadre_rows.html" if request.htmx else "personnel/cadre_list.html"
    return render(request, template, {"page": page, "q": text})


@login_required
@require_GET
def cadre_detail(request, pk):
    cadre = get_object_or_404(cadres_visible_to(request.user).select_related("unit"), pk=pk)
    tenures = cadre.tenures.select_related("post", "unit").order_by("start")
    from django.db.models import Q

    from congress.models import AuditLog
    from personnel.models import PlanningEntry
    from vetting.models import VettingCase

    cases = list(
        VettingCase.objects.filter(cadre=cadre).select_related("congress").order_by("-requested_at")
    )
    history = (
        AuditLog.objects.filter(
            Q(object_type="personnel.cadre", object_id=str(cadre.pk))
            | Q(object_type="vetting.vettingcase", object_id__in=[str(c.pk) for c in cases])
            | Q(after__cadre=cadre.pk)
            | Q(before__cadre=cadre.pk)
        )
        .select_related("actor")
        .order_by("-at")[:50]
    )
    return render(
        request,
        "personnel/cadre_detail.html",
        {
            "cadre": cadre,
            "tenures": tenures,
            "memberships": cadre.memberships.select_related("unit", "term").order_by("term__start"),
            "ratings": cadre.ratings.all(),
            "achievements": cadre.achievements.all(),
            "disciplines": cadre.disciplines.all(),
            "relations": cadre.relations.select_related("relative"),
            "trainings": cadre.trainings.all(),
            "vetting_cases": cases,
            "planning": PlanningEntry.objects.filter(cadre=cadre)
            .select_related("post", "planning_list__unit", "planning_list__term")
            .order_by("-since"),
            "history": history,
        },
    )
