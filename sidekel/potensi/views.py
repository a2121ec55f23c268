"""Screens of potensi wilayah: the village's yearly profile (form by group, XLSX template and
upload, source documents, the workflow), the kecamatan's status of every village and comparison on an indicator,
a village's indicator over the years, and the catalogue. Villages are fetched through
``for_user`` (another village is a 404); writes go through ``services``."""

import tempfile
from html import escape
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sidekel.core.views import run_action as _run
from sidekel.core import approval
from sidekel.core.audit import logs_access
from sidekel.core.models import AccessLog
from sidekel.core.files import csv_writer
from sidekel.core.scope import Action, ensure_permits, permits, permits_somewhere
from sidekel.wilayah.models import Desa

from . import berkas, services
from . import lampiran as lampiran_files
from .choices import Kelompok
from .forms import IndikatorForm, ProfilForm
from .models import Indikator, Lampiran, Nilai, Profil, tanggal_acuan, typed_value
from .rules import as_text, check_year
from .sdm import hitung_sdm, summary_labels

UPLOAD_SALT = "potensi-unggah"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STATUS_LABELS = {"": "belum diisi", "draf": "draf", "diajukan": "diajukan", "dikembalikan": "dikembalikan",
                 "disetujui": "disetujui"}
BADGE = {"": "", "draf": "", "diajukan": "warn", "dikembalikan": "err", "disetujui": "ok"}


def _desa(request, kode):
    return get_object_or_404(Desa.objects.for_user(request.user), kode=kode)


def _year(value, default=None):
    try:
        return check_year(value)
    except ValidationError:
        if default is not None:
            return default
        raise Http404 from None


def _this_year():
    return timezone.localdate().year


def _ensure_kecamatan(request):
    if not permits(request.user, Action.KECAMATAN):
        raise PermissionDenied(_("Only the camat and the kecamatan administrator compare every village."))


@login_required
def index(request):
    """The kecamatan: every village's profile status for the year. A village user: their village."""
    villages = Desa.objects.for_user(request.user).filter(managed=True).order_by("nama")
    if not permits(request.user, Action.KECAMATAN):
        if villages.count() == 1:
            return redirect("potensi:desa", kode=villages.get().kode)
        return render(request, "potensi/index.html", {"villages": villages, "kecamatan_view": False})
    tahun = _year(request.GET.get("tahun"), default=_this_year() - 1)
    status = {p.desa_id: p for p in Profil.objects.for_user(request.user).filter(tahun=tahun)}
    rows = [(d, status.get(d.id)) for d in villages]
    counts = [(label, sum(1 for _d, p in rows if (p.status if p else "") == key)) for key, label in STATUS_LABELS.items()]
    return render(request, "potensi/index.html", {
        "rows": rows, "kecamatan_view": True, "tahun": tahun, "counts": counts, "labels": STATUS_LABELS,
        "years": range(_this_year(), _this_year() - 6, -1), "kelompok": Kelompok.choices,
        "indicators": Indikator.objects.aktif(),
    })


@login_required
def desa(request, kode):
    village = _desa(request, kode)
    profiles = {p.tahun: p for p in Profil.objects.for_user(request.user).filter(desa=village)}
    years = [(y, profiles.get(y)) for y in range(_this_year(), _this_year() - 6, -1)]
    return render(request, "potensi/desa.html", {"desa": village, "years": years, "labels": STATUS_LABELS,
                                                 "can_edit": services.can_edit(request.user, village.id)})


def _values(village, tahun):
    return {n.indikator_id: (n.angka, n.teks) for n in Nilai.objects.filter(desa=village, profil__tahun=tahun)}


def _groups(indicators):
    """[(kelompok value, label, [(subkelompok, [indikator])])] in catalogue order."""
    out = []
    labels = dict(Kelompok.choices)
    for i in indicators:
        if not out or out[-1][0] != i.kelompok:
            out.append((i.kelompok, labels.get(i.kelompok, i.kelompok), []))
        subs = out[-1][2]
        if not subs or subs[-1][0] != i.subkelompok:
            subs.append((i.subkelompok, []))
        subs[-1][1].append(i)
    return out


