"""The public site (no login, Bahasa Indonesia, no JavaScript): the kecamatan, each village, its
statistics, news, and the open data catalogue. Aggregates only: every figure comes from
statistik.publik, which hides small counts where they could point at a person.

The editor of news and announcements for officials is here too (/petugas/berita/).
"""

import datetime
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sidekel.core.images import CODE as PHOTO_REFUSED
from sidekel.core.pagecache import public_page
from sidekel.core.scope import Action, can_see_desa, permits, permits_somewhere
from sidekel.statistik import charts, publik
from sidekel.statistik.choices import KATEGORI
from sidekel.statistik.publik import public_figures
from sidekel.statistik.services import Baris, Unit
from sidekel.wilayah.models import Desa, Dusun, Kecamatan, Rt, Rw

from sidekel.aspirasi.views import public_list, with_answers

from . import markup, opendata
from .forms import BeritaForm
from .models import Berita
from .services import delete_berita, save_berita

NEWS_ON_HOME = 4
ASPIRASI_ON_PAGE = 3
ASPIRASI_MONTHS_ON_PAGE = 6


def _villages():
    return list(Desa.objects.managed().select_related("kecamatan__kabupaten__provinsi").order_by("jenis", "nama"))


def _news(desa_ids=None, kecamatan=True, limit=NEWS_ON_HOME):
    """Published items of these villages (and of the kecamatan), newest first."""
    qs = Berita.objects.published().select_related("desa").defer("gambar")
    if desa_ids is not None:
        from django.db.models import Q

        q = Q(desa_id__in=desa_ids)
        if kecamatan:
            q |= Q(desa__isnull=True)
        qs = qs.filter(q)
    items = list(qs[:limit]) if limit else qs
    for item in items if limit else []:
        item.ringkas = markup.summary(item.isi)
    return items


def _chart_rows(table):
    """The table's rows as services.Baris for the SVG charts."""
    return [Baris(r["kode"], r["label"], r["laki_laki"], r["perempuan"]) for r in table.rows]


# --- the kecamatan -----------------------------------------------------------------------------------

@public_page
@public_figures("statistik.publik")
def beranda(request):
    """The kecamatan: headline figures, every village with its population, news, open data."""
    villages = _villages()
    ids = [d.id for d in villages]
    figures = publik.headline(ids) if ids else {}
    for d in villages:
        d.figures = figures.get(d.id, {})
    kecamatan = sorted({d.kecamatan for d in villages}, key=lambda k: k.kode)
    total = {k: sum(f.get(k, 0) for f in figures.values()) for k in ("jumlah", "laki_laki", "perempuan", "keluarga")}
    ages = publik.kecamatan_table(kecamatan[0].id, "umur") if ids else None
    return render(request, "portal/beranda.html", {
        "desa_list": villages, "kecamatan_list": kecamatan, "kecamatan": kecamatan[0] if kecamatan else None,
        "total": total, "news": _news(ids) if ids else [],
        "pyramid": charts.pyramid(_chart_rows(ages)) if ages else None,
        "kategori": _categories(),
    })


def _categories():
    return [(k.slug, k.title) for k in KATEGORI.values()] + [
        ("keluarga", _("Families")), ("peristiwa", _("Births, deaths and moves"))]


def _kecamatan_area(kode):
    kecamatan = get_object_or_404(Kecamatan, kode=kode)
    ids = list(Desa.objects.managed().filter(kecamatan=kecamatan).values_list("id", flat=True))
    if not ids:
        raise Http404
    return kecamatan, ids


# --- a village ----------------------------------------------------------------------------------------

def _desa(kode):
    return get_object_or_404(Desa.objects.managed().select_related("kecamatan__kabupaten"), kode=kode)


@public_page
@public_figures("statistik.publik")
def desa(request, kode):
    """A village's public home: profile, headline figures, pyramid, statistics, news, open data."""
    village = _desa(kode)
    figures = publik.headline([village.id])[village.id]
    ages = publik.village_table(village.id, "umur")
    units = list(Dusun.objects.filter(desa=village).order_by("nama"))
    potensi_tahun, potensi_groups = publik.potensi_profile(village.id)
    return render(request, "portal/desa.html", {
        "potensi_tahun": potensi_tahun, "potensi_groups": potensi_groups,
        "desa": village, "figures": figures, "units": units,
        "pyramid": charts.pyramid(_chart_rows(ages)) if ages else None,
        "news": _news([village.id], kecamatan=False), "kategori": _categories(),
        "rt_count": Rt.objects.filter(desa=village).count(), "rw_count": Rw.objects.filter(desa=village).count(),
        "official": request.user.is_authenticated and can_see_desa(request.user, village.id),
        "tentang": markup.render(village.tentang),
        "updated": opendata.last_update([village.id]),
        "aspirasi": with_answers(list(public_list(village)[:ASPIRASI_ON_PAGE])),
        "aspirasi_bulan": (publik.aspirasi_monthly(village.kode) or [])[-ASPIRASI_MONTHS_ON_PAGE:],
        "aps": publik.partisipasi(publik.village_table(village.id, publik.PARTISIPASI)),
    })


