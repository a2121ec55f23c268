"""The words of the residents' names (``NameWord``): one row for each distinct word of each name,
with the name, the resident's id, village, status and deletion; and the list of distinct words
(``Word``), with a trigram index. A search across villages finds the words that hold its fragment
in the short list of words, then reads their residents from the word table's primary key alone,
already near name order.

Why: a fragment holds no space (``name_fragments``), so it is in a name exactly when it is in one
of the name's words. Before, a search across a kabupaten checked the trigram index of a million
names and then each candidate name; the list of distinct words is a few percent of that size.

Both tables are kept by the database from the name table (``penduduk_nameindex``), on every
insert, change and delete, as 0008 keeps that table from the residents':
- SQLite: row triggers split the name with json_each (a trigger allows no WITH); the list of words
  has an FTS5 trigram table. The FTS5 table of whole names (0008) goes: nothing reads it now (a
  search in one village reads that village's names along 0011's index).
- PostgreSQL: statement triggers; the words' trigram index is on UPPER(word), as icontains asks.
  A word leaves the list when its last name goes. The insert holds a KEY SHARE lock on the words it
  uses and the delete locks a word FOR UPDATE before it looks again, with a new snapshot, whether
  any name still uses it: a word another transaction is adding a name to is never removed.
"""

from importlib import import_module

from django.db import migrations, models

name_search = import_module("sidekel.penduduk.migrations.0002_name_search")
name_index = import_module("sidekel.penduduk.migrations.0008_name_index")

COLUMNS = "word, nama, id, desa_id, status_dasar, deleted_at"


def sqlite_words(nama):
    """SQLite: the words of ``nama`` (an SQL expression) as json_each's rows, ``value`` each:
    the name as a JSON string, each space made the end of one string and the start of the next.
    (JSON escapes no space, so every space splits; two spaces give an empty word, left out.)"""
    return f"""json_each('[' || replace(json_quote({nama}), ' ', '","') || ']')"""


def postgres_words(table):
    """PostgreSQL: the rows of ``table`` (with nama) joined to each of their name's words, ``w``."""
    return f"{table} c CROSS JOIN LATERAL unnest(string_to_array(c.nama, ' ')) w WHERE w <> ''"


# --- SQLite ---------------------------------------------------------------------------------------

def _sqlite_add(row):
    return (f"INSERT INTO penduduk_nameword ({COLUMNS}) SELECT DISTINCT value, {row}.nama, {row}.id, {row}.desa_id, "
            f"{row}.status_dasar, {row}.deleted_at FROM {sqlite_words(f'{row}.nama')} WHERE value <> ''; "
            f"INSERT OR IGNORE INTO penduduk_word (word) SELECT value FROM {sqlite_words(f'{row}.nama')} WHERE value <> ''; ")


def _sqlite_remove(row):
    return (f"DELETE FROM penduduk_nameword WHERE word IN (SELECT value FROM {sqlite_words(f'{row}.nama')}) "
            f"AND nama = {row}.nama AND id = {row}.id; ")


def _sqlite_prune(row):
    return (f"DELETE FROM penduduk_word WHERE word IN (SELECT value FROM {sqlite_words(f'{row}.nama')}) "
            "AND NOT EXISTS (SELECT 1 FROM penduduk_nameword n WHERE n.word = penduduk_word.word); ")


SQLITE_TRIGGERS = [
    f"CREATE TRIGGER penduduk_nameword_insert AFTER INSERT ON penduduk_nameindex BEGIN {_sqlite_add('new')}END",
    f"CREATE TRIGGER penduduk_nameword_update AFTER UPDATE ON penduduk_nameindex BEGIN "
    f"{_sqlite_remove('old')}{_sqlite_add('new')}{_sqlite_prune('old')}END",
    f"CREATE TRIGGER penduduk_nameword_delete AFTER DELETE ON penduduk_nameindex BEGIN "
    f"{_sqlite_remove('old')}{_sqlite_prune('old')}END",
    "CREATE TRIGGER penduduk_word_fts_insert AFTER INSERT ON penduduk_word BEGIN "
    "INSERT INTO penduduk_word_fts(rowid, word) VALUES (new.id, new.word); END",
    "CREATE TRIGGER penduduk_word_fts_delete AFTER DELETE ON penduduk_word BEGIN "
    "INSERT INTO penduduk_word_fts(penduduk_word_fts, rowid, word) VALUES ('delete', old.id, old.word); END",
]

# The words of the names with an id above %s (a bulk load's new rows, whose insert trigger was
# dropped: see penduduk.models.residents_inserted_in_bulk), or of all names ("0"). In key order,
# so that each row goes next to the last; a word twice in a name is left out by OR IGNORE, which
# costs less than DISTINCT's sort. The list of words is read off the key, one seek a word.
SQLITE_FILL = [
    f"INSERT OR IGNORE INTO penduduk_nameword ({COLUMNS}) SELECT j.value, n.nama, n.id, n.desa_id, n.status_dasar, "
    f"n.deleted_at FROM penduduk_nameindex n, {sqlite_words('n.nama')} j WHERE n.id > %s AND j.value <> '' "
    "ORDER BY 1, 2, 3",
    "INSERT OR IGNORE INTO penduduk_word (word) SELECT DISTINCT word FROM penduduk_nameword",
]

