"""The public map's data: GeoJSON of boundaries, places, lines and areas, and the choropleth.

What a visitor without a login may get, and nothing else:

- shapes marked ``publik`` of the layers Fitur holds (never ``LokasiKeluarga``: a household's
  location has no public path; this module does not import it), with their name, category and
  village, and a public place's photo address (the photo was re-encoded without EXIF at upload,
  ``core.images``); no attribute of a resident;
- figures only through ``statistik.publik`` (the one public read path with its disclosure
  control): the village's published headline (``jumlah_penduduk``) and, for the choropleth, the
  published table of a category by village, or by dusun where ``statistik.publik.below_village``
  allows it (never the sensitive categories below the village).

Geometry is simplified for the zoom level asked for (half a screen pixel), coordinates rounded to
5 decimals (~1 m), and the whole answer kept in the cache under the kecamatan's data version
(``statistik.publik.version_key``: every audited change of any of its villages, the day and the
threshold), so a warm answer is a cache read.
"""

import hashlib
import json

from django.core.cache import cache
from django.utils.translation import gettext as _

from sidekel.core.versioned import CACHE_SECONDS
from sidekel.statistik import publik as statistik_publik
from sidekel.statistik.services import Unit
from sidekel.wilayah.models import Desa, Dusun

from .choices import Lapisan
from .geometri import area_km2, simplified, to_shape
from .models import Fitur, FotoTempat, Kategori

MIN_ZOOM, MAX_ZOOM, DEFAULT_ZOOM = 8, 18, 12
DENSITY = "kepadatan"  # residents per km², from the published headline and the boundary's area
POPULATION = "penduduk"


class Pertanyaan(ValueError):
    """A question the public map cannot answer; the message says why."""


class TidakAda(Pertanyaan):
    """No served village or kecamatan has the code asked for."""


def zoom_of(value):
    try:
        return max(MIN_ZOOM, min(MAX_ZOOM, int(value)))
    except (TypeError, ValueError):
        return DEFAULT_ZOOM


def tolerance(zoom):
    """Half a screen pixel at this zoom, in degrees: simplifying by less cannot be seen."""
    return 360 / (256 * 2**zoom) / 2


def area_of(kode):
    area = statistik_publik.area(kode or "")
    if area is None:
        raise TidakAda(_("No village or kecamatan served here has the code %(kode)s.") % {"kode": kode})
    return area


def _cached(area, name, compute):
    key = "peta:%s:%s:%s" % (name, area.kode, statistik_publik.version_key(area.kecamatan_id))
    key = "peta:" + hashlib.sha1(key.encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, CACHE_SECONDS)
    return found


def version(area):
    """A short text that changes whenever anything shown for this area may change (for ETags)."""
    return statistik_publik.version_key(area.kecamatan_id)


def choropleth_options():
    """[(value, label)] of what the choropleth can show: population, density, each published table's rows."""
    from sidekel.statistik.choices import KATEGORI

    options = [(POPULATION, _("Residents")), (DENSITY, _("Residents per km²"))]
    for slug, kategori in KATEGORI.items():
        if slug in ("kelompok-umur", "umur"):
            continue
        for code, label in kategori.labels():
            options.append((f"{slug}:{code}", f"{kategori.title}: {label}"))
    return options


def _value_of(tabel, code):
    for row in tabel.rows:
        if row["kode"] == str(code):
            return row.get("jumlah", row.get(tabel.columns[0]))
    return 0


def _parse(statistik):
    if statistik in (None, "", POPULATION):
        return POPULATION, None
    if statistik == DENSITY:
        return DENSITY, None
    slug, _sep, code = statistik.partition(":")
    if slug not in statistik_publik.published_slugs() or not code or slug in (statistik_publik.EVENTS,):
        raise Pertanyaan(_("The map cannot show %(statistik)s; choose one of the list.") % {"statistik": statistik})
    return slug, code


def by_dusun_allowed(statistik):
    """May this choropleth value be shown per dusun (the small-count rules of ``statistik.publik``)?"""
    try:
        slug, _code = _parse(statistik)
    except Pertanyaan:
        return False
    return slug in (POPULATION, DENSITY) or statistik_publik.below_village(slug)


def has_dusun_areas(desa):
    return Fitur.objects.publik().filter(desa=desa, lapisan=Lapisan.DUSUN, dusun__isnull=False).exists()


def batas(kode, zoom=DEFAULT_ZOOM, statistik=None, tingkat="desa"):
    """FeatureCollection (dict) of the boundaries under ``kode``: one feature per village (or, with
    ``tingkat="dusun"`` and a village's code, per dusun area), each with its published value."""
    area = area_of(kode)
    slug, code = _parse(statistik)
    zoom = zoom_of(zoom)
    if tingkat == "dusun":
        if area.desa is None:
            raise Pertanyaan(_("Dusun areas are shown for one village: give a village's code."))
        if not by_dusun_allowed(statistik):
            raise Pertanyaan(_("This figure is published for villages and the kecamatan only, never for a dusun."))
        return _cached(area, f"dusun:{zoom}:{statistik}", lambda: _dusun_collection(area, zoom, slug, code))
    return _cached(area, f"batas:{zoom}:{statistik}", lambda: _batas_collection(area, zoom, slug, code))


