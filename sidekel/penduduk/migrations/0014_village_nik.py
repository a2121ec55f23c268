"""An index of each village's NIKs (village, NIK, status, deletion), for the first digits of a NIK
searched in one village: the list asks for each prefix as it is typed, and the first six digits
(the kecamatan's code) match nearly every resident. Through the unique index of NIKs alone,
finding one village's matches meant reading every village's. Status and deletion let the list's
capped count of the matches read the index alone.

SQLite measures its indexes only when told (ANALYZE); without it the planner would take the new
index for a very selective one and sort a whole village instead of walking its names in order.
"""

from importlib import import_module

from django.db import migrations, models

name_search = import_module("sidekel.penduduk.migrations.0002_name_search")


class Migration(migrations.Migration):

    dependencies = [
        ("penduduk", "0013_village_names_through_words"),
        ("wilayah", "0003_desa_profil"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="penduduk",
            index=models.Index(fields=["desa", "nik", "status_dasar", "deleted_at"], name="penduduk_by_desa_nik"),
        ),
        migrations.RunPython(name_search._run({"sqlite": ["ANALYZE penduduk_penduduk"]}), migrations.RunPython.noop),
    ]
