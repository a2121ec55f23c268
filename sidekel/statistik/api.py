"""Public statistics and the open-data catalogue over the API: aggregates only, no login.

    GET /api/v1/statistik/                                   the categories
    GET /api/v1/statistik/<kategori>/?wilayah=<kode>[&tanggal=YYYY-MM-DD][&dusun=|rw=|rt=<id>]
    GET /api/v1/data/                                        the datasets (datasets.py)
    GET /api/v1/data/<slug>/                                 one dataset, with a resource per area

Answers carry an ETag made of the data versions of the villages concerned, the query and the
language, and ``Cache-Control: public, max-age=300``; a request whose If-None-Match still matches
gets 304 after one small query, and a full answer is kept in the cache under its ETag, so the
same question costs a table only once per data version. CORS and the rate limit are
``core.publicapi.PublicApiMiddleware``'s job.

Every figure comes from ``publik`` (the one public read path): the same answer as the portal's
pages and the open-data files, small counts drawn to 0 or the threshold (``privasi`` in each
answer says how). The public may ask for today and for the last day of a past month; a dusun, RW
or RT for today only.
"""

import datetime
import json

from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from sidekel.core.publicapi import etag_for, matches, not_modified, public_headers
from sidekel.core.paging import offset_window
from sidekel.wilayah.models import Desa, Dusun, Rt, Rw
from sidekel.wilayah.services import KODE_PATTERN

from . import publik, services
from .choices import KATEGORI
from .datasets import DATASETS, LICENCE_TITLE, LICENCE_URL, VILLAGES
from .publik import public_figures

router = Router(tags=["statistik"], auth=None)
data_router = Router(tags=["data terbuka"], auth=None)
wilayah_router = Router(tags=["wilayah"], auth=None)

ANSWER_SECONDS = 3600  # how long a computed answer stays in the cache (its ETag changes with the data)
MAX_PAGE = 100


# --- schemas -----------------------------------------------------------------------------------

class ErrorOut(Schema):
    detail: str = Field(description="What is wrong, in Indonesian.")
    errors: dict[str, list[str]] = Field({}, description="Messages per query parameter.")


class KategoriOut(Schema):
    slug: str = Field(description="Identifier used in URLs, e.g. `pekerjaan`.")
    title: str = Field(description="Name of the category, in the language asked for (Indonesian by default).")
    url: str = Field(description="The category's endpoint; add `?wilayah=<kode>`.")


class BagianOut(Schema):
    tingkat: str = Field(description="`dusun`, `rw` or `rt`.")
    id: int = Field(description="The unit's id, as given in the query.")
    nama: str


class WilayahOut(Schema):
    kode: str = Field(description="Kemendagri code: `62.01.02` (kecamatan) or `62.01.02.2010` (village).")
    nama: str
    tingkat: str = Field(description="`kecamatan` or `desa` (a desa or kelurahan).")
    bagian: BagianOut | None = Field(description="The part of the village asked for, or null for the whole area.")


class KategoriRef(Schema):
    slug: str
    title: str


class Row(Schema):
    kode: str = Field(description="Code of the row: the SIAK code, the age band's first year, or '' for not filled.")
    label: str
    laki_laki: int = Field(description="Men (small counts drawn to 0 or `privasi.ambang`, see `privasi`).")
    perempuan: int = Field(description="Women (the same).")
    jumlah: int = Field(description="Men and women: always `laki_laki + perempuan`.")


class Total(Schema):
    laki_laki: int | None = Field(description="The sum of the rows; null for the overlapping age groups.")
    perempuan: int | None
    jumlah: int | None


class Privasi(Schema):
    metode: str = Field(description="`disamarkan`: no count from 1 to `ambang - 1` is published as it is; each is "
                                    "drawn to 0 or `ambang` and the largest counts of the table adjusted so that "
                                    "every published sum holds. Nothing is hidden (no null).")
    ambang: int = Field(description="The threshold (`SIDEKEL_SUPPRESS_BELOW`, default 3).")
    keterangan: str = Field(description="The same explanation in words (Indonesian by default).")


class StatistikOut(Schema):
    wilayah: WilayahOut
    kategori: KategoriRef
    tanggal: datetime.date = Field(description="The date the figures are for (end of that day).")
    rows: list[Row] = Field(description="Every code of the category in the code list's order, zero or not.")
    total: Total
    privasi: Privasi


class StatistikParams(Schema):
    wilayah: str = Field(description="Code of a village (`62.01.02.2010`) or of the kecamatan (`62.01.02`); "
                                     "see /api/v1/wilayah/.")
    tanggal: datetime.date | None = Field(None, description="YYYY-MM-DD: today (the default) or the last day of "
                                                              "a past month; any other date is refused (422).")
    dusun: int | None = Field(None, description="Only this dusun of the village (id).")
    rw: int | None = Field(None, description="Only this RW of the village (id).")
    rt: int | None = Field(None, description="Only this RT of the village (id).")