def _who(user):
    return (user.get_full_name() or user.username) if user else "sistem"


@login_required
def profil(request, kode, tahun):
    village = _desa(request, kode)
    tahun = _year(tahun)
    p = Profil.objects.for_user(request.user).filter(desa=village, tahun=tahun).first()
    indicators = list(Indikator.objects.for_desa(village))
    saved, before = _values(village, tahun), _values(village, tahun - 1)
    groups = []
    for kelompok, label, subs in _groups(indicators):
        rows = [(sub, [(i, as_text(i, *saved[i.id]) if i.id in saved else "",
                        as_text(i, *before[i.id]) if i.id in before else "",
                        (p.komentar or {}).get(i.kode, "") if p else "") for i in items]) for sub, items in subs]
        filled = sum(1 for _s, items in subs for i in items if i.id in saved)
        groups.append((kelompok, label, rows, filled, sum(len(items) for _s, items in subs)))
    sdm = p.sdm if p and p.sdm else hitung_sdm(village, tanggal_acuan(tahun))
    state = p.status if p else ""
    user = request.user
    return render(request, "potensi/profil.html", {
        "desa": village, "tahun": tahun, "profil": p, "state": state, "groups": groups, "sdm": sdm,
        "sdm_labels": summary_labels(), "labels": STATUS_LABELS,
        "submitted_by": _who(p.diajukan_oleh if p else None), "decided_by": _who(p.diputuskan_oleh if p else None),
        "can_edit": services.can_edit(user, village.id) and not approval.is_locked(p),
        "can_submit": services.can_submit(user, village.id) and approval.allowed_from(p, approval.SUBMIT)
        and bool(saved),
        "can_decide": services.can_decide(user) and state == approval.Status.DIAJUKAN,
        "can_reopen": services.can_decide(user) and state == approval.Status.DISETUJUI,
        "indicators": indicators if services.can_decide(user) else [],
        "lampiran": list(Lampiran.objects.for_user(user).filter(profil=p).select_related("diunggah_oleh"))
        if p else [],
        "max_lampiran": lampiran_files.MAX_PER_PROFILE, "max_lampiran_mb": lampiran_files.MAX_BYTES // 2**20,
    })


@login_required
def isi(request, kode, tahun, kelompok):
    """The form of one group, last year's value beside each field."""
    village = _desa(request, kode)
    tahun = _year(tahun)
    ensure_permits(request.user, Action.CHANGE, village)
    if kelompok not in Kelompok.values:
        raise Http404
    p = Profil.objects.filter(desa=village, tahun=tahun).first()
    indicators = list(Indikator.objects.for_desa(village).filter(kelompok=kelompok))
    form = ProfilForm(indicators, _values(village, tahun), request.POST or None,
                      initial={"sumber": p.sumber if p else ""})
    if request.method == "POST" and not approval.is_locked(p) and form.is_valid():
        try:
            _p, changed = services.save_values(village, tahun, form.values(), user=request.user,
                                               sumber=form.cleaned_data["sumber"])
        except ValidationError as exc:
            for text in exc.messages:
                messages.error(request, text)
        else:
            messages.success(request, _("Saved: %(n)s values changed.") % {"n": changed})
            return redirect("potensi:profil", kode=village.kode, tahun=tahun)
    before = _values(village, tahun - 1)
    subs = [(sub, [(form[i.kode], as_text(i, *before[i.id]) if i.id in before else "",
                    (p.komentar or {}).get(i.kode, "") if p else "") for i in items])
            for _k, _l, subs in _groups(indicators) for sub, items in subs]
    return render(request, "potensi/isi.html", {
        "desa": village, "tahun": tahun, "profil": p, "form": form, "subs": subs, "locked": approval.is_locked(p),
        "kelompok": kelompok, "kelompok_label": dict(Kelompok.choices)[kelompok],
    })


