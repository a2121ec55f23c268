"""Every name search with a word of three letters or more now reads the words of names (0012),
in one village too: the village is checked on the rows of the words' key, which hold it. The
indexes that found one village's names in the name table serve nothing more, and every import
paid to write them:
- PostgreSQL: the trigram index of (village, name) of migration 0010 (a GIN index: a dozen
  entries a name).
- SQLite: the index of (village, name, status, deletion) of migration 0011.
A search of one or two letters in one village reads that village's residents along their own
index (``short_in_one_village``); across villages it checks the name table row by row, as it did.
"""

from importlib import import_module

from django.db import migrations

name_search = import_module("sidekel.penduduk.migrations.0002_name_search")
by_village = import_module("sidekel.penduduk.migrations.0010_name_index_by_village")
of_a_village = import_module("sidekel.penduduk.migrations.0011_name_index_of_a_village")

UP = {"postgresql": ["DROP INDEX penduduk_nameindex_desa_trgm"],
      "sqlite": ["DROP INDEX penduduk_nameindex_desa_nama"]}
DOWN = {"postgresql": [by_village.TRIGRAM_INDEX], "sqlite": [of_a_village.VILLAGE_INDEX]}


class Migration(migrations.Migration):
    dependencies = [("penduduk", "0012_name_words")]

    operations = [migrations.RunPython(name_search._run(UP), name_search._run(DOWN))]
