"""grant_role / revoke_role and the role services behind them."""

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from personnel.models import AuditLog
from personnel.policy import grants_of
from personnel.selectors import cadres_visible_to
from personnel.services.roles import has_role, role_grant, role_revoke
from tests.factories import CadreFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def alice(db):
    return UserFactory(username="alice")


def run(name, *args) -> str:
    out = StringIO()
    call_command(name, *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def fresh(user):
    """The user as the next request will load it (no cached grants)."""
    return type(user).objects.get(pk=user.pk)


def test_grant_role_gives_the_role_and_writes_an_audit_row(alice, province):
    out = run("grant_role", "alice", "board_staff", "T01")
    assert "Đã giao vai trò Cán bộ Ban Tổ chức cho alice" in out
    assert has_role(user=alice, role="board_staff", unit=province)
    row = AuditLog.objects.get(action="role.grant")
    assert row.object_type == "personnel.partyunit" and row.object_id == str(province.pk)
    assert row.unit == province and row.actor is None
    assert row.after == {"user": "alice", "role": "board_staff"}


def test_board_staff_grant_on_province_reaches_commune_data(client, alice, commune, grassroots):
    cadre = CadreFactory(full_name="Nguyễn Văn An", unit=grassroots)
    run("grant_role", "alice", "board_staff", "T01")
    assert cadre in cadres_visible_to(fresh(alice))
    client.force_login(alice)
    assert client.get(reverse("personnel:unit_detail", args=["X01"])).status_code == 200
    body = client.get(reverse("personnel:cadre_list")).content.decode()
    assert "Nguyễn Văn An" in body


def test_secretary_grant_does_not_reach_children(client, alice, province, commune):
    CadreFactory(full_name="Nguyễn Văn An", unit=commune)
    run("grant_role", "alice", "secretary", "T01")
    assert not cadres_visible_to(fresh(alice)).exists()
    client.force_login(alice)
    assert client.get(reverse("personnel:unit_detail", args=["T01"])).status_code == 200
    assert client.get(reverse("personnel:unit_detail", args=["X01"])).status_code == 404


def test_revoke_role_removes_the_grant_and_writes_an_audit_row(client, alice, province, commune):
    run("grant_role", "alice", "viewer", "T01")
    out = run("revoke_role", "alice", "viewer", "T01")
    assert "Đã thu hồi vai trò Người xem của alice" in out
    assert not has_role(user=alice, role="viewer", unit=province)
    assert grants_of(fresh(alice)) == []
    row = AuditLog.objects.get(action="role.revoke")
    assert row.before == {"user": "alice", "role": "viewer"} and row.unit == province
    client.force_login(alice)
    assert client.get(reverse("personnel:unit_detail", args=["X01"])).status_code == 404


def test_granting_twice_changes_nothing(alice, province):
    run("grant_role", "alice", "viewer", "T01")
    out = run("grant_role", "alice", "viewer", "T01")
    assert "đã có vai trò" in out
    assert AuditLog.objects.filter(action="role.grant").count() == 1
    assert len(grants_of(fresh(alice))) == 1


@pytest.mark.parametrize("command", ["grant_role", "revoke_role"])
@pytest.mark.parametrize(
    "args,named",
    [
        (("bob", "viewer", "T01"), "Không tìm thấy người dùng «bob»"),
        (("alice", "king", "T01"), "Vai trò «king» không tồn tại"),
        (("alice", "viewer", "ZZ9"), "Không tìm thấy tổ chức đảng có mã «ZZ9»"),
    ],
)
def test_bad_input_is_a_vietnamese_command_error(alice, province, command, args, named):
    with pytest.raises(CommandError) as exc:
        run(command, *args)
    assert named in str(exc.value)
    assert exc.value.returncode == 1
    assert not AuditLog.objects.filter(action__startswith="role.").exists()


def test_all_unknown_inputs_are_named_at_once(db):
    with pytest.raises(CommandError) as exc:
        run("grant_role", "bob", "king", "ZZ9")
    assert "«bob»" in str(exc.value) and "«king»" in str(exc.value) and "«ZZ9»" in str(exc.value)


def test_revoking_a_grant_that_does_not_exist_is_an_error(alice, province, commune):
    run("grant_role", "alice", "viewer", "T01")
    # The grant on the province reaches the commune, but it is not a grant on the commune.
    with pytest.raises(CommandError, match="không có gì để thu hồi"):
        run("revoke_role", "alice", "viewer", "X01")
    assert has_role(user=alice, role="viewer", unit=province)


def test_services_record_the_actor_and_refuse_unknown_roles(alice, province, make_user):
    boss = make_user()
    assert role_grant(user=alice, role="vetting_officer", unit=province, actor=boss) is True
    assert AuditLog.objects.get(action="role.grant").actor == boss
    assert role_revoke(user=alice, role="vetting_officer", unit=province, actor=boss) is True
    assert AuditLog.objects.get(action="role.revoke").actor == boss
    assert role_revoke(user=alice, role="vetting_officer", unit=province) is False
    with pytest.raises(ValidationError, match="không tồn tại"):
        role_grant(user=alice, role="admin", unit=province)


def test_grant_clears_the_cached_grants_of_the_user_object(alice, province):
    assert grants_of(alice) == []
    role_grant(user=alice, role="viewer", unit=province)
    assert [g.role for g in grants_of(alice)] == ["viewer"]


def test_grants_made_in_the_admin_are_audited(admin_client, make_user, commune):
    from django.contrib.auth.models import Permission

    user = make_user()
    perm = Permission.objects.get(codename="role_viewer")
    resp = admin_client.post(
        "/admin/personnel/partyunituserobjectpermission/add/",
        {"user": user.pk, "permission": perm.pk, "content_object": commune.pk},
    )
    assert resp.status_code == 302, resp.content[:2000]
    row = AuditLog.objects.get(action="role.grant")
    assert row.after == {"user": user.username, "role": "viewer"}
