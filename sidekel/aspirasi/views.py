"""Saran dan masukan: the public form, the tracking page and the public list (no login, no
JavaScript), and the officials' pages to moderate, move and answer reports.

The public sees only what ``publik`` rows carry in their redacted fields, and never a sender's
contact; the tracking page shows to whoever holds the code the status, its steps and the answers.
"""

import math

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sidekel.core import publicapi
from sidekel.core.pagecache import public_page
from sidekel.core.paging import keyset_page
from sidekel.core.publicapi import public_figures
from sidekel.core.views import code_lookup
from sidekel.core.scope import Action, can_see_desa, permits, permits_somewhere
from sidekel.wilayah.models import Desa, Kecamatan

from . import services
from .choices import CLOSED, Jenis, Status
from .forms import (BalasForm, GabungForm, KirimForm, NilaiForm, SembunyikanForm, StatusForm, TanggapanForm,
                    VerifikasiForm)
from .models import Aspirasi, Foto

PAGE_SIZE = 10  # as the news list: a short page on a cheap phone


def _targets():
    """[(kode, label)]: every served village and its kecamatan, for the form's "to" choice."""
    villages = list(Desa.objects.managed().select_related("kecamatan").order_by("kecamatan__kode", "jenis", "nama"))
    choices = []
    for kecamatan in sorted({d.kecamatan for d in villages}, key=lambda k: k.kode):
        choices.append((kecamatan.kode, _("Kecamatan %(nama)s") % {"nama": kecamatan.nama}))
    return choices + [(d.kode, str(d)) for d in villages]


def _target(kode):
    """(kecamatan, desa or None) for a code of the form or the API, or None."""
    if kode.count(".") == 3:
        desa = Desa.objects.managed().select_related("kecamatan").filter(kode=kode).first()
        return (desa.kecamatan, desa) if desa else None
    if Desa.objects.managed().filter(kecamatan__kode=kode).exists():
        return Kecamatan.objects.get(kode=kode), None
    return None


def rate_limited(request):
    """Seconds to wait when this address has sent too many reports, else 0 (core.publicapi's buckets)."""
    return publicapi.take_named("aspirasi", request, settings.SIDEKEL_ASPIRASI_PER_JAM, 3600)


# --- the public ------------------------------------------------------------------------------------

@public_figures("none")
def kirim(request):
    """The public form: to a village or the kecamatan (``?desa=<kode>`` preset), no account."""
    targets = _targets()
    initial = {"tujuan": request.GET.get("desa", "")}
    form = KirimForm(request.POST or None, request.FILES or None, tujuan_choices=targets, initial=initial)
    status = 200
    if request.method == "POST":
        wait = 0
        seconds = form.seconds_open()
        if form.data.get("situs"):
            form.add_error(None, _("The form could not be sent. Leave the last field empty and try again."))
        elif seconds is None or seconds < settings.SIDEKEL_ASPIRASI_MIN_DETIK:
            form.add_error(None, _("The form was sent too quickly. Check your message and send it again."))
            form.data = form.data.copy()
            form.data["mulai"] = KirimForm(tujuan_choices=targets).initial["mulai"]
        elif form.is_valid() and not (wait := rate_limited(request)):
            kecamatan, desa = _target(form.cleaned_data["tujuan"])
            data = form.cleaned_data
            try:
                aspirasi = services.submit(
                    kecamatan=kecamatan, desa=desa, jenis=data["jenis"], kategori=data["kategori"],
                    judul=data["judul"], isi=data["isi"], privasi=data["privasi"], tempat=data["tempat"],
                    nama=data["nama"], kontak=data["kontak"], photos=[data.get(f"foto{i}") for i in (1, 2, 3)])
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else "foto1" if field == "foto" else None, errors)
            else:
                return redirect(f"{aspirasi_url(aspirasi)}?baru=1")
        if wait:
            status = 429
            form.add_error(None, _("Too many reports from your address. Try again in %(minutes)d minutes.")
                           % {"minutes": max(1, math.ceil(wait / 60))})
    return render(request, "aspirasi/kirim.html", {"form": form}, status=status)


def aspirasi_url(aspirasi):
    from django.urls import reverse

    return reverse("aspirasi:lacak", args=[aspirasi.kode_lacak])


@public_figures("none")
def lacak_cari(request):
    """The box to type a tracking code in."""
    return code_lookup(request, lambda kode: getattr(services.by_code(kode), "kode_lacak", None), "aspirasi:lacak",
                       "aspirasi/lacak_cari.html", _("No report has this tracking code. Check it and try again."))


def _tracked(kode):
    aspirasi = services.by_code(kode)
    if aspirasi is None:
        raise Http404
    return aspirasi


