import base64
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sidekel.core.publicapi import public_figures

from . import services
from .forms import CodeForm, ConfirmPasswordForm, EnrolForm, LoginForm
from .middleware import IDLE_ENDED, next_step


def _next(request, default="penduduk:beranda-petugas"):
    target = request.POST.get("next") or request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return default
    return target


def _go_on(request, user):
    """After a step of the login: the next step this session must pass, or where it was going."""
    step = next_step(request, user)
    target = _next(request)
    if step:
        response = redirect(step)
        if target != "penduduk:beranda-petugas":
            response["Location"] += "?" + urlencode({"next": target})
        return response
    return redirect(target)


@public_figures("none")
def login_view(request):
    idle_ended = request.method == "GET" and request.session.pop(IDLE_ENDED, False)
    form = LoginForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        login(request, form.user)
        return _go_on(request, request.user)
    return render(request, "akun/login.html", {"form": form, "idle_ended": idle_ended})


@login_required
def code_view(request):
    """The second step of a login: the authenticator app's code or a backup code."""
    if request.user.is_verified() or not services.has_two_factor(request.user):
        return _go_on(request, request.user)
    form = CodeForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        from django_otp import login as otp_login

        otp_login(request, form.device)
        request.session.cycle_key()
        if form.device.persistent_id.startswith("otp_static."):
            messages.warning(request, _("You logged in with a backup code; %(left)d left. Each works only once.")
                             % {"left": services.backup_codes_left(request.user)})
        return _go_on(request, request.user)
    return render(request, "akun/kode.html", {"form": form, "next": _next(request, "")})


@login_required
def profil(request):
    """The person's own account: role, villages, password, two-factor sign-in."""
    return render(request, "akun/profil.html", _profil_context(request))


def _profil_context(request, **extra):
    user = request.user
    return {"has_two_factor": services.has_two_factor(user), "required": services.requires_two_factor(user),
            "backup_left": services.backup_codes_left(user), "villages": user.desa.order_by("nama"),
            "off_form": ConfirmPasswordForm(request), **extra}


@login_required
def dua_langkah(request):
    """Enrol an authenticator app (or move to a new phone): scan, type its code, keep the backup codes."""
    user = request.user
    if services.has_two_factor(user) and not user.is_verified():  # never a way around the code
        return redirect("akun:kode")
    device = services.pending_device(user)
    form = EnrolForm(user, device, request.POST or None)
    if request.method == "POST" and form.is_valid():
        from django_otp import login as otp_login

        otp_login(request, device)
        request.account_step = next_step(request, request.user)
        return render(request, "akun/kode_cadangan.html", {"codes": form.backup_codes, "next": _next(request, "")})
    secret = base64.b32encode(device.bin_key).decode()
    return render(request, "akun/dua_langkah.html", {
        "form": form, "qr": segno.make(device.config_url, error="m").svg_inline(scale=4, border=2, omitsize=True),
        "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
        "has_two_factor": services.has_two_factor(user), "required": services.requires_two_factor(user),
        "next": _next(request, ""),
    })


@login_required
@require_POST
def dua_langkah_matikan(request):
    """Turn two-factor sign-in off (roles that may go without it), after the password."""
    if services.requires_two_factor(request.user):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("Two-factor sign-in is required for your role; it cannot be turned off."))
    form = ConfirmPasswordForm(request, request.POST)
    if not form.is_valid():
        return render(request, "akun/profil.html", _profil_context(request, off_form=form))
    services.disable_two_factor(request.user, by=request.user)
    messages.success(request, _("Two-factor sign-in is off."))
    return redirect("akun:profil")


@login_required
def sandi(request):
    """Change the password; after `sidekel user reset-password`, choose a new one before anything else."""
    forced = request.user.must_change_password
    form_class = SetPasswordForm if forced else PasswordChangeForm
    form = form_class(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.change_password(request.user, form)
        update_session_auth_hash(request, request.user)
        messages.success(request, _("Your password is changed."))
        return redirect(_next(request, "akun:profil"))
    return render(request, "akun/sandi.html", {"form": form, "forced": forced, "next": _next(request, "")})


@require_POST
def logout_view(request):
    logout(request)
    return redirect("portal:beranda")
