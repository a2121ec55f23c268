"""A narrow copy of the residents' names (``NameIndex``) that name searches read instead of the
residents' table, kept in step by the database itself.

Why: a search for a common fragment ("sari") across a kabupaten matches tens of thousands of
residents, and the page must sort them all by name and count them. Reading them from the
residents' table (hundreds of bytes a row, larger than PostgreSQL's buffers) took 120-300 ms at
1,000,000 residents; the narrow table holds only what the search needs and stays in memory.

The name index moves to the new table:
- SQLite: the FTS5 trigram table of migration 0002 now takes its names from penduduk_nameindex;
  triggers copy each insert, change and delete of a resident into it, and from it into FTS5.
- PostgreSQL: the pg_trgm index moves from penduduk_penduduk to penduduk_nameindex; statement
  triggers copy each statement's rows (COPY included) in one INSERT, UPDATE or DELETE.

A later migration that rebuilds penduduk_penduduk on SQLite (altering a field does) drops its
triggers and must make them again from PENDUDUK_TRIGGERS["sqlite"], as 0004 did for 0002's.
"""

from importlib import import_module

import django.db.models.deletion
import sidekel.penduduk.models
from django.db import migrations, models

name_search = import_module("sidekel.penduduk.migrations.0002_name_search")

COLUMNS = "id, desa_id, nama, status_dasar, deleted_at"

# The residents' table -> penduduk_nameindex (the same trigger names on both databases).
PENDUDUK_TRIGGERS = {
    "sqlite": [
        "CREATE TRIGGER penduduk_nameindex_insert AFTER INSERT ON penduduk_penduduk BEGIN "
        f"INSERT INTO penduduk_nameindex ({COLUMNS}) "
        "VALUES (new.id, new.desa_id, new.nama, new.status_dasar, new.deleted_at); END",
        "CREATE TRIGGER penduduk_nameindex_update AFTER UPDATE OF desa_id, nama, status_dasar, deleted_at "
        "ON penduduk_penduduk WHEN old.desa_id IS NOT new.desa_id OR old.nama IS NOT new.nama "
        "OR old.status_dasar IS NOT new.status_dasar OR old.deleted_at IS NOT new.deleted_at BEGIN "
        "UPDATE penduduk_nameindex SET desa_id = new.desa_id, nama = new.nama, status_dasar = new.status_dasar, "
        "deleted_at = new.deleted_at WHERE id = new.id; END",
        "CREATE TRIGGER penduduk_nameindex_delete AFTER DELETE ON penduduk_penduduk BEGIN "
        "DELETE FROM penduduk_nameindex WHERE id = old.id; END",
    ],
    "postgresql": [
        "CREATE TRIGGER penduduk_nameindex_insert AFTER INSERT ON penduduk_penduduk "
        "REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION penduduk_nameindex_insert()",
        "CREATE TRIGGER penduduk_nameindex_update AFTER UPDATE ON penduduk_penduduk "
        "REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION penduduk_nameindex_update()",
        "CREATE TRIGGER penduduk_nameindex_delete AFTER DELETE ON penduduk_penduduk "
        "REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION penduduk_nameindex_delete()",
    ],
}

POSTGRES_FUNCTIONS = [
    "CREATE FUNCTION penduduk_nameindex_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"INSERT INTO penduduk_nameindex ({COLUMNS}) SELECT {COLUMNS} FROM changed; RETURN NULL; END $$",
    "CREATE FUNCTION penduduk_nameindex_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "UPDATE penduduk_nameindex n SET desa_id = r.desa_id, nama = r.nama, status_dasar = r.status_dasar, "
    "deleted_at = r.deleted_at FROM changed r WHERE n.id = r.id AND (n.desa_id, n.nama, n.status_dasar, n.deleted_at) "
    "IS DISTINCT FROM (r.desa_id, r.nama, r.status_dasar, r.deleted_at); RETURN NULL; END $$",
    "CREATE FUNCTION penduduk_nameindex_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "DELETE FROM penduduk_nameindex n USING changed r WHERE n.id = r.id; RETURN NULL; END $$",
]

