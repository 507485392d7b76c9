"""The congress app gives its audit, notification and rule-set models to personnel (state
only; personnel 0004 took them over with the same tables)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("congress", "0007_version_indexes"),
        ("personnel", "0004_audit_rulesets_from_congress"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="congress",
                    name="ruleset",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        to="personnel.rulesetversion",
                        verbose_name="bộ quy tắc",
                    ),
                ),
                migrations.DeleteModel(name="AuditLog"),
                migrations.DeleteModel(name="Notification"),
                migrations.DeleteModel(name="RuleSet"),
            ],
            database_operations=[],
        ),
    ]