def _parts(village):
    """[(value, label)] of the village's dusun, RW and RT for the "part of the village" choice."""
    choices = [("", _("Whole village"))]
    name = village.sebutan_dusun_tampil
    for d in Dusun.objects.filter(desa=village).order_by("nama"):
        choices.append((f"dusun-{d.id}", f"{name} {d.nama}"))
    for rw in Rw.objects.filter(desa=village).select_related("dusun", "desa").order_by("dusun__nama", "nomor"):
        choices.append((f"rw-{rw.id}", f"{rw.dusun} / {rw}" if rw.dusun_id else str(rw)))
    for rt in Rt.objects.filter(desa=village).select_related("dusun__desa", "rw").order_by("dusun__nama", "rw__nomor", "nomor"):
        choices.append((f"rt-{rt.id}", str(rt)))
    return choices


def _unit(value, choices):
    """The Unit chosen by ``?bagian=rt-12``, or None (whole village) for anything else."""
    if not value or value not in {v for v, _l in choices}:
        return None
    level, _sep, number = value.partition("-")
    return Unit(level, int(number))


@public_page
@public_figures("statistik.publik")
def statistik(request, slug, kode=None, kecamatan_kode=None):
    """One table as a chart and a table, for the kecamatan, a village or a part of a village."""
    if slug not in publik.published_slugs():
        raise Http404
    village = unit = None
    parts = []
    if kode is not None:
        village = _desa(kode)
        parts = _parts(village) if publik.below_village(slug) else []
        unit = _unit(request.GET.get("bagian", ""), parts)
        table = publik.village_table(village.id, slug, unit)
        area_name, org = str(village), village.kode
    else:
        kecamatan, ids = _kecamatan_area(kecamatan_kode)
        table = publik.kecamatan_table(kecamatan.id, slug)
        area_name, org = _("Kecamatan %(nama)s") % {"nama": kecamatan.nama}, kecamatan.kode
    if table is None:
        raise Http404
    ds = next(d for d in opendata.datasets() if d.table == slug)
    title = dict(_categories())[slug]
    chart = None
    if table.columns == publik.SEX_COLUMNS:
        chart = charts.bars(_chart_rows(table), str(title))
    unit_name = dict(parts).get(request.GET.get("bagian", "")) if unit else None
    return render(request, "portal/statistik.html", {
        "desa": village, "area_name": area_name, "slug": slug, "title": title, "table": table, "chart": chart,
        "parts": parts, "bagian": request.GET.get("bagian", "") if unit else "", "unit_name": unit_name,
        "dataset": ds, "org": org, "kategori": _categories(), "note": publik.short_note(),
        "kecamatan_kode": kecamatan_kode or (village.kecamatan.kode if village else None),
    })


# --- news ----------------------------------------------------------------------------------------------

@public_page
@public_figures("none")
def berita_list(request):
    """Every published item, newest first; ?desa=<kode> for one village's."""
    qs = Berita.objects.published().select_related("desa").defer("gambar")
    village = None
    kode = request.GET.get("desa", "")
    if kode:
        village = Desa.objects.managed().filter(kode=kode).first()
        qs = qs.filter(desa=village) if village else qs.none()
    page = Paginator(qs, 10).get_page(request.GET.get("halaman"))
    for item in page:
        item.ringkas = markup.summary(item.isi)
    return render(request, "portal/berita_list.html", {"page": page, "desa": village})


def _published(pk):
    return get_object_or_404(Berita.objects.published().select_related("desa"), pk=pk)


@public_page
@public_figures("none")
def berita_detail(request, pk):
    item = _published(pk)
    return render(request, "portal/berita_detail.html", {"item": item, "isi": markup.render(item.isi)})


