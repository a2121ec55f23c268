"""The map pages: the public map of the kecamatan or a village, and the officials' map of a village
(draw, import, export, a family's home pin, RT from the home location)."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Exists, Max, Min, OuterRef
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sidekel.core import jobs, versioned
from sidekel.core.audit import log_access, logs_access
from sidekel.core.models import AccessLog, Job
from sidekel.core.nik import mask
from sidekel.core.pagecache import public_page
from sidekel.core.views import cancel_import, import_checked, url_for_id
from sidekel.core.publicapi import public_figures
from sidekel.core.scope import Action, permits
from sidekel.penduduk.choices import HubunganKeluarga, StatusDasar
from sidekel.penduduk.models import Keluarga, Penduduk
from sidekel.statistik import publik as statistik_publik
from sidekel.wilayah.models import Desa

from . import formats, kualitas, publik as peta_publik, services
from .choices import Lapisan
from .forms import IMPORT_LAYERS, FiturForm, FotoForm, ImporForm, LokasiForm
from .models import Fitur, FotoTempat, Kategori, LokasiKeluarga

CENTER = (-2.68, 111.62)  # Pangkalan Bun, when a map has no shape yet


def tiles():
    """(tile URL template, attribution) from the settings; ("", "") when tiles are off."""
    url = getattr(settings, "SIDEKEL_MAP_TILES", "")
    return (url, getattr(settings, "SIDEKEL_MAP_ATTRIBUTION", "")) if url else ("", "")


def _bounds(desa_ids):
    box = Fitur.objects.filter(desa_id__in=desa_ids).aggregate(a=Min("min_lon"), b=Min("min_lat"), c=Max("max_lon"),
                                                               d=Max("max_lat"))
    if box["a"] is None:
        return [[CENTER[0] - 0.05, CENTER[1] - 0.05], [CENTER[0] + 0.05, CENTER[1] + 0.05]]
    return [[box["b"], box["a"]], [box["d"], box["c"]]]


def _map_config(**extra):
    url, attribution = tiles()
    return {"tiles": url, "attribution": attribution, **extra}


# --- public -------------------------------------------------------------------------------------

DESA, DUSUN = "desa", "dusun"


@public_page
@public_figures("statistik.publik")
def publik(request, kode):
    """The public map: boundaries with a choropleth of a published figure (by village, or on a
    village's map by dusun where the small-count rules allow it), places, lines, areas."""
    area = statistik_publik.area(kode)
    if area is None:
        raise Http404(_("No village or kecamatan served here has this code."))
    api = "/api/v1/peta/"
    statistik = request.GET.get("statistik") or peta_publik.POPULATION
    options = peta_publik.choropleth_options()
    if statistik not in dict(options):
        statistik = peta_publik.POPULATION
    label = dict(options)[statistik]
    tingkat, notice = (request.GET.get("tingkat") if area.desa else None) or DESA, ""
    if tingkat == DUSUN and not peta_publik.by_dusun_allowed(statistik):
        tingkat, notice = DESA, _("%(statistik)s is published for villages and the kecamatan only, never for a "
                                  "dusun: the map shows the village.") % {"statistik": label}
    elif tingkat == DUSUN and not peta_publik.has_dusun_areas(area.desa):
        tingkat, notice = DESA, _("This village has no dusun areas on the map yet: the map shows the village.")
    elif tingkat != DUSUN:
        tingkat = DESA
    headline = statistik_publik.headline(area.desa_ids)
    villages = [(d, headline.get(d.id, {}).get("jumlah", 0)) for d in Desa.objects.filter(id__in=area.desa_ids)]
    places = list(Fitur.objects.publik().filter(desa_id__in=area.desa_ids, lapisan=Lapisan.TEMPAT)
                  .select_related("kategori", "desa").order_by("kategori__nama", "nama"))
    photos = peta_publik.foto_urls([p.pk for p in places])
    for place in places:
        place.foto_url = photos.get(place.pk)
    boundaries = f"{api}batas/?wilayah={area.kode}&statistik={statistik}"
    if tingkat == DUSUN:
        layers = [{"url": f"{boundaries}&tingkat=dusun", "kind": "choropleth", "name": _("Dusun")},
                  {"url": boundaries, "kind": "outline", "name": _("Boundaries")}]
    else:
        layers = [{"url": boundaries, "kind": "choropleth", "name": _("Boundaries")}]
    config = _map_config(bounds=_bounds(area.desa_ids), layers=layers + [
        {"url": f"{api}area/?wilayah={area.kode}", "kind": "area", "name": _("Areas")},
        {"url": f"{api}garis/?wilayah={area.kode}", "kind": "garis", "name": _("Lines")},
        {"url": f"{api}tempat/?wilayah={area.kode}", "kind": "tempat", "name": _("Places")},
    ], labels={"residents": _("residents"), "value": label, "noData": _("not published"),
               "demo": _("demo shape, not an official boundary"), "photo": _("Photo of %s")})
    dusun_values = []
    if tingkat == DUSUN:
        collection = peta_publik.batas(area.kode, statistik=statistik, tingkat=DUSUN)
        dusun_values = [(f["properties"]["nama"], f["properties"]["nilai"]) for f in collection["features"]]
    return render(request, "peta/publik.html", {
        "area": area, "villages": villages, "places": places, "options": options, "statistik": statistik,
        "statistik_label": label, "config": config, "demo": peta_publik.has_demo(area),
        "note": statistik_publik.short_note(), "tingkat": tingkat, "notice": notice, "dusun_values": dusun_values,
    })


# --- officials ----------------------------------------------------------------------------------

def _desa_for(request, kode, action):
    """The village (404 outside the user's scope), PermissionDenied unless the user may ``action`` there."""
    desa = get_object_or_404(Desa.objects.for_user(request.user), kode=kode)
    if not permits(request.user, action, desa):
        raise PermissionDenied(_("Your role may not %(action)s here.") % {"action": Action(action).label})
    return desa


def _village(request, kode, **_kwargs):
    return Desa.objects.id_of(kode)


def _family_label(keluarga_id, nomor_kk, heads):
    return f"KK {mask(nomor_kk) if nomor_kk else '-'} · {heads.get(keluarga_id, '')}".strip(" ·")


def _heads(desa, keluarga_ids=None):
    """{keluarga_id: the living head's name} of the village's families (or of ``keluarga_ids``)."""
    heads = Penduduk.objects.filter(desa=desa, hubungan_keluarga=HubunganKeluarga.KEPALA_KELUARGA,
                                    status_dasar=StatusDasar.HIDUP, deleted_at__isnull=True)
    if keluarga_ids is not None:
        heads = heads.filter(keluarga_id__in=list(keluarga_ids))
    return dict(heads.values_list("keluarga_id", "nama"))


@login_required
def index(request):
    """The menu's "Map": one's own village's map at once, else the villages one sees, with how
    much of each is on the map."""
    villages = list(Desa.objects.for_user(request.user).select_related("kecamatan").order_by("nama"))
    if len(villages) == 1:
        return redirect("peta:petugas", villages[0].kode)
    counts = dict(Fitur.objects.filter(desa__in=villages).values_list("desa").annotate(n=Count("id")).order_by())
    boundaries = set(Fitur.objects.filter(desa__in=villages, lapisan=Lapisan.BATAS).values_list("desa_id", flat=True))
    kecamatan = {d.kecamatan for d in villages}
    return render(request, "peta/index.html", {
        "rows": [(d, counts.get(d.id, 0), d.id in boundaries) for d in villages],
        "kecamatan": sorted(kecamatan, key=lambda k: k.kode)})


@login_required
def petugas(request, kode):
    desa = _desa_for(request, kode, Action.VIEW)
    can_change = permits(request.user, Action.CHANGE, desa)
    photo_url, remove_url, layers = url_for_id("peta:fitur-foto"), url_for_id("peta:fitur-hapus"), dict(Lapisan.choices)
    features = list(Fitur.objects.filter(desa=desa).select_related("kategori").order_by("lapisan", "nama"))
    for f in features:  # a village has a hundred shapes: their addresses made here, one reverse each
        f.foto_url, f.hapus_url, f.lapisan_label = photo_url(f.pk), remove_url(f.pk), layers.get(f.lapisan, f.lapisan)
    without = versioned.cached([desa.id], "peta:tanpa-lokasi", lambda _d: _without_home(desa))[desa.id] \
        if can_change else []
    config = _map_config(bounds=_bounds([desa.id]), layers=[
        {"url": reverse("peta:data", args=[desa.kode]), "kind": "petugas", "name": _("Village data")}],
        edit=can_change, labels={"move": _("Move the home pin"), "family": _("Family"), "photo": _("Photo of %s"),
                                 "clickToMove": _("Click the new place of the home on the map.")})
    return render(request, "peta/petugas.html", {
        "desa": desa, "features": features, "can_change": can_change,
        "can_import": permits(request.user, Action.IMPORT, desa),
        "form": FiturForm(), "kategori": Kategori.objects.all(), "lokasi_form": LokasiForm(),
        "without": bool(without),  # up to 300 options, written here rather than by a loop of the template
        "without_options": mark_safe("".join(f'<option value="{pk}">{escape(label)}</option>' for pk, label in without)),
        "located": LokasiKeluarga.objects.filter(desa=desa).count(),
        "outside": kualitas.findings([desa.id]).count(), "config": config,
        "photos": set(FotoTempat.objects.filter(desa=desa).values_list("fitur_id", flat=True)),
    })


@login_required
@logs_access(AccessLog.Action.VIEW, find=_village, detail=lambda request, kode: "peta lokasi keluarga")
def data(request, kode):
    """Everything of the village for the officials' map, families' home points included (logged)."""
    desa = _desa_for(request, kode, Action.VIEW)
    features = []
    photos = peta_publik.foto_urls(FotoTempat.objects.filter(desa=desa).values("fitur_id"))
    for f in Fitur.objects.filter(desa=desa).select_related("kategori"):
        props = {"id": f.pk, "nama": f.nama, "lapisan": f.lapisan, "publik": f.publik, "demo": f.demo}
        if f.kategori:
            props.update(kategori=f.kategori.slug, warna=f.kategori.warna)
        if f.pk in photos:
            props["foto"] = photos[f.pk]
        features.append({"type": "Feature", "properties": props, "geometry": json.loads(f.geometri)})
    # A large village has thousands of home points: written as JSON once per version of its data.
    homes = versioned.cached([desa.id], "peta:rumah-keluarga", lambda _d: _homes_json(desa))[desa.id]
    parts = [json.dumps(feature, cls=DjangoJSONEncoder) for feature in features] + ([homes] if homes else [])
    response = HttpResponse('{"type": "FeatureCollection", "features": [' + ", ".join(parts) + "]}",
                            content_type="application/json")
    response["Cache-Control"] = "private, no-store"
    return response


def _without_home(desa):
    """[(keluarga id, label)] of the first 300 families of the village (by KK number) with living
    members and no home point: the choice of a family to place on the map."""
    living = Penduduk.objects.filter(keluarga=OuterRef("pk"), status_dasar=StatusDasar.HIDUP)
    without = list(Keluarga.objects.filter(desa=desa, lokasi__isnull=True).filter(Exists(living))
                   .order_by("nomor_kk").values_list("pk", "nomor_kk")[:300])
    heads = _heads(desa, [pk for pk, _kk in without])
    return [(pk, _family_label(pk, nomor_kk, heads)) for pk, nomor_kk in without]


def _homes_json(desa):
    """The families' home points of the village as GeoJSON features, comma-separated (JSON text)."""
    heads = _heads(desa)
    return ", ".join(json.dumps({"type": "Feature", "properties": {
        "lapisan": "keluarga", "keluarga": keluarga_id, "nama": _family_label(keluarga_id, nomor_kk, heads)},
        "geometry": {"type": "Point", "coordinates": [lon, lat]}})
        for keluarga_id, nomor_kk, lon, lat in LokasiKeluarga.objects.filter(desa=desa).values_list(
            "keluarga_id", "keluarga__nomor_kk", "lon", "lat"))


def _errors(exc):
    return exc.messages if isinstance(exc, ValidationError) else [str(exc)]


@login_required
@require_POST
def fitur_simpan(request, kode):
    desa = _desa_for(request, kode, Action.CHANGE)
    form = FiturForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.simpan_fitur(desa, user=request.user, lapisan=data["lapisan"], geometry=data["geometri"],
                                  nama=data["nama"], kategori=data["kategori"], keterangan=data["keterangan"],
                                  publik=data["publik"])
            messages.success(request, _("Saved on the map."))
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(_errors(exc)))
    else:
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
    return redirect("peta:petugas", desa.kode)


