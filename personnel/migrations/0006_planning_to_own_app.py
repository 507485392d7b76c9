"""Planning models now belong to the planning app (state only, same tables)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("personnel", "0005_audit_rulesets_tables"),
        ("planning", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="PlanningEntry"),
                migrations.DeleteModel(name="PlanningJustification"),
                migrations.DeleteModel(name="PlanningReview"),
                migrations.DeleteModel(name="PlanningList"),
            ],
            database_operations=[],
        ),
    ]
