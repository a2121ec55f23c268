"""Letter screens: the queue and register, drafting for a resident, signing, revoking, the PDF,
the online requests and residents' PINs, and the public verification page ``/v/<token>/``.
(The residents' own pages are ``views_warga``.)

Letters are read through ``for_user`` (another village's letter is a 404); every write goes
through ``services``; pages that show a resident's data go to the access log.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from sidekel.core.audit import log_access, logs_access, seen
from sidekel.core.files import file_download
from sidekel.core.models import AccessLog
from sidekel.core.publicapi import public_figures, rate_limited
from sidekel.core.scope import Action, ensure_permits, permits, permits_somewhere
from sidekel.core.views import run_action
from sidekel.core.xlsx import CONTENT_TYPE as XLSX_TYPE
from sidekel.core.xlsx import write_workbook
from sidekel.penduduk.models import Penduduk
from sidekel.wilayah.models import Desa

from . import services
from .choices import StatusPermohonan, StatusSurat
from .forms import CabutForm, SuratForm, TolakForm
from .models import JenisSurat, Permohonan, Surat
from .placeholders import PLACEHOLDERS, render_html, tanggal_id


def _surat(request, pk):
    return get_object_or_404(Surat.objects.for_user(request.user).select_related(
        "desa__kecamatan__kabupaten__provinsi", "jenis", "penduduk__keluarga", "menggantikan"), pk=pk)


def _errors(request, exc):
    for message in exc.messages:
        messages.error(request, message)


@login_required
def index(request):
    """Drafts waiting for a signature and the latest letters of the user's villages."""
    if not permits_somewhere(request.user, Action.VIEW):
        raise PermissionDenied
    letters = Surat.objects.for_user(request.user).select_related("desa", "jenis", "penduduk")
    return render(request, "layanan/index.html", {
        "requests": services.waiting_requests(request.user).select_related("desa", "jenis", "penduduk")[:100],
        "drafts": letters.filter(status=StatusSurat.DRAF)[:100],
        "issued": letters.terbit()[:50],
        "villages": Desa.objects.for_user(request.user),
        "can_draft": permits_somewhere(request.user, Action.LETTER),
    })


@login_required
def buat(request):
    """Draft a letter: the village, the resident (searched as in the resident list), the type, its fields."""
    villages = [d for d in Desa.objects.for_user(request.user) if permits(request.user, Action.LETTER, d)]
    if not villages:
        raise PermissionDenied
    kode = request.GET.get("desa") or (villages[0].kode if len(villages) == 1 else "")
    desa = next((d for d in villages if d.kode == kode), None)
    if desa is None:
        return render(request, "layanan/pilih_desa.html", {"villages": villages})
    return _draft_form(request, desa)


def _draft_form(request, desa, menggantikan=None):
    q = " ".join(request.GET.get("q", "").split())[:100]
    penduduk = None
    pk = request.POST.get("penduduk") or request.GET.get("penduduk")
    if menggantikan is not None:
        penduduk = menggantikan.penduduk
    elif pk and str(pk).isdigit():
        penduduk = get_object_or_404(Penduduk.objects.for_user(request.user), pk=pk, desa=desa)
    jenis_list = JenisSurat.objects.filter(aktif=True)
    jenis_kode = request.POST.get("jenis") or request.GET.get("jenis") or (menggantikan.jenis.kode if menggantikan else "")
    jenis = jenis_list.filter(kode=jenis_kode).first() if jenis_kode else None
    form = None
    if jenis is not None:
        initial = {"keperluan": menggantikan.keperluan, **menggantikan.isian} if menggantikan else None
        form = SuratForm(jenis, request.POST or None, initial=initial)
        if request.method == "POST" and penduduk is not None and form.is_valid():
            try:
                surat = services.draft_surat(user=request.user, penduduk=penduduk, jenis=jenis, isian=form.isian(),
                                             keperluan=form.cleaned_data["keperluan"], menggantikan=menggantikan)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("The draft is saved. Check the preview; the kepala desa signs it."))
                return redirect("layanan:detail", surat.pk)
    elif request.method == "POST":
        messages.error(request, _("Choose a letter type."))
    found = services.penduduk_choices(request.user, desa, q) if q and penduduk is None else []
    return render(request, "layanan/buat.html", {
        "desa": desa, "q": q, "found": found, "penduduk": penduduk, "jenis_list": jenis_list, "jenis": jenis,
        "form": form, "menggantikan": menggantikan,
    })