@login_required
@require_POST
def fitur_hapus(request, pk):
    fitur = get_object_or_404(Fitur.objects.for_user(request.user), pk=pk)
    desa = _desa_for(request, fitur.desa.kode, Action.CHANGE)
    services.hapus_fitur(fitur, user=request.user)
    messages.success(request, _("Removed from the map."))
    return redirect("peta:petugas", desa.kode)


@login_required
def impor(request, kode):
    """Upload a map file: it is kept and a job checks it (or imports it) in the worker."""
    desa = _desa_for(request, kode, Action.IMPORT)
    form = ImporForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload, data = form.cleaned_data["berkas"], form.cleaned_data
        job = jobs.start_upload(services.IMPORT_JOB, desa, request.user, upload, lapisan=data["lapisan"],
                                publik=data["publik"], dry_run=data["uji"])
        return redirect("peta:impor-detail", pk=job.pk)
    recent = list(Job.objects.for_user(request.user).filter(kind=services.IMPORT_JOB, desa=desa)[:10])
    for job in recent:
        job.lapisan = dict(IMPORT_LAYERS).get(job.options.get("lapisan"), "")
    return render(request, "peta/impor.html", {"desa": desa, "form": form, "recent": recent})


def _import_job(request, pk):
    return get_object_or_404(Job.objects.for_user(request.user).select_related("desa"), pk=pk,
                             kind=services.IMPORT_JOB)


