"""The kecamatan's list of villages and each village's home page, for officials (they count
residents, so they live here and not in wilayah)."""

import datetime

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sidekel.core import backup
from sidekel.core import panels
from sidekel.core.audit import logs_access
from sidekel.core.models import AccessLog, ObjectChange
from sidekel.core.paging import keyset_page
from sidekel.core.scope import Action, can_write_desa, permits
from sidekel.wilayah.models import Desa, KualitasHarian

from . import kualitas
from .choices import JenisKelamin, StatusDasar
from .kualitas import living
from .models import Keluarga, Penduduk
from .progress import LENGKAP_FIELDS_MIN, LENGKAP_SCORE_MIN, REQUIRED_FIELDS, STATES, onboarding, quality_today


def _population(desa_ids):
    """Living residents per village, split by sex: {desa_id: {"total", "l", "p"}}."""
    rows = (
        Penduduk.objects.filter(desa_id__in=desa_ids, status_dasar=StatusDasar.HIDUP, deleted_at__isnull=True)
        .values("desa_id")
        .annotate(total=Count("id"),
                  l=Count("id", filter=Q(jenis_kelamin=JenisKelamin.LAKI_LAKI)),
                  p=Count("id", filter=Q(jenis_kelamin=JenisKelamin.PEREMPUAN)))
    )
    return {r["desa_id"]: r for r in rows}


# ?urut= values of the village list: what each column sorts by (None sorts last).
SORTS = {
    "nama": lambda d: d.nama.lower(),
    "status": lambda d: ["belum-mulai", "sedang-input", "lengkap"].index(d.progress.status),
    "penduduk": lambda d: d.progress.penduduk,
    "keluarga": lambda d: d.progress.keluarga,
    "kelengkapan": lambda d: d.progress.kelengkapan,
    "skor": lambda d: d.progress.skor,
    "operator": lambda d: d.progress.operator,
    "impor": lambda d: d.progress.impor_terakhir,
    "ubah": lambda d: d.progress.ubah_terakhir,
}
TREND_DAYS = 30


def _sort(villages, urut):
    key = urut.lstrip("-")
    if key not in SORTS:
        urut, key = "status", "status"
    desc = urut.startswith("-")
    known = [d for d in villages if SORTS[key](d) is not None]
    unknown = [d for d in villages if SORTS[key](d) is None]
    known.sort(key=lambda d: (SORTS[key](d), d.nama), reverse=desc)
    return known + sorted(unknown, key=lambda d: d.nama), urut


def trends(desa_ids, days=TREND_DAYS):
    """{desa_id: [score, ...]}: the last ``days`` daily scores, oldest first."""
    since = timezone.localdate() - datetime.timedelta(days=days * 3)
    result = {}
    for desa_id, skor in (KualitasHarian.objects.filter(desa_id__in=desa_ids, tanggal__gte=since, skor__isnull=False)
                          .order_by("desa_id", "tanggal").values_list("desa_id", "skor")):
        result.setdefault(desa_id, []).append(skor)
    return {k: v[-days:] for k, v in result.items()}


@login_required
def desa_list(request):
    """The kecamatan's villages with their onboarding progress: where to send help."""
    villages = list(Desa.objects.for_user(request.user))
    ids = [d.id for d in villages]
    progress = onboarding(ids)
    trend = trends(ids)
    for d in villages:
        d.progress = progress[d.id]
        d.trend = trend.get(d.id, [])
    villages, urut = _sort(villages, request.GET.get("urut", "status"))
    states = {code: sum(1 for d in villages if d.progress.status == code) for code in STATES}
    return render(request, "penduduk/desa_list.html", {
        "villages": villages, "total": sum(d.progress.penduduk for d in villages), "urut": urut,
        "states": [(code, STATES[code], states[code]) for code in STATES],
        "sorts": SORT_LABELS, "fields_min": LENGKAP_FIELDS_MIN, "score_min": LENGKAP_SCORE_MIN,
        "n_fields": len(REQUIRED_FIELDS), "panels": panels.render(request, ids),
        # The kecamatan admin lands here: the last good backup (core/backup.py), a warning after 2 days.
        "backup": {"last": backup.last_backup()} if permits(request.user, Action.BACKUP) else None,
    })


SORT_LABELS = [("status", _("State")), ("nama", _("Name")), ("-penduduk", _("Most residents")),
               ("kelengkapan", _("Least complete first")), ("skor", _("Lowest quality score first")),
               ("-ubah", _("Latest change")), ("ubah", _("Longest without change")), ("operator", _("Fewest operators"))]
PAGE_SIZE = 25


def _village(request, kode, **_kwargs):
    return Desa.objects.id_of(kode)


@login_required
@logs_access(AccessLog.Action.SEARCH, find=_village,
             detail=lambda request, kode: f"kualitas jenis={request.GET.get('jenis', '')}")
def desa_kualitas(request, kode):
    """One village's data-quality findings, a check at a time, each row a link to the record."""
    desa = get_object_or_404(Desa.objects.for_user(request.user), kode=kode)
    living_now = living([desa.id]).count()
    snapshot = quality_today([desa.id], penduduk={desa.id: living_now})[desa.id]
    counts = snapshot.jumlah
    code = request.GET.get("jenis", "")
    if code not in kualitas.BY_CODE:
        code = next((k.code for k in kualitas.KINDS if counts.get(k.code)), kualitas.KINDS[0].code)
    kind = kualitas.BY_CODE[code]
    found = kualitas.findings(code, [desa.id])
    if kind.target == "keluarga":
        page = keyset_page(found, "id", after=request.GET.get("setelah"), before=request.GET.get("sebelum"),
                           size=PAGE_SIZE)
    else:
        page = keyset_page(found.select_related("rt__dusun", "rt__rw", "keluarga"), "nama",
                           after=request.GET.get("setelah"), before=request.GET.get("sebelum"), size=PAGE_SIZE)
    notes = kualitas.describe(code, page.rows, user=request.user)
    for row in page.rows:
        row.note = notes.get(row.pk, "")
    kinds = [(k, counts.get(k.code, 0)) for k in kualitas.KINDS]
    return render(request, "penduduk/desa_kualitas.html", {
        "desa": desa, "snapshot": snapshot, "kinds": kinds, "kind": kind, "count": counts.get(code, 0),
        "page": page, "can_write": can_write_desa(request.user, desa.id),
        "trend": trends([desa.id]).get(desa.id, []), "code": code,
    })


@login_required
@logs_access(AccessLog.Action.VIEW, find=_village, detail=lambda request, kode: "beranda desa")  # recent changes name people
def desa_detail(request, kode):
    desa = get_object_or_404(Desa.objects.for_user(request.user), kode=kode)
    population = _population([desa.id]).get(desa.id, {"total": 0, "l": 0, "p": 0})
    families = Keluarga.objects.filter(desa=desa, anggota__status_dasar=StatusDasar.HIDUP).distinct().count()
    changes = ObjectChange.objects.filter(desa=desa).select_related("content_type")[:15]
    return render(request, "penduduk/desa_detail.html", {
        "desa": desa, "population": population, "families": families, "changes": changes,
        "can_write": can_write_desa(request.user, desa.id), "panels": panels.render(request, [desa.id]),
    })
