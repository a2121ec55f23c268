"""PostgreSQL: the names' trigram index holds the village too (btree_gin), so that a search among
one village's names reads that village's matches only. Before, an operator's search for a common
fragment at a kabupaten's scale found its matches in every village first (37,677 of them for
"anto" in a million names, 558 of them in the operator's village). The index stays usable for a
search across all villages (a GIN index answers a condition on any of its columns).
SQLite: nothing changes (its FTS5 table finds the matches, and the village is checked after).
"""

from importlib import import_module

from django.db import migrations

name_search = import_module("sidekel.penduduk.migrations.0002_name_search")
name_index = import_module("sidekel.penduduk.migrations.0008_name_index")

TRIGRAM_INDEX = ("CREATE INDEX penduduk_nameindex_desa_trgm ON penduduk_nameindex "
                 "USING gin (desa_id, (UPPER(nama::text)) gin_trgm_ops)")

UP = {"postgresql": ["CREATE EXTENSION IF NOT EXISTS btree_gin", TRIGRAM_INDEX, "DROP INDEX penduduk_nameindex_trgm",
                     "ANALYZE penduduk_nameindex"]}
DOWN = {"postgresql": [name_index.TRIGRAM_INDEX, "DROP INDEX penduduk_nameindex_desa_trgm"]}


class Migration(migrations.Migration):
    dependencies = [("penduduk", "0009_peristiwa_batal")]

    operations = [migrations.RunPython(name_search._run(UP), name_search._run(DOWN))]
