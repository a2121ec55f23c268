"""Audit: what changed in personal data (ObjectChange) and who looked at it (AccessLog).

Services call ``record_change`` in the same transaction as the write; views call ``log_access``
when they show, search or export personal data (UU PDP Pasal 31). The request's address and id
come from ``AuditMiddleware`` through a context variable, so services need only the user.
"""

import contextlib
import functools
import contextvars
import datetime
import ipaddress
import secrets
import uuid
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections, router, transaction
from django.db.models import F
from django.utils import timezone

from .models import AccessLog, DataVersion, ObjectChange

_request = contextvars.ContextVar("sidekel_request", default=None)


class AuditMiddleware:
    """Remember the client address and a request id for the audit records of this request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set({"ip": client_ip(request), "request_id": uuid.uuid4()})
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


def client_ip(request):
    """The client's address, for the whole app: audit, access log, rate limit, login throttle.

    Without ``SIDEKEL_TRUST_X_FORWARDED_FOR`` it is the connection's address. Behind trusted
    proxies it is the address the outermost trusted proxy saw: each proxy appends the address it
    was connected from to ``X-Forwarded-For``, so with ``SIDEKEL_TRUSTED_PROXY_HOPS`` proxies (1:
    nginx alone) it is the entry that many places from the right. Entries further left were sent
    by the client and may be anything; they are never used. A header shorter than the number of
    hops, or an entry that is not an address, means the request did not come the expected way:
    then the connection's address is used.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    if not settings.SIDEKEL_TRUST_X_FORWARDED_FOR:
        return remote
    entries = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    entries = [entry for entry in entries if entry]
    hops = max(1, settings.SIDEKEL_TRUSTED_PROXY_HOPS)
    if len(entries) < hops:
        return remote
    try:
        return str(ipaddress.ip_address(entries[-hops]))
    except ValueError:
        return remote


def request_meta():
    return _request.get() or {"ip": None, "request_id": None}


@contextlib.contextmanager
def acting_for(ip, request_id):
    """Audit records written inside carry this address and request id: a background job's work
    is recorded as coming from the request that started it."""
    token = _request.set({"ip": ip, "request_id": uuid.UUID(str(request_id)) if request_id else None})
    try:
        yield
    finally:
        _request.reset(token)


def _json_value(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (bytes, memoryview)):  # an image: its size, not its bytes
        return f"{len(value)} bytes"
    return value


# Secrets never go into the audit log: an account's password hash, a second factor's key, a
# resident's PIN hash (layanan).
SECRET_FIELDS = {"password", "key", "pin_hash"}


def snapshot(obj):
    """The object's stored fields as JSON-ready values, keyed by attribute name (``desa_id``)."""
    return {f.attname: _json_value(getattr(obj, f.attname)) for f in obj._meta.concrete_fields
            if f.attname not in SECRET_FIELDS}


IGNORED_FIELDS = {"updated_at", "created_at", "version"}


def record_change(obj, user, before=None, action=None, reason=""):
    """Record a create (``before`` None), an update (only the fields that changed) or a delete.

    Returns the ObjectChange, or None when an update changed nothing.
    """
    after = snapshot(obj)
    if action is None:
        action = ObjectChange.Action.CREATE if before is None else ObjectChange.Action.UPDATE
    if action in (ObjectChange.Action.UPDATE, ObjectChange.Action.RESTORE):
        changed = [k for k in after if k not in IGNORED_FIELDS and before.get(k) != after[k]]
        if not changed:
            return None
        before = {k: before[k] for k in changed}
        after = {k: after[k] for k in changed}
    elif action == ObjectChange.Action.DELETE:
        before, after = after if before is None else before, {}
    meta = request_meta()
    data_changed()
    return ObjectChange.objects.create(
        desa_id=getattr(obj, "desa_id", None),
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        object_repr=str(obj)[:200],
        action=action,
        before=before or {},
        after=after,
        user=user if user is not None and user.is_authenticated else None,
        username=getattr(user, "username", "") or "sistem",
        ip=meta["ip"],
        request_id=meta["request_id"],
        reason=reason or "",
    )


def data_changed():
    """Make the data version (``DataVersion``) go up once this transaction commits.

    ``record_change`` calls it, so every audited write does; a write path that inserts its audit
    rows itself (the importer) or changes public data without auditing (loading the region
    list) calls it too. The number goes up *after* the commit, in its own short transaction:
    raised inside, it would lock its row until the commit and make every other writer wait (an
    import holds its transaction for minutes). Between the commit and the increase a public
    answer may still be the one from just before the write, as if the request had come a moment
    earlier; after the increase, never. Called again at the same level of one transaction, it
    counts once (Django's pending on-commit list holds, per entry, the savepoints it belongs to).
    """
    level = set(connection.savepoint_ids)
    if not any(entry[0] == level and entry[1] is _increase_version for entry in connection.run_on_commit):
        transaction.on_commit(_increase_version)


