"""Whole answers of the public pages and the public API, kept in memory and given back first.

A public page costs 6-20 ms of Django (sessions, templates, figures); the same page from here
costs a dictionary look-up and one query. ``PublicPageCacheMiddleware`` comes first in
MIDDLEWARE. For a GET or HEAD that

- has no session cookie, no other cookie than ``csrftoken`` and the language cookie, and no
  ``Authorization`` header (so it is nobody's: a logged-in user never gets a stored answer), and
- asks for a public URL: a view marked ``@public_page`` (the portal's pages) or a path of
  ``publicapi.PUBLIC_API_PATHS`` (the public API) — the list of what may be stored is kept here
  and in those two places only,

it looks for an answer stored under the path, the query, the language, the date (ages change at
midnight) and gzip or not (``Accept-Encoding``). An answer is given back only while the data
version it was made under is still the current one (``audit.current_version``: one query by
primary key; every audited write, a news post and a profile change included, makes it go up
after its commit) and, where news are shown, before the next scheduled news item comes out. So
a stored answer is never older than the data. While a worker runs, it is never older than the
worker's last publication (``audit.public_version``: at the end of a round, at most once in
``SIDEKEL_PUBLISH_SECONDS``), so that a page is made again once a publication rather than after
every write. The client's ``If-None-Match`` gets 304.

What is stored: an answer of status 200 to a GET, not streamed, no bigger than MAX_BODY, that
sets no cookie and does not say ``private`` or ``no-store``. It is kept as it left Django (gzip
already done, every header), with an ETag added when the view gave none (a hash of the body)
and ``Cache-Control: no-cache`` when the view said nothing (browsers ask again each time and
get 304 while nothing changed). The public API's rate limit and CORS headers apply to stored
answers too.

The store is each worker process's own memory (at most MAX_ENTRIES answers and MAX_BYTES of
bodies, the least recently used go first), and behind it Django's cache, which the processes of
`sidekel serve` share (files in the data folder): a process that has no current answer takes
another's before making the page itself. Nothing to set up. Turned on by
SIDEKEL_PAGE_CACHE (default: on under ``sidekel serve`` and in production, off for tests and
``runserver``).
"""

import functools
import hashlib
import re
import threading
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language

from . import publicapi
from .audit import public_version

MAX_ENTRIES = 2000
MAX_BYTES = 64 * 1024 * 1024  # of stored bodies, per worker process
MAX_BODY = 2 * 1024 * 1024  # bytes; bigger answers (large downloads) are not kept
SHARED_SECONDS = 3600  # how long an answer is kept in the shared cache (it is replaced sooner)
# Headers a 304 repeats (RFC 9110 15.4.5), with the CORS headers of the public API.
NOT_MODIFIED_HEADERS = {"etag", "cache-control", "vary", "expires", "content-location",
                        "access-control-allow-origin", "access-control-expose-headers"}
GZIP = re.compile(r"\bgzip\b")


def public_page(view):
    """Mark a view whose answer to an anonymous visitor may be stored by the middleware."""
    view.public_page = True
    return view


class Entry:
    __slots__ = ("version", "until", "status", "headers", "body", "etag")

    def __init__(self, version, until, response):
        self.version, self.until, self.status = version, until, response.status_code
        self.headers = list(response.items())
        self.body = response.content
        self.etag = response["ETag"]

    def response(self):
        response = HttpResponse(self.body, status=self.status)
        for name, value in self.headers:
            response[name] = value
        return response

    def not_modified(self):
        response = HttpResponse(status=304)
        for name, value in self.headers:
            if name.lower() in NOT_MODIFIED_HEADERS:
                response[name] = value
        return response


class Store:
    """A thread-safe, size-bounded dictionary of Entry (least recently used out first)."""

    def __init__(self, size=MAX_ENTRIES, max_bytes=MAX_BYTES):
        self.size, self.max_bytes, self.bytes = size, max_bytes, 0
        self.entries = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def put(self, key, entry):
        with self.lock:
            old = self.entries.pop(key, None)
            self.bytes += len(entry.body) - (len(old.body) if old else 0)
            self.entries[key] = entry
            while len(self.entries) > self.size or self.bytes > self.max_bytes:
                self.bytes -= len(self.entries.popitem(last=False)[1].body)

    def clear(self):
        with self.lock:
            self.entries.clear()
            self.bytes = 0


STORE = Store()


@functools.lru_cache(maxsize=4096)
def _public_path(path):
    if publicapi.is_public_api(path):
        return True
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return getattr(match.func, "public_page", False)


def _anonymous(request):
    """No login can come with this request: no Authorization, no cookie but CSRF's and the language's."""
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    allowed = (settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME)  # they do not change a public answer
    return all(name in allowed for name in request.COOKIES)


def _key(request):
    gzip = bool(GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))
    return (request.path, request.META.get("QUERY_STRING", ""), get_language(),
            timezone.localdate().isoformat(), gzip)


# Functions that return when something scheduled will appear on the public pages (a news item's
# publication time), or None. An app registers its own in its AppConfig.ready (core knows no app).
SCHEDULES = []


def register_schedule(next_time):
    if next_time not in SCHEDULES:
        SCHEDULES.append(next_time)


def _next_publication():
    """When the next scheduled item comes out (None: none is scheduled): stored pages end then."""
    times = [t for t in (source() for source in SCHEDULES) if t is not None]
    return min(times, default=None)


def _storable(response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if len(response.content) > MAX_BODY:
        return False
    cache_control = response.get("Cache-Control", "")
    return "private" not in cache_control and "no-store" not in cache_control


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (not settings.SIDEKEL_PAGE_CACHE or request.method not in ("GET", "HEAD")
                or not _anonymous(request) or not _public_path(request.path_info)):
            return self.get_response(request)
        key = _key(request)
        version = public_version()  # read before the page is made: a write after it makes a new version
        entry = STORE.get(key)
        if not _current(entry, version):
            entry = _shared(key, version)
        if _current(entry, version):
            if publicapi.is_public_api(request.path_info):
                refused = publicapi.rate_limited(request)
                if refused is not None:
                    return refused
            return entry.not_modified() if publicapi.matches(request, entry.etag) else entry.response()

        response = self.get_response(request)
        if request.method != "GET" or not _storable(response):
            return response
        if not response.has_header("ETag"):
            response["ETag"] = publicapi.etag_for(response.content)
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, no_cache=True)
        entry = Entry(version, _next_publication(), response)
        STORE.put(key, entry)
        cache.set(_shared_key(key), entry, SHARED_SECONDS)
        return entry.not_modified() if publicapi.matches(request, entry.etag) else response


def _current(entry, version):
    return entry is not None and entry.version == version and (entry.until is None or timezone.now() < entry.until)


def _shared_key(key):
    return "pagecache:" + hashlib.sha256(repr(key).encode()).hexdigest()


def _shared(key, version):
    """The answer another worker process of the server made for this version (Django's cache:
    files shared by the processes of `sidekel serve`), kept in this process's memory too; so a
    page is made once after each publication, not once in each process."""
    entry = cache.get(_shared_key(key))
    if _current(entry, version):
        STORE.put(key, entry)
        return entry
    return None