@login_required
def impor_detail(request, pk):
    """A map import's progress, then its report: every refused feature with its reason."""
    job = jobs.refreshed(_import_job(request, pk))
    if request.htmx and not job.active:
        response = HttpResponse()
        response["HX-Refresh"] = "true"  # finished: reload the whole page to show the report
        return response
    context = {"job": job, "progress": jobs.progress(job), "worker_missing": jobs.waits_for_nobody(job),
               "can_import": permits(request.user, Action.IMPORT, job.desa),
               "lapisan": dict(IMPORT_LAYERS).get(job.options.get("lapisan"), "")}
    return render(request, "peta/_impor_progres.html" if request.htmx else "peta/impor_detail.html", context)


@login_required
@require_POST
def impor_simpan(request, pk):
    """Import a file whose check found nothing to refuse: a new job on the same stored file."""
    checked = _import_job(request, pk)
    _desa_for(request, checked.desa.kode, Action.IMPORT)
    if checked.status != Job.Status.DONE or not checked.options.get("dry_run") or not checked.result.get("ok"):
        messages.error(request, _("Only a file checked without a refused feature can be imported."))
        return redirect("peta:impor-detail", pk=checked.pk)
    job = import_checked(request, checked)
    return redirect("peta:impor-detail", pk=job.pk)