def tracking_context(aspirasi):
    """What the holder of the code sees: status, steps, officials' answers; the text only as published."""
    shown = aspirasi.digabung_ke or aspirasi
    return {
        "a": aspirasi, "shown": shown,
        "riwayat": list(aspirasi.riwayat.all()),
        "tanggapan": list(shown.tanggapan.filter(dari_warga=False)),
        "balasan": aspirasi.tanggapan.filter(dari_warga=True).count(),
        "fotos": list(aspirasi.foto.all()) if aspirasi.publik else [],
        "can_reply": aspirasi.status not in CLOSED,
        "can_rate": aspirasi.status in (Status.SELESAI, Status.DITOLAK),
    }


@public_figures("none")
def lacak(request, kode):
    aspirasi = _tracked(kode)
    if aspirasi.kode_lacak != kode:
        return redirect("aspirasi:lacak", kode=aspirasi.kode_lacak)
    return render(request, "aspirasi/lacak.html", {
        **tracking_context(aspirasi), "baru": request.GET.get("baru") == "1",
        "balas_form": BalasForm(), "nilai_form": NilaiForm(initial={"nilai": aspirasi.penilaian}),
    })


@public_figures("none")
@require_POST
def balas(request, kode):
    aspirasi = _tracked(kode)
    form = BalasForm(request.POST)
    if form.is_valid():
        try:
            services.reply(aspirasi.kode_lacak, isi=form.cleaned_data["isi"])
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            return redirect(f"{aspirasi_url(aspirasi)}?dibalas=1")
    return render(request, "aspirasi/lacak.html", {**tracking_context(aspirasi), "balas_form": form,
                                                   "nilai_form": NilaiForm()}, status=422)


@public_figures("none")
@require_POST
def nilai(request, kode):
    aspirasi = _tracked(kode)
    form = NilaiForm(request.POST)
    if form.is_valid():
        try:
            services.rate(aspirasi.kode_lacak, nilai=form.cleaned_data["nilai"])
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            return redirect(f"{aspirasi_url(aspirasi)}?dinilai=1")
    return render(request, "aspirasi/lacak.html", {**tracking_context(aspirasi), "balas_form": BalasForm(),
                                                   "nilai_form": form}, status=422)


def public_list(desa=None):
    qs = Aspirasi.objects.publik().select_related("desa", "kecamatan", "kategori").defer("isi", "judul", "kontak")
    return qs.filter(desa=desa) if desa is not None else qs


def with_answers(items):
    """Each item's officials' answers (one query for the page)."""
    from .models import Tanggapan

    by_report = {}
    for t in Tanggapan.objects.filter(aspirasi_id__in=[a.id for a in items], dari_warga=False).order_by("waktu", "id"):
        by_report.setdefault(t.aspirasi_id, []).append(t)
    for a in items:
        a.jawaban = by_report.get(a.id, [])
    return items


@public_page
@public_figures("none")
def daftar(request):
    """The public list: verified, non-rahasia reports (redacted), newest first; ``?desa=<kode>``,
    ``?jenis=``. Keyset pages (``?setelah=``/``?sebelum=``): every page costs the same, and no count."""
    village = None
    kode = request.GET.get("desa", "")
    qs = public_list()
    if kode:
        village = Desa.objects.managed().filter(kode=kode).first()
        qs = public_list(village) if village else qs.none()
    jenis = request.GET.get("jenis", "")
    if jenis in Jenis.values:
        qs = qs.filter(jenis=jenis)
    else:
        jenis = ""
    page = keyset_page(qs, "-created_at", after=request.GET.get("setelah"), before=request.GET.get("sebelum"),
                       size=PAGE_SIZE)
    with_answers(page.rows)
    query = "&".join(f"{k}={v}" for k, v in (("desa", village.kode if village else ""), ("jenis", jenis)) if v)
    return render(request, "aspirasi/daftar.html", {"page": page, "desa": village, "jenis": jenis,
                                                    "jenis_list": Jenis.choices, "query": query})


