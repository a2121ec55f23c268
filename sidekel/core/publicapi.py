"""What every public (no login) part of the JSON API shares: CORS, a rate limit, ETags.

``PublicApiMiddleware`` handles the paths in ``PUBLIC_API_PATHS``:

- **CORS**: any web page may read them (``Access-Control-Allow-Origin: *``, no cookies); an
  ``OPTIONS`` preflight is answered here with 204.
- **Rate limit** per client address (``core.audit.client_ip``, which honours
  ``SIDEKEL_TRUST_X_FORWARDED_FOR`` behind a proxy): a token bucket of
  ``SIDEKEL_API_RATE_PER_MINUTE`` requests (default 120; 0 turns it off) that refills evenly.
  Over the limit the answer is 429 with ``Retry-After`` and a message in Indonesian. The buckets
  live in memory, **so each worker process of ``sidekel serve`` counts on its own**: with 4
  workers a client may get up to 4 x the limit before every worker refuses it. That is enough to
  stop a runaway script; a hard limit belongs in the reverse proxy (nginx ``limit_req``).

``etag_for`` and ``not_modified`` make the ETag / If-None-Match / 304 handling of the views.
"""

import hashlib
import math
import threading
import time

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from .audit import client_ip

PUBLIC_API_PATHS = ("/api/v1/statistik/", "/api/v1/data/", "/api/v1/wilayah/", "/api/v1/sekolah/",
                    "/api/v1/openapi.json", "/api/v1/peta/batas/", "/api/v1/peta/tempat/", "/api/v1/peta/garis/",
                    "/api/v1/peta/area/", "/api/v1/potensi/")


def register_public_api_path(prefix):
    """A later app's public API (core knows no app): it gets CORS, the rate limit and stored answers."""
    global PUBLIC_API_PATHS
    if prefix not in PUBLIC_API_PATHS:
        PUBLIC_API_PATHS = PUBLIC_API_PATHS + (prefix,)
MAX_AGE = 300  # seconds a browser or proxy may reuse a public answer without asking again
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Retry-After",
}
PREFLIGHT_HEADERS = {
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Accept-Language, Content-Type, If-None-Match",
    "Access-Control-Max-Age": "86400",
}


def is_public_api(path):
    return path.startswith(PUBLIC_API_PATHS)


class TokenBucket:
    """``rate`` requests per ``per`` seconds (a minute) per key, with bursts up to ``rate``;
    thread-safe, in memory."""

    def __init__(self, rate, per=60):
        self.rate, self.per = rate, per
        self.buckets = {}  # key: (tokens left, time of the last update)
        self.lock = threading.Lock()

    def take(self, key, now=None):
        """Take one token for ``key``: 0 if granted, else the seconds until one is available."""
        now = time.monotonic() if now is None else now
        per_second = self.rate / self.per
        with self.lock:
            tokens, last = self.buckets.get(key, (self.rate, now))
            tokens = min(self.rate, tokens + (now - last) * per_second)
            if tokens >= 1:
                self.buckets[key] = (tokens - 1, now)
                granted = 0
            else:
                self.buckets[key] = (tokens, now)
                granted = (1 - tokens) / per_second
            if len(self.buckets) > 10_000:  # forget clients whose bucket has filled up again
                full = now - self.per
                self.buckets = {k: v for k, v in self.buckets.items() if v[1] > full}
        return granted


_limiter = None  # one per worker process, shared by PublicApiMiddleware and core.pagecache


_named = {}  # other limits of public writes (e.g. citizens' reports): name -> TokenBucket


def reset_rate_limit():
    """Forget every client's bucket (tests start each with full buckets)."""
    global _limiter
    _limiter = None
    _named.clear()


def take_named(name, request, rate, per):
    """The per-address limit ``name`` (``rate`` per ``per`` seconds; rate 0: none): 0 if this
    request may go on, else the seconds until it may. Same buckets and caveats as the API's limit."""
    if rate <= 0:
        return 0
    bucket = _named.get(name)
    if bucket is None or (bucket.rate, bucket.per) != (rate, per):
        bucket = _named[name] = TokenBucket(rate, per)
    return bucket.take(client_ip(request) or "?")


def rate_limited(request):
    """The 429 answer (with CORS headers) when this client is over the limit, else None."""
    global _limiter
    rate = settings.SIDEKEL_API_RATE_PER_MINUTE
    if rate <= 0:
        return None
    if _limiter is None or _limiter.rate != rate:  # tests change the setting
        _limiter = TokenBucket(rate)
    wait = _limiter.take(client_ip(request) or "?")
    if not wait:
        return None
    seconds = max(1, math.ceil(wait))
    response = JsonResponse({"detail": _(
        "Too many requests from your address: at most %(rate)d a minute. Try again in %(seconds)d seconds."
    ) % {"rate": rate, "seconds": seconds}}, status=429)
    response["Retry-After"] = str(seconds)
    for name, value in CORS_HEADERS.items():
        response[name] = value
    return response


class PublicApiMiddleware:
    """CORS and the rate limit of the public API (``core.pagecache`` applies the limit to stored answers)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_public_api(request.path):
            return self.get_response(request)
        refused = rate_limited(request)
        if refused is not None:
            return refused
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            for name, value in PREFLIGHT_HEADERS.items():
                response[name] = value
        else:
            response = self.get_response(request)
        for name, value in CORS_HEADERS.items():
            response[name] = value
        return response


def etag_for(*parts):
    """A strong ETag (quoted) made of ``parts``: data versions, the query, the language..."""
    return '"%s"' % hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def matches(request, etag):
    """Whether the client's If-None-Match names ``etag`` (weakly: gzip turns it into W/"...")."""
    header = request.headers.get("If-None-Match", "")
    if not header:
        return False
    if header.strip() == "*":
        return True
    wanted = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == wanted for tag in header.split(","))


def public_headers(response, etag):
    """Cache-Control public, max-age=300 and the ETag, on an answer or a 304."""
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


def not_modified(etag):
    return public_headers(HttpResponse(status=304), etag)


# Every public view and API operation says where its figures come from: "statistik.publik" (the one
# public read path, with its disclosure control) or "none" (it shows no figures). The permission
# matrix's test fails on a route that anyone may open without this mark.
PUBLIC_SOURCES = {"statistik.publik", "none"}


def public_figures(source):
    """Mark a public view or API operation with where its figures come from (PUBLIC_SOURCES)."""
    if source not in PUBLIC_SOURCES:
        raise ValueError(f"unknown source of public figures: {source}")

    def mark(view):
        view.public_figures = source
        return view

    return mark