@login_required
@require_POST
def impor_batal(request, pk):
    job = _import_job(request, pk)
    _desa_for(request, job.desa.kode, Action.IMPORT)
    job = cancel_import(request, job)
    return redirect("peta:impor-detail", pk=job.pk)


# --- a place's photo ---------------------------------------------------------------------------------

@public_figures("none")
def foto(request, pk):
    """A place's photo: to anyone when the place is on the public map, else only to the officials
    who see its village. The stored JPEG was made anew at upload (no EXIF, no GPS position)."""
    item = get_object_or_404(FotoTempat.objects.select_related("fitur"), pk=pk)
    public = item.fitur.publik and item.fitur.lapisan == Lapisan.TEMPAT
    if not public and not (request.user.is_authenticated and permits(request.user, Action.VIEW, item.desa_id)):
        raise Http404
    response = HttpResponse(bytes(item.berkas), content_type="image/jpeg")
    # The URL carries the photo's version (?v=), so a replaced photo is a new address.
    response["Cache-Control"] = "public, max-age=86400" if public else "private, no-store"
    return response


@login_required
def fitur_foto(request, pk):
    """Give a place a photo, replace or remove it (who may change the village's map)."""
    fitur = get_object_or_404(Fitur.objects.for_user(request.user).select_related("desa", "kategori"), pk=pk)
    desa = _desa_for(request, fitur.desa.kode, Action.CHANGE)
    if fitur.lapisan != Lapisan.TEMPAT:
        raise Http404(_("Only a place (a point) has a photo."))
    form = FotoForm(request.POST, request.FILES) if request.method == "POST" else FotoForm()
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["foto"]:
                services.simpan_foto(fitur, form.cleaned_data["foto"], user=request.user)
                messages.success(request, _("The photo of %(nama)s is saved.") % {"nama": fitur})
            else:
                services.hapus_foto(fitur, user=request.user)
                messages.success(request, _("The photo of %(nama)s is removed.") % {"nama": fitur})
            return redirect("peta:petugas", desa.kode)
        except ValidationError as exc:
            form.add_error("foto", exc)
    return render(request, "peta/foto.html", {"desa": desa, "fitur": fitur, "form": form,
                                              "current": peta_publik.foto_urls([fitur.pk]).get(fitur.pk)})


