"""Every figure against an independent count: people are followed forward through their events.

The services count backwards (today's residents, minus what happened after the date). The oracle
here replays each person's events from the start, so the two methods share no code.
"""

import datetime
from collections import Counter, defaultdict

import pytest
from django.utils import timezone

from sidekel.penduduk.tests.factories import adult
from sidekel.penduduk import services as penduduk_services
from sidekel.penduduk.choices import PERUBAHAN_JUMLAH, HubunganKeluarga, JenisKelamin, JenisPeristiwa, StatusDasar
from sidekel.penduduk.demo import DemoBuilder
from sidekel.penduduk.models import Penduduk, Peristiwa
from sidekel.statistik import services
from sidekel.statistik.choices import AGE_GROUP_LIST, KATEGORI
from sidekel.wilayah.models import Desa, Dusun, Rt

TODAY = timezone.localdate()


def _age(born, day):
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def present_on(day):
    """{person: (desa id, rt id)} of everyone living in a village at the end of ``day``."""
    events = defaultdict(list)
    for event in Peristiwa.objects.order_by("tanggal", "id"):
        events[event.penduduk_id].append(event)
    result = {}
    for person in Penduduk.objects.filter(deleted_at__isnull=True):
        if person.tanggal_lahir > day:
            continue  # not born yet
        own = events[person.id]
        done = [e for e in own if e.tanggal <= day]
        if done:
            if PERUBAHAN_JUMLAH[done[-1].jenis] > 0:
                result[person] = (done[-1].desa_id, done[-1].rt_id or person.rt_id)
        elif own:
            if PERUBAHAN_JUMLAH[own[0].jenis] < 0:  # they lived here until this first event
                result[person] = (own[0].desa_id, own[0].rt_id or person.rt_id)
        elif person.status_dasar == StatusDasar.HIDUP:
            result[person] = (person.desa_id, person.rt_id)
    return result


