"""Keyset pagination: every page costs the same, however deep, unlike OFFSET.

A page ends with a cursor (the sort value and id of its last row); the next page asks for rows
after it. The cursor is opaque text in the URL (``?setelah=...`` / ``?sebelum=...``).
"""

import base64
import datetime
import json
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet, FieldDoesNotExist, ValidationError
from django.db import connections
from django.db.models import Count, Window


@dataclass
class Page:
    rows: list
    next_cursor: str | None
    prev_cursor: str | None
    total: int | None = None  # every row of the list, when the page was asked to count them


def _encode(value, pk):
    if isinstance(value, datetime.date):
        value = value.isoformat()
    return base64.urlsafe_b64encode(json.dumps([value, pk]).encode()).decode().rstrip("=")


def _decode(cursor, field):
    """(value, pk) from a cursor, or None when it is damaged (a hand-edited URL)."""
    try:
        value, pk = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if isinstance(value, bool) or not isinstance(value, (str, int, float)) or isinstance(pk, bool):
            return None  # a list, an object or null where a sort value belongs
        if isinstance(value, str) and any(ord(c) < 32 or 127 <= ord(c) < 160 for c in value):
            return None  # NUL or control characters: no database should be asked for them
        if isinstance(value, int) and not -2**63 <= value < 2**63 or not -2**63 <= int(pk) < 2**63:
            return None  # beyond a database integer
        if field is not None:
            value = field.to_python(value)  # a date, a time or a number as the column holds it
        return value, int(pk)
    except (ValueError, TypeError, OverflowError, ValidationError):
        return None


def keyset_page(qs, order, after=None, before=None, size=50, values=None, count=False):
    """One page of ``qs`` ordered by ``order`` (a field name, ``-`` for descending), then id.

    The rows are model objects; or, given ``values`` (field names), dicts of those fields (with
    the id and the sort field), read in one query: the cheaper way for a page that shows a few
    plain columns.

    ``count`` (with ``values``): also count the rows of ``qs`` (``Page.total``) in the same
    statement, which reads every row once whichever way (a search's matches are counted as they
    are sorted for its first page).

    A queryset may read its rows its own way: given ``values``, one with ``keyset_rows(ordering,
    fields, limit)`` is asked for the page's rows and ``keyset_count()`` for the count, in
    statements of their own (the words of names: ``penduduk.models.NameWordQuerySet``).
    """
    desc = order.startswith("-")
    name = order.lstrip("-")
    try:
        field = qs.model._meta.get_field(name)
    except FieldDoesNotExist:  # an annotation: text
        field = None
    cursor = _decode(after or before, field) if (after or before) else None
    backwards = before is not None and cursor is not None
    forward_desc = desc != backwards  # walking backwards flips the direction
    if cursor is not None:
        value, pk = cursor
        if name == "id":
            qs = qs.filter(id__lt=pk) if forward_desc else qs.filter(id__gt=pk)
        elif forward_desc:
            qs = qs.filter(**{f"{name}__lte": value}).exclude(**{name: value, "id__gte": pk})
        else:
            qs = qs.filter(**{f"{name}__gte": value}).exclude(**{name: value, "id__lte": pk})
    ordering = [f"-{name}", "-id"] if forward_desc else [name, "id"]
    if name == "id":
        ordering = ordering[:1]
    total = None
    if values is not None:
        if hasattr(qs, "keyset_rows"):  # a queryset that reads a page its own way
            rows = qs.keyset_rows(ordering, list(dict.fromkeys(["id", name, *values])), size + 1)
            total = qs.keyset_count() if count else None
        elif count and not values and plain_fields(qs.model, ("id", name)):
            rows, total = _page_and_count(qs, ordering, size + 1)
        else:
            if count:
                qs, values = qs.annotate(found=Window(Count("*"))), (*values, "found")
            rows = list(qs.order_by(*ordering).values("id", name, *values)[: size + 1])
            if count:
                total = rows[0]["found"] if rows else 0
        more = len(rows) > size
        rows = rows[:size]
    else:
        # Sort and cut on the bare table first, then fetch the page's rows with their joins: the
        # joins then run for 26 rows, not for every match of a search.
        ids = list(qs.order_by(*ordering).values_list("id", flat=True)[: size + 1])
        more = len(ids) > size
        rows = rows_in_order(qs, ids[:size])
    if backwards:
        rows.reverse()
    first, last = (rows[0], rows[-1]) if rows else (None, None)
    has_next = more if not backwards else True
    has_prev = (cursor is not None) if not backwards else more
    key = (lambda row: (row[name], row["id"])) if values is not None else (lambda row: (getattr(row, name), row.pk))
    return Page(
        rows=rows,
        next_cursor=_encode(*key(last)) if rows and has_next else None,
        prev_cursor=_encode(*key(first)) if rows and has_prev else None,
        total=total,
    )


# Columns whose values the database drivers give as Python has them (no Django converter).
PLAIN_TYPES = {"AutoField", "BigAutoField", "IntegerField", "BigIntegerField", "CharField", "TextField"}


def plain_fields(model, fields):
    """Whether each of ``fields`` is a column of ``model`` of PLAIN_TYPES (not an annotation), so
    that a raw statement's values need no Django converter."""
    try:
        return all(model._meta.get_field(f).get_internal_type() in PLAIN_TYPES for f in fields)
    except FieldDoesNotExist:  # an annotation
        return False


def _page_and_count(qs, ordering, limit):
    """The first ``limit`` rows of ``qs`` in ``ordering`` (dicts of the id and sort field, both
    plain columns) and how many rows ``qs`` has, in one statement: the rows are kept once (a
    materialized common table expression), then counted and sorted. Measured faster on SQLite
    than a window count (COUNT(*) OVER ()), and no slower on PostgreSQL (docs/benchmarks.md)."""
    fields = list(dict.fromkeys(["id", *(f.lstrip("-") for f in ordering)]))
    try:
        inner, params = qs.order_by().values(*fields).query.sql_with_params()
    except EmptyResultSet:  # qs.none(), or a filter that can match nothing
        return [], 0
    columns = [f"c{i}" for i in range(len(fields))]
    column = dict(zip(fields, columns))
    order = ", ".join(f"{column[f.lstrip('-')]} {'DESC' if f.startswith('-') else 'ASC'}" for f in ordering)
    sql = (f"WITH m ({', '.join(columns)}) AS MATERIALIZED ({inner}) "
           f"SELECT {', '.join(columns)}, (SELECT COUNT(*) FROM m) FROM m ORDER BY {order} LIMIT {int(limit)}")
    with connections[qs.db].cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    return [dict(zip(fields, row[:-1])) for row in found], found[0][-1] if found else 0


def rows_in_order(qs, ids, values=None):
    """The rows of ``qs`` with these ids, in the order of ``ids``: model objects, or dicts of
    ``values`` (with the id). An id no longer in ``qs`` is left out."""
    if values is None:
        by_id = qs.order_by().in_bulk(ids)
    else:
        by_id = {row["id"]: row for row in qs.order_by().filter(id__in=ids).values("id", *values)}
    return [by_id[pk] for pk in ids if pk in by_id]


def offset_window(request, count, limit, offset, most=100):
    """For an API list paged by ``?limit=&offset=`` (short lists, where OFFSET costs little): the
    bounded (limit, offset) and the absolute URL of the next page, or None on the last."""
    limit, offset = max(1, min(limit, most)), max(0, offset)
    next_url = None
    if offset + limit < count:
        query = request.GET.copy()
        query["offset"] = offset + limit
        query["limit"] = limit
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    return limit, offset, next_url