@login_required
def templat(request, kode, tahun):
    village = _desa(request, kode)
    tahun = _year(tahun)
    data = berkas.template(village, tahun, list(Indikator.objects.for_desa(village)))
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="potensi-{village.kode}-{tahun}.xlsx"'
    return response


@login_required
@require_POST
def unggah(request, kode, tahun):
    """Upload the filled template: a dry run first (every problem with its row, nothing written),
    then the confirmation writes every value at once."""
    village = _desa(request, kode)
    tahun = _year(tahun)
    ensure_permits(request.user, Action.CHANGE, village)
    p = Profil.objects.filter(desa=village, tahun=tahun).first()
    url = reverse("potensi:profil", args=[village.kode, tahun])
    if request.POST.get("token"):
        try:
            values = signing.loads(request.POST["token"], salt=UPLOAD_SALT, max_age=3600)
            if values.get("desa") != village.id or values.get("tahun") != tahun:
                raise signing.BadSignature
            _p, changed = services.save_values(village, tahun, values["nilai"], user=request.user)
        except signing.BadSignature:
            messages.error(request, _("This check has expired: upload the file again."))
        except ValidationError as exc:
            for text in exc.messages:
                messages.error(request, text)
        else:
            messages.success(request, _("Saved from the file: %(n)s values changed.") % {"n": changed})
        return redirect(url)
    uploaded = request.FILES.get("berkas")
    if uploaded is None:
        messages.error(request, _("Choose the filled XLSX file first."))
        return redirect(url)
    if approval.is_locked(p):
        try:
            services.ensure_editable(p, tahun)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(url)
    suffix = Path(uploaded.name).suffix.lower()[:6] or ".xlsx"
    with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
        for chunk in uploaded.chunks():
            tmp.write(chunk)
        tmp.flush()
        values, problems = berkas.read_upload(tmp.name, list(Indikator.objects.for_desa(village)))
    token = signing.dumps({"desa": village.id, "tahun": tahun, "nilai": values}, salt=UPLOAD_SALT) \
        if values and not problems else ""
    return render(request, "potensi/unggah.html", {
        "desa": village, "tahun": tahun, "problems": problems, "count": len(values), "token": token,
        "filename": uploaded.name,
    })



# --- source documents ------------------------------------------------------------------------------

def _lampiran_url(village, tahun):
    return reverse("potensi:profil", args=[village.kode, tahun]) + "#lampiran"


@login_required
@require_POST
def lampiran_tambah(request, kode, tahun):
    """Attach a source document (a plain form: works without JavaScript); back to the profile."""
    village = _desa(request, kode)
    tahun = _year(tahun)
    ensure_permits(request.user, Action.CHANGE, village)
    _run(request, lambda: services.add_lampiran(village, tahun, request.FILES.get("lampiran"), user=request.user,
                                                keterangan=request.POST.get("keterangan", "")),
         _("The document has been attached."))
    return redirect(_lampiran_url(village, tahun))


def _lampiran(request, village, tahun, pk):
    return get_object_or_404(Lampiran.objects.for_user(request.user), pk=pk, desa=village, profil__tahun=tahun)


@login_required
@logs_access(AccessLog.Action.EXPORT, lambda request, kode, tahun, pk: Lampiran.objects.get(pk=pk),
             detail=lambda request, kode, tahun, pk: f"lampiran potensi {tahun}: "
                                                     f"{Lampiran.objects.get(pk=pk).nama}")
def lampiran_unduh(request, kode, tahun, pk):
    """The document itself, to who may see the village; always a download, never kept by a cache."""
    village = _desa(request, kode)
    item = _lampiran(request, village, _year(tahun), pk)
    path = lampiran_files.folder() / item.berkas
    if not path.is_file():
        raise Http404
    response = FileResponse(path.open("rb"), as_attachment=True, filename=item.download_name, content_type=item.jenis)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def lampiran_hapus(request, kode, tahun, pk):
    village = _desa(request, kode)
    tahun = _year(tahun)
    ensure_permits(request.user, Action.CHANGE, village)
    item = _lampiran(request, village, tahun, pk)
    _run(request, lambda: services.remove_lampiran(item, user=request.user),
         _("The attachment %(name)s has been removed.") % {"name": item.nama})
    return redirect(_lampiran_url(village, tahun))