def foto(request, pk):
    """A photo: to anyone when its report is public, else only to officials of the report's scope."""
    item = get_object_or_404(Foto.objects.select_related("aspirasi"), pk=pk)
    report = item.aspirasi
    official = request.user.is_authenticated and (
        can_see_desa(request.user, report.desa_id) if report.desa_id else permits(request.user, Action.VIEW))
    if not (report.publik or official):
        raise Http404
    path = services.photos_dir() / item.berkas
    if not path.exists():
        raise Http404
    response = FileResponse(path.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=3600" if report.publik else "private, no-store"
    return response


foto.public_figures = "none"


# --- officials -------------------------------------------------------------------------------------

def _report(request, pk):
    return get_object_or_404(Aspirasi.objects.for_user(request.user).select_related(
        "desa", "kecamatan", "kategori", "digabung_ke"), pk=pk)


@login_required
def petugas_list(request):
    """The reports of the user's scope: open first by due date; ?status=, ?desa=, ?terlambat=1."""
    if not permits_somewhere(request.user, Action.VIEW):
        raise PermissionDenied
    qs = Aspirasi.objects.for_user(request.user).select_related("desa", "kecamatan", "kategori")
    status = request.GET.get("status", "terbuka")
    if status == "terbuka":
        qs = qs.open().filter(digabung_ke__isnull=True).order_by("batas", "created_at")
    elif status in Status.values:
        qs = qs.filter(status=status)
    if request.GET.get("terlambat") == "1":
        qs = services.overdue(qs)
    kode = request.GET.get("desa", "")
    if kode == "kecamatan":
        qs = qs.filter(desa__isnull=True)
    elif kode:
        qs = qs.filter(desa__kode=kode)
    page = Paginator(qs, 25).get_page(request.GET.get("halaman"))
    return render(request, "aspirasi/petugas_list.html", {
        "page": page, "status": status, "statuses": Status.choices, "kode": kode, "today": timezone.localdate(),
        "villages": Desa.objects.for_user(request.user).order_by("nama"),
        "terlambat": request.GET.get("terlambat") == "1",
    })


@login_required
def petugas_detail(request, pk):
    aspirasi = _report(request, pk)
    return _detail(request, aspirasi)


def _detail(request, aspirasi, status=200, **forms):
    can = services.can_moderate(request.user, aspirasi)
    context = {
        "a": aspirasi, "can_moderate": can, "today": timezone.localdate(),
        "riwayat": aspirasi.riwayat.select_related("oleh"),
        "tanggapan": aspirasi.tanggapan.select_related("oleh"),
        "fotos": aspirasi.foto.all(), "gabungan": aspirasi.gabungan.all(),
        "verifikasi_form": forms.get("verifikasi_form") or VerifikasiForm(initial={
            "judul_publik": aspirasi.judul_publik or aspirasi.judul, "isi_publik": aspirasi.isi_publik or aspirasi.isi}),
        "status_form": forms.get("status_form") or StatusForm(aspirasi=aspirasi),
        "tanggapan_form": forms.get("tanggapan_form") or TanggapanForm(),
        "sembunyikan_form": forms.get("sembunyikan_form") or SembunyikanForm(),
        "gabung_form": forms.get("gabung_form") or GabungForm(),
    }
    return render(request, "aspirasi/petugas_detail.html", context, status=status)


def _moderated(request, pk):
    aspirasi = _report(request, pk)
    if not services.can_moderate(request.user, aspirasi):
        raise PermissionDenied(_("You may read but not handle reports here."))
    return aspirasi


def _act(request, pk, form_class, name, action, done):
    aspirasi = _moderated(request, pk)
    form = form_class(request.POST, **({"aspirasi": aspirasi} if form_class is StatusForm else {}))
    if form.is_valid():
        try:
            action(aspirasi, form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, done)
            return redirect("aspirasi:petugas-detail", pk=aspirasi.pk)
    return _detail(request, aspirasi, status=422, **{name: form})


@login_required
@require_POST
def verifikasi(request, pk):
    return _act(request, pk, VerifikasiForm, "verifikasi_form",
                lambda a, d: services.verify(a, user=request.user, **d), _("The report is verified."))


@login_required
@require_POST
def ubah_status(request, pk):
    return _act(request, pk, StatusForm, "status_form",
                lambda a, d: services.move(a, user=request.user, **d), _("The status is changed."))


@login_required
@require_POST
def tanggapi(request, pk):
    return _act(request, pk, TanggapanForm, "tanggapan_form",
                lambda a, d: services.answer(a, user=request.user, isi=d["isi"]), _("The answer is saved."))


@login_required
@require_POST
def sembunyikan(request, pk):
    return _act(request, pk, SembunyikanForm, "sembunyikan_form",
                lambda a, d: services.hide(a, user=request.user, alasan=d["alasan"]), _("The report is hidden."))


@login_required
@require_POST
def gabung(request, pk):
    def merge(a, d):
        target = services.by_code(d["ke"])
        if target is not None and not Aspirasi.objects.for_user(request.user).filter(pk=target.pk).exists():
            target = None
        services.merge(a, into=target, user=request.user)

    return _act(request, pk, GabungForm, "gabung_form", merge, _("The report is merged."))
