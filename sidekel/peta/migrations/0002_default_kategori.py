from django.db import migrations

from sidekel.peta.choices import DEFAULT_KATEGORI


def add(apps, schema_editor):
    Kategori = apps.get_model("peta", "Kategori")
    for lapisan, slug, nama, warna in DEFAULT_KATEGORI:
        Kategori.objects.get_or_create(slug=slug, defaults={"lapisan": lapisan, "nama": nama, "warna": warna})


class Migration(migrations.Migration):
    dependencies = [("peta", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
