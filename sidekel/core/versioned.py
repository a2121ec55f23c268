"""Results remembered until the data they come from changes, and figures the worker keeps up to date.

``cached``: per village. Every write path records an audited change (core.audit), so the id of a
village's newest ObjectChange is a version number of all its data: a result stored under that
number is never stale. One query reads the versions of any number of villages, one the stored
results (``StoredFigure``: one row per key and village, in the database, so every process of the
server shares them and a restart keeps them).

``cached(..., maintained=True)``: figures that pages show (the statistics of today). They are
made by the worker right after a change, not by the request that comes first: while a worker
runs (``jobs.worker_alive``), a village's maintained figures are those of the version in its
``FigureVersion`` row, which the worker moves on once it has made the figures of the newer data
(``refresh``). A page asked in the meantime shows the figures from just before the change. Without
a worker (tests, ``runserver``) and for a village the worker has not made yet (or not today),
they are made on request at the current version, as ``cached`` does.

``cached_until_any_change``: for small results that also depend on what is changed without an
audit record (the region list, a village's name for its dusun), under the installation's data
version (``core.DataVersion``, raised after every write, audited or not), in Django's cache.

Apps say what the worker makes for a changed village with ``maintain(villages, make, after)``:
``villages()`` lists the villages, ``make(desa_id)`` asks for that village's maintained figures
of today (through ``cached(..., maintained=True)``, which stores them), and ``after(desa_ids)``
makes what is made of several villages' figures (the kecamatan's public drawings) once they are
all made; then the versions move on together.
"""

import contextlib
import contextvars
import datetime
import hashlib
import logging
import pickle
import time

from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from sidekel.core.models import DataVersion, FigureVersion, ObjectChange, StoredFigure

CACHE_SECONDS = 24 * 3600
KEEP_DAYS = 3  # stored results not made again for this long are removed by the worker
logger = logging.getLogger(__name__)


# Within one GET or HEAD request (VersionsOfRequestMiddleware): {"data" or "figure": {desa_id: version}},
# so that the request reads each village's versions once and all its figures are of the same versions.
_REQUEST = contextvars.ContextVar("sidekel_versions_of_request", default=None)


