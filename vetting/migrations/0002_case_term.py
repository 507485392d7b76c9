"""Vetting cases are keyed on the cadre and the term instead of a congress: vetting no longer
depends on the congress app. Each case takes its congress's term; where a cadre had cases
for two congresses of the same term, one keeps the term and the others become
standalone cases (term empty), so no case, item or read-log row is lost. Of such cases the
term goes to a concluded one before a pending one, then to the newest."""

import django.db.models.deletion
from django.db import migrations, models


def congress_to_term(apps, schema_editor):
    VettingCase = apps.get_model("vetting", "VettingCase")  # noqa: N806
    taken: set[tuple[int, int]] = set()
    rows = VettingCase.objects.filter(congress__isnull=False).values_list(
        "pk", "cadre_id", "congress__term_id", "conclusion", "requested_at"
    )
    # Concluded first, then the newest: a conclusion keeps its term before a pending case.
    ordered = sorted(rows, key=lambda r: (r[3] == "pending", -r[4].timestamp(), -r[0]))
    for pk, cadre_id, term_id, _conclusion, _at in ordered:
        key = (cadre_id, term_id)
        if key in taken:
            continue
        taken.add(key)
        VettingCase.objects.filter(pk=pk).update(term_id=term_id)


class Migration(migrations.Migration):
    dependencies = [
        ("vetting", "0001_initial"),
        ("congress", "0001_initial"),
        ("personnel", "0002_catalogue"),
    ]

    operations = [
        migrations.AddField(
            model_name="vettingcase",
            name="term",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="personnel.term",
                verbose_name="nhiệm kỳ",
            ),
        ),
        migrations.RunPython(congress_to_term, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="vettingcase", name="uniq_vetting_case"),
        migrations.RemoveField(model_name="vettingcase", name="congress"),
        migrations.AddConstraint(
            model_name="vettingcase",
            constraint=models.UniqueConstraint(
                fields=("cadre", "term"), name="uniq_vetting_case_term"
            ),
        ),
    ]
