"""What the vetting app adds to the registry's cadre page: the outcome of each case (every
role that sees the cadre), the link to open one (vetting officers), and the case's audit
rows in the cadre's history."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from personnel import hooks, policy
from personnel.policy import Kind
from personnel.views.archive import archived_rows
from vetting.selectors import cases_visible_to


@hooks.cadre_panels.register
def cadre_vetting(request, cadre) -> hooks.Panel:
    cases = list(
        cases_visible_to(request.user)
        .filter(cadre=cadre)
        .select_related("term")
        .order_by("-requested_at")
    )
    return hooks.Panel(
        "vetting/panels/cadre.html",
        {
            "cases": cases,
            "cadre": cadre,
            "can_read": policy.allows(request.user, Kind.VETTING_CASE, "view_items", cadre.unit),
            "can_open": policy.allows(request.user, Kind.VETTING_CASE, "edit", cadre.unit),
            # A vetting officer is never told that only vetting officers may read.
            "is_officer": policy.any_reach(request.user, Kind.VETTING_CASE, "view_items"),
        },
        order=10,
    )


@hooks.cadre_history.register
def cadre_vetting_history(cadre) -> Q | None:
    ids = [str(pk) for pk in cadre.vetting_cases.values_list("pk", flat=True)]
    return Q(object_type="vetting.vettingcase", object_id__in=ids) if ids else None


@hooks.archived_sections.register
def archived_cases(user):
    return (
        "Hồ sơ thẩm tra chính trị",
        archived_rows(
            cases_visible_to(user, "restore", archived=True).select_related("cadre__unit"),
            detail=lambda c: reverse("vetting:case_detail", args=[c.pk]),
            restore_url=lambda c: reverse("vetting:case_restore", args=[c.pk]),
            label=lambda c: f"{c} — {c.cadre.unit.name}",
        ),
    )
