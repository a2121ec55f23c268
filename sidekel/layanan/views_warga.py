"""The residents' own pages (no account): sign in with NIK and PIN, ask for a letter, follow the
request with its tracking code, download the signed letter.

A resident's sign-in lives in the session (``SESSION_KEY``) for ``SIDEKEL_LAYANAN_SESI_MENIT``
minutes after the last request, and ends when the village office gives them a new PIN. Pages that
show the resident's own data are never stored by a browser or proxy (``never_cache``). The
tracking page shows whoever holds the code the request's state, not the resident's name; the
letter itself is downloaded only by the resident signed in.
"""

import math
import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from sidekel.akun.services import LoginPaused
from sidekel.core.audit import log_access
from sidekel.core.models import AccessLog
from sidekel.core.publicapi import public_figures, rate_limited, take_named
from sidekel.core.views import code_lookup
from sidekel.penduduk.choices import StatusDasar

from . import services
from .forms import MasukForm, SuratForm
from .models import JenisSurat, Permohonan, PinWarga
from .views import pdf_response

SESSION_KEY = "layanan_warga"


def sign_in(request, row):
    request.session.cycle_key()  # a new session key at sign-in: no session fixation
    request.session[SESSION_KEY] = {"pin": row.pk, "sejak": row.dibuat_pada.isoformat(),
                                    "sampai": time.time() + settings.SIDEKEL_LAYANAN_SESI_MENIT * 60}


def signed_in(request):
    """The PIN row (and resident) of the resident signed in on this session, or None."""
    data = request.session.get(SESSION_KEY)
    if not isinstance(data, dict):
        return None
    row = None
    if data.get("sampai", 0) > time.time():
        row = PinWarga.objects.select_related("penduduk__desa").filter(pk=data.get("pin")).first()
    if row is None or row.dibuat_pada.isoformat() != data.get("sejak") or row.penduduk.deleted_at is not None \
            or row.penduduk.status_dasar != StatusDasar.HIDUP:
        request.session.pop(SESSION_KEY, None)
        return None
    data["sampai"] = time.time() + settings.SIDEKEL_LAYANAN_SESI_MENIT * 60
    request.session[SESSION_KEY] = data
    return row


def _to_sign_in(request, after):
    return redirect(f"{reverse('layanan:warga-masuk')}?{urlencode({'lanjut': after})}")


@public_figures("none")
def beranda(request):
    """What a resident can ask for online, what to bring, and where to sign in or follow a request."""
    return render(request, "layanan/warga/beranda.html", {
        "jenis_list": with_requirements(JenisSurat.objects.filter(aktif=True)), "masuk": signed_in(request),
    })


def with_requirements(types):
    """Each type with ``bawa``: its requirements (one a line, as the admin writes them) in one sentence."""
    types = list(types)
    for jenis in types:
        jenis.bawa = ", ".join(line.strip() for line in jenis.syarat.splitlines() if line.strip())
    return types


@public_figures("none")
@never_cache
def masuk(request):
    """NIK and PIN. A wrong NIK, a NIK without a PIN and a wrong PIN get the same answer."""
    after = request.GET.get("lanjut") or request.POST.get("lanjut") or ""
    if not url_has_allowed_host_and_scheme(after, allowed_hosts={request.get_host()}) or not after.startswith("/"):
        after = reverse("layanan:warga-ajukan")
    form = MasukForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        wait = take_named("layanan-masuk", request, settings.SIDEKEL_LAYANAN_MASUK_PER_JAM, 3600)
        if wait:
            status = 429
            form.add_error(None, _("Too many sign-in attempts from your address. Try again in %(minutes)d minutes.")
                           % {"minutes": max(1, math.ceil(wait / 60))})
        else:
            try:
                row = services.resident_for_pin(request, form.cleaned_data["nik"], form.cleaned_data["pin"])
            except LoginPaused as exc:
                status = 429
                form.add_error(None, exc.message)
            else:
                if row is not None:
                    sign_in(request, row)
                    return redirect(after)
                form.add_error(None, _("The NIK or the PIN is not right. Check both; if you have no PIN or "
                                       "forgot it, ask the village office for a new one."))
    return render(request, "layanan/warga/masuk.html", {"form": form, "lanjut": after}, status=status)


