"""The sitting committee of one unit judged by the engine, with names: the drill-down from
the dashboard's figures to the people behind each finding."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from congress.engine import (
    ELECTION_ONLY_CODES,
    committee_candidates,
    current_posts_by_cadre,
    evaluate_committee,
    load_candidates,
)
from congress.services.structure import current_terms
from personnel.models import Body, Cadre, CommitteeMembership, PartyUnit
from personnel.services.ruleset_versions import engine_ruleset, latest_ruleset


def committee_evaluation(unit: PartyUnit) -> dict[str, Any] | None:
    """None when the unit has no executive committee in the current term."""
    current, previous = current_terms()
    if current is None:
        return None
    members = Cadre.objects.filter(
        memberships__unit=unit, memberships__term=current, memberships__body=Body.EXECUTIVE
    ).distinct()
    people = load_candidates(members, ref_year=timezone.localdate().year)
    if not people:
        return None
    posts = current_posts_by_cadre(members, {unit.pk})
    candidates = committee_candidates(people, people, posts, unit.pk)
    incumbents = []
    if previous:
        incumbents = CommitteeMembership.objects.filter(
            unit=unit, term=previous, body=Body.EXECUTIVE
        ).values_list("cadre_id", flat=True)
    result = evaluate_committee(
        ruleset=engine_ruleset(latest_ruleset()),
        level=unit.level,
        unit_code=unit.code,
        ethnic_target_percent=unit.ethnic_target_percent,
        formed_from=unit.formed_from,
        candidates=candidates,
        incumbent_ids=incumbents,
    )
    names = {p["id"]: p["name"] for p in candidates}
    result["findings"] = [
        {**f, "names": [names.get(p, p) for p in f["people"]]}
        for f in result["findings"]
        if f["code"] not in ELECTION_ONLY_CODES
    ]
    result["term"] = current
    return result
