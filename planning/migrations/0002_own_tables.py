"""The planning tables take the planning app's names; their content types move with them."""

from django.db import migrations

MODELS = ["planninglist", "planningentry", "planningjustification", "planningreview"]


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")  # noqa: N806
    for model in MODELS:
        if ContentType.objects.filter(app_label="planning", model=model).exists():
            continue
        ContentType.objects.filter(app_label="personnel", model=model).update(
            app_label="planning"
        )


def move_audit_object_types(apps, schema_editor):
    """Audit rows name their object as "app.model": the history pages of a plan look for
    the planning app's names, so the rows written before the move follow it."""
    AuditLog = apps.get_model("personnel", "AuditLog")  # noqa: N806
    for model in MODELS:
        AuditLog.objects.filter(object_type=f"personnel.{model}").update(
            object_type=f"planning.{model}"
        )
    AuditLog.objects.filter(object_type="congress.ruleset").update(
        object_type="personnel.rulesetversion"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0001_initial"),
        ("personnel", "0006_planning_to_own_app"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        *[migrations.AlterModelTable(name=model, table=None) for model in MODELS],
        migrations.RunPython(move_content_types, migrations.RunPython.noop),
        migrations.RunPython(move_audit_object_types, migrations.RunPython.noop),
    ]