@public_page
@public_figures("none")
def berita_gambar(request, pk):
    item = _published(pk)
    if not item.gambar:
        raise Http404
    response = HttpResponse(bytes(item.gambar), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=86400"
    return response


# --- the editor for officials ---------------------------------------------------------------------------

def _desa_choices(user):
    choices = [("", _("The kecamatan"))] if permits(user, Action.PUBLISH) else []
    return choices + [(d.kode, str(d)) for d in Desa.objects.for_user(user).order_by("nama") if permits(user, Action.PUBLISH, d.id)]


@login_required
def berita_petugas(request):
    """The items an official may edit (their village's, or all for the kecamatan admin)."""
    if not permits_somewhere(request.user, Action.PUBLISH):
        raise PermissionDenied
    qs = Berita.objects.for_user(request.user).select_related("desa").defer("gambar")
    if not permits(request.user, Action.PUBLISH):
        qs = qs.filter(desa__isnull=False)
    kode = request.GET.get("desa", "")
    if kode:
        qs = qs.filter(desa__kode=kode)
    page = Paginator(qs, 25).get_page(request.GET.get("halaman"))
    return render(request, "portal/berita_petugas.html", {"page": page, "now": timezone.now(), "kode": kode})


def _editable(request, pk):
    item = get_object_or_404(Berita.objects.for_user(request.user), pk=pk)
    if item.desa_id is None and not permits(request.user, Action.PUBLISH):
        raise Http404
    if item.desa_id is not None and not permits(request.user, Action.PUBLISH, item.desa_id):
        raise PermissionDenied
    return item


@login_required
def berita_form(request, pk=None):
    if not permits_somewhere(request.user, Action.PUBLISH):
        raise PermissionDenied
    item = _editable(request, pk) if pk else None
    choices = _desa_choices(request.user)
    initial = {"desa": item.desa.kode if item and item.desa_id else request.GET.get("desa", choices[0][0] if choices else "")}
    form = BeritaForm(request.POST or None, request.FILES or None, instance=item, desa_choices=choices, initial=initial)
    if request.method == "POST" and form.is_valid():
        kode = form.cleaned_data["desa"]
        village = Desa.objects.for_user(request.user).filter(kode=kode).first() if kode else None
        data = {name: form.cleaned_data[name] for name in ("jenis", "judul", "isi", "keterangan_gambar",
                                                            "tanggal_terbit", "diterbitkan")}
        try:
            saved = save_berita(request.user, village, data, image=form.cleaned_data.get("gambar_baru"),
                                remove_image=form.cleaned_data.get("hapus_gambar"), berita=item)
        except ValidationError as exc:
            form.add_error("gambar_baru" if getattr(exc, "code", None) == PHOTO_REFUSED else None, exc)
        except PermissionDenied:
            raise
        else:
            messages.success(request, _("Saved: “%(judul)s”.") % {"judul": saved.judul})
            return redirect("portal:berita-petugas")
    return render(request, "portal/berita_form.html", {"form": form, "item": item})


@login_required
@require_POST
def berita_hapus(request, pk):
    item = _editable(request, pk)
    try:
        delete_berita(request.user, item)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Deleted: “%(judul)s”.") % {"judul": item.judul})
    return redirect("portal:berita-petugas")


# --- open data -------------------------------------------------------------------------------------------

@public_page
@public_figures("statistik.publik")
def data_list(request):
    """The catalogue: every dataset; ?organisasi=<kode> shows one organisation's resources."""
    orgs = opendata.organisations()
    kode = request.GET.get("organisasi", "")
    chosen = next(((c, n, d) for c, n, d in orgs if c == kode), None)
    items = opendata.datasets()
    if chosen and chosen[2] is not None:
        items = [d for d in items if not d.kecamatan_only]
    org_ids = opendata.organisation(kode)[1] if chosen else [d.id for _c, _n, d in orgs if d is not None]
    return render(request, "portal/data_list.html", {
        "datasets": items, "orgs": orgs, "chosen": chosen, "kode": kode if chosen else "",
        "updated": opendata.last_update(org_ids), "licence": opendata.LICENCE_INFO, "formats": opendata.FORMATS,
        "kecamatan_kode": next((c for c, _n, d in orgs if d is None), ""),
    })


@public_page
@public_figures("statistik.publik")
def data_detail(request, slug):
    ds = opendata.dataset(slug)
    if ds is None:
        raise Http404
    orgs = opendata.organisations()
    if ds.kecamatan_only:
        orgs = [o for o in orgs if o[2] is None]
    kode = request.GET.get("organisasi", "")
    if kode and any(c == kode for c, _n, _d in orgs):
        orgs = [o for o in orgs if o[0] == kode]
    return render(request, "portal/data_detail.html", {
        "ds": ds, "orgs": orgs, "formats": opendata.FORMATS, "licence": opendata.LICENCE_INFO,
        "updated": opendata.last_update([d.id for d in Desa.objects.managed()]), "note": publik.note(),
    })


@public_page
@public_figures("statistik.publik")
def data_resource(request, slug, kode, fmt):
    """One dataset for one organisation as a file; ``?tanggal=YYYY-MM-DD`` for the end of a past month."""
    ds = opendata.dataset(slug)
    if ds is None or fmt not in opendata.FORMATS:
        raise Http404
    org = opendata.organisation(kode)
    if org is None or (ds.kecamatan_only and org[2] is not None):
        raise Http404
    pada = None
    if request.GET.get("tanggal"):
        try:
            pada = publik.check_date(datetime.date.fromisoformat(request.GET["tanggal"]))
        except ValueError as exc:
            message = str(exc) if isinstance(exc, publik.DateNotPublished) else _("Write the date as YYYY-MM-DD.")
            return HttpResponse(message, status=422, content_type="text/plain; charset=utf-8")
        if ds.table == opendata.VILLAGES and pada != timezone.localdate():
            return HttpResponse(_("This dataset is published for today only."), status=422,
                                content_type="text/plain; charset=utf-8")
    return opendata.response(ds, kode, fmt, bom=request.GET.get("bom") == "1", pada=pada)


@public_page
@public_figures("none")
def privasi(request):
    """How public figures are protected (docs/privacy.md, shipped in the package as portal/privasi.md)."""
    return render(request, "portal/privasi.html", {"sections": markup.document(PRIVACY_DOC.read_text("utf-8"))})


PRIVACY_DOC = Path(__file__).resolve().parent / "privasi.md"
