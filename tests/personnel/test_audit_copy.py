"""The audit rows of a large import, sent with COPY (`audit_created_copy`), say what the
rows built by the database from the cadres themselves said before (`jsonb_build_object`
over the new rows), with the same actor, unit, object and origin as any audit row."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from personnel.models import AuditLog, Cadre
from personnel.models.audit import Source
from personnel.origin import Origin, using_origin
from personnel.services.audit import audit_created_copy

pytestmark = pytest.mark.postgres

RECORDED = [
    "code", "full_name", "birth_date", "sex", "unit", "hometown", "is_local",
    "party_entry_date", "salary_coefficient", "salary_step", "personal_history",
]  # fmt: skip
# Everything COPY's text format or JSON must escape, and text that looks like COPY's NULL.
AWKWARD = 'Tab\there, new\nline, CR\r, back\\slash, "quoted", \\N, Ngô Đình Ân'


def _batch(cadres: list[Cadre]) -> dict[str, list]:
    attnames = ["id", "full_name", "unit_id"] + ["unit_id" if f == "unit" else f for f in RECORDED]
    return {a: [getattr(c, a) for c in cadres] for a in attnames}


def _built_by_database(cadre: Cadre) -> str:
    """`after` as the former INSERT … SELECT built it from the row (as text: exact)."""
    pairs = ", ".join(
        f"'{f}', {'unit_id' if f == 'unit' else f}" for f in RECORDED
    )  # the column names are the field names here
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT jsonb_build_object({pairs})::text FROM personnel_cadre WHERE id = %s",
            [cadre.pk],
        )
        return cursor.fetchone()[0]


def test_copied_audit_rows_match_what_the_database_built(commune, other_commune, make_user):
    staff = make_user("board_staff", commune)
    cadres = [
        Cadre.objects.create(
            code="CB\\01", full_name=AWKWARD[:128], birth_date=date(1970, 1, 2), sex="male",
            unit=commune, hometown=AWKWARD, is_local=True, party_entry_date=date(1995, 3, 4),
            salary_coefficient=Decimal("4.5"), salary_step=3, personal_history=AWKWARD * 3,
        ),
        Cadre.objects.create(
            full_name="Lê Thị Bình", birth_date=date(1981, 12, 31), sex="female",
            unit=other_commune,
        ),
    ]  # fmt: skip
    for c in cadres:
        c.refresh_from_db()  # the values as stored (4.50, not 4.5)
    origin = Origin(
        Source.WEB, "POST /can-bo/nhap/", "0123456789abcdef0123456789abcdef", "10.1.2.3"
    )
    with using_origin(origin):
        written = audit_created_copy(
            actor=staff,
            action="cadre.import_create",
            model=Cadre,
            batches=[_batch(cadres[:1]), _batch([]), _batch(cadres[1:])],
            fields=RECORDED,
            label_field="full_name",
            unit_field="unit",
            note="Nhập\tthử \\ #1",
        )
    assert written == 2
    rows = list(AuditLog.objects.order_by("id"))
    assert [r.object_id for r in rows] == [str(c.pk) for c in cadres]
    for row, cadre in zip(rows, cadres, strict=True):
        assert row.actor_id == staff.pk and row.action == "cadre.import_create"
        assert row.object_type == "personnel.cadre" and row.object_label == cadre.full_name
        assert row.unit_id == cadre.unit_id and row.before is None
        assert row.note == "Nhập\tthử \\ #1"
        assert (row.source, row.origin, row.request_id, row.ip_address) == (
            "web", "POST /can-bo/nhap/", "0123456789abcdef0123456789abcdef", "10.1.2.3"
        )  # fmt: skip
        assert row.at is not None
        with connection.cursor() as cursor:
            cursor.execute("SELECT after::text FROM personnel_auditlog WHERE id = %s", [row.pk])
            assert cursor.fetchone()[0] == _built_by_database(cadre)
    first = rows[0].after
    assert first["hometown"] == AWKWARD and first["personal_history"] == AWKWARD * 3
    assert first["code"] == "CB\\01" and first["unit"] == commune.pk
    assert first["birth_date"] == "1970-01-02" and first["is_local"] is True
    assert rows[1].after["code"] is None and rows[1].after["salary_coefficient"] is None


def test_no_rows_no_audit(commune):
    assert (
        audit_created_copy(
            actor=None,
            action="cadre.import_create",
            model=Cadre,
            batches=[],
            fields=RECORDED,
            label_field="full_name",
            unit_field="unit",
        )
        == 0
    )
    assert not AuditLog.objects.exists()
