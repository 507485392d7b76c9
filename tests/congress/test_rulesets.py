import pytest
from django.urls import reverse

from personnel.models import AuditLog, RuleSetVersion
from personnel.services.ruleset_versions import engine_rulesets, latest_ruleset, ruleset_edit

pytestmark = pytest.mark.django_db


def test_presets_are_in_the_database():
    assert set(RuleSetVersion.objects.values_list("code", flat=True)) >= {"CT35-2019", "CT45-2025"}


def test_editing_writes_a_new_version_and_keeps_the_old(admin_user):
    base = latest_ruleset("CT45-2025")
    row = ruleset_edit(
        base=base, params={"female_min_percent": 20}, note="Hướng dẫn mới", user=admin_user
    )
    base.refresh_from_db()
    assert row.version == base.version + 1
    assert base.data["params"]["female_min_percent"] == 15
    assert row.data["params"]["female_min_percent"] == 20
    assert engine_rulesets()["CT45-2025"].params["female_min_percent"] == 20
    assert AuditLog.objects.filter(action="ruleset.version", object_id=str(row.pk)).exists()


def test_copy_under_a_new_code_is_selectable(admin_user):
    base = latest_ruleset("CT45-2025")
    row = ruleset_edit(
        base=base, params={}, note="Bộ cho 2030-2035", user=admin_user, new_code="CT-2030"
    )
    assert row.code == "CT-2030" and row.version == 1
    assert "CT-2030" in engine_rulesets()


def test_unknown_parameter_is_refused(admin_user):
    with pytest.raises(ValueError):
        ruleset_edit(base=latest_ruleset(), params={"khong_co": 1}, note="x", user=admin_user)


def test_admin_edit_creates_a_version(admin_client):
    base = latest_ruleset("CT35-2019")
    url = reverse("admin:personnel_rulesetversion_change", args=[base.pk])
    assert admin_client.get(url).status_code == 200
    resp = admin_client.post(
        url, {"params": '{"young_min_percent": 12}', "new_code": "", "change_note": "Thử"}
    )
    assert resp.status_code == 302
    assert RuleSetVersion.objects.filter(code="CT35-2019", version=base.version + 1).exists()