def expected(slug, desa_ids, day, rt_ids=None, present=None):
    """{code: (men, women)} counted person by person (``present``: present_on(day), if known)."""
    kategori = KATEGORI[slug]
    counts = Counter()
    for person, (desa_id, rt_id) in (present or present_on(day)).items():
        if desa_id not in desa_ids or (rt_ids is not None and rt_id not in rt_ids):
            continue
        age = _age(person.tanggal_lahir, day)
        if slug == "partisipasi-sekolah":  # BPS: ages 7-12, 13-15, 16-18, 19-23; in school: a "Sedang ..." code
            groups = [f"{lo}-{hi}" for lo, hi in ((7, 12), (13, 15), (16, 18), (19, 23)) if lo <= age <= hi]
            in_school = person.pendidikan_sedang in {2, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}
            codes = [f"{groups[0]}.{'sekolah' if in_school else 'tidak'}"] if groups else ["lain"]
        elif slug == "pendidikan-dewasa":
            codes = ["muda" if age < 25 else "" if person.pendidikan_kk is None else str(person.pendidikan_kk)]
        elif kategori.field:
            value = getattr(person, kategori.field)
            codes = ["" if value is None else str(value)]
        elif slug == "umur":
            codes = [str(min(_age(person.tanggal_lahir, day) // 5 * 5, 75))]
        else:
            age = _age(person.tanggal_lahir, day)
            codes = [code for code, _l, lo, hi in AGE_GROUP_LIST if lo <= age and (hi is None or age <= hi)]
        for code in codes:
            counts[(code, person.jenis_kelamin)] += 1
    return {code: (counts[(code, 1)], counts[(code, 2)]) for code, _sex in counts}


def computed(rows):
    return {row.kode: (row.laki_laki, row.perempuan) for row in rows if row.jumlah}


def build_once():
    """A generated kecamatan, plus events of every kind on known dates after PAST."""
    DemoBuilder(seed=11, today=TODAY).build(penduduk=1500)
    rangda = Desa.objects.get(kode="62.01.02.2010")
    raja = Desa.objects.get(kode="62.01.02.1007")
    heads = [h for h in Penduduk.objects.filter(desa=rangda, status_dasar=StatusDasar.HIDUP,
                                                hubungan_keluarga=HubunganKeluarga.KEPALA_KELUARGA).order_by("id")
             if h.other_living_members().exists()]
    when = TODAY - datetime.timedelta(days=20)
    keluarga = heads[0].keluarga
    penduduk_services.record_birth(keluarga, nama="Bayi Baru", jenis_kelamin=JenisKelamin.PEREMPUAN, tanggal_lahir=when)
    penduduk_services.record_death(heads[1].other_living_members().first(), tanggal=when)
    leaves = heads[2].other_living_members().first()
    penduduk_services.record_move_out(leaves, tanggal=when - datetime.timedelta(days=3), tujuan="Sampit")
    mover = heads[3].other_living_members().first()
    penduduk_services.move_to_village(mover, raja, tanggal=when - datetime.timedelta(days=5))
    penduduk_services.record_move_in(rangda, tanggal=when, asal="Palangka Raya",
                                     **adult(nama="Pendatang Baru", nik="6271011203850001"))
    return rangda, raja


@pytest.fixture
def population(once):
    """``build_once``'s kecamatan (built once for the module): (Desa Rangda, Kelurahan Raja)."""
    return once


PAST = TODAY - datetime.timedelta(days=60)
SLUGS = sorted(KATEGORI)


def test_every_category_today_and_on_past_dates_for_a_village_and_the_kecamatan(population):
    rangda, raja = population
    everyone = list(Desa.objects.managed().values_list("id", flat=True))
    for day in (TODAY, PAST, TODAY - datetime.timedelta(days=400)):
        present = present_on(day)
        for slug in SLUGS:
            for desa_ids in ([rangda.id], [raja.id], everyone):
                assert computed(services.tabulate(desa_ids, slug, day)) == expected(slug, desa_ids, day, present=present), (
                    slug, day, desa_ids)


def test_the_events_move_the_figures_they_should(population):
    rangda, raja = population
    before, after = (sum(r.jumlah for r in services.tabulate([rangda.id], "jenis-kelamin", d)) for d in (PAST, TODAY))
    died_or_left_before = sum(1 for e in Peristiwa.objects.filter(desa=rangda, tanggal__gt=PAST)
                              if PERUBAHAN_JUMLAH[e.jenis] < 0)
    arrived = sum(1 for e in Peristiwa.objects.filter(desa=rangda, tanggal__gt=PAST) if PERUBAHAN_JUMLAH[e.jenis] > 0)
    assert died_or_left_before >= 3 and arrived >= 2
    assert after == before + arrived - died_or_left_before


def test_a_dusun_on_a_past_date(population):
    rangda, _raja = population
    for dusun in Dusun.objects.filter(desa=rangda):
        rt_ids = set(Rt.objects.filter(dusun=dusun).values_list("id", flat=True))
        unit = services.Unit("dusun", dusun.id)
        for day in (TODAY, PAST):
            assert computed(services.tabulate([rangda.id], "umur", day, unit)) == expected("umur", [rangda.id], day, rt_ids)


def test_figures_follow_an_edit_at_once(population, django_user_model):
    rangda, _raja = population
    first = computed(services.tabulate([rangda.id], "pekerjaan"))
    person = Penduduk.objects.filter(desa=rangda, status_dasar=StatusDasar.HIDUP, pekerjaan=1).first() or \
        Penduduk.objects.filter(desa=rangda, status_dasar=StatusDasar.HIDUP).exclude(pekerjaan=2).first()
    admin = django_user_model.objects.create_user("admin", role="admin-kecamatan")
    old = str(person.pekerjaan)
    penduduk_services.update_penduduk(person, user=admin, changes={"pekerjaan": 2}, version=person.version)
    second = computed(services.tabulate([rangda.id], "pekerjaan"))
    assert sum(second.get(old, (0, 0))) == sum(first[old]) - 1
    assert sum(second["2"]) == sum(first.get("2", (0, 0))) + 1


def test_families_and_their_sizes(population):
    rangda, _raja = population
    for day in (TODAY, PAST):
        members = Counter()
        for person, (desa_id, _rt) in present_on(day).items():
            if desa_id == rangda.id and person.keluarga_id:
                members[person.keluarga_id] += 1
        sizes = Counter(min(n, 7) for n in members.values())
        figures = services.keluarga([rangda.id], day)
        assert figures["keluarga"] == len(members) and figures["anggota"] == sum(members.values())
        assert figures["ukuran"] == [(f"{s}+" if s == 7 else str(s), sizes[s]) for s in range(1, 8)]


def test_events_per_month(population):
    rangda, _raja = population
    months = services.peristiwa_per_bulan([rangda.id], TODAY, months=24)
    assert len(months) == 24 and months[-1][0] == TODAY.replace(day=1)
    expected_counts = Counter()
    for e in Peristiwa.objects.filter(desa=rangda, tanggal__gte=months[0][0]).select_related("penduduk"):
        expected_counts[(e.tanggal.replace(day=1), e.jenis, e.penduduk.jenis_kelamin)] += 1
    got = Counter({(month, jenis, sex): n for month, by_jenis in months for jenis, by_sex in by_jenis.items()
                   for sex, n in by_sex.items()})
    assert +got == +Counter({k: v for k, v in expected_counts.items() if k[1] in services.EVENT_COLUMNS})
    assert got[(TODAY.replace(day=1) if (TODAY - datetime.timedelta(days=20)).month == TODAY.month
                else (TODAY - datetime.timedelta(days=20)).replace(day=1), JenisPeristiwa.LAHIR, 2)] >= 1


def test_summary_ratios(population):
    rangda, _raja = population
    figures = services.summary([rangda.id])[rangda.id]
    people = [p for p, (desa_id, _rt) in present_on(TODAY).items() if desa_id == rangda.id]
    ages = [_age(p.tanggal_lahir, TODAY) for p in people]
    children, old = sum(a < 15 for a in ages), sum(a >= 65 for a in ages)
    men = sum(p.jenis_kelamin == 1 for p in people)
    start = sum(1 for _p, (d, _r) in present_on(datetime.date(TODAY.year - 1, 12, 31)).items() if d == rangda.id)
    assert figures["jumlah"] == len(people) and figures["laki_laki"] == men
    assert figures["rasio_anak"] == round(100 * children / len(people), 1)
    assert figures["rasio_ketergantungan"] == round(100 * (children + old) / (len(people) - children - old), 1)
    assert figures["rasio_jk"] == round(100 * men / (len(people) - men), 1)
    assert figures["awal_tahun"] == start
    assert figures["keluarga"] == len({p.keluarga_id for p in people if p.keluarga_id})


def test_someone_registered_without_an_event_is_not_counted_before_their_birth(population):
    rangda, _raja = population
    keluarga = Penduduk.objects.filter(desa=rangda, status_dasar=StatusDasar.HIDUP, keluarga__isnull=False).first().keluarga
    born = TODAY - datetime.timedelta(days=10)
    month_ago = TODAY - datetime.timedelta(days=30)
    before = services.tabulate([rangda.id], "jenis-kelamin", month_ago)
    penduduk_services.register_penduduk(  # as an import does: the record, no LAHIR event
        rangda, keluarga=keluarga, **adult(nama="Bayi Impor", nik=None, tanggal_lahir=born,
                                           hubungan_keluarga=HubunganKeluarga.ANAK, status_perkawinan=1))
    assert computed(services.tabulate([rangda.id], "jenis-kelamin", month_ago)) == computed(before)
    assert computed(services.tabulate([rangda.id], "umur")) == expected("umur", [rangda.id], TODAY)