@public_figures("none")
@require_POST
def keluar(request):
    request.session.pop(SESSION_KEY, None)
    return redirect("layanan:warga")


@public_figures("none")
@never_cache
def ajukan(request):
    """The signed-in resident asks for a letter type, and sees their own requests."""
    row = signed_in(request)
    if row is None:
        return _to_sign_in(request, request.get_full_path())
    penduduk = row.penduduk
    jenis_list = with_requirements(JenisSurat.objects.filter(aktif=True))
    kode = request.POST.get("jenis") or request.GET.get("jenis") or ""
    jenis = next((j for j in jenis_list if j.kode == kode), None) if kode else None
    form, status = None, 200
    if jenis is not None:
        form = SuratForm(jenis, request.POST or None, keperluan_wajib=True)
        if request.method == "POST":
            if form.is_valid():
                try:
                    permohonan = services.submit_permohonan(penduduk, jenis=jenis, isian=form.isian(),
                                                            keperluan=form.cleaned_data["keperluan"])
                except ValidationError as exc:
                    for field, errors in exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]:
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    return redirect(f"{reverse('layanan:lacak', args=[permohonan.kode])}?baru=1")
            status = 422
    elif kode or request.method == "POST":
        status = 422
    mine = [(p, *services.tracking_state(p)) for p in
            Permohonan.objects.filter(penduduk=penduduk).select_related("jenis", "surat")[:20]]
    return render(request, "layanan/warga/ajukan.html", {
        "penduduk": penduduk, "jenis_list": jenis_list, "jenis": jenis, "form": form, "mine": mine,
        "unknown_jenis": bool(kode) and jenis is None,
    }, status=status)


@public_figures("none")
def lacak_cari(request):
    """The box to type a tracking code in."""
    return code_lookup(request, lambda kode: getattr(services.permohonan_by_code(kode), "kode", None), "layanan:lacak",
                       "layanan/warga/lacak_cari.html", _("No request has this tracking code. Check it and try again."))


@public_figures("none")
def lacak(request, kode):
    """Whoever holds the code sees the state of the request (no name); its resident, signed in,
    downloads the letter."""
    refused = rate_limited(request)
    if refused is not None:
        return refused
    permohonan = services.permohonan_by_code(kode)
    if permohonan is None:
        raise Http404
    if permohonan.kode != kode:
        return redirect("layanan:lacak", kode=permohonan.kode)
    state, surat = services.tracking_state(permohonan)
    row = signed_in(request)
    response = render(request, "layanan/warga/lacak.html", {
        "p": permohonan, "state": state, "surat": surat, "baru": request.GET.get("baru") == "1",
        "mine": row is not None and row.penduduk_id == permohonan.penduduk_id,
        "unduh": reverse("layanan:lacak-pdf", args=[permohonan.kode]),
    })
    response["X-Robots-Tag"] = "noindex"
    return response


@public_figures("none")
@never_cache
def lacak_pdf(request, kode):
    """The signed letter, for the resident it is for, signed in with NIK and PIN."""
    permohonan = services.permohonan_by_code(kode)
    if permohonan is None:
        raise Http404
    row = signed_in(request)
    if row is None:
        return _to_sign_in(request, request.path)
    state, surat = services.tracking_state(permohonan)
    if row.penduduk_id != permohonan.penduduk_id or state != "terbit":
        raise Http404
    log_access(request.user, AccessLog.Action.EXPORT, obj=surat,
               detail=f"surat {surat.nomor} pdf, diunduh warga dengan NIK dan PIN ({permohonan.kode})")
    return pdf_response(request, surat)