def _workflow_view(build):
    @login_required
    @require_POST
    def view(request, kode, tahun):
        village = _desa(request, kode)
        tahun = _year(tahun)
        build(request, village, tahun)
        return redirect("potensi:profil", kode=village.kode, tahun=tahun)
    return view


def _ajukan(request, village, tahun):
    services.WORKFLOW.check_permission(request.user, approval.SUBMIT, village.id)
    _run(request, lambda: services.submit(village, tahun, user=request.user),
         _("The profile %(year)s has been sent to the kecamatan.") % {"year": tahun})


def _setujui(request, village, tahun):
    services.ensure_can_decide(request.user)
    _run(request, lambda: services.approve(village, tahun, user=request.user),
         _("The profile %(year)s is approved and locked.") % {"year": tahun})


def _kembalikan(request, village, tahun):
    services.ensure_can_decide(request.user)
    kode, teks = request.POST.get("komentar_kode", "").strip(), request.POST.get("komentar_teks", "").strip()
    komentar = {kode: teks} if kode and teks else {}
    _run(request, lambda: services.return_profil(village, tahun, user=request.user,
                                                 catatan=request.POST.get("catatan", ""), komentar=komentar),
         _("The profile %(year)s has been sent back to the village.") % {"year": tahun})


def _buka(request, village, tahun):
    services.ensure_can_decide(request.user)
    _run(request, lambda: services.reopen(village, tahun, user=request.user, alasan=request.POST.get("alasan", "")),
         _("The profile %(year)s is open again for a correction.") % {"year": tahun})


ajukan, setujui, kembalikan, buka = (_workflow_view(f) for f in (_ajukan, _setujui, _kembalikan, _buka))


# --- the kecamatan: comparison and trend ---------------------------------------------------------------

def comparison(user, indikator, tahun):
    """[(desa, profil status, value)] of every village the user sees, on one indicator and year."""
    villages = list(Desa.objects.for_user(user).filter(managed=True).order_by("nama"))
    status = dict(Profil.objects.for_user(user).filter(tahun=tahun).values_list("desa_id", "status"))
    values = {desa_id: typed_value(indikator.tipe, angka, teks) for desa_id, angka, teks in
              Nilai.objects.for_user(user).filter(indikator=indikator, profil__tahun=tahun)
              .values_list("desa_id", "angka", "teks")}
    return [(d, status.get(d.id, ""), values.get(d.id)) for d in villages]


@login_required
def banding(request):
    """Every village on one indicator for one year: a table, or map-ready values (?format=json|csv)."""
    _ensure_kecamatan(request)
    tahun = _year(request.GET.get("tahun"), default=_this_year() - 1)
    indicators = list(Indikator.objects.all())
    indikator = next((i for i in indicators if i.kode == request.GET.get("indikator")), None)
    rows = comparison(request.user, indikator, tahun) if indikator else []
    fmt = request.GET.get("format")
    if indikator and fmt == "json":
        return JsonResponse({"indikator": indikator.kode, "nama": indikator.nama, "satuan": indikator.satuan,
                             "tahun": tahun, "wilayah": [{"kode": d.kode, "nama": d.nama, "status": s, "nilai": v}
                                                         for d, s, v in rows]},
                            json_dumps_params={"ensure_ascii": False})
    if indikator and fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="potensi-{indikator.kode}-{tahun}.csv"'
        writer = csv_writer(response)
        writer.writerow(["kode_wilayah", "nama_wilayah", "status", "nilai"])
        writer.writerows([d.kode, d.nama, s, "" if v is None else v] for d, s, v in rows)
        return response
    numbers = [v for _d, _s, v in rows if isinstance(v, (int, float)) and not isinstance(v, bool)]
    top = max(numbers, default=0) or 1
    return render(request, "potensi/banding.html", {
        "indicators": indicators, "indikator": indikator, "tahun": tahun, "labels": STATUS_LABELS,
        "rows": [(d, STATUS_LABELS[s], BADGE[s], v,
                  100 * v / top if isinstance(v, (int, float)) and not isinstance(v, bool) else None)
                 for d, s, v in rows],
        "total": sum(numbers) if numbers else None, "years": range(_this_year(), _this_year() - 6, -1),
        "query": request.GET.urlencode(),
    })


