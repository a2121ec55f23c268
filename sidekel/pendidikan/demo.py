"""Demo schools for the demo kecamatan: about one SD per village, fewer SMP, a few SMA/SMK, PAUD,
TK, MI and MTs, each with its figures for the last two school years.

Registered in AppConfig.ready as a hook of ``penduduk.demo.DemoBuilder.build`` (register_step), so
``sidekel demo`` and every test or benchmark that builds the demo gets them. Uses the builder's
random generator: the same seed on the same day gives the same schools. Like the residents of the
demo, the rows are written in bulk, not through services.
"""

from django.db import transaction

from sidekel.wilayah.choices import JenisDesa
from sidekel.wilayah.models import Rt

from .choices import KELAS, Jenjang, Kementerian, StatusSekolah
from .models import DataSekolah, Sekolah

NPSN_DEMO = 30_200_000  # demo NPSNs: 302xxxxx (Kalimantan Tengah's range begins with 30)
KEMENAG = {Jenjang.MI, Jenjang.MTS, Jenjang.MA}
NAMA = {Jenjang.PAUD: "KB {nama}", Jenjang.TK: "TK {nama}", Jenjang.SD: "SDN {n} {desa}", Jenjang.MI: "MI {nama}",
        Jenjang.SMP: "SMPN {n} {desa}", Jenjang.MTS: "MTs {nama}", Jenjang.SMA: "SMAN {n} Arut Selatan",
        Jenjang.SMK: "SMK {nama}", Jenjang.MA: "MA {nama}"}
SWASTA_NAMA = ["Al-Hidayah", "Nurul Iman", "Darussalam", "Tunas Harapan", "Pertiwi", "Bina Bangsa", "Al-Ikhlas",
               "Kartika", "Bhayangkari", "Miftahul Ulum"]
# Pupils of one sex in one grade: (fewest, most).
KELAS_SIZE = {Jenjang.PAUD: (5, 15), Jenjang.TK: (8, 20), Jenjang.SD: (10, 28), Jenjang.MI: (6, 18),
              Jenjang.SMP: (20, 60), Jenjang.MTS: (10, 30), Jenjang.SMA: (40, 90), Jenjang.SMK: (30, 80),
              Jenjang.MA: (10, 30)}


def school_years(today):
    """The current school year (it starts in July) and the one before: ['2025/2026', '2024/2025']."""
    first = today.year if today.month >= 7 else today.year - 1
    return [f"{first}/{first + 1}", f"{first - 1}/{first}"]


def _levels(rng, desa, index):
    levels = [Jenjang.SD]
    if desa.jenis == JenisDesa.KELURAHAN:
        levels += [Jenjang.SD, Jenjang.SMP, Jenjang.TK, Jenjang.PAUD]
        levels += [Jenjang.SMA] if index % 2 == 0 else [Jenjang.SMK]
        levels += [Jenjang.MTS] if rng.random() < 0.5 else []
    else:
        levels += [Jenjang.PAUD] if rng.random() < 0.7 else []
        levels += [Jenjang.TK] if rng.random() < 0.4 else []
        levels += [Jenjang.MI] if rng.random() < 0.3 else []
        levels += [Jenjang.SMP] if rng.random() < 0.35 else []
        levels += [Jenjang.MTS] if rng.random() < 0.1 else []
    return levels


def build_schools(builder, villages):
    """Add the demo schools of ``villages`` with two school years of figures (after the residents)."""
    rng, years = builder.rng, school_years(builder.today)
    serial = Sekolah.objects.filter(npsn__startswith="302").count()
    schools, numbers = [], {}
    rts = {}
    for rt_id, desa_id in Rt.objects.filter(desa__in=villages).values_list("id", "desa_id"):
        rts.setdefault(desa_id, []).append(rt_id)
    for index, desa in enumerate(villages):
        for jenjang in _levels(rng, desa, index):
            numbers[jenjang] = numbers.get(jenjang, 0) + 1
            negeri = jenjang in (Jenjang.SD, Jenjang.SMP, Jenjang.SMA) or (jenjang == Jenjang.SMK and rng.random() < 0.5)
            serial += 1
            nama = NAMA[jenjang].format(n=numbers[jenjang], desa=desa.nama, nama=rng.choice(SWASTA_NAMA))
            schools.append(Sekolah(
                desa=desa, npsn=str(NPSN_DEMO + serial), nama=nama, jenjang=jenjang,
                status=StatusSekolah.NEGERI if negeri else StatusSekolah.SWASTA,
                kementerian=Kementerian.KEMENAG if jenjang in KEMENAG else Kementerian.KEMENDIKDASMEN,
                alamat=f"Jl. Pendidikan No. {rng.randint(1, 60)}",
                rt_id=rng.choice(rts[desa.id]) if rts.get(desa.id) else None,
                lintang=round(-2.68 - rng.random() * 0.2, 6), bujur=round(111.6 + rng.random() * 0.2, 6),
                kepala_nama=builder.name(rng.choice((1, 2))), kepala_telepon=f"0812{rng.randint(10_000_000, 99_999_999)}"))
    with transaction.atomic():
        Sekolah.objects.bulk_create(schools)
        saved = list(Sekolah.objects.filter(npsn__in=[s.npsn for s in schools]))
        rows = []
        for sekolah in saved:
            fewest, most = KELAS_SIZE.get(sekolah.jenjang, (5, 20))
            for year_index, tahun in enumerate(years):
                murid = {k: [rng.randint(fewest, most), rng.randint(fewest, most)] for k in KELAS[sekolah.jenjang]}
                kelas = len(murid)
                rusak_berat = rng.choice((0, 0, 0, 1, 2))
                rusak_ringan = rng.choice((0, 1, 1, 2)) + year_index
                rows.append(DataSekolah(
                    desa_id=sekolah.desa_id, sekolah=sekolah, tahun_ajaran=tahun, murid=murid,
                    murid_laki_laki=sum(p[0] for p in murid.values()), murid_perempuan=sum(p[1] for p in murid.values()),
                    guru=max(2, kelas + rng.randint(-1, 4)), ruang_baik=max(1, kelas * 2 - rusak_berat - rusak_ringan),
                    ruang_rusak_ringan=rusak_ringan, ruang_rusak_berat=rusak_berat))
        DataSekolah.objects.bulk_create(rows)
    builder.log(f"  {len(saved)} sekolah")
    return saved


def reset_schools(desa_ids):
    DataSekolah.objects.filter(desa_id__in=desa_ids).delete()
    Sekolah.objects.filter(desa_id__in=desa_ids).delete()
