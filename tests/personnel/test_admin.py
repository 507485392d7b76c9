import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.factories import CadreFactory

pytestmark = pytest.mark.django_db


def test_every_admin_changelist_opens_in_vietnamese(admin_client, commune):
    CadreFactory(unit=commune)
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        resp = admin_client.get(url)
        assert resp.status_code == 200, url
    assert "Quản trị" in admin_client.get(reverse("admin:index")).content.decode()


def test_staff_admin_shows_only_their_scope(client, make_user, commune, other_commune):
    mine = CadreFactory(unit=commune, full_name="Cán Bộ Của Tôi")
    CadreFactory(unit=other_commune, full_name="Cán Bộ Xã Khác")
    staff = make_user("board_staff", commune, is_staff=True)
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_cadre", "view_partyunit"])
    )
    client.force_login(staff)
    body = client.get(reverse("admin:personnel_cadre_changelist")).content.decode()
    assert mine.full_name in body and "Cán Bộ Xã Khác" not in body
    body = client.get(reverse("admin:personnel_partyunit_changelist")).content.decode()
    assert "Đảng bộ xã Bình Minh" not in body
