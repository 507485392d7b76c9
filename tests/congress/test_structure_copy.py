"""A large recompute writes its snapshots through COPY and one upsert, a small one through
Django's bulk insert: both leave the same rows, inserted or updated in place."""

import pytest

from congress.models import StructureSnapshot
from congress.services import structure
from congress.services.structure import recompute_structure
from tests.congress.builders import committee, communes

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def stored(province) -> dict:
    rows = StructureSnapshot.objects.filter(unit__path__startswith=province.path).values()
    return {
        (row["unit_id"], row["slot"]): {k: v for k, v in row.items() if k not in ("computed_at",)}
        for row in rows
    }


@pytest.fixture
def tree(province):
    units = communes(province, 3)
    for i, unit in enumerate(units):
        committee(unit, women=i, men=6 - i)
    committee(province, women=2, men=9)
    # A unit's own target: its ratios carry a text of their own.
    unit = units[0]
    unit.ethnic_target_percent = 12.5
    unit.save()
    return units


def test_copy_and_bulk_insert_leave_the_same_rows(province, tree, monkeypatch):
    monkeypatch.setattr(structure, "COPY_MIN_ROWS", 10**9)
    recompute_structure(root=province)
    by_insert = {
        k: {f: v for f, v in row.items() if f != "id"} for k, row in stored(province).items()
    }
    StructureSnapshot.objects.all().delete()

    monkeypatch.setattr(structure, "COPY_MIN_ROWS", 1)
    recompute_structure(root=province)
    by_copy = stored(province)
    assert {k: {f: v for f, v in row.items() if f != "id"} for k, row in by_copy.items()} == (
        by_insert
    )

    # Rows rewritten through COPY keep their ids and take every recomputed field.
    StructureSnapshot.objects.update(
        input_hash="", ratios={}, error_count=99, rollup={}, missed="x\t\\y\n", is_primary=False
    )
    recompute_structure(root=province)
    assert stored(province) == by_copy


def test_copy_writes_text_and_json_with_the_characters_its_format_escapes(province):
    awkward = "Tỷ lệ\tnữ \\ trẻ\nmới\r"
    row = StructureSnapshot(
        unit=province,
        slot="committee",
        source=StructureSnapshot.Source.COMMITTEE,
        ruleset_code=awkward,
        ratios={"female": {"target": awkward, "percent": 12.5, "ok": False}},
        missed_targets=[awkward],
        missed="",
        female_pct=None,
        rollup={},
    )
    structure._copy_upsert([row], ["ruleset_code"])
    stored_row = StructureSnapshot.objects.get(unit=province, slot="committee")
    assert stored_row.ruleset_code == awkward
    assert stored_row.ratios == {"female": {"target": awkward, "percent": 12.5, "ok": False}}
    assert stored_row.missed_targets == [awkward]
    assert (stored_row.missed, stored_row.female_pct, stored_row.is_primary) == ("", None, False)


def test_a_row_to_write_has_the_models_defaults_and_a_dict_of_its_own(province):
    """Rows are built without the model's constructor: each still gets every field's
    default, and a dict default is its own (a roll-up filled in on one row must not appear
    on the next)."""
    a = structure.SnapshotRow(unit_id=province.pk, slot="committee")
    b = structure.SnapshotRow(unit_id=province.pk, slot="list:1", member_count=3)
    model = StructureSnapshot(unit_id=province.pk, slot="committee")
    for f in StructureSnapshot._meta.concrete_fields:
        if f.primary_key or f.attname == "computed_at":
            continue
        assert getattr(a, f.attname) == getattr(model, f.attname), f.attname
    a.rollup["units"] = 1
    assert b.rollup == {} and a.ratios is not b.ratios
    assert b.member_count == 3 and a.computed_at is not None
    assert b.instance().member_count == 3


def test_rows_new_when_read_but_stored_since_are_upserted(province, commune):
    """A first computation is copied straight into the table; if another recompute stored
    one of its rows in between, the copy is refused by the unique constraint and the rows
    are upserted instead: one row per unit and slot, with the values just computed."""
    StructureSnapshot.objects.create(
        unit=province, slot="committee", source="committee", ruleset_code="old", member_count=1
    )
    rows = [
        structure.SnapshotRow(
            unit_id=unit.pk, slot="committee", source="committee", ruleset_code="new"
        )
        for unit in (province, commune)
    ]
    structure._copy_upsert(rows, ["ruleset_code", "member_count"], new=True)
    stored_rows = StructureSnapshot.objects.filter(slot="committee").order_by("unit_id")
    assert [(s.unit_id, s.ruleset_code, s.member_count) for s in stored_rows] == [
        (province.pk, "new", 0),
        (commune.pk, "new", 0),
    ]
