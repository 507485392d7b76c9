from django.db import migrations


def load(apps, schema_editor):
    from personnel.catalogue import ensure_catalogue

    ensure_catalogue(apps.get_model("personnel", "Post"), apps.get_model("personnel", "Term"))


class Migration(migrations.Migration):
    dependencies = [("personnel", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
