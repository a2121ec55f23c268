"""Saran dan masukan over the API. Public: send a report, track it, the public list. With a token:
the scope's reports with contact data, and moving one on (another village's report is a 404)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from sidekel.akun.api import BearerAuth
from sidekel.core.publicapi import public_figures
from sidekel.core.scope import Action, permits_somewhere

from . import services, views
from .models import Aspirasi, Kategori

router = Router(tags=["aspirasi"])
MAX_PAGE = 100_000  # of the public list, 50 a page: far past any kecamatan's reports, within a database integer


class Kirim(Schema):
    desa: str
    jenis: str
    kategori: str
    judul: str
    isi: str
    privasi: str
    nama: str = ""
    kontak: str = ""
    tempat: str = ""


class Kode(Schema):
    kode_lacak: str


class Errors(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


class Langkah(Schema):
    status: str
    waktu: datetime.datetime


class Jawaban(Schema):
    isi: str
    waktu: datetime.datetime


class Lacak(Schema):
    kode_lacak: str
    status: str
    riwayat: list[Langkah]
    tanggapan: list[Jawaban]


class Item(Schema):
    kode_lacak: str
    desa: str
    jenis: str
    kategori: str
    judul: str
    isi: str
    status: str
    dibuat: datetime.datetime
    nama: str | None = None


class Pindah(Schema):
    status: str
    catatan: str = ""
    diteruskan_ke: str = ""
    nomor_lapor: str = ""


def _refused(exc):
    return {"detail": _("The data sent is not valid."), "errors": exc.message_dict}


@router.post("/", response={201: Kode, 422: Errors, 429: Errors}, auth=None, summary="Send a report (public)")
@public_figures("none")
def kirim_aspirasi(request, data: Kirim):
    errors = {}
    target = views._target(data.desa.strip())
    if target is None:
        errors["desa"] = [_("No village or kecamatan served here has this code.")]
    kategori = Kategori.objects.filter(slug=data.kategori, aktif=True).first()
    if kategori is None:
        errors["kategori"] = [_("Unknown category.")]
    if errors:
        return Status(422, {"detail": _("The data sent is not valid."), "errors": errors})
    wait = views.rate_limited(request)
    if wait:
        return Status(429, {"detail": _("Too many reports from your address. Try again in %(minutes)d minutes.")
                     % {"minutes": max(1, -(-int(wait) // 60))}})
    try:
        aspirasi = services.submit(kecamatan=target[0], desa=target[1], jenis=data.jenis, kategori=kategori,
                                   judul=data.judul, isi=data.isi, privasi=data.privasi, tempat=data.tempat,
                                   nama=data.nama, kontak=data.kontak)
    except ValidationError as exc:
        return Status(422, _refused(exc))
    return Status(201, {"kode_lacak": aspirasi.kode_lacak})


@router.get("/lacak/{kode_lacak}/", response=Lacak, auth=None, summary="Track a report (public)")
@public_figures("none")
def lacak_aspirasi(request, kode_lacak: str):
    aspirasi = views._tracked(kode_lacak)
    shown = aspirasi.digabung_ke or aspirasi
    return {
        "kode_lacak": aspirasi.kode_lacak, "status": aspirasi.status,
        "riwayat": [{"status": r.status, "waktu": r.waktu} for r in aspirasi.riwayat.all()],
        "tanggapan": [{"isi": t.isi, "waktu": t.waktu} for t in shown.tanggapan.filter(dari_warga=False)],
    }


def _official(request):
    """The token's user, or None for the public (no Authorization header); 401 on a bad token."""
    if "HTTP_AUTHORIZATION" not in request.META:
        return None
    from ninja.errors import AuthenticationError

    user = BearerAuth()(request)
    if not user:
        raise AuthenticationError()
    return user


def _public_item(a):
    return {"kode_lacak": a.kode_lacak, "desa": a.desa.kode if a.desa_id else a.kecamatan.kode, "jenis": a.jenis,
            "kategori": a.kategori.slug, "judul": a.judul_publik, "isi": a.isi_publik, "status": a.status,
            "dibuat": a.created_at, "nama": a.nama_publik or None}


@router.get("/", auth=None,
            summary="The public list; with a token, the reports of your scope")
@public_figures("none")
def list_aspirasi(request, desa: str = "", halaman: int = Query(1, ge=1, le=MAX_PAGE)):
    user = _official(request)
    size, start = 50, (halaman - 1) * 50
    if user is None:
        qs = views.public_list()
        if desa:
            qs = qs.filter(desa__kode=desa)
        return [_public_item(a) for a in qs[start:start + size]]
    if not permits_somewhere(user, Action.VIEW):
        raise PermissionDenied
    qs = Aspirasi.objects.for_user(user).select_related("desa", "kecamatan", "kategori")
    if desa:
        qs = qs.filter(desa__kode=desa)
    return [{**_public_item(a), "judul": a.judul, "isi": a.isi, "nama": a.nama, "id": a.id, "privasi": a.privasi,
             "kontak": a.kontak, "batas": a.batas} for a in qs[start:start + size]]


@router.post("/{int:pk}/status/", response={200: Lacak, 403: Errors, 422: Errors}, auth=BearerAuth(),
             summary="Move a report on (officials)")
def status_aspirasi(request, pk: int, data: Pindah):
    aspirasi = get_object_or_404(Aspirasi.objects.for_user(request.user), pk=pk)
    if not services.can_moderate(request.user, aspirasi):
        return Status(403, {"detail": _("You may read but not handle reports here.")})
    try:
        services.move(aspirasi, user=request.user, status=data.status, catatan=data.catatan,
                      diteruskan_ke=data.diteruskan_ke, nomor_lapor=data.nomor_lapor)
    except ValidationError as exc:
        return Status(422, _refused(exc))
    return lacak_aspirasi(request, aspirasi.kode_lacak)
