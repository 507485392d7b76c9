from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from congress.models import RecomputeJob, StructureSnapshot
from congress.services.structure import recompute_structure
from personnel.models import Cadre
from tests.congress.builders import committee, communes

pytestmark = pytest.mark.django_db


def snapshot(unit):
    return StructureSnapshot.objects.get(unit=unit, slot="committee")


def test_committee_ratios_are_counted_from_the_registry(province, commune):
    committee(commune, women=1, men=9)
    recompute_structure(root=province)
    snap = snapshot(commune)
    assert snap.member_count == 10
    assert snap.ratios["female"]["count"] == 1
    assert snap.ratios["female"]["ok"] is False
    assert "female" in snap.missed_targets
    assert snap.finding_counts.get("FEMALE_RATIO:warning") == 1
    # A sitting committee has no surplus to judge.
    assert not any(k.startswith("SURPLUS") for k in snap.finding_counts)


def test_province_rolls_up_its_communes(province):
    a, b, c = communes(province, 3)
    committee(a, women=1, men=9)
    committee(b, women=4, men=6)
    committee(c, women=0, men=10)
    committee(province, women=3, men=12)
    recompute_structure(root=province)
    roll = snapshot(province).rollup
    assert roll["units"] == 4
    assert roll["members"] == 45
    assert roll["counts"]["female"] == 8
    assert roll["missing"]["female"] == 2  # a and c miss the 15 % target


def test_query_count_does_not_grow_with_the_number_of_units(province):
    few = communes(province, 2)
    for u in few:
        committee(u, women=2, men=5)
    with CaptureQueriesContext(connection) as small:
        recompute_structure(root=province)
    StructureSnapshot.objects.all().delete()
    more = communes(province, 10, start=2)
    for u in more:
        committee(u, women=2, men=5)
    with CaptureQueriesContext(connection) as large:
        recompute_structure(root=province)
    assert len(large.captured_queries) == len(small.captured_queries)
    assert len(large.captured_queries) <= 25


def test_rerun_on_unchanged_data_writes_nothing(province, commune):
    committee(commune, women=2, men=5)
    first = recompute_structure(root=province)
    stamp = snapshot(commune).computed_at
    second = recompute_structure(root=province)
    assert first["written"] >= 1
    assert second["written"] == 0
    assert snapshot(commune).computed_at == stamp


