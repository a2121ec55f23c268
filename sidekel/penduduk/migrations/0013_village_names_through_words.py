"""SQLite: a name search in one village with a word of three letters or more now reads the words
of names (0012), the village checked on the rows of the words' key, which hold it. The index of
(village, name, status, deletion) of migration 0011, which served only that search by reading
each of the village's names, goes, with what every import paid to write it.
PostgreSQL: nothing changes. Its trigram index of (village, name) (migration 0010) finds one
village's matches alone, faster than the words' rows, which hold every village's.
A search of one or two letters in one village reads that village's residents along their own
index (``short_in_one_village``), on both databases.
"""

from importlib import import_module

from django.db import migrations

name_search = import_module("sidekel.penduduk.migrations.0002_name_search")
of_a_village = import_module("sidekel.penduduk.migrations.0011_name_index_of_a_village")

UP = {"sqlite": ["DROP INDEX penduduk_nameindex_desa_nama"]}
DOWN = {"sqlite": [of_a_village.VILLAGE_INDEX]}


class Migration(migrations.Migration):
    dependencies = [("penduduk", "0012_name_words")]

    operations = [migrations.RunPython(name_search._run(UP), name_search._run(DOWN))]
