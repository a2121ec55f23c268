"""The map over the API. Public answers are GeoJSON FeatureCollections (no login, from
``peta/publik.py``); families' home points need a token and are scoped like residents."""

import json

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from sidekel.akun.api import BearerAuth
from sidekel.core.audit import log_access
from sidekel.core.models import AccessLog
from sidekel.core.publicapi import etag_for, matches, not_modified, public_figures, public_headers
from sidekel.core.scope import Action, permits
from sidekel.wilayah.models import Desa

from . import publik
from .models import LokasiKeluarga

router = Router(tags=["peta"], auth=None)
GEOJSON = "application/geo+json; charset=utf-8"


class BatasParams(Schema):
    wilayah: str = Field(description="Code of a village (`62.01.02.2010`) or of the kecamatan (`62.01.02`).")
    zoom: int = Field(publik.DEFAULT_ZOOM, description="Map zoom (8-18): the shapes are simplified to half a pixel.")
    statistik: str | None = Field(None, description="The choropleth's value (`nilai`): `penduduk` (default), "
                                                    "`kepadatan` (residents per km²) or `<kategori>:<kode>` of a "
                                                    "published table, e.g. `pendidikan-kk:1`.")
    tingkat: str = Field("desa", description="`desa`: one feature per village; `dusun`: per dusun area of one "
                                             "village (only for tables published below the village).")


class LapisanParams(Schema):
    wilayah: str = Field(description="Code of a village or of the kecamatan.")
    kategori: str | None = Field(None, description="Only this category (slug), e.g. `sekolah`.")
    zoom: int = Field(publik.DEFAULT_ZOOM, description="Map zoom (8-18).")


def _geojson(request, name, params, compute):
    try:
        area = publik.area_of(params.wilayah)
        etag = etag_for("peta", name, request.GET.urlencode(), publik.version(area))
        if matches(request, etag):
            return not_modified(etag)
        data = compute()
    except publik.Pertanyaan as exc:
        raise HttpError(404 if isinstance(exc, publik.TidakAda) else 422, str(exc)) from exc
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return public_headers(HttpResponse(body, content_type=GEOJSON), etag)


@router.get("/batas/", response={200: dict, 404: dict, 422: dict}, url_name="peta_batas",
            summary="Village (or dusun) boundaries with a published figure")
@public_figures("statistik.publik")
def batas(request, params: Query[BatasParams]):
    """One feature per village under the code: properties `kode`, `nama`, `jenis`, `jumlah_penduduk`
    (published headline), `nilai` (the choropleth's value, through the same disclosure control as
    every public figure) and `demo` (a made-up shape of the demo kecamatan)."""
    return _geojson(request, "batas", params,
                    lambda: publik.batas(params.wilayah, params.zoom, params.statistik, params.tingkat))


@router.get("/tempat/", response={200: dict, 404: dict, 422: dict}, url_name="peta_tempat",
            summary="Public places (points)")
@public_figures("none")
def tempat(request, params: Query[LapisanParams]):
    """One feature per public place: properties `nama`, `desa`, `kategori`, `kategori_nama`, `warna`,
    `keterangan` when given, `demo`, and `foto` (the address of its photo, a JPEG without EXIF) when
    it has one."""
    return _geojson(request, "tempat", params,
                    lambda: publik.lapisan(params.wilayah, "tempat", params.zoom, params.kategori))


@router.get("/garis/", response={200: dict, 404: dict, 422: dict}, url_name="peta_garis",
            summary="Public lines: roads, rivers, irrigation")
@public_figures("none")
def garis(request, params: Query[LapisanParams]):
    return _geojson(request, "garis", params,
                    lambda: publik.lapisan(params.wilayah, "garis", params.zoom, params.kategori))


@router.get("/area/", response={200: dict, 404: dict, 422: dict}, url_name="peta_area",
            summary="Public areas: land use, hazard zones")
@public_figures("none")
def area(request, params: Query[LapisanParams]):
    return _geojson(request, "area", params,
                    lambda: publik.lapisan(params.wilayah, "area", params.zoom, params.kategori))


class KeluargaParams(Schema):
    desa: str = Field(description="Code of a village you may see.")


@router.get("/keluarga/", auth=BearerAuth(), response={200: dict, 403: dict, 404: dict}, url_name="peta_keluarga",
            summary="Families' home points (token; your villages only)")
def keluarga(request, params: Query[KeluargaParams]):
    """Home points of the village's families: `keluarga_id` and the point, nothing else."""
    desa = Desa.objects.for_user(request.auth).filter(kode=params.desa).first()
    if desa is None:
        raise HttpError(404, _("Not found."))
    if not permits(request.auth, Action.VIEW, desa):
        raise HttpError(403, _("Your role may not %(action)s here.") % {"action": Action.VIEW.label})
    log_access(request.auth, AccessLog.Action.EXPORT, desa_id=desa.id, detail="peta keluarga")
    features = [{"type": "Feature", "properties": {"keluarga_id": k},
                 "geometry": {"type": "Point", "coordinates": [lon, lat]}}
                for k, lon, lat in LokasiKeluarga.objects.for_user(request.auth).filter(desa=desa)
                .values_list("keluarga_id", "lon", "lat").order_by("keluarga_id")]
    response = HttpResponse(json.dumps({"type": "FeatureCollection", "features": features}), content_type=GEOJSON)
    response["Cache-Control"] = "private, no-store"
    return response
