"""Django settings for Sidekel, read from environment variables.

A local install needs no configuration: the database is a SQLite file under ./data/ and the secret
key is generated once and kept there. A server that answers to other hosts (SIDEKEL_ALLOWED_HOSTS
is set) is a production install and must be given SIDEKEL_SECRET_KEY explicitly.

    SIDEKEL_DATA_DIR       folder for the SQLite file, the secret key and uploads (default ./data)
    SIDEKEL_DATABASE_URL   e.g. postgres://postgres@127.0.0.1:5432/sidekel (default: SQLite file)
    SIDEKEL_SECRET_KEY     required in production
    SIDEKEL_ALLOWED_HOSTS  comma-separated host names; setting it marks a production install
    SIDEKEL_DEBUG          1/true/yes to show Django's debug pages (never in production)
    SIDEKEL_HTTPS          the site is reached over HTTPS (default: on in production)
    SIDEKEL_BEHIND_PROXY   a trusted reverse proxy (nginx) is in front: X-Forwarded-For/-Proto are believed
    SIDEKEL_TEST_DATABASE_NAME  the test suite's database (default: test_<name>; SQLite: a file in pytest's temporary folder)
"""

import importlib.util
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "ya"}


DATA_DIR = Path(os.environ.get("SIDEKEL_DATA_DIR", "data")).resolve()
DEBUG = env_bool("SIDEKEL_DEBUG")

_hosts = os.environ.get("SIDEKEL_ALLOWED_HOSTS", "").strip()
PRODUCTION = bool(_hosts)
ALLOWED_HOSTS = [h.strip() for h in _hosts.split(",") if h.strip()] or ["127.0.0.1", "localhost", "[::1]"]
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured(
        "SIDEKEL_DEBUG tidak boleh aktif pada instalasi produksi (SIDEKEL_ALLOWED_HOSTS diisi)."
    )


def _secret_key():
    key = os.environ.get("SIDEKEL_SECRET_KEY", "").strip()
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured(
            "SIDEKEL_SECRET_KEY wajib diisi pada instalasi produksi (SIDEKEL_ALLOWED_HOSTS diisi). "
            "Buat satu dengan: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    path = DATA_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key


SECRET_KEY = _secret_key()


def _database():
    url = os.environ.get("SIDEKEL_DATABASE_URL", "").strip()
    if not url:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{DATA_DIR / 'sidekel.sqlite3'}"
    try:
        # Each thread keeps its connection for as long as it lives (None), checked before reuse (below
        # for PostgreSQL). A connection closed every minute made each thread's next request open a
        # new one: on PostgreSQL a new server process whose caches start empty.
        db = dj_database_url.parse(url, conn_max_age=None)
    except Exception as exc:  # dj_database_url raises several types for a bad URL
        raise ImproperlyConfigured(f"SIDEKEL_DATABASE_URL tidak dapat dibaca: {url!r} ({exc})") from exc
    if db["ENGINE"] == "django.db.backends.sqlite3":
        # Keep each thread's connection open between requests, as for PostgreSQL: opening one
        # (with the PRAGMAs below) and closing it costs more than a stored public page.
        # An idle connection holds no read snapshot (autocommit), so WAL checkpoints go on.
        db["OPTIONS"] = {
            # WAL lets readers work while a writer writes; IMMEDIATE avoids "database is locked"
            # surprises when two requests start writing at once.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
            "transaction_mode": "IMMEDIATE",
        }
    elif db["ENGINE"] == "django.db.backends.postgresql":
        # PostgreSQL's default random_page_cost (4) assumes spinning disks; with it the planner
        # reads the whole resident table for a name search (100,000 rows: 70-110 ms) instead of
        # asking the trigram index (15-20 ms). 1.1 is the usual value for SSDs and for tables that
        # fit in memory, as a kabupaten's do.
        options = db.setdefault("OPTIONS", {})
        options.setdefault("options", "-c random_page_cost=1.1")
        # PostgreSQL restarted or out of reach (bench/faults.py): a request must fail at once with the
        # 503 page (core/busy.py) and the next one work again once the server is back, never hang.
        # A new connection gives up after connect_timeout seconds (a server that does not answer at
        # all, not only one that refuses); a kept connection whose server vanished without closing it
        # is found dead by TCP keepalives (idle 30 s, then 3 probes 10 s apart) and by
        # tcp_user_timeout (ms) for data never acknowledged, instead of the kernel's 15 minutes.
        # Keepalives are answered by the server's kernel, so a long query is not cut by them.
        options.setdefault("connect_timeout", int(os.environ.get("SIDEKEL_DATABASE_CONNECT_TIMEOUT", 5)))
        for key, value in (("keepalives", 1), ("keepalives_idle", 30), ("keepalives_interval", 10),
                           ("keepalives_count", 3), ("tcp_user_timeout", 60_000)):
            options.setdefault(key, value)
        # A kept connection (CONN_MAX_AGE) is checked before a request reuses it: after a restart the
        # first request of each thread gets a new connection instead of a 503 from the dead one.
        db["CONN_HEALTH_CHECKS"] = True
    else:
        raise ImproperlyConfigured("Sidekel mendukung SQLite dan PostgreSQL saja.")
    # The test suite's own database (default: "test_" + the name); for several work trees on one server.
    if os.environ.get("SIDEKEL_TEST_DATABASE_NAME"):
        db["TEST"] = {"NAME": os.environ["SIDEKEL_TEST_DATABASE_NAME"]}
    return db


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "sidekel.core",
    "sidekel.akun",
    "sidekel.wilayah",
    "sidekel.penduduk",
    "sidekel.buku",
    "sidekel.layanan",
    "sidekel.statistik",
    "sidekel.potensi",
    "sidekel.portal",
    "sidekel.aspirasi",
    "sidekel.panduan",
    "sidekel.pendidikan",
    "sidekel.peta",
]