SQLITE_UP = [
    *[f"DROP TRIGGER penduduk_nama_fts_{event}" for event in ("insert", "update", "delete")],
    "DROP TABLE penduduk_nama_fts",
    "CREATE TABLE penduduk_nameword (word varchar(100) NOT NULL, nama varchar(100) NOT NULL, id integer NOT NULL, "
    "desa_id bigint NOT NULL, status_dasar smallint unsigned NOT NULL, deleted_at datetime NULL, "
    "PRIMARY KEY (word, nama, id)) WITHOUT ROWID",
    "CREATE TABLE penduduk_word (id integer PRIMARY KEY, word varchar(100) NOT NULL UNIQUE)",
    "CREATE VIRTUAL TABLE penduduk_word_fts USING fts5(word, content='penduduk_word', content_rowid='id', "
    "tokenize='trigram')",
    *[sql.replace("%s", "0") for sql in SQLITE_FILL],  # every name (ids above 0)
    "INSERT INTO penduduk_word_fts(penduduk_word_fts) VALUES ('rebuild')",
    *SQLITE_TRIGGERS,
    "ANALYZE penduduk_nameword",
    "ANALYZE penduduk_word",
]
SQLITE_DOWN = [
    *[f"DROP TRIGGER penduduk_nameword_{event}" for event in ("insert", "update", "delete")],
    *[f"DROP TRIGGER penduduk_word_fts_{event}" for event in ("insert", "delete")],
    "DROP TABLE penduduk_word_fts",
    "DROP TABLE penduduk_word",
    "DROP TABLE penduduk_nameword",
    "CREATE VIRTUAL TABLE penduduk_nama_fts USING fts5("
    "nama, content='penduduk_nameindex', content_rowid='id', tokenize='trigram')",
    "INSERT INTO penduduk_nama_fts(penduduk_nama_fts) VALUES ('rebuild')",
    *name_index.FTS_TRIGGERS,
]

# --- PostgreSQL -----------------------------------------------------------------------------------

def _postgres_add(table, *, at_the_end=False):
    """The statements that add the words of the names in ``table``: in the trigger, a statement's
    rows; ``at_the_end`` of a bulk load, all of its names at once (POSTGRES_NOW)."""
    # At the end: in key order, and a name changed during the load has its words already.
    insert = ("SELECT w, c.nama, c.id, c.desa_id, c.status_dasar, c.deleted_at FROM {} ORDER BY 1, 2, 3 "
              "ON CONFLICT DO NOTHING" if at_the_end else
              "SELECT DISTINCT w, c.nama, c.id, c.desa_id, c.status_dasar, c.deleted_at FROM {}")
    return [
        # The words already listed are held (KEY SHARE) until this transaction ends, so that a
        # concurrent removal of their last name cannot take them off the list (_postgres_prune).
        f"{'SELECT' if at_the_end else 'PERFORM'} 1 FROM penduduk_word o "
        f"WHERE o.word IN (SELECT w FROM {postgres_words(table)}) FOR KEY SHARE OF o",
        f"INSERT INTO penduduk_nameword ({COLUMNS}) {insert.format(postgres_words(table))}",
        f"INSERT INTO penduduk_word (word) SELECT DISTINCT w FROM {postgres_words(table)} ON CONFLICT DO NOTHING",
    ]


def _postgres_remove(table):
    return [f"DELETE FROM penduduk_nameword n USING (SELECT DISTINCT w, c.nama, c.id FROM {postgres_words(table)}) o "
            "WHERE n.word = o.w AND n.nama = o.nama AND n.id = o.id"]


def _postgres_prune(table):
    unused = (f"o.word IN (SELECT w FROM {postgres_words(table)}) "
              "AND NOT EXISTS (SELECT 1 FROM penduduk_nameword n WHERE n.word = o.word)")
    # Lock the words that look unused, then look again with a new snapshot (each statement of a
    # volatile function takes one): a transaction that was adding a name with such a word has
    # committed by then, or will find the word gone and list it again.
    return [f"PERFORM 1 FROM penduduk_word o WHERE {unused} FOR UPDATE OF o",
            f"DELETE FROM penduduk_word o WHERE {unused}"]


# A bulk load (penduduk.models.residents_inserted_in_bulk) sets sidekel.words_later for its
# transaction: the insert trigger then only notes the new ids, and POSTGRES_NOW writes their words
# at the end in one statement, in key order, instead of a few thousand names at a time into
# every part of the key.
POSTGRES_LATER = [
    "CREATE TEMPORARY TABLE penduduk_words_later (id bigint NOT NULL) ON COMMIT DROP",
    "SELECT set_config('sidekel.words_later', 'on', true)",
]
POSTGRES_NOW = [
    "SELECT set_config('sidekel.words_later', 'off', true)",
    *_postgres_add("(SELECT n.* FROM penduduk_nameindex n JOIN pg_temp.penduduk_words_later l ON l.id = n.id)",
                   at_the_end=True),
    "DROP TABLE pg_temp.penduduk_words_later",
]


