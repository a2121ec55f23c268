"""Results remembered until the data they come from changes.

``cached``: per village. Every write path records an audited change (core.audit), so the id of a
village's newest ObjectChange is a version number of all its data: a result cached under that
number is never stale. One query reads the versions of any number of villages.

``cached_until_any_change``: for small results that also depend on what is changed without an
audit record (the region list, a village's name for its dusun), under the installation's data
version (``core.DataVersion``, raised after every write, audited or not).
"""

from django.core.cache import cache
from django.db import connection

from sidekel.core.models import ObjectChange

CACHE_SECONDS = 24 * 3600


def data_versions(desa_ids):
    """{desa_id: id of the village's newest audited change, 0 if none} (every write path audits), in
    one query: one index seek per village on (desa, id)."""
    ids = sorted({int(i) for i in desa_ids})
    if not ids:
        return {}
    table = connection.ops.quote_name(ObjectChange._meta.db_table)
    newest = " UNION ALL ".join(f"SELECT %s, (SELECT MAX(id) FROM {table} WHERE desa_id = %s)" for _i in ids)
    with connection.cursor() as cursor:
        cursor.execute(newest, [value for i in ids for value in (i, i)])
        return {desa_id: version or 0 for desa_id, version in cursor.fetchall()}


def cached(desa_ids, key, compute):
    """{desa_id: compute(desa_id)}, each remembered until that village's data changes.

    One query finds the villages' data versions, one cache round trip fetches what is known;
    only the villages changed since are computed.
    """
    keys = {desa_id: f"v:{desa_id}:{version}:{key}" for desa_id, version in data_versions(desa_ids).items()}
    found = cache.get_many(list(keys.values()))
    result, fresh = {}, {}
    for desa_id, full_key in keys.items():
        if full_key in found:
            result[desa_id] = found[full_key]
        else:
            result[desa_id] = fresh[full_key] = compute(desa_id)
    if fresh:
        cache.set_many(fresh, CACHE_SECONDS)
    return result


def cached_until_any_change(key, compute):
    """compute(), remembered until any data of the installation changes: one query by primary
    key and one cache read. For results that are cheap to make again after a change."""
    from sidekel.core.audit import current_version

    token, number = current_version()
    full_key = f"all:{token}:{number}:{key}"
    result = cache.get(full_key)
    if result is None:
        result = compute()
        cache.set(full_key, result, CACHE_SECONDS)
    return result