class Licence(Schema):
    id: str = Field(description="SPDX identifier: `CC-BY-4.0`.")
    title: str
    url: str


class Organisation(Schema):
    kode: str
    nama: str


class Resource(Schema):
    title: str
    format: str = Field(description="`JSON`.")
    wilayah: str | None = Field(description="Code of the area the resource covers, or null for all.")
    url: str


class DatasetOut(Schema):
    slug: str
    title: str
    description: str
    kategori: str | None = Field(description="The statistics category (see /api/v1/statistik/), or null.")
    licence: Licence
    organisations: list[Organisation] = Field(description="Who publishes the data: the kecamatan(s) served.")
    resources: list[Resource] = Field(description="In the list: one per kecamatan; in a dataset's own page: "
                                                  "also one per village.")
    privasi: str = Field(description="How the figures are protected (the page /privasi/).")


class DatasetPage(Schema):
    count: int
    next: str | None = Field(description="URL of the next page, or null on the last.")
    results: list[DatasetOut]


class PageParams(Schema):
    limit: int = Field(50, description=f"Datasets per page, at most {MAX_PAGE}.")
    offset: int = Field(0, description="How many datasets to skip.")


# --- helpers -----------------------------------------------------------------------------------

def _json_response(body, etag):
    return public_headers(HttpResponse(body, content_type="application/json; charset=utf-8"), etag)


def _dump(data):
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")).encode()


def _not_found(message):
    return Status(404, {"detail": message, "errors": {}})


AREA_SECONDS = 60  # how long an area code's villages are remembered (villages are rarely added)


def _area(kode):
    """(WilayahOut dict without bagian, desa ids, the Desa or None, kecamatan id) or None when unknown;
    cached for codes shaped as region codes. Any other text is no area (``publik.area``) and is never
    kept: it would let a caller fill the cache with keys of its choosing."""
    if not KODE_PATTERN.fullmatch(kode or ""):
        return None
    key = f"api:area:v2:{get_language()}:{kode}"  # v2: with the kecamatan id (an older entry has no room for it)
    found = cache.get(key)
    if found is None:
        found = _find_area(kode) or ()
        cache.set(key, found, AREA_SECONDS)
    return found or None


def _find_area(kode):
    found = publik.area(kode)
    if found is None:
        return None
    return ({"kode": found.kode, "nama": found.nama, "tingkat": found.tingkat}, found.desa_ids, found.desa,
            found.kecamatan_id)


UNIT_MODELS = {"rt": Rt, "rw": Rw, "dusun": Dusun}
UNIT_NAMES = {"rt": "RT", "rw": "RW", "dusun": "dusun"}


def _bagian(params, desa):
    """(level, object) of the unit asked for (the smallest, if several), None if none; raises LookupError."""
    for level, model in UNIT_MODELS.items():
        unit_id = getattr(params, level)
        if unit_id is not None:
            obj = model.objects.filter(desa=desa, id=unit_id).first() if desa else None
            if obj is None:
                raise LookupError(level)
            return level, obj
    return None


# --- statistics --------------------------------------------------------------------------------

@router.get("/", response=list[KategoriOut], summary="Statistics categories")
@public_figures("none")
def list_kategori(request):
    """The categories that `/api/v1/statistik/<kategori>/` answers for. A fixed, short list."""
    return [{"slug": slug, "title": str(k.title), "url": request.build_absolute_uri(f"{request.path}{slug}/")}
            for slug, k in KATEGORI.items()]


def _unprocessable(message, field):
    return Status(422, {"detail": message, "errors": {field: [message]}})


class AngkaPartisipasi(Schema):
    penduduk: int = Field(description="Residents of that age (published counts: small counts drawn, see `privasi`).")
    bersekolah: int = Field(description="Of them, in school.")
    aps: float | None = Field(description="`bersekolah / penduduk` in %, one decimal; null when `penduduk` is 0.")


class PartisipasiRow(Schema):
    kode: str = Field(description="The age group: `7-12`, `13-15`, `16-18` or `19-23`.")
    label: str
    penduduk: int
    bersekolah: int
    aps: float | None
    laki_laki: AngkaPartisipasi
    perempuan: AngkaPartisipasi


class PartisipasiOut(Schema):
    wilayah: WilayahOut
    tanggal: datetime.date
    rows: list[PartisipasiRow]
    tabel: list[Row] = Field(description="The published table the rates come from: per age group, in school "
                                         "(`7-12.sekolah`) and not (`7-12.tidak`), and the other ages (`lain`).")
    total: Total
    privasi: Privasi