def _increase_version():
    if not DataVersion.objects.filter(pk=1).update(number=F("number") + 1):
        DataVersion.objects.get_or_create(pk=1, defaults={"token": secrets.token_hex(8), "number": 1})


def public_version():
    """(token, number) under which whole public answers are kept (``core.pagecache``). While a
    worker runs, the number it last published (``versioned.publish``, at the end of a round, at
    most once in SIDEKEL_PUBLISH_SECONDS): the answers are then made again once a publication,
    with the figures the worker made, not after each write (operators write all day, and the
    public pages showed the worker's figures anyway).
    Without a worker, the current number, so an answer is never older than the data."""
    from .jobs import worker_alive

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token, number, published FROM {DataVersion._meta.db_table} WHERE id = 1")
        row = cursor.fetchone()
    if row is None:
        return current_version()
    token, number, published = row
    return (token, published) if published and worker_alive() else (token, number)


def current_version():
    """(token, number) of the data version: one query by primary key."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token, number FROM {DataVersion._meta.db_table} WHERE id = 1")
        row = cursor.fetchone()
    if row is None:  # a database emptied by hand (or by a test's flush): start again
        row = DataVersion.objects.get_or_create(pk=1, defaults={"token": secrets.token_hex(8)})[0]
        return row.token, row.number
    return row[0], row[1]


def log_access(user, action, desa_id=None, obj=None, detail=""):
    """Record that ``user`` viewed, searched, exported or revealed personal data."""
    meta = request_meta()
    entry = AccessLog(
        desa_id=desa_id if desa_id is not None else getattr(obj, "desa_id", None),
        user=user if user.is_authenticated else None,
        username=user.get_username() if user.is_authenticated else "",
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=obj.pk if obj is not None else None,
        detail=detail[:500],
        ip=meta["ip"],
    )
    db = connections[router.db_for_write(AccessLog)]
    if db.vendor == "postgresql" and not db.in_atomic_block:
        # A page view should not wait for the disk: PostgreSQL commits this row without waiting
        # for its write-ahead log to reach the disk (a few ms on every list and search). On a
        # power cut the last fraction of a second of read records can be lost; the database is
        # never damaged, and changes to residents keep their full durability.
        _insert_without_waiting(db, entry)
    else:
        entry.save()
    return entry


def _insert_without_waiting(db, entry):
    """INSERT ``entry`` in one statement that is its own transaction and sets, for that
    transaction alone, that its commit does not wait for the disk: one round trip to
    PostgreSQL instead of four (BEGIN, SET LOCAL, INSERT, COMMIT)."""
    fields = [f for f in entry._meta.concrete_fields if not f.primary_key]
    values = [f.get_db_prep_save(f.pre_save(entry, True), connection=db) for f in fields]
    quote = db.ops.quote_name
    sql = (f"INSERT INTO {quote(entry._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
           f"SELECT {', '.join(['%s'] * len(fields))} "
           "FROM (SELECT set_config('synchronous_commit', 'off', true)) AS without_waiting "
           f"RETURNING {quote(entry._meta.pk.column)}")
    with db.cursor() as cursor:
        cursor.execute(sql, values)
        entry.pk = cursor.fetchone()[0]
    entry._state.adding, entry._state.db = False, db.alias


def seen(request, what):
    """Name what a view declared with ``logs_access`` has shown (a record, or a village id), read
    already: its access record takes it instead of asking ``find`` again. Returns ``what``."""
    request.sidekel_seen = what
    return what


_NOT_SAID = object()


def logs_access(action, find=None, detail=None):
    """Declare that a view shows or searches personal data; the access log is then written for it.

    Every answer the view gives with a status below 400 writes one entry: the user, the address,
    ``action``, and ``detail`` (``detail(request, **kwargs)``, by default the URL asked, query
    included). What was seen is what the view named with ``seen(request, ...)``, or else
    ``find(request, **kwargs)``: a record (its village comes with it), a village id, or None. A view
    declared this way never has to remember a call, and the permission matrix's test checks that
    the pages with personal data are declared.
    """
    def declare(view):
        @functools.wraps(view)
        def logged(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if response.status_code < 400 and request.user.is_authenticated:
                found = getattr(request, "sidekel_seen", _NOT_SAID)
                if found is _NOT_SAID:
                    found = find(request, **kwargs) if find else None
                obj = found if hasattr(found, "pk") else None
                text = detail(request, **kwargs) if detail else request.get_full_path()
                log_access(request.user, action, desa_id=None if obj is not None else found, obj=obj, detail=text)
            return response

        logged.access_logged = action
        return logged

    return declare


def prune(model, older_than_days, batch_size=5000):
    """Delete log rows older than the retention period, a batch at a time. Returns the count."""
    cutoff = timezone.now() - datetime.timedelta(days=older_than_days)
    deleted = 0
    while True:
        ids = list(model.objects.filter(at__lt=cutoff).values_list("id", flat=True)[:batch_size])
        if not ids:
            return deleted
        deleted += model.objects.filter(id__in=ids).delete()[0]
