"""Security headers Django 5.2 does not send itself, and no-store for personal answers.

- ``SecurityHeadersMiddleware``: ``Content-Security-Policy`` from ``settings.SIDEKEL_CSP`` and
  ``Permissions-Policy`` on every answer made by Django (static files come from WhiteNoise,
  which answers before it). The policy is one fixed string: the pages have no inline script or
  style, so they need no nonce, and a small middleware does what the ``django-csp`` package would
  (a dependency and its configuration format, which changed in its 4.0, for one header). Django
  6.0 has the same thing built in (``SECURE_CSP``, same keys), which can replace it on the upgrade.
- ``NoStoreMiddleware``: ``Cache-Control: private, no-store`` on every answer to a logged-in user
  or to an API request with a token: pages and downloads with personal data are not kept in the
  browser's cache of a village office's shared PC (nor in a proxy's). Answers to anonymous
  visitors (the public pages, the open data) keep their own caching.
- ``NulRefusalMiddleware``: a URL with a NUL character (``%00``) is refused with a 400 before any
  view reads it. PostgreSQL holds no NUL (SQLite does), so without it the same address was a
  500 on one database and an answer on the other. Form fields are guarded by Django's forms
  (``ProhibitNullCharactersValidator``), JSON bodies by the API's parser (``sidekel/api.py``).
"""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def csp_header(policy):
    return "; ".join(f"{directive} {' '.join(sources)}".strip() for directive, sources in policy.items())


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.csp = csp_header(settings.SIDEKEL_CSP)
        self.permissions = settings.SIDEKEL_PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        if self.csp:
            response.headers.setdefault("Content-Security-Policy", self.csp)
        if self.permissions:
            response.headers.setdefault("Permissions-Policy", self.permissions)
        return response


def personal(request):
    """A request whose answer is somebody's: a session login or an API token."""
    if "HTTP_AUTHORIZATION" in request.META:
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if personal(request):  # read after the view: the answer to a login is already personal
            response["Cache-Control"] = "private, no-store"
            response.headers.pop("Expires", None)
        return response


def nul_message():
    return _("The address or the data sent holds a NUL character (%00), which no text may hold. Nothing was "
             "read or saved: remove it and try again.")


def has_nul(querydict):
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in querydict.lists())


class NulRefusalMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or has_nul(request.GET):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": nul_message()}, status=400)
            return render(request, "400.html", {"message": nul_message()}, status=400)
        return self.get_response(request)
