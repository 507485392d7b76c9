"""The admin asks the one policy for every read and write, like the pages."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse

from personnel.admin import ScopedAdmin
from personnel.models import Cadre, PartyUnitUserObjectPermission
from tests.factories import CadreFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_every_model_admin_asks_the_policy():
    wrong = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, ScopedAdmin)
    ]
    assert not wrong, f"ModelAdmins outside personnel.admin.ScopedAdmin: {wrong}"


@pytest.fixture
def staff(make_user, commune):
    """Board staff of the commune, Django staff with every model permission: only the policy
    stands between them and other units."""
    user = make_user("board_staff", commune, is_staff=True)
    user.user_permissions.add(*Permission.objects.all())
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


def test_staff_cannot_move_a_cadre_out_of_their_reach(client, staff, commune, other_commune):
    cadre = CadreFactory(unit=commune)
    client.force_login(staff)
    resp = client.post(
        reverse("admin:personnel_cadre_change", args=[cadre.pk]),
        _cadre_form(cadre, unit=other_commune.pk),
    )
    assert resp.status_code == 200  # the form refuses the unit
    assert Cadre.objects.get(pk=cadre.pk).unit == commune


def test_staff_cannot_touch_a_cadre_of_another_unit(client, staff, other_commune):
    cadre = CadreFactory(unit=other_commune, full_name="Người Xã Khác")
    client.force_login(staff)
    resp = client.post(
        reverse("admin:personnel_cadre_change", args=[cadre.pk]),
        _cadre_form(cadre, full_name="Đã Bị Sửa"),
    )
    assert resp.status_code in (302, 403, 404)
    assert Cadre.objects.get(pk=cadre.pk).full_name == "Người Xã Khác"
    client.post(reverse("admin:personnel_cadre_delete", args=[cadre.pk]), {"post": "yes"})
    assert not Cadre.objects.get(pk=cadre.pk).is_archived


def test_staff_grant_roles_only_on_units_they_manage(client, staff, other_commune, commune):
    target = UserFactory(username="nguoi_duoc_cap")
    perm = Permission.objects.get(codename="role_board_staff")
    client.force_login(staff)
    url = reverse("admin:personnel_partyunituserobjectpermission_add")
    client.post(url, {"user": target.pk, "permission": perm.pk, "content_object": other_commune.pk})
    assert not PartyUnitUserObjectPermission.objects.filter(user=target).exists()
    other_perm = Permission.objects.get(codename="change_user")
    client.post(url, {"user": target.pk, "permission": other_perm.pk, "content_object": commune.pk})
    assert not PartyUnitUserObjectPermission.objects.filter(user=target).exists()
    client.post(url, {"user": target.pk, "permission": perm.pk, "content_object": commune.pk})
    assert PartyUnitUserObjectPermission.objects.filter(user=target).count() == 1


@pytest.mark.parametrize(
    "name",
    [
        "admin:auth_user_changelist",
        "admin:auth_group_changelist",
        "admin:personnel_post_add",
        "admin:personnel_term_add",
        "admin:otp_totp_totpdevice_changelist",
    ],
)
def test_what_belongs_to_no_unit_is_for_superusers_only(client, staff, name):
    client.force_login(staff)
    assert client.get(reverse(name)).status_code == 403