MIDDLEWARE = [
    # Stored answers of public pages and the public API for anonymous visitors (core/pagecache.py);
    # first, so that a stored answer costs no session, template or figure.
    "sidekel.core.pagecache.PublicPageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Permissions-Policy on every answer (core/security.py).
    "sidekel.core.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses pages and JSON (static files come compressed from WhiteNoise, which answers first).
    "django.middleware.gzip.GZipMiddleware",
    # CORS and the rate limit of the public API; before sessions, which public answers never use.
    "sidekel.core.publicapi.PublicApiMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # No LocaleMiddleware: every page is in Bahasa Indonesia (LANGUAGE_CODE), whatever the browser asks.
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): the session gave its second factor (django-otp).
    "django_otp.middleware.OTPMiddleware",
    # A URL with a NUL character is refused before any view reads it (core/security.py); after the
    # login middlewares, so that its page shows the menu of the one who asked.
    "sidekel.core.security.NulRefusalMiddleware",
    # Cache-Control: no-store on every answer to a logged-in user or an API token (core/security.py).
    "sidekel.core.security.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A session ends after SIDEKEL_SESSION_IDLE_MINUTES without a request; until the second factor
    # is given (or, for admin and camat, enrolled) and a reset password changed, only those pages open.
    "sidekel.akun.middleware.AccountMiddleware",
    # A write that waited too long for the database lock: 503 "busy, try again", never a 500.
    "sidekel.core.busy.BusyDatabaseMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "sidekel.core.audit.AuditMiddleware",
    # A GET reads each village's data and figure versions once (core/versioned.py).
    "sidekel.core.versioned.VersionsOfRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "sidekel.urls"
WSGI_APPLICATION = "sidekel.wsgi.application"
AUTH_USER_MODEL = "akun.User"

# Forms draw their text, date, number, hidden, checkbox, textarea and select fields in Python
# (core/forms.py), the same HTML as Django's widget templates.
FORM_RENDERER = "sidekel.core.forms.QuickFormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]  # English: the code's own words, for developers
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"  # WIB: Kalimantan Tengah
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# WhiteNoise serves static files straight from the apps and packages, so a local install, the
# development server and the tests need no collectstatic. `sidekel serve` (the production server)
# collects them first into STATIC_ROOT with content hashes in their names and .gz/.br copies, and
# sets SIDEKEL_SERVE=1 so that pages link the hashed names, which browsers keep a year (and the
# cache below is shared by its worker processes).
if PRODUCTION or env_bool("SIDEKEL_SERVE"):
    STATIC_ROOT = DATA_DIR / "static"
