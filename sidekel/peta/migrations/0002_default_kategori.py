from django.db import migrations


def add(apps, schema_editor):
    from sidekel.peta.apps import seed_kategori

    seed_kategori(apps.get_model("peta", "Kategori"))


class Migration(migrations.Migration):
    dependencies = [("peta", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
