"""A large subtree is recomputed as parts the workers run side by side (issue 16): the same
snapshots and roll-ups as one job, the root's job only after every part, each part counted
once whatever the deliveries, and a lost part never leaves the root's job waiting."""

import pytest

from congress.models import RecomputeJob, StructureSnapshot
from congress.services.structure import enqueue_recompute, recompute_structure
from personnel.jobs import JobStatus, sweep_jobs
from tests.congress.builders import committee, communes

pytestmark = pytest.mark.django_db

FIELDS = ("member_count", "ratios", "finding_counts", "missed_targets", "rollup")


def snapshots(province) -> dict:
    rows = StructureSnapshot.objects.filter(unit__path__startswith=province.path, slot="committee")
    return {row["unit_id"]: {f: row[f] for f in FIELDS} for row in rows.values("unit_id", *FIELDS)}


@pytest.fixture
def tree(province, settings):
    settings.RECOMPUTE_FANOUT_UNITS = 2
    units = communes(province, 4)
    for i, unit in enumerate(units):
        committee(unit, women=i, men=8 - i)
    committee(province, women=3, men=12)
    return units


def test_parts_give_the_same_snapshots_as_one_job(
    province, tree, django_capture_on_commit_callbacks
):
    recompute_structure(root=province)
    whole = snapshots(province)
    StructureSnapshot.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        job = enqueue_recompute(root=province)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    # Runs of child subtrees of at least RECOMPUTE_FANOUT_UNITS units: two of two communes.
    assert sorted(sorted(p) for p in job.parts.values_list("unit_ids", flat=True)) == [
        sorted(u.pk for u in tree[:2]),
        sorted(u.pk for u in tree[2:]),
    ]
    assert set(job.parts.values_list("status", flat=True)) == {JobStatus.DONE}
    assert snapshots(province) == whole
    assert whole[province.pk]["rollup"]["members"] == 15 + 8 * 4


def test_parts_over_stored_snapshots_leave_the_same_totals_as_a_fresh_recompute(
    province, tree, django_capture_on_commit_callbacks
):
    recompute_structure(root=province)  # totals are stored; then a commune's committee grows
    committee(tree[0], women=5, men=0)
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_recompute(root=province)
    fanned = snapshots(province)
    StructureSnapshot.objects.all().delete()
    recompute_structure(root=province)
    assert fanned == snapshots(province)
    assert fanned[province.pk]["rollup"]["members"] == 15 + 8 * 4 + 5


def test_the_roots_job_waits_for_every_part(province, tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as sends:
        job = enqueue_recompute(root=province)
    assert len(sends) == 2  # the parts only: the root's job is not sent
    for send in sends[:-1]:
        send()
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.waiting_parts == 1
    # The sweeper does not send it either while a part is still to run: it re-sends the
    # last part (whose send never happened), whose end then sends the root's job.
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_jobs()["resent"] == 1
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert StructureSnapshot.objects.get(unit=province, slot="committee").rollup["units"] == 5


def test_a_part_delivered_twice_counts_once(province, tree, django_capture_on_commit_callbacks):
    from congress.tasks import recompute_structure_task

    with django_capture_on_commit_callbacks(execute=False):
        job = enqueue_recompute(root=province)
    first = job.parts.order_by("pk").first()
    recompute_structure_task(first.pk)
    recompute_structure_task(first.pk)  # the broker redelivers it
    job.refresh_from_db()
    assert job.waiting_parts == job.parts.count() - 1


def test_a_lost_part_fails_the_roots_job_with_a_reason(
    province, tree, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        job = enqueue_recompute(root=province)
    part = job.parts.order_by("pk").first()
    # Its worker died on every attempt: the lease ran out of attempts.
    RecomputeJob.objects.filter(pk=part.pk).update(
        status=JobStatus.FAILED, attempts=RecomputeJob.max_attempts
    )
    with django_capture_on_commit_callbacks(execute=True):
        sweep_jobs()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "chưa đầy đủ" in job.error
    assert set(job.parts.exclude(pk=part.pk).values_list("status", flat=True)) == {JobStatus.DONE}


def test_a_small_subtree_and_an_edit_stay_one_job(province, commune, settings):
    settings.RECOMPUTE_FANOUT_UNITS = 300
    committee(commune, women=2, men=5)
    job = enqueue_recompute(root=province)
    assert not job.parts.exists()
    settings.RECOMPUTE_FANOUT_UNITS = 0
    edit = enqueue_recompute(unit_ids=[commune.pk])
    assert not edit.parts.exists()


@pytest.mark.parametrize("every, reports", [(3600.0, [0]), (0.0, [0, 1, 2, 3, 4])])
def test_a_recompute_records_its_progress_at_most_once_a_while(
    province, tree, monkeypatch, every, reports
):
    """Each report is a committed write: a job that ends quickly records only its total at
    the start; a long one (here: every report due at once) records each chunk as well."""
    from congress import tasks
    from congress.services import structure

    monkeypatch.setattr(structure, "CHUNK", 1)
    monkeypatch.setattr(tasks, "PROGRESS_EVERY_S", every)
    seen = []
    monkeypatch.setattr(tasks, "job_progress", lambda job, percent, **kw: seen.append(kw))
    job = RecomputeJob.objects.create(root=province)
    tasks.recompute_structure_task(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    # Five units (the province and four communes) in chunks of one: the start, then four
    # reports before the end, or none.
    assert [kw["done"] for kw in seen] == reports
    assert {kw["total"] for kw in seen} == {5}
