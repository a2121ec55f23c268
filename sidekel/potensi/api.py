"""Potensi wilayah over the API: the catalogue and approved values for everyone, the village's
writes and the kecamatan's verification with a token, scoped like the pages."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from sidekel.akun.api import BearerAuth
from sidekel.core.approval import WrongState
from sidekel.core.scope import can_see_desa
from sidekel.statistik import publik
from sidekel.statistik.publik import public_figures
from sidekel.wilayah.models import Desa

from . import services
from .models import Indikator, Profil

router = Router(tags=["potensi"])


class IndikatorOut(Schema):
    kode: str
    kelompok: str
    nama: str
    satuan: str
    tipe: str


class NilaiOut(Schema):
    desa: str
    tahun: int
    kode: str
    nilai: Any


class ListParams(Schema):
    wilayah: str
    tahun: int | None = None


class ErrorOut(Schema):
    detail: str
    errors: list[str] = []


class NilaiIn(Schema):
    nilai: dict[str, Any]
    sumber: str | None = None


class KembalikanIn(Schema):
    catatan: str = ""
    komentar: dict[str, str] = {}


class AlasanIn(Schema):
    alasan: str = ""


class ProfilOut(Schema):
    desa: str
    tahun: int
    status: str
    jumlah_nilai: int
    catatan: str
    komentar: dict[str, str]


@router.get("/indikator/", response=list[IndikatorOut], summary="The catalogue of indicators")
@public_figures("none")
def list_indikator(request):
    """The indicators in use: code, group, name, unit and type (`angka`, `ya-tidak`, `pilihan`, `teks`). Public."""
    return list(Indikator.objects.aktif().values("kode", "kelompok", "nama", "satuan", "tipe"))


@router.get("/", response={200: list[NilaiOut], 404: ErrorOut, 422: ErrorOut}, summary="Approved values")
@public_figures("statistik.publik")
def list_nilai(request, params: Query[ListParams]):
    """Approved values of a village or of every village of a kecamatan (`wilayah`), for one year or
    all. A year whose profile is not approved gives no rows, never a draft. Public."""
    area = publik.area(params.wilayah)
    if area is None:
        return Status(404, {"detail": _("Unknown area %(code)s.") % {"code": params.wilayah[:20]}})
    if params.tahun is not None and params.tahun > timezone.localdate().year:
        return Status(422, {"detail": _("%(year)s is in the future.") % {"year": params.tahun}})
    codes = dict(Desa.objects.filter(id__in=area.desa_ids).values_list("id", "kode"))
    values = publik.potensi_values(area.desa_ids, tahun=params.tahun)
    return [{"desa": codes[desa_id], "tahun": r["tahun"], "kode": r["kode"], "nilai": r["nilai"]}
            for desa_id in sorted(values, key=codes.get) for r in values[desa_id]]


def _desa(request, kode):
    desa = Desa.objects.managed().filter(kode=kode).first()
    if desa is None or not can_see_desa(request.user, desa.id):
        raise Http404
    return desa


def _out(profil):
    return {"desa": profil.desa.kode, "tahun": profil.tahun, "status": profil.status,
            "jumlah_nilai": profil.nilai.count(), "catatan": profil.catatan, "komentar": profil.komentar}


def _run(action):
    """Run a service: 403 for the role, 409 for the profile's state, 422 for the values."""
    try:
        profil = action()
    except PermissionDenied as exc:
        return Status(403, {"detail": str(exc) or _("Your role may not do this.")})
    except WrongState as exc:
        return Status(409, {"detail": " ".join(exc.messages)})
    except ValidationError as exc:
        return Status(422, {"detail": _("Nothing was saved."), "errors": exc.messages})
    return Status(200, _out(Profil.objects.select_related("desa").get(pk=profil.pk)))


WRITE = {200: ProfilOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


@router.put("/{desa}/{int:tahun}/", response=WRITE, auth=BearerAuth(), summary="Fill a village's profile")
def put_nilai(request, desa: str, tahun: int, payload: NilaiIn):
    """Write values `{"nilai": {kode: value}}` (null or "" clears one) while the profile is a draft
    or returned; all or nothing. 409 when it is submitted or approved."""
    village = _desa(request, desa)
    return _run(lambda: services.save_values(village, tahun, payload.nilai, user=request.user,
                                             sumber=payload.sumber)[0])


@router.post("/{desa}/{int:tahun}/ajukan/", response=WRITE, auth=BearerAuth(), summary="Submit the profile")
def ajukan(request, desa: str, tahun: int):
    village = _desa(request, desa)
    return _run(lambda: services.submit(village, tahun, user=request.user))


@router.post("/{desa}/{int:tahun}/setujui/", response=WRITE, auth=BearerAuth(), summary="Approve the profile")
def setujui(request, desa: str, tahun: int):
    village = _desa(request, desa)
    return _run(lambda: services.approve(village, tahun, user=request.user))


@router.post("/{desa}/{int:tahun}/kembalikan/", response=WRITE, auth=BearerAuth(), summary="Return the profile")
def kembalikan(request, desa: str, tahun: int, payload: KembalikanIn):
    """Send it back with a note and/or comments per indicator `{"komentar": {kode: text}}`."""
    village = _desa(request, desa)
    return _run(lambda: services.return_profil(village, tahun, user=request.user, catatan=payload.catatan,
                                               komentar=payload.komentar))


@router.post("/{desa}/{int:tahun}/buka/", response=WRITE, auth=BearerAuth(), summary="Reopen for a correction")
def buka(request, desa: str, tahun: int, payload: AlasanIn):
    village = _desa(request, desa)
    return _run(lambda: services.reopen(village, tahun, user=request.user, alasan=payload.alasan))