@router.get("/partisipasi-sekolah/", response={200: PartisipasiOut, 304: None, 404: ErrorOut, 422: ErrorOut},
            summary="School participation rates (APS) of an area on a date")
@public_figures("statistik.publik")
def partisipasi_sekolah(request, params: Query[StatistikParams]):
    """Angka Partisipasi Sekolah (BPS): per age group 7-12, 13-15, 16-18 and 19-23, the living
    residents of that age on `tanggal` who are in school (any "Sedang ..." schooling, TK to S-3
    and SLB) out of all of that age, by sex. Computed from the published table of the category
    `partisipasi-sekolah` (the same counts as the public pages, small counts drawn: see `privasi`),
    so a rate never tells more than the table. Dates and parts of a village as for the other
    categories."""
    return _answer(request, publik.PARTISIPASI, params, _partisipasi)


def _partisipasi(slug, wilayah, desa, kecamatan_id, pada, bagian):
    answer = _statistik(slug, wilayah, desa, kecamatan_id, pada, bagian)
    if answer is None:
        return None
    unit = services.Unit(bagian[0], bagian[1].id) if bagian else None
    table = publik.village_table(desa.id, slug, unit, pada) if desa is not None \
        else publik.kecamatan_table(kecamatan_id, slug, pada)
    return {"wilayah": answer["wilayah"], "tanggal": pada, "rows": publik.partisipasi(table),
            "tabel": answer["rows"], "total": answer["total"], "privasi": answer["privasi"]}


@router.get("/{kategori}/", response={200: StatistikOut, 304: None, 404: ErrorOut, 422: ErrorOut},
            summary="Figures of one category for an area and a date")
@public_figures("statistik.publik")
def statistik(request, kategori: str, params: Query[StatistikParams]):
    """Living residents of a village or the kecamatan by category and sex, at the end of `tanggal`.

    The same figures as the public pages and the open-data files: no count from 1 to
    `privasi.ambang - 1` is published as it is (see `privasi`). `tanggal` is today or the last
    day of a past month; a part of a village (`dusun`, `rw` or `rt`: ids) is published for
    today only and not for religion, citizenship, blood type, disability or the overlapping age
    groups. Send the ETag back as `If-None-Match` to get 304 while the data has not changed.
    Unknown category or area: 404; a date or a part that is not published: 422.
    """
    if kategori not in KATEGORI:
        return _not_found(_("Unknown statistics category %(slug)s; the categories are listed at /api/v1/statistik/.")
                          % {"slug": kategori})
    return _answer(request, kategori, params, _statistik)


def _answer(request, kategori, params, build):
    """The shared steps of a statistics answer: the area and its part, the date, the ETag and the
    cache; ``build(slug, wilayah, desa, kecamatan_id, pada, bagian)`` makes the answer (None: 404)."""
    found = _area(params.wilayah)
    if found is None:
        return _not_found(_("Unknown area code %(kode)s; use a village's or the kecamatan's code from "
                            "/api/v1/wilayah/.") % {"kode": params.wilayah})
    wilayah, desa_ids, desa, kecamatan_id = found
    try:
        bagian = _bagian(params, desa)
    except LookupError as exc:
        return _not_found(_("There is no %(level)s with id %(id)s in %(area)s.")
                          % {"level": UNIT_NAMES[exc.args[0]], "id": getattr(params, exc.args[0]),
                             "area": wilayah["nama"]})
    try:
        pada = publik.check_date(params.tanggal, unit=bagian)
    except publik.DateNotPublished as exc:
        return _unprocessable(str(exc), "tanggal")
    if bagian and not publik.below_village(kategori):
        return _unprocessable(_("%(title)s is published for villages and the kecamatan only, never for a dusun, "
                                "RW or RT.") % {"title": KATEGORI[kategori].title}, bagian[0])
    etag = etag_for("statistik", kategori, wilayah["kode"], bagian and (bagian[0], bagian[1].id), pada.isoformat(),
                    get_language(), publik.version_key(kecamatan_id))
    if matches(request, etag):
        return not_modified(etag)
    key = f"api:statistik:{kategori}:{etag}"
    body = cache.get(key)
    if body is None:
        answer = build(kategori, wilayah, desa, kecamatan_id, pada, bagian)
        if answer is None:
            return _not_found(_("This table cannot be published for this area."))
        body = _dump(answer)
        cache.set(key, body, ANSWER_SECONDS)
    return _json_response(body, etag)


