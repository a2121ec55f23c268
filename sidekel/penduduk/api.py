"""Residents over the API, scoped exactly like the pages: another village's resident is a 404."""

import datetime
import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import field_validator

from sidekel.akun.api import BearerAuth
from sidekel.core.audit import log_access
from sidekel.core.identity import reveal, shown
from sidekel.core.models import AccessLog
from sidekel.core.nik import mask
from sidekel.core.paging import keyset_page, rows_in_order
from sidekel.core.scope import can_reveal_identity, can_write_desa, desa_ids_for
from sidekel.wilayah.models import Desa

from . import rules, services
from .models import Penduduk, gathering_table, has_trigram_word, name_table, number_query

router = Router(tags=["penduduk"], auth=BearerAuth())


class PendudukItem(Schema):
    id: int
    nik: str | None
    nama: str
    jenis_kelamin: int
    tanggal_lahir: datetime.date
    desa: str
    status_dasar: int


class PendudukPage(Schema):
    count: int
    next: str | None
    results: list[PendudukItem]


class PendudukDetail(Schema):
    id: int
    version: int
    desa: str
    keluarga_id: int | None
    nomor_kk: str | None
    nik: str | None
    nama: str
    jenis_kelamin: int
    tempat_lahir: str
    tanggal_lahir: datetime.date
    agama: int
    pendidikan_kk: int
    pendidikan_sedang: int | None
    pekerjaan: int
    status_perkawinan: int
    perkawinan_tercatat: bool
    tanggal_perkawinan: datetime.date | None
    tanggal_perceraian: datetime.date | None
    kewarganegaraan: int
    golongan_darah: int | None
    hubungan_keluarga: int
    nama_ayah: str
    nama_ibu: str
    rt_id: int | None
    alamat: str
    tanggal_mulai_tinggal: datetime.date | None
    status_penduduk: int
    status_dasar: int


class PendudukPatch(Schema):
    """The fields to change, and the ``version`` the change is based on (from GET). Any other
    field is refused (422), naming it: read-only fields change through their own actions."""

    version: int
    alasan: str = ""
    nik: str | None = None
    nama: str | None = None
    jenis_kelamin: int | None = None
    tempat_lahir: str | None = None
    tanggal_lahir: datetime.date | None = None
    agama: int | None = None
    pendidikan_kk: int | None = None
    pendidikan_sedang: int | None = None
    pekerjaan: int | None = None
    status_perkawinan: int | None = None
    perkawinan_tercatat: bool | None = None
    akta_perkawinan: str | None = None
    tanggal_perkawinan: datetime.date | None = None
    akta_perceraian: str | None = None
    tanggal_perceraian: datetime.date | None = None
    akta_lahir: str | None = None
    kewarganegaraan: int | None = None
    golongan_darah: int | None = None
    disabilitas: int | None = None
    dapat_membaca_huruf: str | None = None
    hubungan_keluarga: int | None = None
    nama_ayah: str | None = None
    nik_ayah: str | None = None
    nama_ibu: str | None = None
    nik_ibu: str | None = None
    rt_id: int | None = None
    alamat: str | None = None
    tanggal_mulai_tinggal: datetime.date | None = None
    status_penduduk: int | None = None


class ListParams(Schema):
    desa: str | None = None
    q: str = ""
    limit: int = 50
    setelah: str | None = None

    @field_validator("desa", "q", "setelah")
    @classmethod
    def _cleaned(cls, value):
        """No NUL or control character reaches a query (rules.clean_query)."""
        return rules.clean_query(value) if value else value


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


def _detail(request, p):
    """One resident as the API answers: NIK and KK number whole for an account that may see them,
    with an access-log entry saying so (``identity.reveal``), masked for anyone else (logged as a
    view)."""
    if can_reveal_identity(request.user, p.desa_id):
        revealed = reveal(request.user, p.desa_id, obj=p, detail=f"api {request.method}")
    else:
        revealed = False
        log_access(request.user, AccessLog.Action.VIEW, obj=p, detail=f"api {request.method}")
    nomor_kk = p.keluarga.nomor_kk if p.keluarga_id else None
    return {
        **{f: getattr(p, f) for f in PendudukDetail.model_fields if hasattr(p, f)},
        "desa": p.desa.kode,
        "nik": shown(p.nik, revealed) or None,
        "nomor_kk": shown(nomor_kk, revealed) or None,
    }


