"""Demo profiles: the last two years in most villages of the demo kecamatan, with plausible values.

Registered in apps.py with ``penduduk.demo.register_step`` (penduduk does not import potensi). The
older year is approved almost everywhere; the newer one is a mix: approved, submitted, one
returned with comments, drafts, and a few villages that have not started.
"""

from django.db import transaction
from django.utils import timezone

from sidekel.wilayah.models import Desa

from . import services
from . import katalog
from .choices import Tipe
from .models import Indikator, Nilai, Profil

# A plausible range per unit, for a village of Kalimantan Tengah.
RANGES = {"ha": (0, 400), "ton": (0, 900), "ekor": (0, 600), "km": (0, 25), "unit": (0, 6), "orang": (3, 60),
          "KK": (20, 900), "kelompok": (1, 20), "m3": (0, 500), "liter": (0, 800), "juta Rp": (50, 900),
          "buah": (0, 6), "bulan": (4, 9), "mdpl": (5, 120), "mm/tahun": (2200, 3200), "jam": (0.2, 3)}


def _value(indikator, rng):
    if indikator.tipe == Tipe.YA_TIDAK:
        return rng.random() < 0.6
    if indikator.tipe == Tipe.PILIHAN:
        return rng.choice(indikator.pilihan)
    if indikator.tipe == Tipe.TEKS:
        return rng.choice(["Riam Pangkalan", "Danau Masoraian", "Pantai Kubu", "Lembaga Adat Dayak", "Bukit Sungkai"])
    lo, hi = RANGES.get(indikator.satuan, (0, 50))
    hi = min(hi, float(indikator.maksimum)) if indikator.maksimum is not None else hi
    value = rng.uniform(lo, hi) if rng.random() > 0.15 else 0
    return round(value, indikator.desimal) if indikator.desimal else int(value)


def _drift(value, indikator, rng):
    if indikator.tipe != Tipe.ANGKA or not value:
        return value
    hi = float(indikator.maksimum) if indikator.maksimum is not None else value * 2
    moved = min(hi, value * rng.uniform(0.95, 1.08))
    return round(moved, indikator.desimal) if indikator.desimal else int(moved)


def reset_profiles(desa_ids):
    Nilai.objects.filter(desa_id__in=desa_ids).delete()
    Profil.objects.filter(desa_id__in=desa_ids).delete()


@transaction.atomic
def after_build(builder, villages):
    """The demo builder's hook (penduduk.demo.register_step): profiles for the kecamatan just built."""
    build_profiles(villages[0].kode.rsplit(".", 1)[0], builder.rng, builder.log)


def build_profiles(kode, rng, log=print):
    katalog.load(Indikator)  # already there from the migration; again after a test database was flushed
    villages = list(Desa.objects.filter(kode__startswith=kode + ".").order_by("kode"))
    reset_profiles([d.id for d in villages])
    this_year = timezone.localdate().year
    older, newer = this_year - 2, this_year - 1
    started = villages[:-3] if len(villages) > 4 else villages
    for n, desa in enumerate(started):
        indicators = list(Indikator.objects.for_desa(desa))
        first = {i.kode: _value(i, rng) for i in indicators if rng.random() < 0.85}
        services.save_values(desa, older, first, user=None, sumber="Data dasar profil desa, pendataan RT")
        services.submit(desa, older, user=None)
        services.approve(desa, older, user=None)
        second = {i.kode: _drift(first[i.kode], i, rng) for i in indicators if i.kode in first}
        services.save_values(desa, newer, second, user=None, sumber="Pemutakhiran profil desa")
        kind = n % 5
        if kind in (0, 1):
            services.submit(desa, newer, user=None)
            services.approve(desa, newer, user=None)
        elif kind == 2:
            services.submit(desa, newer, user=None)
        elif kind == 3 and n == 3:
            services.submit(desa, newer, user=None)
            first_code = next(iter(second))
            services.return_profil(desa, newer, user=None, catatan="Mohon periksa lagi luas lahan.",
                                   komentar={first_code: "Angka ini jauh berbeda dari data BPS."})
        log(f"  potensi {desa}: {older} disetujui, {newer} {Profil.objects.get(desa=desa, tahun=newer).status}")
    return len(started)