# penduduk_nameindex -> the FTS5 trigram table (SQLite).
FTS_TRIGGERS = [
    "CREATE TRIGGER penduduk_nama_fts_insert AFTER INSERT ON penduduk_nameindex BEGIN "
    "INSERT INTO penduduk_nama_fts(rowid, nama) VALUES (new.id, new.nama); END",
    "CREATE TRIGGER penduduk_nama_fts_delete AFTER DELETE ON penduduk_nameindex BEGIN "
    "INSERT INTO penduduk_nama_fts(penduduk_nama_fts, rowid, nama) VALUES ('delete', old.id, old.nama); END",
    "CREATE TRIGGER penduduk_nama_fts_update AFTER UPDATE OF nama ON penduduk_nameindex "
    "WHEN old.nama IS NOT new.nama BEGIN "
    "INSERT INTO penduduk_nama_fts(penduduk_nama_fts, rowid, nama) VALUES ('delete', old.id, old.nama); "
    "INSERT INTO penduduk_nama_fts(rowid, nama) VALUES (new.id, new.nama); END",
]

# The trigram index on the names, as 0002 made it on the residents' table.
TRIGRAM_INDEX = ("CREATE INDEX penduduk_nameindex_trgm ON penduduk_nameindex "
                 "USING gin ((UPPER(nama::text)) gin_trgm_ops)")

FILL = f"INSERT INTO penduduk_nameindex ({COLUMNS}) SELECT {COLUMNS} FROM penduduk_penduduk"

UP = {
    "sqlite": [
        *name_search.SQLITE_DOWN,  # the FTS table and its triggers on the residents' table
        FILL,
        "CREATE VIRTUAL TABLE penduduk_nama_fts USING fts5("
        "nama, content='penduduk_nameindex', content_rowid='id', tokenize='trigram')",
        "INSERT INTO penduduk_nama_fts(penduduk_nama_fts) VALUES ('rebuild')",
        *FTS_TRIGGERS,
        *PENDUDUK_TRIGGERS["sqlite"],
    ],
    "postgresql": [
        FILL,
        TRIGRAM_INDEX,
        *name_search.POSTGRES_DOWN,  # the trigram index on the residents' table
        *POSTGRES_FUNCTIONS,
        *PENDUDUK_TRIGGERS["postgresql"],
        "ANALYZE penduduk_nameindex",
    ],
}
DOWN = {
    "sqlite": [
        "DROP TRIGGER penduduk_nameindex_insert",
        "DROP TRIGGER penduduk_nameindex_update",
        "DROP TRIGGER penduduk_nameindex_delete",
        "DROP TRIGGER penduduk_nama_fts_insert",
        "DROP TRIGGER penduduk_nama_fts_delete",
        "DROP TRIGGER penduduk_nama_fts_update",
        "DROP TABLE penduduk_nama_fts",
        *name_search.SQLITE_UP,
    ],
    "postgresql": [
        "DROP TRIGGER penduduk_nameindex_insert ON penduduk_penduduk",
        "DROP TRIGGER penduduk_nameindex_update ON penduduk_penduduk",
        "DROP TRIGGER penduduk_nameindex_delete ON penduduk_penduduk",
        "DROP FUNCTION penduduk_nameindex_insert()",
        "DROP FUNCTION penduduk_nameindex_update()",
        "DROP FUNCTION penduduk_nameindex_delete()",
        *[sql for sql in name_search.POSTGRES_UP if sql.startswith("CREATE INDEX")],
    ],
}


class Migration(migrations.Migration):
    dependencies = [
        ("penduduk", "0007_restore_one_head_constraint"),
        ("wilayah", "0003_desa_profil"),
    ]

    operations = [
        migrations.CreateModel(
            name="NameIndex",
            fields=[
                ("id", sidekel.penduduk.models.RowIdField(primary_key=True, serialize=False)),
                ("nama", models.CharField(max_length=100)),
                ("status_dasar", models.PositiveSmallIntegerField()),
                ("deleted_at", models.DateTimeField(blank=True, null=True)),
                ("desa", models.ForeignKey(db_constraint=False, db_index=False,
                                           on_delete=django.db.models.deletion.DO_NOTHING, related_name="+",
                                           to="wilayah.desa")),
            ],
        ),
        migrations.RunPython(name_search._run(UP), name_search._run(DOWN)),
    ]