@router.get("/", response=PendudukPage, summary="Find residents")
def list_penduduk(request, params: Query[ListParams]):
    """Residents the account may see, by name fragment or NIK (`q`) and village code (`desa`).
    Pages of at most 100; follow `next` for the following page. NIKs are masked. The first digits
    of a NIK find residents only for accounts that may see full NIKs; others must send all 16."""
    text = " ".join(params.q.split())
    limit = max(1, min(params.limit, 100))
    villages = Desa.objects.for_user(request.user).filter(kode=params.desa) if params.desa else None
    residents = Penduduk.objects.for_user(request.user).select_related("desa")
    one_village = villages is not None or len(desa_ids_for(request.user) or ()) == 1
    by_name = bool(text) and number_query(text) is None and (has_trigram_word(text) or not one_village)
    # search() is told the one village (read only for it): a number's first digits are then
    # judged there, and one or two letters read that village's residents (short_in_one_village).
    desa = (villages if villages is not None else Desa.objects.for_user(request.user)).first() \
        if one_village and not by_name else None
    # A name is found, sorted and counted in the narrow name table; the page's residents read after.
    # A number goes through search(), which decides whether its first digits may find anyone; one
    # or two letters in one village too, which reads that village's residents.
    if by_name:
        def names_in(table):
            names = table.objects.for_user(request.user)
            return (names if villages is None else names.filter(desa__in=villages)).matching(text)

        qs = names_in(name_table(text, one_village=one_village))
        total = names_in(gathering_table(text, one_village=one_village)).count()
    else:
        qs = residents.search(text, user=request.user, desa=desa)
        qs = qs if villages is None else qs.filter(desa__in=villages)
        total = qs.count()
    page = keyset_page(qs, "nama", after=params.setelah, size=limit, values=() if by_name else None)
    if by_name:
        page.rows = rows_in_order(residents, [row["id"] for row in page.rows])
    log_access(request.user, AccessLog.Action.SEARCH, detail=f"api desa={params.desa or ''} q={params.q}")
    next_url = None
    if page.next_cursor:
        query = request.GET.copy()
        query["setelah"] = page.next_cursor
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    return {
        "count": total,
        "next": next_url,
        "results": [
            {"id": p.id, "nik": mask(p.nik) or None, "nama": p.nama, "jenis_kelamin": p.jenis_kelamin,
             "tanggal_lahir": p.tanggal_lahir, "desa": p.desa.kode, "status_dasar": p.status_dasar}
            for p in page.rows
        ],
    }


def _get(request, pk):
    return get_object_or_404(Penduduk.objects.for_user(request.user).select_related("desa", "keluarga"), pk=pk)


@router.get("/{int:pk}/", response=PendudukDetail, summary="One resident")
def get_penduduk(request, pk: int):
    return _detail(request, _get(request, pk))


def _not_patchable(request):
    """{field: message} for the fields a PATCH sent that it may not send. (The schema has read
    the body already and dropped them; the body is read again to name them.)"""
    try:
        sent = json.loads(request.body)
    except ValueError:
        return {}
    read_only = set(PendudukDetail.model_fields) - set(PendudukPatch.model_fields)
    return {name: [_("read-only: it changes through its own action") if name in read_only else _("unknown field")]
            for name in sorted(set(sent) - set(PendudukPatch.model_fields))} if isinstance(sent, dict) else {}


@router.patch("/{int:pk}/", response={200: PendudukDetail, 400: ErrorOut, 403: ErrorOut, 422: ErrorOut},
              summary="Change a resident")
def patch_penduduk(request, pk: int, payload: PendudukPatch):
    """Change some fields. Send the `version` you read; if someone changed the resident since,
    the answer is 400 and nothing is saved. Values that break a rule of a valid resident, and
    fields that are unknown or read-only, answer 422 naming the fields. A PATCH that changes
    nothing writes nothing: the version stays."""
    p = _get(request, pk)
    if not can_write_desa(request.user, p.desa_id):
        return Status(403, {"detail": _("You may read but not change data of this village.")})
    refused = _not_patchable(request)
    if refused:
        return Status(422, {"detail": _("These fields cannot be changed here: %(fields)s")
                            % {"fields": ", ".join(refused)}, "errors": refused})
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if k in PendudukPatch.model_fields}
    version, reason = changes.pop("version"), changes.pop("alasan", "")
    try:
        p, _warnings = services.update_penduduk(p, user=request.user, changes=changes, version=version, reason=reason)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):  # values that break a rule: on their fields
            return Status(422, {"detail": " ".join(exc.messages), "errors": exc.message_dict})
        return Status(400, {"detail": " ".join(exc.messages), "errors": {}})  # a stale version, a deleted resident
    except PermissionDenied as exc:
        return Status(403, {"detail": str(exc)})
    return Status(200, _detail(request, Penduduk.objects.select_related("desa", "keluarga").get(pk=p.pk)))
