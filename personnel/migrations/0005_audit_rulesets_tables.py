"""Give the moved audit, notification and rule-set tables their own app's names, and move
their content types (permissions and admin log entries follow them)."""

from django.db import migrations

MOVED = [("congress", "auditlog", "auditlog"), ("congress", "notification", "notification"),
         ("congress", "ruleset", "rulesetversion")]  # fmt: skip


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")  # noqa: N806
    for old_app, old_model, new_model in MOVED:
        if ContentType.objects.filter(app_label="personnel", model=new_model).exists():
            continue
        ContentType.objects.filter(app_label=old_app, model=old_model).update(
            app_label="personnel", model=new_model
        )


class Migration(migrations.Migration):
    dependencies = [
        ("personnel", "0004_audit_rulesets_from_congress"),
        ("congress", "0008_audit_rulesets_to_personnel"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelTable(name="auditlog", table=None),
        migrations.AlterModelTable(name="notification", table=None),
        migrations.AlterModelTable(name="rulesetversion", table=None),
        migrations.RunPython(move_content_types, migrations.RunPython.noop),
    ]
