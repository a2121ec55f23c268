"""A trigram index on residents' names, so "part of a name" is found fast at a kabupaten's size.

SQLite: an FTS5 table with the trigram tokenizer, kept in step by triggers.
PostgreSQL: the pg_trgm extension and a GIN index on UPPER(nama), which icontains uses.
"""

from django.db import migrations

SQLITE_UP = [
    "CREATE VIRTUAL TABLE penduduk_nama_fts USING fts5("
    "nama, content='penduduk_penduduk', content_rowid='id', tokenize='trigram')",
    "INSERT INTO penduduk_nama_fts(penduduk_nama_fts) VALUES ('rebuild')",
    "CREATE TRIGGER penduduk_nama_fts_insert AFTER INSERT ON penduduk_penduduk BEGIN "
    "INSERT INTO penduduk_nama_fts(rowid, nama) VALUES (new.id, new.nama); END",
    "CREATE TRIGGER penduduk_nama_fts_delete AFTER DELETE ON penduduk_penduduk BEGIN "
    "INSERT INTO penduduk_nama_fts(penduduk_nama_fts, rowid, nama) VALUES ('delete', old.id, old.nama); END",
    "CREATE TRIGGER penduduk_nama_fts_update AFTER UPDATE OF nama ON penduduk_penduduk BEGIN "
    "INSERT INTO penduduk_nama_fts(penduduk_nama_fts, rowid, nama) VALUES ('delete', old.id, old.nama); "
    "INSERT INTO penduduk_nama_fts(rowid, nama) VALUES (new.id, new.nama); END",
]
SQLITE_DOWN = [
    "DROP TRIGGER penduduk_nama_fts_update",
    "DROP TRIGGER penduduk_nama_fts_delete",
    "DROP TRIGGER penduduk_nama_fts_insert",
    "DROP TABLE penduduk_nama_fts",
]
POSTGRES_UP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX penduduk_nama_trgm ON penduduk_penduduk USING gin ((UPPER(nama::text)) gin_trgm_ops)",
]
POSTGRES_DOWN = ["DROP INDEX penduduk_nama_trgm"]


def _run(statements):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("penduduk", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        ),
    ]