@login_required
@logs_access(AccessLog.Action.VIEW, detail=lambda request, pk: "")
def detail(request, pk):
    surat = seen(request, _surat(request, pk))
    if surat.status == StatusSurat.DRAF:
        preview = render_html(services.body_of(surat), services.preview_values(surat))
    else:
        preview = render_html(surat.teks, {})
    return render(request, "layanan/detail.html", {
        "s": surat, "preview": preview,
        "can_sign": services.can_sign(request.user, surat.desa_id),
        "can_draft": services.can_draft(request.user, surat.desa_id),
        "cabut_form": CabutForm(),
        "verify_url": request.build_absolute_uri(reverse("layanan:verifikasi", args=[surat.token]))
        if surat.token else "",
    })


@login_required
@require_POST
def tandatangani(request, pk):
    surat = _surat(request, pk)
    try:
        surat = services.sign_surat(surat, user=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Signed. The letter's number is %(nomor)s.") % {"nomor": surat.nomor})
    return redirect("layanan:detail", surat.pk)


def _reason_page(request, form_class, service, obj, success, back, template, name):
    """A page that asks why (revoke a letter, refuse a request), then calls the service with the
    reason; its refusals become messages. A form without a reason comes back (422)."""
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        run_action(request, lambda: service(obj, user=request.user, alasan=form.cleaned_data["alasan"]), success)
        return redirect(back)
    return render(request, template, {name: obj, "form": form}, status=422 if request.method == "POST" else 200)


@login_required
def cabut(request, pk):
    surat = _surat(request, pk)
    ensure_permits(request.user, Action.SIGN, surat.desa_id)
    return _reason_page(request, CabutForm, services.revoke_surat, surat,
                        _("The letter is revoked; its verification page says so."),
                        reverse("layanan:detail", args=[surat.pk]), "layanan/cabut.html", "s")


@login_required
def koreksi(request, pk):
    """A correction: a new draft for the same resident and type that replaces this letter once signed."""
    surat = _surat(request, pk)
    ensure_permits(request.user, Action.LETTER, surat.desa_id)
    if surat.status != StatusSurat.TERBIT:
        messages.error(request, _("Only an issued letter can be corrected."))
        return redirect("layanan:detail", surat.pk)
    return _draft_form(request, surat.desa, menggantikan=surat)


@login_required
@require_POST
def hapus(request, pk):
    surat = _surat(request, pk)
    try:
        services.delete_draft(surat, user=request.user)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("layanan:detail", surat.pk)
    messages.success(request, _("The draft is deleted."))
    return redirect("layanan:index")


@login_required
def surat_pdf(request, pk):
    surat = _surat(request, pk)
    if surat.status == StatusSurat.DRAF:
        raise Http404
    log_access(request.user, AccessLog.Action.EXPORT, obj=surat, detail=f"surat {surat.nomor} pdf")
    return pdf_response(request, surat)


def verify_url(request, surat):
    return request.build_absolute_uri(reverse("layanan:verifikasi", args=[surat.token]))


def pdf_response(request, surat):
    from . import pdf  # fpdf2, loaded when a letter is printed: apps.py imports this module at start

    response = HttpResponse(pdf.render(surat, verify_url(request, surat)), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="surat-{surat.pk}.pdf"'
    return response


AGENDA_KOLOM = ["No. urut", "Tanggal", "Nomor surat", "Jenis surat", "Kepada / perihal", "Keperluan", "Status",
                "Keterangan"]


def _agenda_rows(letters):
    for s in letters:
        yield [s.urut, tanggal_id(s.tanggal), s.nomor, s.jenis.nama, s.penduduk.nama, s.keperluan,
               s.get_status_display(), s.alasan_cabut]


@login_required
@logs_access(AccessLog.Action.VIEW, find=lambda request, kode: Desa.objects.id_of(kode), detail=lambda request, kode: "")
def agenda(request, kode):
    """The outgoing register (Buku Agenda, surat keluar) of a village for a year."""
    desa = get_object_or_404(Desa.objects.for_user(request.user), kode=kode)
    years = list(Surat.objects.filter(desa=desa).terbit().values_list("tahun", flat=True).distinct().order_by("-tahun"))
    tahun = request.GET.get("tahun", "")
    tahun = int(tahun) if tahun.isdigit() and int(tahun) in years else (years[0] if years else None)
    letters = Surat.objects.filter(desa=desa, tahun=tahun).terbit().select_related("jenis", "penduduk").order_by("urut")
    if request.GET.get("format") == "xlsx":
        return file_download(lambda f: write_workbook(f, [("Agenda", [AGENDA_KOLOM, *_agenda_rows(letters)])]),
                             f"agenda-surat-{desa.nama.replace(' ', '-')}-{tahun}.xlsx", XLSX_TYPE)
    return render(request, "layanan/agenda.html", {"desa": desa, "letters": letters, "tahun": tahun, "years": years})


@public_figures("none")
def verifikasi(request, token):
    """Anyone with the QR code: the letter's number, date, type, masked name, signer, validity."""
    refused = rate_limited(request)
    if refused is not None:
        return refused
    surat = services.surat_for_token(token)
    status = services.verification_status(surat) if surat is not None else None
    response = render(request, "layanan/verifikasi.html", {"s": surat, "status": status},
                      status=200 if surat is not None else 404)
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
def placeholders(request):
    """The documented list of placeholders a body may use."""
    return render(request, "layanan/placeholders.html", {"placeholders": PLACEHOLDERS})


# --- online requests and residents' PINs ---------------------------------------------------------

def _permohonan(request, pk):
    return get_object_or_404(Permohonan.objects.for_user(request.user).select_related(
        "desa", "jenis", "penduduk", "surat", "diproses_oleh"), pk=pk)


@login_required
@logs_access(AccessLog.Action.VIEW, detail=lambda request, pk: "")
def permohonan(request, pk):
    """A resident's online request: the operator makes it a draft or refuses it."""
    p = seen(request, _permohonan(request, pk))
    fields = [(f.get("label", f["nama"]), p.isian.get(f["nama"], "")) for f in p.jenis.isian]
    return render(request, "layanan/permohonan.html", {
        "p": p, "fields": fields, "can_draft": services.can_draft(request.user, p.desa_id),
        "waiting": p.status == StatusPermohonan.MENUNGGU, "tolak_form": TolakForm(),
        "state": services.tracking_state(p)[0],
    })


@login_required
@require_POST
def permohonan_proses(request, pk):
    p = _permohonan(request, pk)
    try:
        surat = services.draft_from_permohonan(p, user=request.user)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("layanan:permohonan", p.pk)
    messages.success(request, _("The draft is made from the request. Check the preview; the kepala desa signs it."))
    return redirect("layanan:detail", surat.pk)


@login_required
def permohonan_tolak(request, pk):
    p = _permohonan(request, pk)
    ensure_permits(request.user, Action.LETTER, p.desa_id)
    return _reason_page(request, TolakForm, services.refuse_permohonan, p,
                        _("The request is refused; the resident sees the reason with the tracking code."),
                        reverse("layanan:permohonan", args=[p.pk]), "layanan/permohonan_tolak.html", "p")


@login_required
@logs_access(AccessLog.Action.SEARCH, find=lambda request: None, detail=lambda request: request.GET.get("q", "")[:100])
def pin(request):
    """Find the resident who asks for a PIN (the resident list's own search)."""
    villages = [d for d in Desa.objects.for_user(request.user) if permits(request.user, Action.LETTER, d)]
    if not villages:
        raise PermissionDenied
    kode = request.GET.get("desa") or (villages[0].kode if len(villages) == 1 else "")
    desa = next((d for d in villages if d.kode == kode), None)
    q = " ".join(request.GET.get("q", "").split())[:100]
    found = services.penduduk_choices(request.user, desa, q) if desa is not None and q else []
    return render(request, "layanan/pin.html", {"villages": villages, "desa": desa, "q": q, "found": found})


@login_required
@never_cache
@logs_access(AccessLog.Action.VIEW, find=lambda request, pk: Penduduk.objects.filter(pk=pk).only("id", "desa_id").first(),
             detail=lambda request, pk: "PIN layanan surat")
def pin_penduduk(request, pk):
    """A resident's PIN: whether there is one, and a new one (shown on this answer only, never again)."""
    penduduk = get_object_or_404(Penduduk.objects.for_user(request.user).select_related("desa"), pk=pk)
    ensure_permits(request.user, Action.LETTER, penduduk.desa_id)
    new_pin, status = None, 200
    if request.method == "POST":
        try:
            new_pin = services.issue_pin(penduduk, user=request.user)
        except ValidationError as exc:
            _errors(request, exc)
            status = 422
    return render(request, "layanan/pin_penduduk.html", {
        "penduduk": penduduk, "row": services.pin_of(penduduk), "locked": services.pin_locked(penduduk),
        "new_pin": new_pin, "masuk_url": request.build_absolute_uri(reverse("layanan:warga-masuk")),
    }, status=status)


def panel(request, desa_ids=None):
    """core.panels: online requests and drafts waiting, on the officials' home pages."""
    user = request.user
    if not permits_somewhere(user, Action.VIEW):
        return ""
    requests = services.waiting_requests(user, desa_ids).count()
    drafts = Surat.objects.for_user(user).filter(status=StatusSurat.DRAF)
    drafts = (drafts.filter(desa_id__in=desa_ids) if desa_ids is not None else drafts).count()
    if not requests and not drafts:
        return ""
    return render_to_string("layanan/_panel.html", {"requests": requests, "drafts": drafts}, request=request)