class VersionsOfRequestMiddleware:
    """A page that reads many figures asks for the villages' versions once (see _REQUEST). Only for
    GET and HEAD: a request that writes must see the versions its own writes made."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        with remembering():
            return self.get_response(request)


@contextlib.contextmanager
def remembering():
    """Inside: each village's versions are read once (a GET request; a round of the worker, which
    makes many figures of the same villages)."""
    token = _REQUEST.set({"data": {}, "figure": {}})
    try:
        yield
    finally:
        _REQUEST.reset(token)


def once_per_request(key, compute):
    """compute(), once within a GET request or a round of the worker (``remembering``) and every
    time outside one: for what several figures of one page ask again (a kecamatan's villages)."""
    memory = _REQUEST.get()
    if memory is None:
        return compute()
    known = _once(memory)
    if key not in known:
        known[key] = compute()
    return known[key]


def _once(memory):
    """The request's memory of what ``once_per_request`` computed: {key: result}."""
    return memory.setdefault("once", {})


def _remembered(kind, desa_ids, read):
    """read(ids) -> {id: version}, through the request's memory when there is one."""
    memory = _REQUEST.get()
    if memory is None:
        return read(desa_ids)
    known = memory[kind]
    missing = [d for d in {int(i) for i in desa_ids} if d not in known]
    if missing:
        known.update(read(missing))
    return {int(d): known[int(d)] for d in desa_ids}


def data_versions(desa_ids):
    """{desa_id: id of the village's newest audited change, 0 if none} (every write path audits), in
    one query: one index seek per village on (desa, id)."""
    return _remembered("data", desa_ids, _data_versions)


def _data_versions(desa_ids):
    ids = sorted({int(i) for i in desa_ids})
    if not ids:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(*_newest_changes(ids))
        return {desa_id: version or 0 for desa_id, version in cursor.fetchall()}


def _newest_changes(ids):
    """(SQL, parameters) of rows (owner, newest): each village's id and the id of its newest
    audited change (NULL if none), one index seek per village on (desa, id)."""
    # One row per village from a VALUES list (its column is column1 on both databases) and one
    # correlated subquery: planned once, where a UNION of one SELECT per village was planned per
    # village, which on PostgreSQL cost more than running it.
    table = connection.ops.quote_name(ObjectChange._meta.db_table)
    values = ", ".join(["(%s)"] * len(ids))
    sql = (f"SELECT v.column1 AS owner, (SELECT MAX(id) FROM {table} WHERE desa_id = v.column1) AS newest "
           f"FROM (VALUES {values}) AS v")
    return sql, list(ids)


# While the worker makes a village's figures, the version they are made for: {desa_id: version}.
_MAKING = contextvars.ContextVar("sidekel_figures_making", default={})


def figure_versions(desa_ids):
    """{desa_id: the version of the village's maintained figures}: the data version, or with a
    worker running, the version the worker last made them at today (maybe just before a change)."""
    versions = _remembered("figure", desa_ids, _figure_versions)
    making = _MAKING.get()
    return {d: making.get(d, v) for d, v in versions.items()}


def _figure_versions(desa_ids):
    from .jobs import worker_alive

    versions = data_versions(desa_ids)
    if worker_alive():
        made = dict(FigureVersion.objects.filter(desa_id__in=list(versions), day=timezone.localdate())
                    .values_list("desa_id", "version"))
        versions = {d: made.get(d, v) for d, v in versions.items()}
    return versions


def versions_key(versions):
    """A short text naming a mapping {key: value}, sorted by key: the versions of several villages
    {desa_id: version}, or the cells a drawing is made of (for the key of a result made of them)."""
    text = ",".join(f"{i}:{versions[i]}" for i in sorted(versions))
    return hashlib.sha1(text.encode()).hexdigest()[:16]


def _read(owners, key):
    rows = StoredFigure.objects.filter(key=key, owner__in=list(owners)).values_list("owner", "version", "value")
    return {owner: (version, value) for owner, version, value in rows}


def _data_versions_and_read(desa_ids, key):
    """(``data_versions(desa_ids)``, ``_read(desa_ids, key)``) in one statement when the request
    does not know the versions yet (a list page's one count: a round trip fewer). Within a
    request, the installation's data version (``request_data_version``) is read with them."""
    ids = sorted({int(i) for i in desa_ids})
    memory = _REQUEST.get()
    if not ids or (memory is not None and all(i in memory["data"] for i in ids)):
        return data_versions(ids), _read(ids, key)
    qn = connection.ops.quote_name
    figures, installation = qn(StoredFigure._meta.db_table), qn(DataVersion._meta.db_table)
    newest, params = _newest_changes(ids)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT v.owner, v.newest, f.version, f.value, d.token, d.number FROM ({newest}) v "
                       f"LEFT JOIN {figures} f ON f.owner = v.owner AND f.key = %s "
                       f"LEFT JOIN {installation} d ON d.id = 1", params + [key])
        rows = cursor.fetchall()
    versions = {row[0]: row[1] or 0 for row in rows}
    if memory is not None:
        memory["data"].update(versions)
        if rows and rows[0][4] is not None:
            _once(memory).setdefault(DATA_VERSION, (rows[0][4], rows[0][5]))
    return versions, {row[0]: (row[2], row[3]) for row in rows if row[2] is not None}


DATA_VERSION = "data-version"  # the request's memory of the installation's (token, number)


def request_data_version():
    """``audit.current_version()``, read once within a GET request or a round of the worker (with
    the villages' versions, when the request reads those first)."""
    from sidekel.core.audit import current_version

    return once_per_request(DATA_VERSION, current_version)


def _store(key, made):
    """Keep {owner: (version, value)}; a busy database (SQLite while an import writes) keeps nothing."""
    now = timezone.now()
    rows = [StoredFigure(owner=owner, key=key, version=str(version), value=pickle.dumps(value, pickle.HIGHEST_PROTOCOL),
                         made_at=now) for owner, (version, value) in made.items()]
    try:
        with transaction.atomic():
            StoredFigure.objects.bulk_create(rows, update_conflicts=True, unique_fields=["key", "owner"],
                                             update_fields=["version", "value", "made_at"])
    except DatabaseError:
        logger.info("stored figures of %s not kept: the database is busy", key)


def stored(owners_versions, key, compute, found=None):
    """{owner: compute(owner)}, each kept in the database under owners_versions[owner]; only the owners
    whose stored version differs are computed. ``found``: what is stored, read already."""
    if found is None:
        found = _read(owners_versions, key)
    result, fresh = {}, {}
    for owner, version in owners_versions.items():
        row = found.get(owner)
        if row is not None and row[0] == str(version):
            result[owner] = pickle.loads(row[1])
        else:
            result[owner] = compute(owner)
            fresh[owner] = (version, result[owner])
    if fresh:
        _store(key, fresh)
    return result


