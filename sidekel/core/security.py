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
"""

from django.conf import settings


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
