"""What a logged-in session may reach: it ends after idle time; until its second factor is given
(or, for a role that must have one, enrolled) and a reset password changed, only those pages open.

Idle expiry costs one session save a minute, not one per request: the time of the last request
is re-saved only when a minute has passed. ``SESSION_SAVE_EVERY_REQUEST`` would write the session
row on every page, htmx fragment and poll: about 0.5 ms each on SQLite (measured on the demo
database), but each one takes SQLite's single write lock, so every page view of 50 operators
would queue behind imports and edits. The precision is therefore a minute. A page that polls
(a job's progress) keeps its session alive while it stays open.
"""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from . import services

LAST_SEEN = "sidekel_last_seen"  # the session's last request (seconds since the epoch)
IDLE_ENDED = "sidekel_idle_ended"  # set in the new, anonymous session: the login page says why
STAMP_EVERY = 60


def idle_seconds():
    return settings.SIDEKEL_SESSION_IDLE_MINUTES * 60


def _verified(request, user):
    """Has this session given its second factor? (OTPMiddleware's ``is_verified``; worked out from
    the session for a user just logged in, whom that middleware has not seen.)"""
    if hasattr(user, "is_verified"):
        return user.is_verified()
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.models import Device

    persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
    device = Device.from_persistent_id(persistent_id) if persistent_id else None
    return bool(device and device.user_id == user.pk and device.confirmed)


def next_step(request, user):
    """The URL name of the page this session must pass first, or None: the code page, the
    enrolment page or the forced password change."""
    if not _verified(request, user):
        if services.has_two_factor(user):
            return "akun:kode"
        if services.requires_two_factor(user):
            return "akun:dua-langkah"
    if user.must_change_password:
        return "akun:sandi"
    return None


class AccountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        request.account_step = None  # base.html shows no menu while a step is due
        if user.is_authenticated:
            seen = request.session.get(LAST_SEEN)
            if idle_seconds() and seen is not None and time.time() - seen > idle_seconds():
                logout(request)
                request.session[IDLE_ENDED] = True
            else:
                step = request.account_step = next_step(request, user)
                if step and request.path_info not in {reverse(step), reverse("akun:logout")}:
                    return self.send_to(request, step)
        response = self.get_response(request)
        self.stamp(request)
        return response

    @staticmethod
    def send_to(request, step):
        url = reverse(step)
        if request.method == "GET" and not request.headers.get("HX-Request"):
            url += "?" + urlencode({"next": request.get_full_path()})
            return redirect(url)
        if request.headers.get("HX-Request"):  # an htmx fragment: the whole page goes there
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return redirect(url)

    @staticmethod
    def stamp(request):
        """Remember this request's time, at most once a minute; the session row and cookie expire
        an hour after the idle limit, so the login page can still tell an idle end."""
        if not idle_seconds() or not getattr(request, "user", None) or not request.user.is_authenticated:
            return
        seen = request.session.get(LAST_SEEN)
        if seen is None or int(time.time()) - seen >= STAMP_EVERY:
            stamp_session(request.session)


def stamp_session(session):
    """Set the session's last request to now (and its expiry past the idle limit)."""
    if idle_seconds():
        session[LAST_SEEN] = int(time.time())
        session.set_expiry(idle_seconds() + 3600)


def stamp_at_login(sender, request, user, **kwargs):
    """A new session starts stamped (``user_logged_in``), saved with the login itself: its first
    pages write no session row, even when several open at once."""
    if request is not None and hasattr(request, "session"):
        stamp_session(request.session)
