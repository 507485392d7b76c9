"""What planning adds to the registry's cadre page: the plans the cadre is in, as far as
the user sees those plans."""

from __future__ import annotations

from personnel import hooks
from planning.models import PlanningEntry
from planning.selectors import planning_lists_visible_to


@hooks.cadre_panels.register
def cadre_planning(request, cadre) -> hooks.Panel:
    entries = (
        PlanningEntry.objects.filter(
            cadre=cadre, planning_list__in=planning_lists_visible_to(request.user)
        )
        .select_related("post", "planning_list__unit", "planning_list__term")
        .order_by("-since")
    )
    return hooks.Panel("planning/panels/cadre.html", {"entries": entries}, order=20)
