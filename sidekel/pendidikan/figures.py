"""Education figures for officials: from the population (statistik.services, the one place that
counts residents) and from the schools' own figures. Public figures come from statistik.publik.
"""

from collections import defaultdict

from django.db.models import Max
from django.utils import timezone

from sidekel.penduduk.choices import HubunganKeluarga, PendidikanKK, PendidikanSedang, StatusDasar
from sidekel.penduduk.models import Penduduk, umur_pada
from sidekel.statistik import services as statistik
from sidekel.wilayah.models import rt_labels

from .choices import Jenjang
from .models import DataSekolah, Sekolah

NOT_PRIMARY = (str(PendidikanKK.TIDAK_BELUM_SEKOLAH), str(PendidikanKK.BELUM_TAMAT_SD))


def tahun_terakhir(desa_ids):
    """The newest school year recorded for any school of the villages, or None."""
    return DataSekolah.objects.filter(desa_id__in=desa_ids).aggregate(t=Max("tahun_ajaran"))["t"]


def _ratio(part, whole):
    return round(part / whole, 1) if whole else None


def sekolah_per_jenjang(desa_ids, tahun=None):
    """[{jenjang, label, sekolah, murid, guru, ruang, ruang_rusak, ruang_rusak_berat, murid_per_guru,
    murid_per_ruang}] of the villages' schools in school year ``tahun`` (default: the newest), one
    row per level that has a school, and the total as the last row."""
    tahun = tahun or tahun_terakhir(desa_ids)
    schools = defaultdict(int)
    for jenjang in Sekolah.objects.filter(desa_id__in=desa_ids).values_list("jenjang", flat=True):
        schools[jenjang] += 1
    sums = defaultdict(lambda: defaultdict(int))
    for row in DataSekolah.objects.filter(desa_id__in=desa_ids, tahun_ajaran=tahun).values(
            "sekolah__jenjang", "murid_laki_laki", "murid_perempuan", "guru", "ruang_baik", "ruang_rusak_ringan",
            "ruang_rusak_berat"):
        s = sums[row["sekolah__jenjang"]]
        s["murid"] += row["murid_laki_laki"] + row["murid_perempuan"]
        s["guru"] += row["guru"]
        s["ruang"] += row["ruang_baik"] + row["ruang_rusak_ringan"] + row["ruang_rusak_berat"]
        s["ruang_rusak"] += row["ruang_rusak_ringan"] + row["ruang_rusak_berat"]
        s["ruang_rusak_berat"] += row["ruang_rusak_berat"]
    rows, total = [], defaultdict(int)
    for jenjang in Jenjang:
        if not schools[jenjang]:
            continue
        s = sums[jenjang]
        row = {"jenjang": jenjang.value, "label": jenjang.label, "sekolah": schools[jenjang],
               **{k: s[k] for k in ("murid", "guru", "ruang", "ruang_rusak", "ruang_rusak_berat")}}
        rows.append(_with_ratios(row))
        for k in ("sekolah", "murid", "guru", "ruang", "ruang_rusak", "ruang_rusak_berat"):
            total[k] += row[k]
    if rows:
        rows.append(_with_ratios({"jenjang": "", "label": "Jumlah", **total}))
    return tahun, rows


def _with_ratios(row):
    row["murid_per_guru"] = _ratio(row["murid"], row["guru"])
    row["murid_per_ruang"] = _ratio(row["murid"], row["ruang"])
    return row


def pendidikan_dewasa(desa_ids, pada=None, unit=None):
    """Education completed of residents aged 25 and over: (rows [(label, men, women, total)], total,
    the share in % who did not finish primary school)."""
    rows = [r for r in statistik.tabulate(desa_ids, "pendidikan-dewasa", pada, unit) if r.kode != "muda"]
    total = sum(r.jumlah for r in rows)
    not_primary = sum(r.jumlah for r in rows if r.kode in NOT_PRIMARY)
    return rows, total, (round(100 * not_primary / total, 1) if total else None)


def tidak_sekolah_query(desa, unit=None):
    """The out-of-school children of a village today, by RT then age (plain rows, not yet described:
    a page of them goes to ``describe_children``)."""
    qs = statistik.tidak_sekolah(desa.id, timezone.localdate())
    if unit is not None:
        qs = qs.filter(**{{"dusun": "rt__dusun_id", "rw": "rt__rw_id", "rt": "rt_id"}[unit.level]: unit.id})
    return qs.order_by("rt_id", "-tanggal_lahir", "nama", "id").values(
        "id", "nik", "nama", "jenis_kelamin", "tanggal_lahir", "pendidikan_sedang", "rt_id", "keluarga_id")


def describe_children(desa, people):
    """Add to rows of ``tidak_sekolah_query`` the age today, the place (dusun / RW / RT), the family
    head's name and the schooling's label."""
    today = timezone.localdate()
    people = list(people)
    rts = rt_labels({p["rt_id"] for p in people if p["rt_id"]}, {desa.id: desa}) if people else {}
    families = {p["keluarga_id"] for p in people if p["keluarga_id"]}
    heads = dict(Penduduk.objects.filter(desa_id=desa.id, keluarga_id__in=families, status_dasar=StatusDasar.HIDUP,
                                         hubungan_keluarga=HubunganKeluarga.KEPALA_KELUARGA, deleted_at__isnull=True)
                 .values_list("keluarga_id", "nama")) if families else {}
    for p in people:
        p["umur"] = umur_pada(p["tanggal_lahir"], today)
        p["tempat"] = rts.get(p["rt_id"], "")
        p["kepala_keluarga"] = heads.get(p["keluarga_id"]) or ""
        p["pendidikan_sedang_label"] = PendidikanSedang(p["pendidikan_sedang"]).label
    return people


def tidak_sekolah_rows(desa, unit=None):
    """The whole out-of-school list of a village (or of one of its units), described."""
    return describe_children(desa, tidak_sekolah_query(desa, unit))
