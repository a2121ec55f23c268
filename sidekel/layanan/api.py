"""Letters over the API, scoped like the pages: another village's letter, resident or request is a 404.

``/api/v1/surat/...`` needs a token; ``/api/v1/verifikasi/<token>/`` is public and rate-limited
(the public API's limiter, core.publicapi). ``/api/v1/surat/permohonan/...`` is the operators'
queue of residents' online requests: read it, make a request a draft letter, or refuse it."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from sidekel.akun.api import BearerAuth
from sidekel.core.audit import log_access
from sidekel.core.models import AccessLog
from sidekel.core.paging import offset_window
from sidekel.core.publicapi import public_figures, rate_limited
from sidekel.penduduk.models import Penduduk

from . import services
from .choices import StatusPermohonan
from .models import JenisSurat, Permohonan, Surat
from .views import pdf_response

router = Router(tags=["surat"], auth=BearerAuth())
verifikasi_router = Router(tags=["surat"])


class Isian(Schema):
    nama: str
    label: str
    jenis: str
    wajib: bool
    pilihan: list[str] = []


class JenisOut(Schema):
    kode: str
    nama: str
    klasifikasi: str
    masa_berlaku: int
    syarat: str
    isian: list[Isian]


class SuratIn(Schema):
    jenis: str
    penduduk: int
    isian: dict[str, str | int | float | None] = {}
    keperluan: str = ""


class Created(Schema):
    id: int
    status: str


class Signed(Schema):
    id: int
    nomor: str
    status: str
    verifikasi: str


class CabutIn(Schema):
    alasan: str


class TolakIn(Schema):
    alasan: str = Field(description="Why the request is refused; the resident reads it with the tracking code.")


class PermohonanOut(Schema):
    id: int
    kode: str = Field(description="The tracking code the resident was given.")
    desa: str
    jenis: str
    penduduk: int
    nama: str
    keperluan: str
    isian: dict
    status: str
    diajukan_pada: datetime.datetime
    alasan_tolak: str
    surat: int | None = Field(description="The letter made from the request, once made.")


class PermohonanPage(Schema):
    count: int
    next: str | None
    results: list[PermohonanOut]


class PermohonanParams(Schema):
    status: StatusPermohonan = StatusPermohonan.MENUNGGU
    desa: str = Field("", description="A village's code; empty for every village of the account.")
    limit: int = 50
    offset: int = 0


class ErrorOut(Schema):
    detail: str
    errors: dict = {}


class VerifikasiOut(Schema):
    nomor: str
    jenis: str
    tanggal: datetime.date
    nama: str
    penandatangan: str
    berlaku_sampai: datetime.date | None
    status: str


def _error(exc):
    if hasattr(exc, "error_dict"):
        return {"detail": " ".join(exc.messages), "errors": exc.message_dict}
    return {"detail": " ".join(exc.messages), "errors": {}}


def _done(action, *args, **kwargs):
    """(what the service ``action`` returned, None), or (None, the answer that refuses it): 403 when
    the account may not; 422 for a field that does not pass, 409 for a letter or request whose state
    does not allow it."""
    try:
        return action(*args, **kwargs), None
    except PermissionDenied as exc:
        return None, Status(403, {"detail": str(exc)})
    except ValidationError as exc:
        return None, Status(422 if hasattr(exc, "error_dict") else 409, _error(exc))


def _get(request, pk):
    return get_object_or_404(Surat.objects.for_user(request.user), pk=pk)


@router.get("/jenis/", response=list[JenisOut], summary="Letter types")
def list_jenis(request):
    return [{"kode": j.kode, "nama": j.nama, "klasifikasi": j.klasifikasi, "masa_berlaku": j.masa_berlaku,
             "syarat": j.syarat, "isian": [{"pilihan": [], "wajib": False, **f} for f in j.isian]}
            for j in JenisSurat.objects.filter(aktif=True)]


@router.post("/", response={201: Created, 403: ErrorOut, 422: ErrorOut}, summary="Draft a letter")
def create_surat(request, payload: SuratIn):
    penduduk = get_object_or_404(Penduduk.objects.for_user(request.user), pk=payload.penduduk)
    try:
        jenis = services.jenis_by_kode(payload.jenis)
        surat = services.draft_surat(user=request.user, penduduk=penduduk, jenis=jenis,
                                     isian={k: "" if v is None else str(v) for k, v in payload.isian.items()},
                                     keperluan=payload.keperluan)
    except PermissionDenied as exc:
        return Status(403, {"detail": str(exc)})
    except ValidationError as exc:
        return Status(422, _error(exc))
    return Status(201, {"id": surat.pk, "status": surat.status})


@router.post("/{int:pk}/tandatangani/", response={200: Signed, 403: ErrorOut, 409: ErrorOut}, summary="Sign a letter")
def sign_surat(request, pk: int):
    surat = _get(request, pk)
    try:
        surat = services.sign_surat(surat, user=request.user)
    except PermissionDenied as exc:
        return Status(403, {"detail": str(exc)})
    except ValidationError as exc:
        return Status(409, _error(exc))
    url = request.build_absolute_uri(reverse("layanan:verifikasi", args=[surat.token]))
    return {"id": surat.pk, "nomor": surat.nomor, "status": surat.status, "verifikasi": url}


@router.post("/{int:pk}/cabut/", response={200: Created, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut},
             summary="Revoke a letter")
def revoke_surat(request, pk: int, payload: CabutIn):
    surat, refused = _done(services.revoke_surat, _get(request, pk), user=request.user, alasan=payload.alasan)
    return refused if refused is not None else {"id": surat.pk, "status": surat.status}


def _permohonan_out(p):
    return {"id": p.pk, "kode": p.kode, "desa": p.desa.kode, "jenis": p.jenis.kode, "penduduk": p.penduduk_id,
            "nama": p.penduduk.nama, "keperluan": p.keperluan, "isian": p.isian, "status": p.status,
            "diajukan_pada": p.diajukan_pada, "alasan_tolak": p.alasan_tolak, "surat": p.surat_id}


def _permohonan(request, pk):
    return get_object_or_404(Permohonan.objects.for_user(request.user).select_related("desa", "jenis", "penduduk"),
                             pk=pk)


@router.get("/permohonan/", response=PermohonanPage, summary="Residents' online requests")
def list_permohonan(request, params: Query[PermohonanParams]):
    """The requests of the account's villages, oldest first: by default those waiting for the
    village office (the queue of the letters page)."""
    qs = Permohonan.objects.for_user(request.user).filter(status=params.status)
    if params.desa:
        qs = qs.filter(desa__kode=params.desa)
    count = qs.count()
    limit, offset, next_url = offset_window(request, count, params.limit, params.offset)
    rows = qs.select_related("desa", "jenis", "penduduk").order_by("diajukan_pada", "id")[offset:offset + limit]
    log_access(request.user, AccessLog.Action.SEARCH,
               detail=f"api permohonan status={params.status} desa={params.desa}")
    return {"count": count, "next": next_url, "results": [_permohonan_out(p) for p in rows]}


@router.get("/permohonan/{int:pk}/", response=PermohonanOut, summary="One online request")
def get_permohonan(request, pk: int):
    p = _permohonan(request, pk)
    log_access(request.user, AccessLog.Action.VIEW, obj=p, detail="api")
    return _permohonan_out(p)


@router.post("/permohonan/{int:pk}/proses/", response={201: Created, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut},
             summary="Make a request a draft letter")
def process_permohonan(request, pk: int):
    """The draft is checked like any draft (422 when the resident or the fields no longer pass);
    a request already handled is a 409. The kepala desa or lurah then signs the letter."""
    surat, refused = _done(services.draft_from_permohonan, _permohonan(request, pk), user=request.user)
    return refused if refused is not None else Status(201, {"id": surat.pk, "status": surat.status})


@router.post("/permohonan/{int:pk}/tolak/", response={200: Created, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut},
             summary="Refuse a request")
def refuse_permohonan(request, pk: int, payload: TolakIn):
    p, refused = _done(services.refuse_permohonan, _permohonan(request, pk), user=request.user,
                       alasan=payload.alasan)
    return refused if refused is not None else {"id": p.pk, "status": p.status}


@router.get("/{int:pk}/pdf", summary="The letter as PDF")
def surat_pdf(request, pk: int):
    surat = _get(request, pk)
    if not surat.token:
        return Status(404, {"detail": _("A draft has no PDF yet: it is made when the letter is signed.")})
    log_access(request.user, AccessLog.Action.EXPORT, obj=surat, detail=f"surat {surat.nomor} pdf")
    return pdf_response(request, surat)


@verifikasi_router.get("/{token}/", response={200: VerifikasiOut, 404: ErrorOut}, summary="Verify a letter")
@public_figures("none")
def verifikasi(request, token: str):
    refused = rate_limited(request)
    if refused is not None:
        return refused
    surat = services.surat_for_token(token)
    if surat is None:
        return Status(404, {"detail": _("No letter has this verification code.")})
    return {"nomor": surat.nomor, "jenis": surat.jenis.nama, "tanggal": surat.tanggal,
            "nama": surat.cetak.get("nama_masked", ""), "penandatangan": surat.cetak.get("penandatangan", ""),
            "berlaku_sampai": surat.berlaku_sampai, "status": services.verification_status(surat)}
