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

from django.core.management.color import no_style
from django.db import connection, models


def _adapter(field):
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        return _remembered(connection.ops.adapt_datetimefield_value)  # mostly one "now" per batch
    if kind == "DateField":
        return connection.ops.adapt_datefield_value
    if kind == "JSONField":
        return lambda value: connection.ops.adapt_json_value(value, field.encoder)
    if kind == "UUIDField":
        return lambda value: field.get_db_prep_save(value, connection)
    return None


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
    attnames = [f.attname for f in fields]
    defaults = [f.get_default() if f.has_default() else None for f in fields]
    adapters = [(i, a) for i, a in enumerate(map(_adapter, fields)) if a]
    qn = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        qn(model._meta.db_table), ", ".join(qn(f.column) for f in fields), ", ".join(["%s"] * len(fields))
    )
    columns = list(zip(attnames, defaults))
    if connection.vendor == "postgresql":
        copy_sql = "COPY {} ({}) FROM STDIN".format(
            qn(model._meta.db_table), ", ".join(qn(f.column) for f in fields))
        with connection.cursor() as cursor, cursor.cursor.copy(copy_sql) as copy:
            for row in rows:
                value = [row.get(name, default) for name, default in columns]
                for i, adapt in adapters:
                    if value[i] is not None:
                        value[i] = adapt(value[i])
                copy.write_row(value)
        return
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            values = []
            for row in rows[start : start + batch_size]:
                value = [row.get(name, default) for name, default in columns]
                for i, adapt in adapters:
                    if value[i] is not None:
                        value[i] = adapt(value[i])
                values.append(value)
            cursor.executemany(sql, values)


class IdBlock:
    """Hands out primary keys above the current maximum of a model's table."""

    def __init__(self, model):
        self.model = model
        self.next = (model.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1

    def take(self):
        value = self.next
        self.next += 1
        return value


def reset_sequences(*model_classes):
    """After inserting explicit ids, move PostgreSQL's id sequences past them (no-op on SQLite)."""
    statements = connection.ops.sequence_reset_sql(no_style(), model_classes)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def analyze(*model_classes):
    """Refresh the query planner's statistics after a bulk load (both databases have ANALYZE).

    Without them, the planner guesses on a table that grew from nothing to a million rows and
    may pick a full scan where an index answers in a millisecond.
    """
    with connection.cursor() as cursor:
        for model in model_classes:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")

