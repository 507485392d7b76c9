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


def test_same_plans_whatever_primary_keys_the_units_get(db):
    """The plans follow the units' codes, not their paths: a path holds primary keys, and
    "/1000/" sorts before "/999/", so the same seed once gave other plans on a database
    whose sequences stood elsewhere (a second province, a reseeded bench database)."""
    from django.db import connection

    from personnel.demo.flush import flush_registry

    if connection.vendor != "postgresql":
        pytest.skip("moves a PostgreSQL sequence")
    plans = []
    # Ids of three digits, then ids straddling 999 / 1000 at several places in the tree.
    for start in (100, 985, 988, 991, 994, 997):
        flush_registry()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('personnel_partyunit', 'id'), %s)", [start]
            )
        seed_registry("tiny", random.Random("2025:registry"))
        seed_planning(None)
        plans.append(snapshot())
    assert all(plan == plans[0] for plan in plans)