def trend_chart(points, satuan, width=360, height=140):
    """A small column chart of (year, value) as SVG; an empty year has no column."""
    numbers = [v for _y, v in points if isinstance(v, (int, float)) and not isinstance(v, bool)]
    top = max(numbers, default=0) or 1
    step = width / max(len(points), 1)
    parts = [f'<svg class="chart trend" viewBox="0 0 {width} {height + 20}" width="100%" role="img" '
             f'aria-label="{escape(satuan)}">']
    for n, (year, value) in enumerate(points):
        x = n * step + step * 0.2
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            h = (height - 18) * value / top
            parts.append(f'<rect class="men" x="{x:.1f}" y="{height - h:.1f}" width="{step * 0.6:.1f}" height="{h:.1f}"/>'
                         f'<text x="{x + step * 0.3:.1f}" y="{height - h - 4:.1f}" text-anchor="middle">'
                         f'{escape(f"{value:,}".replace(",", "."))}</text>')
        parts.append(f'<text x="{x + step * 0.3:.1f}" y="{height + 15}" text-anchor="middle">{year}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


@login_required
def tren(request, kode, indikator):
    village = _desa(request, kode)
    item = get_object_or_404(Indikator, kode=indikator)
    values = {tahun: (typed_value(item.tipe, angka, teks), status) for tahun, angka, teks, status in
              Nilai.objects.for_user(request.user).filter(desa=village, indikator=item)
              .values_list("profil__tahun", "angka", "teks", "profil__status")}
    first = min(values, default=_this_year() - 4)
    years = list(range(min(first, _this_year() - 4), _this_year() + 1))
    points = [(y, values.get(y, (None, ""))[0]) for y in years]
    return render(request, "potensi/tren.html", {
        "desa": village, "indikator": item, "chart": trend_chart(points, item.satuan),
        "rows": [(y, values.get(y, (None, ""))) for y in reversed(years)], "labels": STATUS_LABELS,
    })


# --- the catalogue ---------------------------------------------------------------------------------------

@login_required
def katalog(request):
    """Every indicator; the kecamatan admin adds new ones and retires old ones here."""
    if not permits_somewhere(request.user, Action.VIEW):
        raise PermissionDenied
    may_change = permits(request.user, Action.CATALOGUE)
    form = IndikatorForm(request.POST or None) if may_change else None
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied(_("Only the kecamatan administrator changes the catalogue."))
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items()}
            try:
                services.add_indicator(user=request.user, urutan=Indikator.objects.count() * 10 + 10000, **data)
            except ValidationError as exc:
                for field, errors in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Indicator %(code)s added.") % {"code": data["kode"]})
                return redirect("potensi:katalog")
    return render(request, "potensi/katalog.html", {
        "groups": _groups(Indikator.objects.all()), "form": form, "may_change": may_change,
    })


@login_required
@require_POST
def pensiun(request, pk):
    if not permits(request.user, Action.CATALOGUE):
        raise PermissionDenied(_("Only the kecamatan administrator changes the catalogue."))
    item = get_object_or_404(Indikator, pk=pk)
    _run(request, lambda: services.retire_indicator(item, user=request.user),
         _("Indicator %(code)s retired: it is no longer asked; its values stay.") % {"code": item.kode})
    return redirect("potensi:katalog")