def _batas_collection(area, zoom, slug, code):
    desa = {d.id: d for d in Desa.objects.filter(id__in=area.desa_ids)}
    headline = statistik_publik.headline(area.desa_ids)
    tables = statistik_publik.village_tables(area.kecamatan_id, slug) if code else {}
    features = []
    for fitur in Fitur.objects.filter(desa_id__in=area.desa_ids, lapisan=Lapisan.BATAS).order_by("desa__kode"):
        d = desa[fitur.desa_id]
        jumlah = headline.get(d.id, {}).get("jumlah", 0)
        props = {"kode": d.kode, "nama": d.nama, "jenis": d.get_jenis_display(), "jumlah_penduduk": jumlah,
                 "demo": fitur.demo}
        if slug == DENSITY:
            km2 = area_km2(to_shape(json.loads(fitur.geometri)))
            props["nilai"] = round(jumlah / km2, 1) if km2 else None
        elif code:
            props["nilai"] = _value_of(tables[d.id], code) if d.id in tables else None
        else:
            props["nilai"] = jumlah
        features.append({"type": "Feature", "properties": props,
                         "geometry": simplified(fitur.geometri, tolerance(zoom))})
    return _collection(features, slug, code)


def _dusun_collection(area, zoom, slug, code):
    names = dict(Dusun.objects.filter(desa=area.desa).values_list("id", "nama"))
    features = []
    for fitur in Fitur.objects.filter(desa=area.desa, lapisan=Lapisan.DUSUN, dusun__isnull=False, publik=True):
        table_slug = "jenis-kelamin" if slug in (POPULATION, DENSITY) else slug
        tabel = statistik_publik.village_table(area.desa.id, table_slug, unit=Unit("dusun", fitur.dusun_id))
        total = tabel.totals.get("jumlah") if tabel else None
        if tabel is None:
            value = None
        elif slug == POPULATION:
            value = total
        elif slug == DENSITY:
            km2 = area_km2(to_shape(json.loads(fitur.geometri)))
            value = round(total / km2, 1) if km2 else None
        else:
            value = _value_of(tabel, code)
        features.append({"type": "Feature", "properties": {
            "nama": fitur.nama or names.get(fitur.dusun_id, ""), "dusun": names.get(fitur.dusun_id, ""),
            "nilai": value, "demo": fitur.demo}, "geometry": simplified(fitur.geometri, tolerance(zoom))})
    return _collection(features, slug, code)


def _collection(features, slug, code):
    values = [f["properties"]["nilai"] for f in features if f["properties"].get("nilai") is not None]
    return {"type": "FeatureCollection", "features": features,
            "statistik": {"slug": slug, "kode": code, "min": min(values, default=None), "max": max(values, default=None),
                          "privasi": statistik_publik.short_note()}}


def lapisan(kode, nama_lapisan, zoom=DEFAULT_ZOOM, kategori=None):
    """FeatureCollection (dict) of the public places, lines or areas under ``kode``."""
    area = area_of(kode)
    if nama_lapisan not in (Lapisan.TEMPAT, Lapisan.GARIS, Lapisan.AREA, Lapisan.DUSUN):
        raise Pertanyaan(_("Unknown layer %(lapisan)s.") % {"lapisan": nama_lapisan})
    if kategori and not Kategori.objects.filter(slug=kategori).exists():
        raise Pertanyaan(_("Unknown category %(kategori)s.") % {"kategori": kategori})
    zoom = zoom_of(zoom)
    return _cached(area, f"lapisan:{nama_lapisan}:{zoom}:{kategori or ''}",
                   lambda: _lapisan_collection(area, nama_lapisan, zoom, kategori))


def _lapisan_collection(area, nama_lapisan, zoom, kategori):
    rows = (Fitur.objects.publik().filter(desa_id__in=area.desa_ids, lapisan=nama_lapisan)
            .select_related("kategori", "desa").order_by("desa__kode", "nama", "id"))
    if kategori:
        rows = rows.filter(kategori__slug=kategori)
    rows = list(rows)
    photos = foto_urls([f.pk for f in rows]) if nama_lapisan == Lapisan.TEMPAT else {}
    features = []
    for fitur in rows:
        props = {"nama": fitur.nama, "desa": fitur.desa.nama, "demo": fitur.demo}
        if fitur.pk in photos:
            props["foto"] = photos[fitur.pk]
        if fitur.kategori:
            props.update(kategori=fitur.kategori.slug, kategori_nama=fitur.kategori.nama, warna=fitur.kategori.warna)
        if fitur.keterangan:
            props["keterangan"] = fitur.keterangan
        features.append({"type": "Feature", "properties": props,
                         "geometry": simplified(fitur.geometri, tolerance(zoom))})
    return {"type": "FeatureCollection", "features": features}


def foto_urls(fitur_ids):
    """{place id: the address of its photo} for the places among ``fitur_ids`` that have one; the
    address carries the photo's version, so a new photo is a new address (and a new cache entry)."""
    from django.urls import reverse

    return {pk: f"{reverse('peta:foto', args=[pk])}?v={int(changed.timestamp())}"
            for pk, changed in FotoTempat.objects.filter(fitur_id__in=fitur_ids).values_list("fitur_id", "updated_at")}


def has_demo(area):
    return Fitur.objects.filter(desa_id__in=area.desa_ids, demo=True).exists()