def fitur_features(desa_ids):
    """[(properties, geometry)] of every shape of these villages (no family location), for export."""
    out = []
    for f in Fitur.objects.filter(desa_id__in=desa_ids).select_related("kategori", "desa", "dusun", "rw", "rt"):
        props = {"nama": f.nama, "lapisan": f.lapisan, "desa": f.desa.kode, "kategori": f.kategori.slug if f.kategori else "",
                 "keterangan": f.keterangan, "publik": f.publik, "demo": f.demo,
                 "dusun": f.dusun.nama if f.dusun else "", "rw": f.rw.nomor if f.rw else "", "rt": f.rt.nomor if f.rt else ""}
        out.append((props, json.loads(f.geometri)))
    return out


@login_required
def ekspor(request, kode, fmt):
    desa = _desa_for(request, kode, Action.VIEW)
    features = fitur_features([desa.id])
    log_access(request.user, AccessLog.Action.EXPORT, desa_id=desa.id, detail=f"peta {fmt}")
    if fmt == "kml":
        response = HttpResponse(formats.to_kml(features, str(desa)), content_type="application/vnd.google-earth.kml+xml")
    else:
        response = HttpResponse(formats.to_geojson(features), content_type="application/geo+json")
    response["Content-Disposition"] = f'attachment; filename="peta-{desa.kode}.{fmt}"'
    return response


@login_required
@require_POST
def lokasi(request, kode):
    desa = _desa_for(request, kode, Action.CHANGE)
    form = LokasiForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Click the home's place on the map first."))
        return redirect("peta:petugas", desa.kode)
    keluarga = Keluarga.objects.for_user(request.user).filter(desa=desa, pk=form.cleaned_data["keluarga"]).first()
    if keluarga is None:
        raise Http404
    try:
        services.set_lokasi(keluarga, user=request.user, lon=form.cleaned_data["lon"], lat=form.cleaned_data["lat"])
        messages.success(request, _("The family's home is on the map."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("peta:petugas", desa.kode)


@login_required
@require_POST
def tetapkan_rt(request, kode):
    desa = _desa_for(request, kode, Action.CHANGE)
    try:
        changed, outside = services.tetapkan_rt(desa, user=request.user)
        messages.success(request, _("%(n)d families got the RT of their home location; %(out)d homes lie in no RT area.")
                         % {"n": changed, "out": outside})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("peta:petugas", desa.kode)
