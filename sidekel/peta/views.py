"""The map pages: the public map of the kecamatan or a village, and the officials' map of a village
(draw, import, export, a family's home pin, RT from the home location)."""

import json
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max, Min
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sidekel.core.audit import log_access, logs_access
from sidekel.core.models import AccessLog
from sidekel.core.nik import mask
from sidekel.core.pagecache import public_page
from sidekel.core.publicapi import public_figures
from sidekel.core.scope import Action, permits
from sidekel.penduduk.choices import HubunganKeluarga, StatusDasar
from sidekel.penduduk.models import Keluarga, Penduduk
from sidekel.statistik import publik as statistik_publik
from sidekel.wilayah.models import Desa

from . import formats, kualitas, publik as peta_publik, services
from .choices import Lapisan
from .forms import FiturForm, ImporForm, LokasiForm
from .models import Fitur, Kategori, LokasiKeluarga

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

@public_page
@public_figures("statistik.publik")
def publik(request, kode):
    """The public map: boundaries with a choropleth of a published figure, places, lines, areas."""
    area = statistik_publik.area(kode)
    if area is None:
        raise Http404(_("No village or kecamatan served here has this code."))
    api = "/api/v1/peta/"
    statistik = request.GET.get("statistik") or peta_publik.POPULATION
    options = peta_publik.choropleth_options()
    if statistik not in dict(options):
        statistik = peta_publik.POPULATION
    headline = statistik_publik.headline(area.desa_ids)
    villages = [(d, headline.get(d.id, {}).get("jumlah", 0)) for d in Desa.objects.filter(id__in=area.desa_ids)]
    places = (Fitur.objects.publik().filter(desa_id__in=area.desa_ids, lapisan=Lapisan.TEMPAT)
              .select_related("kategori", "desa").order_by("kategori__nama", "nama"))
    config = _map_config(bounds=_bounds(area.desa_ids), layers=[
        {"url": f"{api}batas/?wilayah={area.kode}&statistik={statistik}", "kind": "choropleth",
         "name": _("Boundaries")},
        {"url": f"{api}area/?wilayah={area.kode}", "kind": "area", "name": _("Areas")},
        {"url": f"{api}garis/?wilayah={area.kode}", "kind": "garis", "name": _("Lines")},
        {"url": f"{api}tempat/?wilayah={area.kode}", "kind": "tempat", "name": _("Places")},
    ], labels={"residents": _("residents"), "value": _("value"), "noData": _("not published"),
               "demo": _("demo shape, not an official boundary")})
    return render(request, "peta/publik.html", {
        "area": area, "villages": villages, "places": places, "options": options, "statistik": statistik,
        "statistik_label": dict(options)[statistik], "config": config, "demo": peta_publik.has_demo(area),
        "note": statistik_publik.short_note(),
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


def _heads(desa):
    return dict(Penduduk.objects.filter(desa=desa, hubungan_keluarga=HubunganKeluarga.KEPALA_KELUARGA,
                                        status_dasar=StatusDasar.HIDUP, deleted_at__isnull=True)
                .values_list("keluarga_id", "nama"))


@login_required
def petugas(request, kode):
    desa = _desa_for(request, kode, Action.VIEW)
    can_change = permits(request.user, Action.CHANGE, desa)
    features = Fitur.objects.filter(desa=desa).select_related("kategori").order_by("lapisan", "nama")
    without = (Keluarga.objects.filter(desa=desa, lokasi__isnull=True, anggota__status_dasar=StatusDasar.HIDUP)
               .distinct().order_by("nomor_kk")[:300]) if can_change else []
    heads = _heads(desa) if can_change else {}
    config = _map_config(bounds=_bounds([desa.id]), layers=[
        {"url": reverse("peta:data", args=[desa.kode]), "kind": "petugas", "name": _("Village data")}],
        edit=can_change, labels={"move": _("Move the home pin"), "family": _("Family"),
                                 "clickToMove": _("Click the new place of the home on the map.")})
    return render(request, "peta/petugas.html", {
        "desa": desa, "features": features, "can_change": can_change,
        "can_import": permits(request.user, Action.IMPORT, desa),
        "form": FiturForm(), "kategori": Kategori.objects.all(), "lokasi_form": LokasiForm(),
        "without": [(k.pk, _family_label(k.pk, k.nomor_kk, heads)) for k in without],
        "located": LokasiKeluarga.objects.filter(desa=desa).count(),
        "outside": kualitas.findings([desa.id]).count(), "config": config,
    })


@login_required
@logs_access(AccessLog.Action.VIEW, find=_village, detail=lambda request, kode: "peta lokasi keluarga")
def data(request, kode):
    """Everything of the village for the officials' map, families' home points included (logged)."""
    desa = _desa_for(request, kode, Action.VIEW)
    features = []
    for f in Fitur.objects.filter(desa=desa).select_related("kategori"):
        props = {"id": f.pk, "nama": f.nama, "lapisan": f.lapisan, "publik": f.publik, "demo": f.demo}
        if f.kategori:
            props.update(kategori=f.kategori.slug, warna=f.kategori.warna)
        features.append({"type": "Feature", "properties": props, "geometry": json.loads(f.geometri)})
    heads = _heads(desa)
    for lokasi in LokasiKeluarga.objects.filter(desa=desa).select_related("keluarga"):
        k = lokasi.keluarga
        features.append({"type": "Feature", "properties": {
            "lapisan": "keluarga", "keluarga": k.pk, "nama": _family_label(k.pk, k.nomor_kk, heads)},
            "geometry": {"type": "Point", "coordinates": [lokasi.lon, lokasi.lat]}})
    response = JsonResponse({"type": "FeatureCollection", "features": features})
    response["Cache-Control"] = "private, no-store"
    return response


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
    desa = _desa_for(request, kode, Action.IMPORT)
    form = ImporForm(request.POST or None, request.FILES or None)
    laporan, error = None, None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["berkas"]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "berkas"
            with path.open("wb") as out:
                size = 0
                for chunk in upload.chunks():
                    size += len(chunk)
                    if size > formats.MAX_GEO_BYTES:
                        break
                    out.write(chunk)
            try:
                if size > formats.MAX_GEO_BYTES:
                    raise formats.FormatError(_("The file is larger than %(limit)d MB.")
                                              % {"limit": formats.MAX_GEO_BYTES // 2**20})
                laporan = services.impor(desa, path, form.cleaned_data["lapisan"], user=request.user,
                                         dry_run=form.cleaned_data["uji"], publik=form.cleaned_data["publik"])
            except formats.FormatError as exc:
                error = str(exc)
            except ValidationError as exc:
                error = " ".join(exc.messages)
        if laporan and laporan.saved:
            messages.success(request, _("%(n)d shapes imported.") % {"n": laporan.saved})
            return redirect("peta:petugas", desa.kode)
    return render(request, "peta/impor.html", {"desa": desa, "form": form, "laporan": laporan, "error": error})


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
