"""Issue 12, case 4, and the completeness of the audit: one row per change, with the fields
before and after, who, when and from which request or command; nothing can change or delete
a row (the ORM refuses on every database, PostgreSQL itself refuses too)."""

from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import DatabaseError, connection, models, transaction
from django.urls import reverse

from personnel.models import AuditLog, Cadre, DossierAccess, Rating
from personnel.services.audit import audit
from tests.factories import CadreFactory, UserFactory
from vetting.models import VettingCase, VettingReadLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def row(commune):
    return audit(
        actor=None, action="test.write", obj=commune, after={"x": 1}, unit=commune, note="gốc"
    )


def test_the_orm_refuses_to_change_or_delete_audit_rows_on_any_database(row):
    with pytest.raises(PermissionDenied):
        AuditLog.objects.filter(pk=row.pk).update(note="sửa")
    with pytest.raises(PermissionDenied):
        AuditLog.objects.filter(pk=row.pk).delete()
    with pytest.raises(PermissionDenied):
        row.delete()
    row.note = "sửa"
    with pytest.raises(PermissionDenied):
        row.save()
    assert AuditLog.objects.get(pk=row.pk).note == "gốc"


def _refused(run) -> bool:
    """Whether the database refused the statement (in a savepoint, so the test goes on)."""
    try:
        with transaction.atomic():
            run()
    except DatabaseError:
        return True
    return False


def _plain(model):
    """A queryset without the app's own guard: what any other client of the database
    could send."""
    return models.QuerySet(model=model)


@pytest.mark.postgres
def test_postgresql_itself_refuses_update_and_delete_of_audit_rows(row):
    table = AuditLog._meta.db_table
    with connection.cursor() as cur:
        assert _refused(lambda: _plain(AuditLog).filter(pk=row.pk).update(note="sửa"))
        assert _refused(lambda: _plain(AuditLog).filter(pk=row.pk).delete())
        assert _refused(
            lambda: cur.execute(f"UPDATE {table} SET note = 'sửa' WHERE id = %s", [row.pk])
        )
        assert _refused(lambda: cur.execute(f"DELETE FROM {table} WHERE id = %s", [row.pk]))
    with pytest.raises(PermissionDenied):
        AuditLog.objects.filter(pk=row.pk).update(note="sửa")
    assert AuditLog.objects.get(pk=row.pk).note == "gốc"
    # Inserting stays possible: the trail grows.
    audit(actor=None, action="test.write", obj=row.unit, unit=row.unit)
    assert AuditLog.objects.count() == 2


@pytest.mark.postgres
def test_postgresql_refuses_changes_to_the_access_logs_too(commune, make_user):
    user = make_user("vetting_officer", commune)
    cadre = CadreFactory(unit=commune)
    case = VettingCase.objects.create(cadre=cadre)
    read = VettingReadLog.objects.create(case=case, user=user, ip_address="127.0.0.1")
    access = DossierAccess.objects.create(user=user, kind="page", cadre=cadre, unit=commune)
    for model, pk in ((VettingReadLog, read.pk), (DossierAccess, access.pk)):
        assert _refused(lambda m=model, p=pk: _plain(m).filter(pk=p).update(ip_address="1.1.1.1"))
        assert _refused(lambda m=model, p=pk: _plain(m).filter(pk=p).delete())
        with pytest.raises(PermissionDenied):
            model.objects.filter(pk=pk).delete()


def test_a_request_leaves_its_id_path_and_address_on_the_rows_it_writes(
    client, make_user, commune, province
):
    from tests.congress.builders import congress_with_list, eligible_people

    nl = congress_with_list(commune, seats=3)
    person = eligible_people(commune, 1, congress=nl.body.congress)[0]
    client.force_login(make_user("secretary", commune))
    resp = client.post(
        reverse("lists:add", args=[nl.pk]), {"cadre": person.pk}, REMOTE_ADDR="198.51.100.9"
    )
    assert resp.status_code == 302
    row = AuditLog.objects.get(action="nominee.add")
    assert row.source == "web"
    assert row.origin == f"POST {reverse('lists:add', args=[nl.pk])}"
    assert row.ip_address == "198.51.100.9"
    assert row.request_id and resp["X-Request-ID"] == row.request_id


def test_a_management_command_is_the_origin_of_what_it_changes(commune):
    UserFactory(username="nguoimoi")
    call_command("grant_role", "nguoimoi", "viewer", commune.code)
    row = AuditLog.objects.get(action="role.grant")
    assert row.source == "command" and row.origin.startswith("manage.py grant_role")
    assert row.actor is None and row.after == {"user": "nguoimoi", "role": "viewer"}


# --- the admin: every edit, inline rows and archive leave one row each ------------------------


@pytest.fixture
def staff(make_user, commune):
    user = make_user("board_staff", commune, is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=[
                "view_cadre",
                "change_cadre",
                "delete_cadre",
                "view_rating",
                "add_rating",
                "change_rating",
                "delete_rating",
                "view_partyunit",
            ]
        )
    )
    return user


def _cadre_form(cadre, **changes):
    data = {
        "full_name": cadre.full_name,
        "birth_date": cadre.birth_date.strftime("%d/%m/%Y"),
        "sex": cadre.sex,
        "ethnicity": cadre.ethnicity,
        "unit": cadre.unit_id,
        "is_active": "on",
        **{f"{p}-TOTAL_FORMS": "0" for p in ("tenures", "ratings", "relations")},
        **{f"{p}-INITIAL_FORMS": "0" for p in ("tenures", "ratings", "relations")},
    }
    data.update(changes)
    return data


