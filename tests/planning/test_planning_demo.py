"""The demo plans: every unit with a committee gets one, and every kind of case shows."""

import random

import pytest

from personnel.demo.registry import seed_registry
from personnel.models import CommitteeMembership, Discipline
from planning.demo import seed_planning
from planning.models import PlanningEntry, PlanningList
from planning.selectors import planning_findings, planning_review_proposals, unjustified_errors

pytestmark = pytest.mark.django_db


def snapshot():
    return sorted(
        PlanningEntry.objects.values_list(
            "planning_list__unit__code", "cadre__code", "post__code", "since", "removed_at"
        )
    )


def test_seed_planning_creates_lists_with_each_kind_of_finding(db):
    seed_registry("tiny", random.Random("2025:registry"))
    counts = seed_planning(None)
    committees = set(
        CommitteeMembership.objects.filter(
            term__code="2025-2030", body="executive", unit__is_active=True
        ).values_list("unit_id", flat=True)
    )
    lists = list(PlanningList.objects.filter(term__code="2030-2035").select_related("unit", "term"))
    assert {pl.unit_id for pl in lists} == committees
    assert counts["planning_lists"] == len(lists)

    codes, reasons = set(), set()
    for pl in lists:
        findings = planning_findings(pl)
        codes |= {f["code"] for f in findings}
        reasons |= {p["reason"] for p in planning_review_proposals(pl)}
        if pl.state == "approved":
            assert unjustified_errors(findings) == [], pl
            assert pl.decision_number
    assert codes == {"PLAN_TOO_MANY", "PLAN_PERSON_TOO_MANY_POSTS", "PLAN_NOT_HIGHER", "PLAN_AGE"}
    assert {"used", "over_age", "disciplined", "moved_away"} <= reasons
    assert PlanningEntry.objects.filter(
        removed_at__isnull=False, removed_reason="poor_health"
    ).exists()
    assert {pl.state for pl in lists} >= {"approved", "draft"}

    # A second run adds nothing; a fresh run from the same seed gives the same plans.
    first = snapshot()
    assert seed_planning(None)["planning_lists"] == 0
    PlanningEntry.objects.all().delete()
    PlanningList.objects.all().delete()
    Discipline.objects.filter(reason__contains="rà soát quy hoạch").delete()
    seed_planning(None)
    assert snapshot() == first