def test_an_edit_recomputes_after_commit(province, commune, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        people = committee(commune, women=0, men=7)
    assert snapshot(commune).ratios["female"]["count"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        person = people[0]
        person.sex = "female"
        person.save()
    assert snapshot(commune).ratios["female"]["count"] == 1


def test_many_edits_in_one_transaction_enqueue_one_recompute(
    province, commune, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        committee(commune, women=1, men=30)
    RecomputeJob.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            for c in Cadre.objects.filter(unit=commune):
                c.hometown = "Hà Tĩnh"
                c.save()
    # One announcement of the changed units, then one job handed to the worker.
    assert [cb.__name__ for cb in callbacks][0] == "_flush"
    assert sum(cb.__name__ == "_flush" for cb in callbacks) == 1
    assert RecomputeJob.objects.count() == 1
    assert RecomputeJob.objects.get().status == "done"


def test_rolled_back_edit_enqueues_nothing(province, commune, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        people = committee(commune, women=1, men=3)
    RecomputeJob.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                people[0].save()
                raise RuntimeError("boom")
        except RuntimeError:
            pass
    assert callbacks == []
    assert RecomputeJob.objects.count() == 0


def test_duplicate_delivery_of_a_job_changes_nothing(province, commune):
    from congress.tasks import recompute_structure_task

    committee(commune, women=1, men=3)
    job = RecomputeJob.objects.create(root=province)
    recompute_structure_task(job.pk)
    stamp = snapshot(commune).computed_at
    again = recompute_structure_task(job.pk)
    assert again == {"skipped": True}
    assert snapshot(commune).computed_at == stamp


def test_command_recomputes_a_subtree(province, commune, other_commune, capsys):
    committee(commune, women=2, men=5)
    committee(other_commune, women=2, men=5)
    call_command("recompute_structure", "--unit", "X01", "--sync")
    assert StructureSnapshot.objects.filter(unit=commune).exists()
    assert not StructureSnapshot.objects.filter(unit=other_commune).exists()
    assert "Đã tính" in capsys.readouterr().out


def test_command_refuses_unknown_unit(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Không tìm thấy đơn vị"):
        call_command("recompute_structure", "--unit", "KHONG-CO", "--sync")


def test_young_ratio_uses_the_rule_sets_age(province, commune):
    committee(commune, women=2, men=5, born=1995)
    recompute_structure(root=province)
    assert snapshot(commune).ratios["young"]["count"] == 7
    assert date.today().year - 1995 < 40


def test_a_units_own_ethnic_target_is_applied(province, commune):
    from decimal import Decimal

    commune.ethnic_target_percent = Decimal("20")
    commune.save()
    committee(commune, women=2, men=5)  # everybody Kinh
    recompute_structure(root=province)
    ratio = snapshot(commune).ratios["ethnic_minority"]
    assert ratio["target"] == ">= 20" and ratio["ok"] is False
    assert "ethnic_minority" in snapshot(commune).missed_targets


def _rollups():
    return {
        s.unit_id: s.rollup
        for s in StructureSnapshot.objects.filter(slot="committee").order_by("unit_id")
    }


def test_an_edit_updates_the_rollups_along_its_path_only(province):
    from personnel.models import CommitteeMembership, Term
    from tests.factories import CadreFactory, UnitFactory

    a, b = communes(province, 2)
    cells = [
        UnitFactory(code=f"CS{i}", name=f"Chi bộ {i}", level="grassroots", parent=a)
        for i in range(2)
    ]
    makeup = [(3, 12), (1, 9), (4, 6), (0, 5), (2, 3)]
    for unit, (women, men) in zip([province, a, b, *cells], makeup, strict=True):
        committee(unit, women=women, men=men)
    recompute_structure(root=province)
    before = _rollups()

    # One woman joins the committee of one grassroots unit under commune a.
    woman = CadreFactory(unit=cells[0], sex="female", full_name="Nữ Ủy viên Mới")
    CommitteeMembership.objects.create(
        cadre=woman, unit=cells[0], term=Term.objects.get(code="2025-2030"), body="executive"
    )
    with CaptureQueriesContext(connection) as edit:
        stats = recompute_structure(unit_ids=[cells[0].pk])
    # The unit's snapshot is rewritten, and the totals of the units on its path only; the
    # snapshots of the whole tree are not read again (no prefix query on the paths).
    assert stats["written"] == 1
    incremental = _rollups()
    changed = {uid for uid in before if before[uid] != incremental[uid]}
    assert changed == {cells[0].pk, a.pk, province.pk}
    assert not any(
        "structuresnapshot" in q["sql"] and "LIKE" in q["sql"].upper()
        for q in edit.captured_queries
    )
    assert incremental[province.pk]["counts"]["female"] == 3 + 1 + 4 + 0 + 2 + 1
    assert incremental[a.pk]["members"] == 10 + 5 + 5 + 1

    # The same totals as summing everything again.
    StructureSnapshot.objects.all().delete()
    recompute_structure(root=province)
    assert _rollups() == incremental


def test_each_list_is_judged_by_its_own_congresss_rule_set(province):
    """Most lists follow the latest rule set, which the recompute reads once; a congress
    pinned to another one (an earlier regulation) keeps it in its list's snapshot."""
    from congress.models import Nominee
    from personnel.services.ruleset_versions import latest_ruleset
    from tests.congress.builders import congress_with_list, eligible_people

    latest = latest_ruleset()
    older = latest_ruleset("CT35-2019")
    assert older.pk != latest.pk
    pinned_unit, current_unit = communes(province, 2)
    pinned, current = congress_with_list(pinned_unit), congress_with_list(current_unit)
    pinned.body.congress.ruleset = older
    pinned.body.congress.save(update_fields=["ruleset"])
    for nominee_list, unit in ((pinned, pinned_unit), (current, current_unit)):
        for order, cadre in enumerate(
            eligible_people(unit, 5, congress=nominee_list.body.congress)
        ):
            Nominee.objects.create(nominee_list=nominee_list, cadre=cadre, order=order)
    recompute_structure(root=province)
    by_list = {
        s.nominee_list_id: (s.ruleset_code, s.ruleset_version)
        for s in StructureSnapshot.objects.filter(nominee_list__isnull=False)
    }
    assert by_list == {
        pinned.pk: (older.code, older.version),
        current.pk: (latest.code, latest.version),
    }
