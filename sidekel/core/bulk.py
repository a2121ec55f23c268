"""Fast bulk inserts for the demo builder and imports.

Django's ``bulk_create`` spends most of its time compiling SQL per value; for hundreds of
thousands of rows that is the bottleneck, not the database. ``insert_objects`` writes unsaved model
instances with one ``executemany`` on SQLite, and with ``COPY ... FROM STDIN`` on PostgreSQL:
Django's psycopg cursors bind parameters on the client, so an ``executemany`` there quotes every
value into SQL text and the server parses and plans one INSERT per row (100,000 residents with
their audit rows: about 40 s of server CPU and 20 s of quoting in Python; COPY does it in a few
seconds). The caller assigns primary keys up front (``IdBlock``), so related rows can point at
each other before anything is written. No signals, no ``auto_now``: callers set every value
themselves. Like any statement, both run inside the caller's transaction.
"""

import json
import os
from collections import deque
from contextlib import contextmanager
from itertools import islice

from django.core.management.color import no_style
from django.db import OperationalError, connection, models, transaction


def _adapter(field):
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        return _remembered(connection.ops.adapt_datetimefield_value)  # mostly one "now" per batch
    if kind == "DateField":
        return connection.ops.adapt_datefield_value
    if kind == "JSONField":
        # The JSON text: what SQLite stores, and what PostgreSQL's COPY reads (psycopg's Jsonb
        # wrapper would be dumped again for every row, constants included).
        return lambda value: value if type(value) is JsonText else json.dumps(value, cls=field.encoder)
    if kind == "UUIDField":
        return lambda value: field.get_db_prep_save(value, connection)
    return None


class JsonText(str):
    """A JSONField's value already written as JSON text, inserted as it is: for a value made by
    the same template on every row, formatting it costs less than encoding a dict each time."""


def _remembered(adapt):
    seen = {}

    def cached(value):
        if value not in seen:
            if len(seen) > 1000:
                seen.clear()
            seen[value] = adapt(value)
        return seen[value]
    return cached


def insert_objects(model, objs, batch_size=5000):
    """INSERT ``objs`` (unsaved instances with their pk set) in batches of ``batch_size``."""
    insert_rows(model, [vars(obj) for obj in objs], batch_size)


def insert_rows(model, rows, batch_size=5000):
    """INSERT ``rows``, dicts of column attribute names (``desa_id``) to values, with their pk set.

    A field missing from a row gets its default (computed once per call) or NULL. Building the
    dicts without model instances is about twice as fast for a million rows.
    """
    if not rows:
        return
    fields = model._meta.concrete_fields
    columns = [(f.attname, f.get_default() if f.has_default() else None) for f in fields]
    insert_values(model, [name for name, _default in columns],
                  ([row.get(name, default) for name, default in columns] for row in rows), batch_size=batch_size)


def insert_values(model, columns, rows, constants=None, batch_size=5000):
    """INSERT ``rows``, each a list of values for ``columns`` (attribute names, pk included), in that order.

    ``constants`` ({attribute name: value}) are the same for every row: adapted once and added to
    each. Every other field gets its default (computed once per call) or NULL. A list per row
    costs less than a dict per row (``insert_rows``) when the caller can build the list directly.
    """
    by_name = {f.attname: f for f in model._meta.concrete_fields}
    constants = dict(constants or {})
    for name, field in by_name.items():
        if name not in columns and name not in constants:
            constants[name] = field.get_default() if field.has_default() else None
    tail = []
    for name, value in constants.items():
        adapt = _adapter(by_name[name])
        tail.append(adapt(value) if adapt and value is not None else value)
    names = list(columns) + list(constants)
    adapters = [(i, a) for i, a in enumerate(_adapter(by_name[name]) for name in columns) if a]
    qn = connection.ops.quote_name
    table, column_list = qn(model._meta.db_table), ", ".join(qn(by_name[name].column) for name in names)

    def prepared():
        """Each row as the database takes it: the columns' values adapted, then the constants."""
        for row in rows:
            value = list(row) + tail
            for i, adapt in adapters:
                if value[i] is not None:
                    value[i] = adapt(value[i])
            yield value

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
            for value in prepared():
                copy.write_row(value)
        return
    sql = f"INSERT INTO {table} ({column_list}) VALUES ({', '.join(['%s'] * len(names))})"
    values = prepared()
    with connection.cursor() as cursor:
        while batch := list(islice(values, batch_size)):
            cursor.executemany(sql, batch)


