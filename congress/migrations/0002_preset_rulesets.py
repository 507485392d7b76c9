from django.db import migrations


def load(apps, schema_editor):
    from congress.rules.rulesets import PRESETS, ruleset_to_dict

    RuleSet = apps.get_model("congress", "RuleSet")  # noqa: N806
    for code, rs in PRESETS.items():
        if not RuleSet.objects.filter(code=code).exists():
            RuleSet.objects.create(
                code=code,
                version=1,
                name=rs.name,
                source=rs.source,
                data=ruleset_to_dict(rs),
                is_preset=True,
            )


class Migration(migrations.Migration):
    dependencies = [("congress", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
