from django.db import migrations

KATEGORI_AWAL = [
    ("infrastruktur", "Infrastruktur"),
    ("pelayanan-administrasi", "Pelayanan administrasi"),
    ("kesehatan", "Kesehatan"),
    ("pendidikan", "Pendidikan"),
    ("sosial", "Sosial"),
    ("lingkungan", "Lingkungan"),
    ("keamanan", "Keamanan"),
    ("lainnya", "Lainnya"),
]


def create(apps, schema_editor):
    Kategori = apps.get_model("aspirasi", "Kategori")
    for urutan, (slug, nama) in enumerate(KATEGORI_AWAL, 1):
        Kategori.objects.get_or_create(slug=slug, defaults={"nama": nama, "urutan": urutan * 10})


class Migration(migrations.Migration):
    dependencies = [("aspirasi", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
