"""The first catalogue of indicators (potensi/katalog.py): at least 120, shaped like Prodeskel."""

from django.db import migrations


def load(apps, schema_editor):
    from sidekel.potensi.katalog import load as load_katalog

    load_katalog(apps.get_model("potensi", "Indikator"))


def unload(apps, schema_editor):
    apps.get_model("potensi", "Indikator").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("potensi", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
