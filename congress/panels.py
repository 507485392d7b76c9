"""What the congress app adds to the pages of the layers below it, through their hooks:
the unit page's nominee lists and sitting committee (personnel), and the nominee lists a
planned person can be added to (planning)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse

from congress.models import Congress, ListState
from congress.reports.data import ratio_rows
from congress.selectors import list_for, lists_visible_to
from congress.services.committee import committee_evaluation
from congress.services.lists import nominee_add
from personnel import hooks, policy
from personnel.inputs import id_from
from personnel.policy import Kind
from personnel.services.ruleset_versions import latest_ruleset
from personnel.views.archive import archived_rows
from planning import hooks as planning_hooks

TARGET_PREFIX = "nominee_list:"


@hooks.unit_panels.register
def unit_lists(request, unit, page_number: int) -> hooks.Panel | None:
    lists = (
        lists_visible_to(request.user)
        .filter(body__congress__unit=unit)
        .select_related("body__congress__term")
        .order_by("-body__congress__term__start", "body__kind")
    )
    return hooks.Panel("congress/panels/unit_lists.html", {"lists": lists}, order=10)


@hooks.unit_panels.register
def unit_committee(request, unit, page_number: int) -> hooks.Panel | None:
    if page_number != 1:
        return None
    committee = committee_evaluation(unit)
    ratios = []
    if committee is not None:
        # The tiers named by the bounds of the rule set that computed them, as everywhere.
        ratios = ratio_rows(committee, latest_ruleset().data.get("params", {}))
    return hooks.Panel(
        "congress/panels/unit_committee.html",
        {"committee": committee, "ratios": ratios},
        order=20,
    )


def _editable_lists(user, planning_list):
    return (
        lists_visible_to(user, "edit")
        .filter(
            body__congress__unit=planning_list.unit,
            state__in=(ListState.DRAFT, ListState.RETURNED),
        )
        .select_related("body__congress")
    )


@planning_hooks.use_targets.register
def nominee_list_targets(planning_list, user) -> list[tuple[str, str]]:
    return [(f"{TARGET_PREFIX}{nl.pk}", str(nl)) for nl in _editable_lists(user, planning_list)]


@planning_hooks.entry_used.register
def add_planned_person(*, entry, planning_list, target: str, user):
    """Add a planned person to a nominee list of the plan's unit, with the planned post.
    The nominee-list service checks the user's right on the list, that it is still
    editable, duplicates, bumps its revision and writes its audit row."""
    if not target.startswith(TARGET_PREFIX):
        return None
    pk = id_from(target.removeprefix(TARGET_PREFIX))
    if pk is None:
        raise ValidationError("Danh sách nhân sự không hợp lệ.")
    nominee_list = list_for(user, pk, "edit")
    if nominee_list.body.congress.unit_id != planning_list.unit_id:
        raise ValidationError("Danh sách nhân sự không thuộc đơn vị của quy hoạch.")
    nominee = nominee_add(
        nominee_list=nominee_list,
        cadre=entry.cadre,
        user=user,
        proposed_posts=[entry.post.code],
        notes=f"Từ quy hoạch nhiệm kỳ {planning_list.term}: {entry.post.name}",
    )
    return nominee, str(nominee_list)


@hooks.archived_sections.register
def archived_congresses(user):
    return (
        "Đại hội",
        archived_rows(
            policy.scoped(
                user, Kind.CONGRESS, "restore", Congress.objects.archived()
            ).select_related("unit"),
            detail=lambda c: reverse("lists:index"),
            restore_url=lambda c: reverse("lists:congress_restore", args=[c.pk]),
            label=lambda c: f"{c.title} — {c.unit.name}",
        ),
    )


@hooks.archived_sections.register
def archived_lists(user):
    return (
        "Danh sách nhân sự",
        archived_rows(
            lists_visible_to(user, "restore", archived=None)
            .archived()
            .select_related("body__congress__unit"),
            detail=lambda nl: reverse("lists:detail", args=[nl.pk]),
            restore_url=lambda nl: reverse("lists:restore", args=[nl.pk]),
            label=lambda nl: f"{nl} — {nl.body.congress.unit.name}",
        ),
    )
