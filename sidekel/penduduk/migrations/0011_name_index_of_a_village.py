"""SQLite: an index of each village's names (village, name, status, deleted), so that a search
among one village's names reads that village's entries only. The FTS5 table finds the matches of
every village first and the village is checked after: for a common fragment at a kabupaten's scale
("sari": 25,000 of 1,000,000 names, 400 of them in the operator's village) that is a lookup per
match. The index holds every column the search reads, so the table itself is not read.
PostgreSQL: nothing changes (the trigram index of migration 0010 holds the village).
"""

from importlib import import_module

from django.db import migrations

name_search = import_module("sidekel.penduduk.migrations.0002_name_search")

VILLAGE_INDEX = ("CREATE INDEX penduduk_nameindex_desa_nama ON penduduk_nameindex "
                 "(desa_id, nama, status_dasar, deleted_at)")

UP = {"sqlite": [VILLAGE_INDEX, "ANALYZE penduduk_nameindex"]}
DOWN = {"sqlite": ["DROP INDEX penduduk_nameindex_desa_nama"]}


class Migration(migrations.Migration):
    dependencies = [("penduduk", "0010_name_index_by_village")]

    operations = [migrations.RunPython(name_search._run(UP), name_search._run(DOWN))]
