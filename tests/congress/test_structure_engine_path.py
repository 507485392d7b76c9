"""The structure recompute hands the engine its candidates in the engine's own form
(`engine_candidate`, `evaluate_candidates`) instead of slate documents it would parse again.
On the demo data, every verdict it stores must be the one the documents give through
`parse_slate` (`evaluate_body`), which the pages and the documents use."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from congress.engine import (
    ELECTION_ONLY_CODES,
    committee_candidates,
    engine_candidate,
    evaluate_body,
    load_candidate_sets,
    unit_overrides,
)
from congress.models import Nominee, NomineeList, StructureSnapshot
from congress.rules.people import person_key
from congress.rules.rulesets import ruleset_from_dict
from congress.rules.slate import parse_slate
from congress.services.structure import _summary, current_terms, recompute_structure
from personnel.models import Body, CommitteeMembership, PartyUnit
from personnel.services.ruleset_versions import engine_ruleset, latest_ruleset

pytestmark = pytest.mark.django_db

COMPARED = ("ratios", "finding_counts", "error_count", "warning_count", "missed_targets")


@pytest.fixture
def demo(db):
    call_command("seed_demo", scale="tiny", verbosity=0)
    root = PartyUnit.objects.get(parent__isnull=True, level="province")
    StructureSnapshot.objects.all().delete()
    recompute_structure(root=root)
    return root


def _people_of_the_tree():
    current, previous = current_terms()
    members: dict[int, list[int]] = {}
    incumbents: dict[int, list[int]] = {}
    for uid, cid, term_id in CommitteeMembership.objects.filter(
        term_id__in=[current.pk, previous.pk], body=Body.EXECUTIVE
    ).values_list("unit_id", "cadre_id", "term_id"):
        (members if term_id == current.pk else incumbents).setdefault(uid, []).append(cid)
    nominee_ids = set(Nominee.objects.values_list("cadre_id", flat=True))
    member_ids = {c for ids in members.values() for c in ids}
    (people, nominee_people), posts = load_candidate_sets(
        [member_ids, nominee_ids], ref_year=timezone.localdate().year
    )
    return members, incumbents, people, nominee_people, posts


def test_every_person_in_the_engines_form_is_what_parse_slate_makes_of_their_document(demo):
    members, incumbents, people, nominee_people, posts = _people_of_the_tree()
    ruleset = engine_ruleset(latest_ruleset())
    docs = list(people.values()) + list(nominee_people.values())
    assert len(docs) > 50
    assert any(d["relatives"] for d in docs) and any(d["tenures"] for d in docs)
    parsed = parse_slate(
        {
            "ruleset": ruleset.code,
            "body": {"level": "commune", "kind": "executive", "seats": 1},
            "reference_date": "2100-01-01",
            "candidates": [dict(d, proposed_posts=["member"]) for d in people.values()],
        },
        rulesets={ruleset.code: ruleset},
    )
    ours = [engine_candidate(dict(d, proposed_posts=["member"])) for d in people.values()]
    assert list(parsed.candidates) == ours


def test_every_stored_verdict_is_the_one_the_slate_documents_give(demo):
    members, incumbents, people, nominee_people, posts = _people_of_the_tree()
    ruleset = engine_ruleset(latest_ruleset())
    units = {u.pk: u for u in PartyUnit.objects.all()}
    snapshots = list(StructureSnapshot.objects.all())
    assert sum(1 for s in snapshots if s.member_count and s.slot == "committee") >= 3
    assert sum(1 for s in snapshots if s.slot.startswith("list:")) >= 3
    lists = {
        nl.pk: nl for nl in NomineeList.objects.select_related("body__congress__ruleset").all()
    }
    for snap in snapshots:
        unit = units[snap.unit_id]
        inc = [person_key(c) for c in sorted(incumbents.get(unit.pk, []))]
        if snap.slot == "committee":
            candidates = committee_candidates(members.get(unit.pk, ()), people, posts, unit.pk)
            if not candidates:
                assert snap.member_count == 0
                continue
            expected = _summary(
                evaluate_body(
                    ruleset=ruleset,
                    level=unit.level,
                    kind="executive",
                    seats=len(candidates),
                    unit_code=unit.code,
                    candidates=candidates,
                    incumbents=inc,
                    formed_from=max(1, unit.predecessors.count()),
                    overrides=unit_overrides(unit.ethnic_target_percent),
                ),
                ELECTION_ONLY_CODES,
            )
        else:
            nl = lists[snap.nominee_list_id]
            candidates = [
                dict(nominee_people[n.cadre_id], proposed_posts=list(n.proposed_posts or []))
                for n in Nominee.objects.filter(nominee_list=nl).order_by("pk")
            ]
            expected = _summary(
                evaluate_body(
                    ruleset=ruleset_from_dict(nl.body.congress.ruleset.data),
                    level=unit.level,
                    kind=nl.body.kind,
                    seats=nl.body.seats,
                    unit_code=unit.code,
                    candidates=candidates,
                    incumbents=inc,
                    formed_from=max(1, unit.predecessors.count()),
                    overrides=unit_overrides(unit.ethnic_target_percent),
                )
            )
        got = {k: getattr(snap, k) for k in COMPARED}
        assert got == {k: expected[k] for k in COMPARED}, (unit.code, snap.slot)