if env_bool("SIDEKEL_SERVE"):
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    WHITENOISE_USE_FINDERS = False
else:
    WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Sessions are kept in the database and read through the cache (shared by the server's processes
# under `sidekel serve`): a request reads its session without asking the database.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# --- HTTPS and the reverse proxy (docs/deploy.md) ---------------------------------------------------
# SIDEKEL_BEHIND_PROXY: a trusted reverse proxy (nginx, deploy/nginx-sidekel.conf) is in front and
# sets X-Forwarded-For (the client's address, see SIDEKEL_TRUSTED_PROXY_HOPS below) and
# X-Forwarded-Proto (https or http). Its older name SIDEKEL_TRUST_X_FORWARDED_FOR means the same.
SIDEKEL_BEHIND_PROXY = env_bool("SIDEKEL_BEHIND_PROXY", env_bool("SIDEKEL_TRUST_X_FORWARDED_FOR"))
# SIDEKEL_HTTPS: people reach the site over HTTPS (default: on in production). Then cookies are
# sent over HTTPS only, browsers are told to use nothing else (HSTS), plain HTTP is redirected
# (when the proxy says which scheme was used) and https://<each allowed host> is a trusted origin
# for forms: a login works even if the proxy forgets X-Forwarded-Proto (without that, Django
# believes the request came over HTTP and refuses the browser's https:// Origin with a CSRF 403).
SIDEKEL_HTTPS = env_bool("SIDEKEL_HTTPS", PRODUCTION)
if SIDEKEL_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = False  # nginx passes the Host header itself (proxy_set_header Host $host)
if PRODUCTION:
    SESSION_COOKIE_SECURE = env_bool("SIDEKEL_SECURE_COOKIES", SIDEKEL_HTTPS)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE


def _trusted_origins():
    """https://<host> for each allowed host (".example.go.id" becomes https://*.example.go.id), and
    SIDEKEL_CSRF_TRUSTED_ORIGINS (comma-separated full origins, e.g. https://sidekel.example.go.id:8443)."""
    origins = []
    if PRODUCTION and SIDEKEL_HTTPS:
        for host in ALLOWED_HOSTS:
            if host == "*":
                continue
            origins.append("https://" + ("*" + host if host.startswith(".") else host))
    extra = os.environ.get("SIDEKEL_CSRF_TRUSTED_ORIGINS", "")
    origins += [o.strip() for o in extra.split(",") if o.strip()]
    return origins


CSRF_TRUSTED_ORIGINS = _trusted_origins()
# The 403 of a refused form says in Indonesian what the likely cause is (core/views.py).
CSRF_FAILURE_VIEW = "sidekel.core.views.csrf_failure"
if PRODUCTION and SIDEKEL_HTTPS:
    # HSTS: browsers use only HTTPS for this host (and its subdomains) for a year after a visit.
    # Django sends it only on HTTPS answers, so a plain-HTTP test install is never locked in.
    SECURE_HSTS_SECONDS = int(os.environ.get("SIDEKEL_HSTS_SECONDS", 365 * 24 * 3600))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SIDEKEL_HSTS_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SIDEKEL_HSTS_PRELOAD", False)
    # Redirect plain HTTP to HTTPS only when the proxy tells which scheme the browser used: without
    # X-Forwarded-Proto every request would look like HTTP and redirect forever. nginx redirects
    # port 80 itself (deploy/nginx-sidekel.conf); this covers a proxy that does not.
    SECURE_SSL_REDIRECT = env_bool("SIDEKEL_SSL_REDIRECT", SIDEKEL_BEHIND_PROXY)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # monitoring on the server itself asks over plain HTTP
SILENCED_SYSTEM_CHECKS = []
if PRODUCTION and SIDEKEL_HTTPS and not env_bool("SIDEKEL_HSTS_PRELOAD", False):
    # security.W021 asks for HSTS preload: a submission to the browsers' built-in list that cannot be
    # taken back quickly. A kecamatan decides that itself (SIDEKEL_HSTS_PRELOAD=1), so it is not a warning.
    SILENCED_SYSTEM_CHECKS.append("security.W021")

# Content-Security-Policy (core/security.py): scripts, styles, images and fonts come from this site
# only, with no inline script or style attribute and no eval; the pages are made to need nothing else
# (tested in Chromium: core/tests/test_csp_browser.py). Keyed as Django 6.0's SECURE_CSP, which can
# replace core/security.py's middleware on the upgrade.
SIDEKEL_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
SIDEKEL_PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if env_bool("SIDEKEL_SERVE"):
    # The worker processes of `sidekel serve` share one cache in files, so a table (seconds to
    # compute for a large kecamatan) is computed once, not once per process.
    CACHES = {"default": {"BACKEND": "sidekel.core.filecache.FileCache",
                          "LOCATION": str(DATA_DIR / "cache"), "OPTIONS": {"MAX_ENTRIES": 50_000}}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "filters": {"one_line_when_unavailable": {"()": "sidekel.core.busy.OneLineWhenUnavailable"}},
    "loggers": {"django.request": {"filters": ["one_line_when_unavailable"]}},
}

LOGIN_URL = "akun:login"
LOGIN_REDIRECT_URL = "penduduk:beranda-petugas"
LOGOUT_REDIRECT_URL = "portal:beranda"

# Behind a reverse proxy (nginx), take the client address from X-Forwarded-For: the entry the
# outermost of SIDEKEL_TRUSTED_PROXY_HOPS trusted proxies added, counted from the right
# (core.audit.client_ip). 1 = nginx alone; 2 = e.g. a load balancer in front of nginx.
SIDEKEL_TRUST_X_FORWARDED_FOR = SIDEKEL_BEHIND_PROXY
SIDEKEL_TRUSTED_PROXY_HOPS = max(1, int(os.environ.get("SIDEKEL_TRUSTED_PROXY_HOPS", 1)))
# How long the audit logs are kept before `sidekel audit prune` removes them.
SIDEKEL_CHANGE_LOG_DAYS = int(os.environ.get("SIDEKEL_CHANGE_LOG_DAYS", 365 * 10))
SIDEKEL_ACCESS_LOG_DAYS = int(os.environ.get("SIDEKEL_ACCESS_LOG_DAYS", 365 * 2))
# How long the files of finished jobs (uploaded spreadsheets with full NIKs, book PDFs) are kept.
SIDEKEL_JOB_FILE_DAYS = int(os.environ.get("SIDEKEL_JOB_FILE_DAYS", 30))
# Login throttling (akun/services.py): failed logins allowed per account and address before each
# further attempt from that address must wait, 2, 4, 8, ... seconds, at most the pause below.
# Addresses the account has never logged in from also share a count per account, of four times
# as many attempts; the addresses it has logged in from are not slowed by it.
SIDEKEL_LOGIN_ATTEMPTS = max(1, int(os.environ.get("SIDEKEL_LOGIN_ATTEMPTS", 5)))
SIDEKEL_LOGIN_PAUSE_MINUTES = max(1, int(os.environ.get("SIDEKEL_LOGIN_PAUSE_MINUTES", 15)))
# Run background jobs (imports) in the request's own thread instead: for tests and debugging.
SIDEKEL_JOBS_INLINE = env_bool("SIDEKEL_JOBS_INLINE")
# The queue of background jobs (core.jobs): a table in the database, emptied by `sidekel worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A running job whose worker has not beaten for this long is marked failed ("stopped before it finished").
SIDEKEL_JOB_STALE_SECONDS = int(os.environ.get("SIDEKEL_JOB_STALE_SECONDS", 30))
# Public API (statistics, open data): requests a minute per client address and worker process; 0 = no limit.
SIDEKEL_API_RATE_PER_MINUTE = int(os.environ.get("SIDEKEL_API_RATE_PER_MINUTE", 120))
# Keep whole public answers in memory (core/pagecache.py): on under `sidekel serve` and in production.
SIDEKEL_PAGE_CACHE = env_bool("SIDEKEL_PAGE_CACHE", PRODUCTION or env_bool("SIDEKEL_SERVE"))
# While a worker runs, the public answers follow the data it publishes, at most this often
# (core.versioned.publish): operators write all day, and each publication has every worker
# process make its public pages again.
SIDEKEL_PUBLISH_SECONDS = float(os.environ.get("SIDEKEL_PUBLISH_SECONDS", 5))
# While operators keep changing a village, the worker makes its figures again at most this often
# (core.versioned.refresh): a village changed once is made within a second, and one changed all
# the time shows figures at most this many seconds old instead of all its figures being made after
# every edit.
SIDEKEL_FIGURES_REST_SECONDS = float(os.environ.get("SIDEKEL_FIGURES_REST_SECONDS", 10))
# API tokens expire after this many days.
SIDEKEL_TOKEN_DAYS = int(os.environ.get("SIDEKEL_TOKEN_DAYS", 30))
# Public figures: a count from 1 to this value minus one is never published as it is
# (statistik/privacy.py, docs/privacy.md). At least 2.
SIDEKEL_SUPPRESS_BELOW = max(2, int(os.environ.get("SIDEKEL_SUPPRESS_BELOW", 3)))
# A logged-in session ends after this many minutes without a request (0: never); the login page
# then says why. The session is re-saved at most once a minute to remember the last request.
SIDEKEL_SESSION_IDLE_MINUTES = max(0, int(os.environ.get("SIDEKEL_SESSION_IDLE_MINUTES", 30)))
# Two-factor sign-in (django-otp): required for the roles in core.roles.TWO_FACTOR_ROLES (the
# kecamatan admin and the camat), optional for the others. `sidekel demo` turns the requirement off
# for its own server only, so that the printed demo logins work without an authenticator app.
SIDEKEL_TWO_FACTOR_REQUIRED = env_bool("SIDEKEL_TWO_FACTOR_REQUIRED", True)
OTP_TOTP_ISSUER = "Sidekel"
# One throttle in the login path (akun/services.py counts wrong codes with wrong passwords):
# django-otp's own per-device throttle is off.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
# Saran dan masukan (aspirasi): working days to verify a report, to a follow-up and to close it,
# counted from the day it was received over the holidays the admin keeps (Hari libur).
SIDEKEL_ASPIRASI_HARI_VERIFIKASI = int(os.environ.get("SIDEKEL_ASPIRASI_HARI_VERIFIKASI", 3))
SIDEKEL_ASPIRASI_HARI_TINDAK_LANJUT = int(os.environ.get("SIDEKEL_ASPIRASI_HARI_TINDAK_LANJUT", 5))
SIDEKEL_ASPIRASI_HARI_SELESAI = int(os.environ.get("SIDEKEL_ASPIRASI_HARI_SELESAI", 10))
# Reports a client address may send an hour (the form and the API together, per worker process); 0 = no limit.
SIDEKEL_ASPIRASI_PER_JAM = int(os.environ.get("SIDEKEL_ASPIRASI_PER_JAM", 10))
# The form is refused when sent sooner than this many seconds after it was opened (robots fill it at once).
SIDEKEL_ASPIRASI_MIN_DETIK = int(os.environ.get("SIDEKEL_ASPIRASI_MIN_DETIK", 5))
# A closed report's sender name and contact are erased this many days after it was closed (`sidekel prune`).
SIDEKEL_ASPIRASI_KONTAK_DAYS = int(os.environ.get("SIDEKEL_ASPIRASI_KONTAK_DAYS", 365))
# Letters asked for online (layanan): NIK-and-PIN sign-ins a client address may try an hour (per
# worker process; each NIK is also slowed by the login throttle above), requests one resident may
# have waiting at once, and minutes a resident's signed-in session lasts without a request.
SIDEKEL_LAYANAN_MASUK_PER_JAM = int(os.environ.get("SIDEKEL_LAYANAN_MASUK_PER_JAM", 30))
SIDEKEL_LAYANAN_MENUNGGU_MAKS = max(1, int(os.environ.get("SIDEKEL_LAYANAN_MENUNGGU_MAKS", 3)))
SIDEKEL_LAYANAN_SESI_MENIT = max(1, int(os.environ.get("SIDEKEL_LAYANAN_SESI_MENIT", 20)))

# The maps' background tiles (peta): a URL template, OpenStreetMap's standard tiles by default with
# their attribution. SIDEKEL_MAP_TILES=off (or empty) turns them off: the layers still draw, on a
# plain background, with no request leaving the server's own site.
_tiles = os.environ.get("SIDEKEL_MAP_TILES", "https://tile.openstreetmap.org/{z}/{x}/{y}.png").strip()
SIDEKEL_MAP_TILES = "" if _tiles.lower() in ("", "off", "0", "no", "false") else _tiles
if SIDEKEL_MAP_TILES:  # the tile server is the one image source the Content-Security-Policy adds
    from urllib.parse import urlsplit as _urlsplit

    _tile_host = _urlsplit(SIDEKEL_MAP_TILES.replace("{s}.", "*."))
    SIDEKEL_CSP["img-src"] = [*SIDEKEL_CSP["img-src"], f"{_tile_host.scheme}://{_tile_host.netloc}"]
SIDEKEL_MAP_ATTRIBUTION = os.environ.get(
    "SIDEKEL_MAP_ATTRIBUTION", '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors')
# Leaflet's JS and CSS come from the django-leaflet package's static files (no CDN, no npm). Its
# Django app is not installed: its admin needs GDAL; only the files are used.
_leaflet = importlib.util.find_spec("leaflet")
STATICFILES_DIRS = [*globals().get("STATICFILES_DIRS", []),
                    *([Path(next(iter(_leaflet.submodule_search_locations))) / "static"] if _leaflet else [])]
