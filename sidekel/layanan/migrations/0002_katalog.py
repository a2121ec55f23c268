"""The letter types of layanan/katalog.py, seeded once (a type already there is left as edited)."""

from django.db import migrations


def seed(apps, schema_editor):
    from sidekel.layanan.katalog import seed as seed_types

    seed_types(apps.get_model("layanan", "JenisSurat"))


class Migration(migrations.Migration):
    dependencies = [("layanan", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
