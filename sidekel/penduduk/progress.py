"""Onboarding progress of each village: how far its population data has come.

``onboarding(desa_ids)`` is what the kecamatan's village list (/desa/) shows and what the
statistics dashboard calls. Definitions (also on the page and in docs/architecture.md):

- **residents**: living, not deleted residents; **families**: KK entered for the village (one
  index count; a KK whose members all died or moved still counts as entered).
- **required fields** (``REQUIRED_FIELDS``): the Buku Induk Penduduk columns (standards.md §4.1)
  a resident must have: NIK, name, sex, marital status, place and date of birth, religion,
  last education, occupation, can read (from age 7), citizenship, RT, relationship in the family,
  KK number. The share is filled cells / (residents x 14), in percent.
- **quality score**: ``penduduk/kualitas.py`` (100 x share of residents with no error finding).
- **state**: ``belum-mulai`` with no residents; ``lengkap`` when required fields >= 95 % and
  quality score >= 90; ``sedang-input`` otherwise.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sidekel.akun.choices import Role
from sidekel.akun.models import User
from sidekel.core.models import Job, ObjectChange
from sidekel.wilayah.models import KualitasHarian

from .kualitas import living, summarize
from .models import Keluarga

REFRESH_AFTER = datetime.timedelta(minutes=10)  # a changed village's quality is computed again after this
LENGKAP_FIELDS_MIN = 95.0
LENGKAP_SCORE_MIN = 90.0
IMPORT_KIND = "import-penduduk"

BELUM_MULAI, SEDANG_INPUT, LENGKAP = "belum-mulai", "sedang-input", "lengkap"
STATES = {BELUM_MULAI: _("not started"), SEDANG_INPUT: _("data entry in progress"), LENGKAP: _("complete")}


def _filled(field):
    return Q(**{f"{field}__isnull": False}) & ~Q(**{field: ""})


def required_fields(today):
    """{Buku Induk column: Q that is true when the resident has it}."""
    seven_years_ago = today.replace(year=today.year - 7) if (today.month, today.day) != (2, 29) \
        else datetime.date(today.year - 7, 2, 28)
    return {
        "nik": _filled("nik"),
        "nama": ~Q(nama=""),
        "jenis_kelamin": Q(jenis_kelamin__isnull=False),
        "status_perkawinan": Q(status_perkawinan__isnull=False),
        "tempat_lahir": ~Q(tempat_lahir=""),
        "tanggal_lahir": Q(tanggal_lahir__isnull=False),
        "agama": Q(agama__isnull=False),
        "pendidikan_kk": Q(pendidikan_kk__isnull=False),
        "pekerjaan": Q(pekerjaan__isnull=False),
        "dapat_membaca_huruf": ~Q(dapat_membaca_huruf="") | Q(tanggal_lahir__gt=seven_years_ago),
        "kewarganegaraan": Q(kewarganegaraan__isnull=False),
        "rt": Q(rt__isnull=False),
        "hubungan_keluarga": Q(hubungan_keluarga__isnull=False),
        "nomor_kk": _filled("keluarga__nomor_kk"),
    }


REQUIRED_FIELDS = list(required_fields(datetime.date(2000, 1, 1)))


@dataclass
class Progress:
    desa_id: int
    penduduk: int  # living residents
    keluarga: int  # families (KK) entered
    kelengkapan: float | None  # percent of required fields filled; None without residents
    skor: float | None  # quality score, today's snapshot
    skor_pada: datetime.datetime | None  # when that score was computed
    impor_terakhir: datetime.datetime | None  # last committed import
    ubah_terakhir: datetime.datetime | None  # last recorded change
    operator: int  # active operator accounts of the village
    status: str  # belum-mulai, sedang-input, lengkap

    @property
    def status_label(self):
        return STATES[self.status]


def state(penduduk, kelengkapan, skor):
    if not penduduk:
        return BELUM_MULAI
    if kelengkapan is not None and skor is not None and kelengkapan >= LENGKAP_FIELDS_MIN and skor >= LENGKAP_SCORE_MIN:
        return LENGKAP
    return SEDANG_INPUT


def completeness(desa_ids, today=None):
    """{desa_id: percent of required fields filled} (None for a village without residents)."""
    today = today or timezone.localdate()
    checks = required_fields(today)
    rows = living(desa_ids).order_by().values("desa_id").annotate(
        total=Count("id"), **{f"f_{name}": Count("id", filter=q) for name, q in checks.items()})
    return {r["desa_id"]: round(100 * sum(r[f"f_{n}"] for n in checks) / (r["total"] * len(checks)), 1)
            for r in rows if r["total"]}


def onboarding(desa_ids, today=None, refresh_after=REFRESH_AFTER):
    """{desa_id: Progress} for these villages, in a fixed number of queries.

    Counts, last import, last change and operators are live. The required-fields share and the
    quality score come from today's snapshot (``KualitasHarian``): computed now for a village that
    has none today, and again when its resident count has changed and the snapshot is older than
    ``refresh_after`` (10 minutes).
    """
    today = today or timezone.localdate()
    desa_ids = list(desa_ids)
    counts = dict(living(desa_ids).order_by().values_list("desa_id").annotate(n=Count("id")))
    families = dict(Keluarga.objects.filter(desa_id__in=desa_ids).order_by().values_list("desa_id")
                    .annotate(n=Count("id")))
    imports = dict(Job.objects.filter(desa_id__in=desa_ids, kind=IMPORT_KIND, status=Job.Status.DONE,
                                      result__committed=True)
                   .order_by().values_list("desa_id").annotate(last=Max("finished_at")))
    changes = dict(ObjectChange.objects.filter(desa_id__in=desa_ids).order_by().values_list("desa_id")
                   .annotate(last=Max("at")))
    operators = dict(User.desa.through.objects.filter(desa_id__in=desa_ids, user__is_active=True,
                                                      user__role=Role.OPERATOR)
                     .order_by().values_list("desa_id").annotate(n=Count("user_id", distinct=True)))
    quality = quality_today(desa_ids, today=today, penduduk=counts, refresh_after=refresh_after)
    result = {}
    for desa_id in desa_ids:
        total = counts.get(desa_id, 0)
        snapshot = quality.get(desa_id)
        skor = snapshot.skor if snapshot else None
        kelengkapan = snapshot.kelengkapan if snapshot else None
        result[desa_id] = Progress(
            desa_id=desa_id, penduduk=total, keluarga=families.get(desa_id, 0), kelengkapan=kelengkapan, skor=skor,
            skor_pada=snapshot.dihitung_pada if snapshot else None, impor_terakhir=imports.get(desa_id),
            ubah_terakhir=changes.get(desa_id), operator=operators.get(desa_id, 0),
            status=state(total, kelengkapan, skor))
    return result


# --- data quality snapshots ---------------------------------------------------------------------

def record_quality(desa_ids, today=None):
    """Compute the quality of these villages now and store today's snapshot of each (one row per
    village per day; a later computation the same day replaces the figures). Returns {desa_id: row}."""
    today = today or timezone.localdate()
    desa_ids = list(desa_ids)
    filled = completeness(desa_ids, today)
    result = {}
    for desa_id, summary in summarize(desa_ids, today).items():
        result[desa_id], _created = KualitasHarian.objects.update_or_create(
            desa_id=desa_id, tanggal=today,
            defaults={"skor": summary.score, "penduduk": summary.penduduk, "bermasalah": summary.with_error,
                      "jumlah": summary.counts, "kelengkapan": filled.get(desa_id)})
    return result




def quality_today(desa_ids, penduduk=None, refresh_after=REFRESH_AFTER, today=None):
    """Today's snapshot of each village: {desa_id: KualitasHarian}.

    A village with no snapshot today is computed (and stored) now. With ``penduduk`` ({desa_id:
    living residents now}), a village whose count has changed since its snapshot is computed
    again once the snapshot is older than ``refresh_after``. Otherwise the snapshot is reused:
    computing a large village takes seconds, so pages do not do it on every view.
    """
    today = today or timezone.localdate()
    desa_ids = list(desa_ids)
    rows = {r.desa_id: r for r in KualitasHarian.objects.filter(desa_id__in=desa_ids, tanggal=today)}
    if penduduk is not None:
        old = timezone.now() - refresh_after
        rows = {k: r for k, r in rows.items() if r.penduduk == penduduk.get(k, 0) or r.dihitung_pada > old}
    missing = [d for d in desa_ids if d not in rows]
    if missing:
        rows.update(record_quality(missing, today))
    return rows