def cached(desa_ids, key, compute, *, maintained=False):
    """{desa_id: compute(desa_id)}, each kept until that village's data changes (``maintained``: the
    figures of the version the worker made, see the module's text).

    One query finds the villages' versions and reads what is stored (two for maintained figures,
    or when the request knows the versions already); only the villages changed since are computed.
    """
    if maintained:
        return stored(figure_versions(desa_ids), key, compute)
    versions, found = _data_versions_and_read(desa_ids, key)
    return stored(versions, key, compute, found)


def cached_until_any_change(key, compute):
    """compute(), remembered until any data of the installation changes: one query by primary
    key (none when the request has read the version already) and one cache read. For results
    that are cheap to make again after a change."""
    token, number = request_data_version()
    full_key = f"all:{token}:{number}:{key}"
    result = cache.get(full_key)
    if result is None:
        result = compute()
        cache.set(full_key, result, CACHE_SECONDS)
    return result


# --- the worker keeps the maintained figures ----------------------------------------------------

MAINTAINERS = []


def maintain(villages, make, after=None):
    """Register what the worker makes for every changed village (see the module's text)."""
    MAINTAINERS.append((villages, make, after))


@contextlib.contextmanager
def making(versions):
    """Inside: the maintained figures of the villages {desa_id: version} are those of these versions
    (the worker making them)."""
    token = _MAKING.set({**_MAKING.get(), **versions})
    try:
        yield
    finally:
        _MAKING.reset(token)


def stale_villages():
    """{desa_id: data version} of the villages whose maintained figures are older than their data
    (or not of today)."""
    listings = {villages for villages, _make, _after in MAINTAINERS}  # apps mostly name the same one: asked once
    ids = sorted({d for villages in listings for d in villages()})
    versions = data_versions(ids)
    made = {d: (v, day) for d, v, day in FigureVersion.objects.filter(desa_id__in=ids).values_list(
        "desa_id", "version", "day")}
    today = timezone.localdate()
    return {d: v for d, v in versions.items() if made.get(d) != (v, today)}


def refresh(rest=0):
    """Make the maintained figures of every village changed since they were last made, and what is
    made of them (the public drawings), then move the villages' versions on in one transaction, so
    that a page reads either the old figures or the new ones with everything made of them; returns
    the ids of the villages made. Run by the worker every second.

    ``rest``: a village this process made less than ``rest`` seconds ago waits until they have
    passed. A village changed once is made in the next round; one that operators keep changing is
    made at most once in ``rest`` seconds, not after every edit (each time, all its figures)."""
    with remembering():  # the versions read to find the stale villages serve the whole round
        return _refresh(rest)


_made_at = {}  # {desa_id: _clock() when this process last made the village's figures}


def _refresh(rest):
    stale = stale_villages()
    if rest:
        now = _clock()
        stale = {d: v for d, v in stale.items() if d not in _made_at or now - _made_at[d] >= rest}
    if not stale:
        publish()
        return []
    today = timezone.localdate()
    with making(stale):
        for desa_id in stale:
            for _villages, make, _after in MAINTAINERS:
                make(desa_id)
        for _villages, _make, after in MAINTAINERS:
            if after is not None:
                after(list(stale))
    with transaction.atomic():
        for desa_id, version in stale.items():
            FigureVersion.objects.update_or_create(desa_id=desa_id, defaults={"version": version, "day": today})
    made_at = _clock()
    _made_at.update((desa_id, made_at) for desa_id in stale)
    from .audit import data_changed

    data_changed()  # the stored whole public answers (core.pagecache) were made of the old figures
    publish()
    StoredFigure.objects.filter(made_at__lt=timezone.now() - datetime.timedelta(days=KEEP_DAYS)).delete()
    return list(stale)


_published_at = None  # _clock() of this process's last publication
_clock = time.monotonic


def publish():
    """Let the public answers (``audit.public_version``) be made again from the data as it is now,
    at the end of a round of the worker, and at most once in ``SIDEKEL_PUBLISH_SECONDS``. One
    statement; it writes only when something changed."""
    global _published_at
    from django.conf import settings
    from django.db.models import F

    now = _clock()
    if _published_at is not None and now - _published_at < settings.SIDEKEL_PUBLISH_SECONDS:
        return
    if DataVersion.objects.filter(pk=1).exclude(published=F("number")).update(published=F("number")):
        _published_at = now