class IdBlock:
    """Hands out primary keys for rows inserted in bulk with their ids written out.

    On PostgreSQL the ids come from the table's own sequence, a chunk at a time
    (``nextval`` over ``generate_series``): an ordinary insert in another session while a long
    import runs takes the sequence's next value and can never get an id the import holds. On SQLite
    the import holds the database's one write lock from its first write to its commit, so the ids
    above the table's current maximum are its own.
    """

    CHUNK = 50_000

    def __init__(self, model):
        self.model = model
        self.sequence = None
        self.buffer = deque()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [model._meta.db_table, model._meta.pk.column])
                self.sequence = cursor.fetchone()[0]
        else:
            self.next = (model.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1

    def take(self):
        if self.sequence is None:
            value = self.next
            self.next += 1
            return value
        if not self.buffer:
            with connection.cursor() as cursor:
                cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [self.sequence, self.CHUNK])
                self.buffer.extend(row[0] for row in cursor.fetchall())
        return self.buffer.popleft()


def reset_sequences(*model_classes):
    """After inserting explicit ids, move SQLite's id counters past them. On PostgreSQL the ids came
    from the sequences themselves (IdBlock); setting a sequence to the table's maximum could move it
    back below ids another session holds, so nothing is done there."""
    if connection.vendor == "postgresql":
        return
    statements = connection.ops.sequence_reset_sql(no_style(), model_classes)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def analyze(*model_classes):
    """Refresh the query planner's statistics after a bulk load (both databases have ANALYZE).

    Without them, the planner guesses on a table that grew from nothing to a million rows and
    may pick a full scan where an index answers in a millisecond. On PostgreSQL, outside a
    transaction, VACUUM also marks the new rows visible to all, which lets statistics count
    from the index alone (a 100,000-resident village: 200 ms from the table, a few ms from the
    index) without waiting for autovacuum to get round to it.

    On PostgreSQL only the columns the tables' indexes hold are analyzed: the statistics the
    planner's choice between those indexes rests on (SQLite's ANALYZE measures its indexes only).
    The other columns (addresses, the audit rows' JSON) would cost as much again; a column list
    does not count as a full ANALYZE, so where autovacuum runs (PostgreSQL's default) it analyzes
    the whole table at its next round. A table with an index on an expression that is not a
    B-tree (the names' trigram index) is analyzed whole: the planner estimates a search through
    it from the statistics of the index's expression, which only a whole ANALYZE gathers.
    """
    command = "ANALYZE"
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        command = "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for model in model_classes:
            table = model._meta.db_table
            columns = ""
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT EXISTS (SELECT 1 FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
                    "JOIN pg_am m ON m.oid = i.relam WHERE x.indrelid = %s::regclass AND x.indexprs IS NOT NULL "
                    "AND m.amname <> 'btree'), ARRAY(SELECT DISTINCT a.attname FROM pg_index x JOIN pg_attribute a "
                    "ON a.attrelid = x.indrelid AND a.attnum = ANY(x.indkey) WHERE x.indrelid = %s::regclass ORDER BY 1)",
                    [table, table])
                whole, names = cursor.fetchone()
                if names and not whole:
                    columns = f" ({', '.join(connection.ops.quote_name(name) for name in names)})"
            cursor.execute(f"{command} {connection.ops.quote_name(table)}{columns}")


# A load of at least this many rows, into a table that has at most as many, builds the table's
# secondary indexes once at the end instead of row by row (see indexes_built_after_insert).
REBUILD_INDEXES_FROM = 10_000