def _postgres_function(name, statements):
    return (f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"{' '.join(f'{sql};' for sql in statements)} RETURN NULL; END $$")


POSTGRES_FUNCTIONS = [
    _postgres_function("penduduk_nameword_insert", [
        "IF current_setting('sidekel.words_later', true) = 'on' THEN "
        "INSERT INTO pg_temp.penduduk_words_later (id) SELECT id FROM changed; RETURN NULL; END IF",
        *_postgres_add("changed")]),
    _postgres_function("penduduk_nameword_update",
                       [*_postgres_remove("gone"), *_postgres_add("changed"), *_postgres_prune("gone")]),
    _postgres_function("penduduk_nameword_delete", [*_postgres_remove("gone"), *_postgres_prune("gone")]),
]
POSTGRES_TRIGGERS = [
    "CREATE TRIGGER penduduk_nameword_insert AFTER INSERT ON penduduk_nameindex "
    "REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION penduduk_nameword_insert()",
    "CREATE TRIGGER penduduk_nameword_update AFTER UPDATE ON penduduk_nameindex "
    "REFERENCING OLD TABLE AS gone NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION penduduk_nameword_update()",
    "CREATE TRIGGER penduduk_nameword_delete AFTER DELETE ON penduduk_nameindex "
    "REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION penduduk_nameword_delete()",
]

POSTGRES_UP = [
    "CREATE TABLE penduduk_nameword (word varchar(100) NOT NULL, nama varchar(100) NOT NULL, id bigint NOT NULL, "
    "desa_id bigint NOT NULL, status_dasar smallint NOT NULL, deleted_at timestamp with time zone NULL)",
    f"INSERT INTO penduduk_nameword ({COLUMNS}) SELECT DISTINCT w, c.nama, c.id, c.desa_id, c.status_dasar, "
    f"c.deleted_at FROM {postgres_words('penduduk_nameindex')}",
    # Built after the fill, from one sort. The other columns ride along in the index, so a search
    # reads the index alone.
    "ALTER TABLE penduduk_nameword ADD CONSTRAINT penduduk_nameword_pkey PRIMARY KEY (word, nama, id) "
    "INCLUDE (desa_id, status_dasar, deleted_at)",
    "CREATE TABLE penduduk_word (word varchar(100) PRIMARY KEY)",
    "INSERT INTO penduduk_word (word) SELECT DISTINCT word FROM penduduk_nameword",
    "CREATE INDEX penduduk_word_trgm ON penduduk_word USING gin ((UPPER(word::text)) gin_trgm_ops)",
    *POSTGRES_FUNCTIONS,
    *POSTGRES_TRIGGERS,
]
# After the commit (VACUUM runs in no transaction): the new table's pages marked visible to all,
# without which PostgreSQL would read each match's row beside the index (and plan for it).
POSTGRES_VACUUM = ["VACUUM (ANALYZE) penduduk_nameword", "VACUUM (ANALYZE) penduduk_word"]
POSTGRES_DOWN = [
    *[f"DROP TRIGGER penduduk_nameword_{event} ON penduduk_nameindex" for event in ("insert", "update", "delete")],
    *[f"DROP FUNCTION penduduk_nameword_{event}()" for event in ("insert", "update", "delete")],
    "DROP TABLE penduduk_word",
    "DROP TABLE penduduk_nameword",
]


class Migration(migrations.Migration):
    atomic = False  # for the VACUUM at the end; the rest is one transaction (atomic=True below)
    dependencies = [("penduduk", "0011_name_index_of_a_village")]

    operations = [
        # The models as Django knows them (so that it empties them with the others, as a test's
        # flush does); the tables as the SQL below makes them, each database its own way.
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name="NameWord",
                fields=[
                    ("pk", models.CompositePrimaryKey("word", "nama", "id", blank=True, editable=False,
                                                      primary_key=True, serialize=False)),
                    ("word", models.CharField(max_length=100)),
                    ("nama", models.CharField(max_length=100)),
                    ("id", models.BigIntegerField()),
                    ("status_dasar", models.PositiveSmallIntegerField()),
                    ("deleted_at", models.DateTimeField(blank=True, null=True)),
                    ("desa", models.ForeignKey(db_constraint=False, db_index=False,
                                               on_delete=models.deletion.DO_NOTHING, related_name="+",
                                               to="wilayah.desa")),
                ],
            ),
            migrations.CreateModel(
                name="Word",
                fields=[("word", models.CharField(max_length=100, primary_key=True, serialize=False))],
            ),
        ]),
        migrations.RunPython(name_search._run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
                             name_search._run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}), atomic=True),
        migrations.RunPython(name_search._run({"postgresql": POSTGRES_VACUUM}), migrations.RunPython.noop,
                             atomic=False),
    ]
