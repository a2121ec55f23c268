"""A write that waited too long for the database: "busy, try again", never a 500.

On SQLite one writer works at a time: an edit that arrives while an import writes waits
(``busy_timeout`` in settings.py), and if the import still holds the lock after that, the
database answers "database is locked". PostgreSQL answers a lock timeout or a deadlock the same
way. The request's transaction has rolled back, so nothing was written: the user is told so and
asked to send it again in a moment (the browser's Back button keeps the form). The API answers
503 with the same message in JSON; both carry ``Retry-After``.
"""

import logging

from django.db import OperationalError
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)
RETRY_AFTER = 5  # seconds
BUSY_WORDS = ("database is locked", "database table is locked", "lock timeout", "deadlock detected",
              "could not obtain lock", "canceling statement due to lock timeout")


def is_busy(exc):
    """Is this the database saying "wait your turn" (rather than a real error)?"""
    text = str(exc).lower()
    return isinstance(exc, OperationalError) and any(word in text for word in BUSY_WORDS)


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
        if is_busy(exc):
            logger.warning("busy database on %s %s: %s", request.method, request.path, exc)
            return busy_response(request)
        return None
