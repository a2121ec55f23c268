"""A write that waited too long for the database: "busy, try again", never a 500.

On SQLite one writer works at a time: an edit that arrives while an import writes waits
(``busy_timeout`` in settings.py), and if the import still holds the lock after that, the
database answers "database is locked". PostgreSQL answers a lock timeout or a deadlock the same
way. The request's transaction has rolled back, so nothing was written: the user is told so and
asked to send it again in a moment (the browser's Back button keeps the form). The API answers
503 with the same message in JSON; both carry ``Retry-After``.

The database may also be out of reach (PostgreSQL restarting, its server down, the network cut):
every request then answers 503 "database unavailable", nothing half-written (a transaction the
server never committed is rolled back by it), and Sidekel recovers by itself when the database is
back: a connection that failed is dropped at the end of its request (Django closes an unusable
one) and the next request opens a new one. That error can come from anywhere, also from a
middleware reading the session before any view runs, so ``server_error`` (the project's
``handler500``) turns it into the 503 too; its page needs no database.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.defaults import server_error as django_server_error

logger = logging.getLogger(__name__)
RETRY_AFTER = 5  # seconds
BUSY_WORDS = ("database is locked", "database table is locked", "lock timeout", "deadlock detected",
              "could not obtain lock", "canceling statement due to lock timeout")


def is_busy(exc):
    """Is this the database saying "wait your turn" (rather than a real error)?"""
    text = str(exc).lower()
    return isinstance(exc, OperationalError) and any(word in text for word in BUSY_WORDS)


UNAVAILABLE_WORDS = ("connection refused", "could not connect", "server closed the connection", "connection is closed",
                     "connection already closed", "terminating connection", "the database system is starting up",
                     "the database system is shutting down", "the database system is in recovery mode",
                     "no connection to the server", "connection reset", "connection timed out", "timeout expired",
                     "consuming input failed", "ssl syscall", "connection to server", "lost synchronization",
                     "unable to open database file", "disk i/o error")


def is_unavailable(exc):
    """Is this the database out of reach (rather than a wrong query)?"""
    if not isinstance(exc, (OperationalError, InterfaceError)):
        return False
    text = str(exc).lower()
    return isinstance(exc, InterfaceError) or any(word in text for word in UNAVAILABLE_WORDS)


def unavailable_message():
    return _("The database cannot be reached right now. Nothing was saved: try again in a minute; if it lasts, "
             "tell the kecamatan administrator.")


def unavailable_response(request):
    """503 without touching the database (no session, no user, no messages)."""
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": unavailable_message()}, status=503)
    else:
        response = HttpResponse(render_to_string("unavailable.html", {"message": unavailable_message()}), status=503)
    response["Retry-After"] = str(RETRY_AFTER * 6)
    response["Cache-Control"] = "no-store"
    return response


class OneLineWhenUnavailable(logging.Filter):
    """For the ``django.request`` logger: a 503 for a database out of reach is logged once, as the one
    line above ("database unavailable on GET /path: ..."), without Django's traceback of it. While
    PostgreSQL restarts every request fails the same way, and a traceback of sixty lines each would
    bury the log the administrator reads."""

    def filter(self, record):
        exc = record.exc_info[1] if record.exc_info else None
        return not (getattr(record, "status_code", None) == 503 and is_unavailable(exc))


def server_error(request, template_name="500.html"):
    """The project's handler500: a database that is busy or out of reach is a 503 to try again."""
    exc = sys.exc_info()[1]
    if is_unavailable(exc):
        logger.warning("database unavailable on %s %s: %s", request.method, request.path, exc)
        return unavailable_response(request)
    if is_busy(exc):
        return busy_response(request)
    return django_server_error(request, template_name)


DISK_FULL_WORDS = ("database or disk is full", "no space left on device", "could not extend file", "disk full",
                   "file too large")


def is_disk_full(exc):
    """Is this the server's disk (or the database's) full? A database error or an OSError (ENOSPC, EFBIG)."""
    import errno

    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        return True
    while exc is not None:
        if any(word in str(exc).lower() for word in DISK_FULL_WORDS):
            return True
        exc = exc.__cause__
    return False


def disk_full_message():
    return _("The server's disk is full: nothing was written. Tell the kecamatan administrator to free space "
             "(old backups, old files), then try again.")


def message():
    return _("The system is busy (a large import or another change is being written). Nothing was saved: "
             "try again in a moment.")


def busy_response(request):
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message()}, status=503)
    else:
        response = render(request, "busy.html", {"message": message()}, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


class BusyDatabaseMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exc):
        if is_unavailable(exc):
            logger.warning("database unavailable on %s %s: %s", request.method, request.path, exc)
            return unavailable_response(request)
        if is_busy(exc):
            logger.warning("busy database on %s %s: %s", request.method, request.path, exc)
            return busy_response(request)
        return None
