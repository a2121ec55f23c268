"""Letters over the API, scoped like the pages: another village's letter or resident is a 404.

``/api/v1/surat/...`` needs a token; ``/api/v1/verifikasi/<token>/`` is public and rate-limited
(the public API's limiter, core.publicapi)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from sidekel.akun.api import BearerAuth
from sidekel.core.audit import log_access
from sidekel.core.models import AccessLog
from sidekel.core.publicapi import public_figures, rate_limited
from sidekel.penduduk.models import Penduduk

from . import services
from .models import JenisSurat, Surat
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
    surat = _get(request, pk)
    try:
        surat = services.revoke_surat(surat, user=request.user, alasan=payload.alasan)
    except PermissionDenied as exc:
        return Status(403, {"detail": str(exc)})
    except ValidationError as exc:
        return Status(422 if hasattr(exc, "error_dict") else 409, _error(exc))
    return {"id": surat.pk, "status": surat.status}


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
