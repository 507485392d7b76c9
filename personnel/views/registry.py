"""The registry's pages: the unit tree, a unit, the cadre list, a cadre. Sections that other
apps know about (lists, vetting, planning) come from the panels they register in
`personnel.hooks`."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from personnel import hooks, policy, selectors
from personnel.models import AccessKind, Level
from personnel.policy import Kind, requires
from personnel.services.dossier import dossier_access_record

PAGE_SIZE = 50


@require_GET
@requires(Kind.UNIT, "view", listing=True)
def unit_tree(request):
    """The units in the user's scope, as an indented tree, with a search box."""
    qs = selectors.units_visible_to(request.user).only(
        "code", "name", "level", "depth", "path", "is_active"
    )
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


@require_GET
@requires(Kind.UNIT, "view")
def unit_detail(request, code):
    unit = selectors.unit_for(request.user, code)
    cadres = selectors.cadres_visible_to(request.user).filter(unit=unit).select_related("unit")
    page = Paginator(cadres, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "personnel/unit_detail.html",
        {
            "unit": unit,
            "children": selectors.unit_children(request.user, unit),
            "page": page,
            "ancestors": selectors.units_visible_to(request.user).filter(
                pk__in=unit.ancestor_ids(include_self=False)
            ),
            "panels": hooks.panels(hooks.unit_panels, request, unit, page.number),
            "can_archive": policy.allows(request.user, Kind.UNIT, "archive", unit),
            "can_restore": policy.allows(request.user, Kind.UNIT, "restore", unit),
        },
    )


@require_GET
@requires(Kind.CADRE, "view", listing=True)
def cadre_list(request):
    text = request.GET.get("q", "")
    qs = selectors.cadre_search(selectors.cadres_visible_to(request.user), text)
    page = Paginator(qs.select_related("unit"), PAGE_SIZE).get_page(request.GET.get("page"))
    template = "personnel/partials/cadre_rows.html" if request.htmx else "personnel/cadre_list.html"
    return render(request, template, {"page": page, "q": text})


@require_GET
@requires(Kind.CADRE, "view")
def cadre_detail(request, pk):
    cadre = selectors.cadre_for(request.user, pk)
    # The dossier holds sensitive personal data: who opened it is logged before it is shown.
    dossier_access_record(user=request.user, kind=AccessKind.PAGE, cadres=[cadre])
    user = request.user
    return render(
        request,
        "personnel/cadre_detail.html",
        {
            "cadre": cadre,
            "tenures": cadre.tenures.select_related("post", "unit").order_by("start"),
            "memberships": cadre.memberships.select_related("unit", "term").order_by("term__start"),
            "ratings": cadre.ratings.all(),
            "achievements": cadre.achievements.all(),
            "disciplines": cadre.disciplines.all(),
            "relations": cadre.relations.select_related("relative"),
            "trainings": cadre.trainings.all(),
            "panels": hooks.panels(hooks.cadre_panels, request, cadre),
            "history": selectors.cadre_history(cadre, extra=hooks.history_q(cadre))[:50],
            "can_archive": policy.allows(user, Kind.CADRE, "archive", cadre.unit),
            "can_restore": policy.allows(user, Kind.CADRE, "restore", cadre.unit),
            "can_see_access_log": policy.allows(user, Kind.CADRE, "view_access_log", cadre.unit),
        },
    )


@require_GET
@requires(Kind.CADRE, "view_access_log")
def cadre_access_log(request, pk):
    """Who opened this dossier, downloaded its résumé or exported it, and the documents of
    the cadre's unit (or a unit above) that were downloaded, which may hold it."""
    cadre = selectors.cadre_for(request.user, pk, "view_access_log")
    page = Paginator(selectors.dossier_accesses(cadre), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "personnel/cadre_access_log.html",
        {
            "cadre": cadre,
            "page": page,
            "unit_documents": selectors.unit_document_accesses(cadre)[:PAGE_SIZE],
        },
    )
