"""Schools (public) and the out-of-school list (token, scoped) over the API.

    GET /api/v1/sekolah/?wilayah=<kode>                 the schools of a village or the kecamatan
    GET /api/v1/pendidikan/tidak-sekolah/?desa=<kode>   children 7-18 out of school (officials)

School participation rates are in the statistics API (/api/v1/statistik/partisipasi-sekolah/).
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from sidekel.akun.api import BearerAuth
from sidekel.core.audit import log_access
from sidekel.core.models import AccessLog
from sidekel.core.nik import mask
from sidekel.core.paging import offset_window
from sidekel.statistik.publik import public_figures
from sidekel.wilayah.models import Desa

from . import figures
from .models import Sekolah

router = Router(tags=["sekolah"], auth=None)
private_router = Router(tags=["pendidikan"], auth=BearerAuth())
MAX_PAGE = 100


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


class SekolahItem(Schema):
    npsn: str
    nama: str
    jenjang: str = Field(description="paud, tk, sd, mi, smp, mts, sma, ma, smk, slb or pkbm.")
    status: str = Field(description="negeri or swasta.")
    desa: str = Field(description="Kemendagri code of the village.")
    lintang: float | None
    bujur: float | None


class SekolahPage(Schema):
    count: int
    next: str | None = Field(description="URL of the next page, or null on the last.")
    results: list[SekolahItem]


class SekolahParams(Schema):
    wilayah: str = Field(description="Code of a village (`62.01.02.2010`) or of the kecamatan (`62.01.02`).")
    limit: int = Field(50, description=f"Schools per page, at most {MAX_PAGE}.")
    offset: int = Field(0, description="How many schools to skip.")


def _managed(kode):
    """The served villages of an area code (a village or a kecamatan), or None when unknown."""
    if kode.count(".") == 3:
        villages = Desa.objects.managed().filter(kode=kode)
    elif kode.count(".") == 2:
        villages = Desa.objects.managed().filter(kecamatan__kode=kode)
    else:
        return None
    ids = list(villages.values_list("id", flat=True))
    return ids or None


@router.get("/", response={200: SekolahPage, 404: ErrorOut}, summary="Schools of an area")
@public_figures("none")
def list_sekolah(request, params: Query[SekolahParams]):
    """The schools, madrasahs and PAUD of a village or of the kecamatan, by village then name.
    No personal data: the head's details are never published."""
    ids = _managed(params.wilayah)
    if ids is None:
        return Status(404, {"detail": _("Unknown area code %(kode)s; use a village's or the kecamatan's code from "
                                        "/api/v1/wilayah/.") % {"kode": params.wilayah}, "errors": {}})
    schools = Sekolah.objects.filter(desa_id__in=ids).order_by("desa__kode", "nama", "npsn")
    count = schools.count()
    limit, offset, next_url = offset_window(request, count, params.limit, params.offset, MAX_PAGE)
    rows = schools.values("npsn", "nama", "jenjang", "status", "desa__kode", "lintang", "bujur")[offset:offset + limit]
    return {"count": count, "next": next_url, "results": [
        {"npsn": r["npsn"], "nama": r["nama"], "jenjang": r["jenjang"], "status": r["status"], "desa": r["desa__kode"],
         "lintang": float(r["lintang"]) if r["lintang"] is not None else None,
         "bujur": float(r["bujur"]) if r["bujur"] is not None else None} for r in rows]}


class AnakItem(Schema):
    id: int
    nik: str = Field(description="Masked.")
    nama: str
    jenis_kelamin: int
    tanggal_lahir: datetime.date
    umur: int
    pendidikan_sedang: int
    tempat: str = Field(description="Dusun / RW / RT.")
    keluarga_id: int | None
    kepala_keluarga: str


class AnakList(Schema):
    desa: str
    tanggal: datetime.date
    count: int
    next: str | None = Field(description="URL of the next page, or null on the last.")
    results: list[AnakItem]


class AnakParams(Schema):
    desa: str = Field(description="Code of a village (`62.01.02.2010`).")
    limit: int = Field(100, description=f"Children per page, at most {MAX_PAGE}.")
    offset: int = Field(0, description="How many children to skip.")


@private_router.get("/tidak-sekolah/", response={200: AnakList, 404: ErrorOut}, summary="Children out of school")
def tidak_sekolah(request, params: Query[AnakParams]):
    """Living residents aged 7-18 of a village the account may see, recorded as not in school, by RT
    then age, in pages. Personal data: every answer is written to the access log. NIKs are masked."""
    village = Desa.objects.for_user(request.user).filter(kode=params.desa).first()
    if village is None:
        return Status(404, {"detail": _("No village with code %(kode)s among yours.") % {"kode": params.desa},
                            "errors": {}})
    query = figures.tidak_sekolah_query(village)
    count = query.count()
    limit, offset, next_url = offset_window(request, count, params.limit, params.offset, MAX_PAGE)
    people = figures.describe_children(village, query[offset:offset + limit])
    log_access(request.user, AccessLog.Action.VIEW, desa_id=village.id,
               detail=f"api anak tidak sekolah {params.desa} offset={offset}")
    return {"desa": village.kode, "tanggal": timezone.localdate(), "count": count, "next": next_url, "results": [
        {**{k: p[k] for k in ("id", "nama", "jenis_kelamin", "tanggal_lahir", "umur", "pendidikan_sedang", "tempat",
                              "keluarga_id", "kepala_keluarga")}, "nik": mask(p["nik"])} for p in people]}
