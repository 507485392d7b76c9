"""Run as a script against an empty database (DATABASE_URL): build the schema as the product
had it before the apps were layered (audit and rule sets in congress, planning in personnel,
vetting cases keyed on a congress), fill every table that moves with rows, migrate to the
current layout, and print what was counted before and after as JSON.

Used by tests/migrations/test_existing_database.py; a script, because migrating a database
back and forth cannot share the test run's own database.
"""

import json
import os
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402

BEFORE = {
    "personnel": "0003_planning",
    "congress": "0007_version_indexes",
    "vetting": "0001_initial",
    "planning": None,
}
# (old model label, new model label)
MOVED = [
    ("congress.AuditLog", "personnel.AuditLog"),
    ("congress.Notification", "personnel.Notification"),
    ("congress.RuleSet", "personnel.RuleSetVersion"),
    ("personnel.PlanningList", "planning.PlanningList"),
    ("personnel.PlanningEntry", "planning.PlanningEntry"),
    ("personnel.PlanningJustification", "planning.PlanningJustification"),
    ("personnel.PlanningReview", "planning.PlanningReview"),
    ("vetting.VettingCase", "vetting.VettingCase"),
    ("vetting.VettingItem", "vetting.VettingItem"),
    ("vetting.VettingReadLog", "vetting.VettingReadLog"),
    ("congress.Congress", "congress.Congress"),
    ("personnel.Cadre", "personnel.Cadre"),
]


def targets(executor, before: bool):
    leaves = executor.loader.graph.leaf_nodes()
    if not before:
        return leaves
    return [(app, BEFORE.get(app, name)) for app, name in leaves]


def fill(apps) -> None:
    """Rows in every table that moves, written with the models as they were."""
    get = apps.get_model
    User = get("auth", "User")  # noqa: N806
    user = User.objects.create(username="btc")
    unit = get("personnel", "PartyUnit").objects.create(
        code="T01", name="Đảng bộ tỉnh", level="province", path="/1/"
    )
    term = get("personnel", "Term").objects.get(code="2025-2030")
    future = get("personnel", "Term").objects.get(code="2030-2035")
    post = get("personnel", "Post").objects.get(code="secretary")
    Cadre = get("personnel", "Cadre")  # noqa: N806
    a = Cadre.objects.create(full_name="Nguyễn Văn A", birth_date=date(1975, 1, 1), sex="male", unit=unit)
    b = Cadre.objects.create(full_name="Trần Thị B", birth_date=date(1980, 1, 1), sex="female", unit=unit)
    rs = get("congress", "RuleSet").objects.order_by("pk").first()
    get("congress", "RuleSet").objects.create(
        code=rs.code, version=2, name=rs.name, data=rs.data, based_on=rs, created_by=user
    )
    Congress = get("congress", "Congress")  # noqa: N806
    province = Congress.objects.create(unit=unit, term=term, ruleset=rs, title="Đại hội tỉnh")
    unit2 = get("personnel", "PartyUnit").objects.create(
        code="X01", name="Đảng bộ xã", level="commune", parent=unit, path="/1/2/"
    )
    commune = Congress.objects.create(unit=unit2, term=term, ruleset=rs, title="Đại hội xã")
    Case = get("vetting", "VettingCase")  # noqa: N806
    # A cadre vetted for two congresses of one term, one for a congress, one standalone.
    c1 = Case.objects.create(cadre=a, congress=province, conclusion="eligible")
    c2 = Case.objects.create(cadre=a, congress=commune, conclusion="pending")
    Case.objects.create(cadre=b, congress=commune, conclusion="eligible")
    Case.objects.create(cadre=b, congress=None, conclusion="pending")
    for case in (c1, c2):
        get("vetting", "VettingItem").objects.create(case=case, kind="assets", finding="Đủ.")
        get("vetting", "VettingReadLog").objects.create(case=case, user=user)
    plan = get("personnel", "PlanningList").objects.create(unit=unit, term=future)
    entry = get("personnel", "PlanningEntry").objects.create(
        planning_list=plan, cadre=a, post=post, since=date(2025, 1, 1)
    )
    get("personnel", "PlanningJustification").objects.create(
        planning_list=plan, code="PLAN_AGE", people_key=str(a.pk), text="Giải trình", by=user
    )
    get("personnel", "PlanningReview").objects.create(
        unit=unit, term=future, year=2026, decided_on=date(2026, 1, 5), decision_number="1"
    )
    AuditLog = get("congress", "AuditLog")  # noqa: N806
    for object_type, object_id in [
        ("personnel.planninglist", plan.pk),
        ("personnel.planningentry", entry.pk),
        ("congress.ruleset", rs.pk),
        ("vetting.vettingcase", c1.pk),
    ]:
        AuditLog.objects.create(
            actor=user, action="x", object_type=object_type, object_id=str(object_id), unit=unit
        )
    get("congress", "Notification").objects.create(user=user, text="Thông báo")
    ContentType = get("contenttypes", "ContentType")  # noqa: N806
    for label in ("congress.auditlog", "congress.ruleset", "personnel.planninglist"):
        app_label, model = label.split(".")
        ContentType.objects.get_or_create(app_label=app_label, model=model)


def counts(apps, labels) -> dict[str, int]:
    return {label: apps.get_model(label).objects.count() for label in labels}


def main() -> None:
    executor = MigrationExecutor(connection)
    before = targets(executor, before=True)
    executor.migrate(before)
    old_apps = executor.loader.project_state([t for t in before if t[1]]).apps
    fill(old_apps)
    out = {"before": counts(old_apps, [old for old, _ in MOVED])}

    executor = MigrationExecutor(connection)
    after = targets(executor, before=False)
    executor.migrate(after)
    from django.apps import apps

    out["after"] = counts(apps, [new for _, new in MOVED])
    AuditLog = apps.get_model("personnel", "AuditLog")  # noqa: N806
    out["audit_types"] = sorted(AuditLog.objects.values_list("object_type", flat=True))
    Case = apps.get_model("vetting", "VettingCase")  # noqa: N806
    out["case_terms"] = sorted(
        [c.cadre.full_name, c.term.code if c.term else ""] for c in Case.objects.all()
    )
    ContentType = apps.get_model("contenttypes", "ContentType")  # noqa: N806
    out["content_types"] = sorted(
        f"{ct.app_label}.{ct.model}"
        for ct in ContentType.objects.filter(model__in=["auditlog", "rulesetversion", "ruleset", "planninglist"])
    )
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
