"""The admin: scoped like the pages, items only for vetting officers (and logged), read-only."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.factories import CadreFactory
from tests.vetting.conftest import SECRET
from vetting import services
from vetting.models import VettingReadLog

pytestmark = pytest.mark.django_db


def staff(user):
    user.is_staff = True
    user.save()
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="vetting",
            codename__in=["view_vettingcase", "view_vettingitem", "view_vettingreadlog"],
        )
    )
    return user


def test_admin_lists_only_cases_in_scope(client, make_user, other_commune, officer, case):
    theirs = services.vetting_case_open(
        cadre=CadreFactory(full_name="Trần Văn Bảo", unit=other_commune), user=officer
    )
    assert theirs.pk
    client.force_login(staff(make_user("viewer", case.cadre.unit)))
    body = client.get(reverse("admin:vetting_vettingcase_changelist")).content.decode()
    assert "Nguyễn Văn An" in body and "Trần Văn Bảo" not in body


def test_admin_items_only_for_vetting_officers_and_logged(client, make_user, officer, case):
    url = reverse("admin:vetting_vettingcase_change", args=[case.pk])
    client.force_login(staff(make_user("board_staff", case.cadre.unit)))
    resp = client.get(url)
    assert resp.status_code == 200 and SECRET not in resp.content.decode()
    assert not VettingReadLog.objects.exists()

    client.force_login(staff(officer))
    resp = client.get(url)
    assert resp.status_code == 200 and SECRET in resp.content.decode()
    assert VettingReadLog.objects.filter(case=case, user=officer).count() == 1


def test_admin_outsider_cannot_open_the_case(client, make_user, other_commune, case):
    client.force_login(staff(make_user("vetting_officer", other_commune)))
    resp = client.get(reverse("admin:vetting_vettingcase_change", args=[case.pk]))
    # The admin redirects a missing object to its index with a message.
    assert resp.status_code == 302
    assert not VettingReadLog.objects.exists()


def test_admin_is_read_only(client, django_user_model, case):
    admin = django_user_model.objects.create_superuser("quantri", password="x")
    client.force_login(admin)
    assert client.get(reverse("admin:vetting_vettingcase_add")).status_code == 403
    assert client.get(reverse("admin:vetting_vettingreadlog_add")).status_code == 403
    resp = client.post(
        reverse("admin:vetting_vettingcase_change", args=[case.pk]), {"conclusion": "pending"}
    )
    assert resp.status_code == 403
    # "Delete" archives the case (board staff and superusers): nothing is deleted.
    page = client.get(reverse("admin:vetting_vettingcase_delete", args=[case.pk]))
    assert "Lưu trữ" in page.content.decode()
    client.post(reverse("admin:vetting_vettingcase_delete", args=[case.pk]), {"post": "yes"})
    case.refresh_from_db()
    assert case.conclusion == "eligible" and case.is_archived