@contextmanager
def indexes_built_after_insert(model, adding):
    """Inside one transaction that inserts ``adding`` rows into ``model``'s table: when the load at
    least doubles the table (and is not small), drop its secondary indexes first and build each
    once at the end, from a sort of the whole table, instead of updating it on every insert.

    The secondary indexes are every index of the table that checks nothing (not its primary key,
    not a unique index, backing no constraint), read from the database's catalogue with the
    statement that made each: those of ``Meta.indexes``, the fields' own (``db_index``, foreign
    keys) and those a migration made in raw SQL, exactly as they are (so an unapplied migration is
    left alone). Unique indexes and constraints stay: they check every row as it comes. On
    PostgreSQL the table's foreign keys are dropped too and added again at the end (exactly as
    ``pg_get_constraintdef`` described them): adding one checks every row in one join, where a
    foreign key in place checks each row with a query of its own (three per resident). Adding
    them locks the tables they point to (villages, families, RTs, households) against writes,
    from then until the commit that follows.

    All or nothing: both databases roll DDL back with the transaction, so an exception, a
    cancelled import or a killed process leaves every index as it was; only a commit needs the
    rebuild, and the rebuild runs before it. The cost is a lock. On PostgreSQL, DROP INDEX takes
    an ACCESS EXCLUSIVE lock on the table until the transaction ends: nobody can even read the
    table (every resident page of every village waits) until the import commits or is undone.
    Hence only for a load that at least doubles the table (a new installation's first import, a
    kecamatan moving in), where the rebuild is a large share of the time; and the lock is taken
    with a timeout, so an import does not queue every reader behind a long query: if the table
    is busy, the indexes are kept and updated row by row. On SQLite the import's transaction
    holds the database's write lock anyway, and readers (WAL) go on seeing the committed
    indexes, so nothing changes for them.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("indexes_built_after_insert() must run inside transaction.atomic()")
    table = model._meta.db_table
    qn = connection.ops.quote_name
    if adding < REBUILD_INDEXES_FROM or adding < model._base_manager.count():
        yield False
        return
    if connection.vendor == "postgresql" and not _locked_without_waiting(table):
        yield False
        return
    indexes = _secondary_indexes(table)
    # Only when this is the outermost transaction: inside a savepoint, PostgreSQL may still hold
    # trigger events of the outer transaction on the tables the keys point to, and then refuses to
    # add a key to them.
    foreign_keys = (_foreign_keys(table) if connection.vendor == "postgresql" and len(connection.atomic_blocks) == 1
                    else [])
    with connection.cursor() as cursor:
        for name, _sql in indexes:
            cursor.execute(f"DROP INDEX {qn(name)}")
        for name, _definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {qn(table)} DROP CONSTRAINT {qn(name)}")
    yield True
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # PostgreSQL builds no index on a table with pending trigger events: the foreign key
            # checks Django defers to the commit. Run them now (the commit would run them anyway).
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        # The sorts that build an index may use every CPU core (one by default; docs/benchmarks.md).
        with sqlite_pragma("threads", os.cpu_count() or 1):
            for _name, sql in indexes:
                cursor.execute(sql)
        for name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {qn(table)} ADD CONSTRAINT {qn(name)} {definition}")


@contextmanager
def sqlite_pragma(name, value):
    """On SQLite, ``PRAGMA name = value`` (an integer) for the block, then as it was; elsewhere nothing."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        before = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA {name} = {int(value)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA {name} = {before}")


def _secondary_indexes(table):
    """[(name, the statement that makes it)] of ``table``'s indexes that check nothing: not the
    primary key, not unique, backing no constraint (as the catalogue describes them)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # An index made by a constraint (the primary key, UNIQUE) has no statement of its own.
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                           "AND sql IS NOT NULL ORDER BY name", [table])
            return [(name, sql) for name, sql in cursor.fetchall()
                    if not sql.lstrip().upper().startswith("CREATE UNIQUE")]
        cursor.execute("SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
                       "WHERE x.indrelid = %s::regclass AND NOT x.indisunique AND NOT x.indisprimary "
                       "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) ORDER BY 1",
                       [table])
        return cursor.fetchall()


def _foreign_keys(table):
    """PostgreSQL: [(name, definition)] of ``table``'s foreign keys, as ``ADD CONSTRAINT`` takes them."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                       "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname", [table])
        return cursor.fetchall()


def _locked_without_waiting(table, timeout="5s"):
    """Take PostgreSQL's ACCESS EXCLUSIVE lock on ``table`` for the rest of the transaction, waiting
    at most ``timeout`` for the queries that read it; False if they take longer."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('lock_timeout')")
        before = cursor.fetchone()[0]
        try:
            with transaction.atomic():  # a savepoint: a timeout must not spoil the import's transaction
                cursor.execute("SELECT set_config('lock_timeout', %s, true)", [timeout])
                cursor.execute(f"LOCK TABLE {connection.ops.quote_name(table)} IN ACCESS EXCLUSIVE MODE")
        except OperationalError:
            return False
        finally:
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [before])
    return True
