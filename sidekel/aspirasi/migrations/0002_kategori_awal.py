from django.db import migrations


def create(apps, schema_editor):
    from sidekel.aspirasi.apps import seed_kategori

    seed_kategori(apps.get_model("aspirasi", "Kategori"))


class Migration(migrations.Migration):
    dependencies = [("aspirasi", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