def test_an_admin_edit_writes_one_row_with_the_fields_before_and_after(client, staff, commune):
    cadre = CadreFactory(unit=commune, full_name="Lê Văn Cũ", religion="")
    client.force_login(staff)
    data = _cadre_form(cadre, full_name="Lê Văn Mới", religion="Phật giáo")
    data.update({"ratings-TOTAL_FORMS": "1", "ratings-0-year": "2024", "ratings-0-level": "good"})
    resp = client.post(reverse("admin:personnel_cadre_change", args=[cadre.pk]), data)
    assert resp.status_code == 302, resp.content.decode()[:2000]
    change = AuditLog.objects.get(action="admin.change")
    assert change.actor == staff and change.object_id == str(cadre.pk)
    assert change.before["full_name"] == "Lê Văn Cũ" and change.before["religion"] == ""
    assert "birth_date" not in change.before  # only what changed
    assert change.after["full_name"] == "Lê Văn Mới" and change.after["religion"] == "Phật giáo"
    assert change.source == "web" and change.request_id
    created = AuditLog.objects.get(action="admin.create")
    assert created.object_type == "personnel.rating" and created.after["year"] == 2024
    rating = Rating.objects.get(cadre=cadre)
    # Deleting an inline row: one row with what was deleted.
    data = _cadre_form(Cadre.objects.get(pk=cadre.pk))
    data.update(
        {
            "ratings-TOTAL_FORMS": "1",
            "ratings-INITIAL_FORMS": "1",
            "ratings-0-id": rating.pk,
            "ratings-0-cadre": cadre.pk,
            "ratings-0-year": "2024",
            "ratings-0-level": "good",
            "ratings-0-DELETE": "on",
        }
    )
    client.post(reverse("admin:personnel_cadre_change", args=[cadre.pk]), data)
    deleted = AuditLog.objects.get(action="admin.delete")
    assert deleted.before["year"] == 2024 and deleted.after is None


def test_an_admin_archive_writes_one_row_and_deletes_nothing(client, staff, commune):
    cadre = CadreFactory(unit=commune)
    Rating.objects.create(cadre=cadre, year=2023, level="good")
    client.force_login(staff)
    url = reverse("admin:personnel_cadre_delete", args=[cadre.pk])
    assert "Lưu trữ" in client.get(url).content.decode()
    before = AuditLog.objects.count()
    resp = client.post(url, {"post": "yes", "reason": "Nhập trùng"})
    assert resp.status_code == 302
    assert AuditLog.objects.count() == before + 1
    row = AuditLog.objects.get(action="archive")
    assert row.before["archived_at"] is None and row.after["archived_at"]
    assert row.note == "Nhập trùng" and row.actor == staff
    cadre.refresh_from_db()
    assert cadre.is_archived and cadre.ratings.count() == 1


def test_a_bulk_archive_writes_one_row_per_object(client, staff, commune):
    cadres = [CadreFactory(unit=commune) for _ in range(3)]
    client.force_login(staff)
    resp = client.post(
        reverse("admin:personnel_cadre_changelist"),
        {"action": "archive_selected", "_selected_action": [c.pk for c in cadres]},
    )
    assert resp.status_code == 302
    assert AuditLog.objects.filter(action="archive").count() == 3
    assert Cadre.objects.archived().count() == 3


def test_the_admin_never_hard_deletes_in_bulk(client, staff, commune):
    cadre = CadreFactory(unit=commune)
    client.force_login(staff)
    client.post(
        reverse("admin:personnel_cadre_changelist"),
        {"action": "delete_selected", "_selected_action": [cadre.pk], "post": "yes"},
    )
    assert Cadre.objects.filter(pk=cadre.pk).exists()


def test_a_vetting_conclusion_keeps_its_before_and_after(commune, make_user):
    from vetting.services import vetting_case_conclude

    officer = make_user("vetting_officer", commune)
    case = VettingCase.objects.create(cadre=CadreFactory(unit=commune))
    vetting_case_conclude(
        case=case,
        conclusion="eligible",
        concluded_on=date(2025, 3, 1),
        concluding_body="Ban Thường vụ",
        document_number="1-KL/X",
        user=officer,
    )
    row = AuditLog.objects.get(action="vetting.conclude")
    assert row.before["conclusion"] == "pending" and row.after["conclusion"] == "eligible"


def test_a_task_is_the_origin_of_what_it_writes(commune):
    from celery import shared_task

    @shared_task(name="tests.audit_in_a_task")
    def write_in_a_task(unit_id):
        from personnel.models import PartyUnit

        unit = PartyUnit.objects.get(pk=unit_id)
        audit(actor=None, action="test.task", obj=unit, unit=unit)

    write_in_a_task.delay(commune.pk)  # eager in tests: the same signals as a worker
    row = AuditLog.objects.get(action="test.task")
    assert row.source == "task" and row.origin == "tests.audit_in_a_task"
    # And the origin ends with the task.
    audit(actor=None, action="test.after", obj=commune, unit=commune)
    assert AuditLog.objects.get(action="test.after").source == "system"
