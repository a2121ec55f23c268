"""The demo kecamatan keeps the invariants the services keep (one demo, built once for the module;
the tests that build demos of their own are in test_demo_build.py)."""

import datetime

import pytest
from django.db.models import Count, F, Q

from sidekel.core.nik import nik_warnings, parse_nik, validate_nomor_kk
from sidekel.penduduk.choices import HubunganKeluarga, JenisPeristiwa, StatusDasar
from sidekel.penduduk.demo import DemoBuilder
from sidekel.penduduk.tests.factories import jumlah_penduduk
from sidekel.penduduk.models import Keluarga, NomorKK, Penduduk, Peristiwa
from sidekel.wilayah.choices import JenisDesa
from sidekel.wilayah.models import Desa

TODAY = datetime.date(2026, 11, 27)
SIZE = 3000


def build_once():
    return DemoBuilder(seed=7, today=TODAY).build(penduduk=SIZE)


@pytest.fixture
def demo(once):
    return once


def test_twenty_real_villages_under_arut_selatan(demo):
    villages = Desa.objects.managed()
    assert villages.count() == 20 and set(demo) == set(villages.values_list("kode", flat=True))
    assert not villages.exclude(kecamatan__kode="62.01.02").exists()
    assert villages.filter(jenis=JenisDesa.KELURAHAN).count() == 7
    assert villages.filter(jenis=JenisDesa.DESA).count() == 13


def test_size_is_about_what_was_asked(demo):
    living = Penduduk.objects.hidup().count()
    assert living == sum(demo.values())
    assert SIZE <= living <= SIZE * 1.1
    assert jumlah_penduduk(Desa.objects.managed().values_list("id", flat=True)) == {
        d.id: demo[d.kode] for d in Desa.objects.managed()}


def test_every_family_with_living_members_has_exactly_one_living_head(demo):
    families = Keluarga.objects.annotate(
        living=Count("anggota", filter=Q(anggota__status_dasar=StatusDasar.HIDUP)),
        heads=Count("anggota", filter=Q(anggota__status_dasar=StatusDasar.HIDUP,
                                        anggota__hubungan_keluarga=HubunganKeluarga.KEPALA_KELUARGA)),
    )
    assert families.count() > SIZE / 6
    assert not families.filter(living__gt=0).exclude(heads=1).exists()


def test_every_nik_is_valid_unique_and_agrees_with_the_record(demo):
    rows = list(Penduduk.objects.values_list("nik", "jenis_kelamin", "tanggal_lahir"))
    niks = [nik for nik, _, _ in rows]
    assert None not in niks and len(set(niks)) == len(niks)
    for nik, sex, born in rows:
        parse_nik(nik)
        assert nik_warnings(nik, sex, born, today=TODAY) == [], nik


def test_every_kk_number_is_valid_and_in_the_history(demo):
    for nomor in Keluarga.objects.values_list("nomor_kk", flat=True):
        validate_nomor_kk(nomor)
    assert NomorKK.objects.count() == Keluarga.objects.count()


def test_children_fit_their_mothers_and_people_fit_their_age(demo):
    rows = Penduduk.objects.filter(hubungan_keluarga=HubunganKeluarga.ANAK).exclude(nik_ibu="").values_list(
        "tanggal_lahir", "nik_ibu")
    mothers = dict(Penduduk.objects.values_list("nik", "tanggal_lahir"))
    gaps = [(born - mothers[nik_ibu]).days / 365.25 for born, nik_ibu in rows]
    assert gaps and min(gaps) >= 15 and max(gaps) <= 50
    ages = [(TODAY - born).days // 365 for born in Penduduk.objects.hidup().values_list("tanggal_lahir", flat=True)]
    under_15 = sum(1 for a in ages if a < 15) / len(ages)
    over_65 = sum(1 for a in ages if a >= 65) / len(ages)
    assert 0.2 < under_15 < 0.35 and 0.02 < over_65 < 0.1  # a young Kalimantan pyramid
    # Nobody under 15 is married or working outside school.
    young = Penduduk.objects.filter(tanggal_lahir__gt=TODAY.replace(year=TODAY.year - 15))
    assert not young.exclude(status_perkawinan=1).exists()
    assert not young.exclude(pekerjaan__in=[1, 3]).exists()


def test_last_two_years_have_births_deaths_and_moves_that_explain_the_counts(demo):
    two_years_ago = TODAY - datetime.timedelta(days=730)
    events = dict(Peristiwa.objects.values_list("jenis").annotate(n=Count("id")))
    for jenis in (JenisPeristiwa.LAHIR, JenisPeristiwa.MATI, JenisPeristiwa.PINDAH_DATANG, JenisPeristiwa.PINDAH_KELUAR):
        assert events.get(jenis, 0) > 0, jenis
    assert not Peristiwa.objects.filter(Q(tanggal__lt=two_years_ago) | Q(tanggal__gt=TODAY)).exists()
    # Every child born in the last two years was born here (LAHIR on its birth date) or
    # arrived with a family that moved in (PINDAH_DATANG).
    babies = Penduduk.objects.filter(tanggal_lahir__gt=two_years_ago)
    born_here = babies.filter(peristiwa__jenis=JenisPeristiwa.LAHIR)
    assert born_here.count() == events[JenisPeristiwa.LAHIR]
    assert not Peristiwa.objects.filter(jenis=JenisPeristiwa.LAHIR).exclude(tanggal=F("penduduk__tanggal_lahir")).exists()
    assert not babies.exclude(peristiwa__jenis__in=[JenisPeristiwa.LAHIR, JenisPeristiwa.PINDAH_DATANG]).exists()
    # Residents who left have the matching status.
    assert not Peristiwa.objects.filter(jenis=JenisPeristiwa.MATI).exclude(penduduk__status_dasar=StatusDasar.MATI).exists()
    ids = list(Desa.objects.managed().values_list("id", flat=True))
    before = sum(jumlah_penduduk(ids, pada=two_years_ago).values())
    assert before == Penduduk.objects.hidup().count() - events[JenisPeristiwa.LAHIR] - events[JenisPeristiwa.PINDAH_DATANG] \
        + events[JenisPeristiwa.MATI] + events[JenisPeristiwa.PINDAH_KELUAR]