def _statistik(slug, wilayah, desa, kecamatan_id, pada, bagian):
    unit = services.Unit(bagian[0], bagian[1].id) if bagian else None
    if desa is not None:
        table = publik.village_table(desa.id, slug, unit, pada)
    else:
        table = publik.kecamatan_table(kecamatan_id, slug, pada)
    if table is None:
        return None
    return {
        "wilayah": {**wilayah, "bagian": {"tingkat": bagian[0], "id": bagian[1].id, "nama": str(bagian[1])}
                    if bagian else None},
        "kategori": {"slug": slug, "title": str(KATEGORI[slug].title)},
        "tanggal": pada,
        "rows": [{c: r[c] for c in ("kode", "label", "laki_laki", "perempuan", "jumlah")} for r in table.rows],
        "total": table.totals,
        "privasi": {"metode": table.method, "ambang": publik.threshold(), "keterangan": publik.note()},
    }


# --- the villages -------------------------------------------------------------------------------

class DesaOut(Schema):
    kode: str
    nama: str
    jenis: str
    jumlah_penduduk: int = Field(description="Living residents today (as on the public pages).")
    keluarga: int = Field(description="Families (KK) today.")


@wilayah_router.get("/", response=list[DesaOut], summary="Villages of this installation")
@public_figures("statistik.publik")
def list_desa(request, response: HttpResponse):
    """The desa and kelurahan this installation serves, with their living residents and families. Public."""
    desa = list(Desa.objects.managed().order_by("kode"))
    figures = publik.headline([d.id for d in desa])
    response["Cache-Control"] = "public, max-age=300"
    return [{"kode": d.kode, "nama": d.nama, "jenis": d.get_jenis_display().lower(),
             "jumlah_penduduk": figures[d.id]["jumlah"], "keluarga": figures[d.id]["keluarga"]} for d in desa]


# --- open-data catalogue -----------------------------------------------------------------------

def _catalogue_areas():
    """[(kecamatan kode, its name)], [(village kode, its name)] of the villages served."""
    villages = list(Desa.objects.managed().select_related("kecamatan").order_by("kode"))
    kecamatan = sorted({(d.kecamatan.kode, _("Kecamatan %(nama)s") % {"nama": d.kecamatan.nama}) for d in villages})
    return kecamatan, [(d.kode, str(d)) for d in villages]


def _dataset(request, dataset, kecamatan, villages, each_village):
    areas = kecamatan + (villages if each_village and not dataset.kecamatan_only else [])
    if dataset.table == VILLAGES:
        resources = [{"title": str(dataset.title), "format": "JSON", "wilayah": None,
                      "url": request.build_absolute_uri("/api/v1/wilayah/")}]
    elif dataset.kategori is not None:
        resources = [{"title": f"{dataset.title}: {nama}", "format": "JSON", "wilayah": kode,
                      "url": request.build_absolute_uri(f"/api/v1/statistik/{dataset.kategori}/?wilayah={kode}")}
                     for kode, nama in areas]
    else:  # families, events, every village together: the open-data files
        resources = [{"title": f"{dataset.title}: {nama}", "format": "JSON", "wilayah": kode,
                      "url": request.build_absolute_uri(f"/data/{dataset.slug}/{kode}.json")}
                     for kode, nama in areas]
    return {
        "slug": dataset.slug, "title": str(dataset.title), "description": str(dataset.description),
        "kategori": dataset.kategori,
        "licence": {"id": dataset.licence, "title": LICENCE_TITLE, "url": LICENCE_URL},
        "organisations": [{"kode": kode, "nama": nama} for kode, nama in kecamatan],
        "resources": resources,
        "privasi": request.build_absolute_uri("/privasi/"),
    }


def _catalogue_response(request, data):
    body = _dump(data)
    etag = etag_for("data", body, get_language())
    if matches(request, etag):
        return not_modified(etag)
    return _json_response(body, etag)


@data_router.get("/", response={200: DatasetPage, 304: None}, summary="Open-data catalogue")
@public_figures("none")
def list_dataset(request, params: Query[PageParams]):
    """The datasets published under CC BY 4.0 (aggregates only), with links to their JSON."""
    kecamatan, villages = _catalogue_areas()
    datasets = list(DATASETS.values())
    limit, offset, next_url = offset_window(request, len(datasets), params.limit, params.offset, MAX_PAGE)
    page = datasets[offset:offset + limit]
    return _catalogue_response(request, {
        "count": len(datasets), "next": next_url,
        "results": [_dataset(request, d, kecamatan, villages, each_village=False) for d in page],
    })


@data_router.get("/{slug}/", response={200: DatasetOut, 304: None, 404: ErrorOut}, summary="One dataset")
@public_figures("none")
def get_dataset(request, slug: str):
    """One dataset, with a resource for the kecamatan and one for each village."""
    dataset = DATASETS.get(slug)
    if dataset is None:
        return _not_found(_("Unknown dataset %(slug)s; the catalogue is at /api/v1/data/.") % {"slug": slug})
    kecamatan, villages = _catalogue_areas()
    return _catalogue_response(request, _dataset(request, dataset, kecamatan, villages, each_village=True))

