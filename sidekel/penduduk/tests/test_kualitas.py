"""Data-quality findings: faults planted in a generated population are found exactly where planted.

The SQL checks of ``penduduk/kualitas.py`` are compared with an independent oracle written here in
plain Python over every resident (``core.nik`` for the NIK rules, ``umur_pada`` for ages), before
and after planting, and the score with the oracle's own count.
"""

import datetime

import pytest
from django.db.models import Count
from django.core.management import call_command
from django.utils import timezone

from sidekel.core.nik import nik_warnings, parse_nik
from sidekel.penduduk import kualitas, rules
from sidekel.penduduk.choices import HubunganKeluarga, JenisPeristiwa, StatusDasar
from sidekel.penduduk.demo import DemoBuilder
from sidekel.penduduk.models import Keluarga, Penduduk, Peristiwa, umur_pada
from sidekel.wilayah.models import Desa, KualitasHarian
from sidekel.penduduk.progress import quality_today, record_quality

RANGDA, RAJA = "62.01.02.2010", "62.01.02.1007"


def years_before(day, years):
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def oracle(desa_ids, today):
    """{code: set of ids} computed row by row in Python, without the module under test: the rules
    of rules.py (which the SQL mirrors), core.nik, and plain counting."""
    living = list(Penduduk.objects.filter(status_dasar=StatusDasar.HIDUP, deleted_at__isnull=True))
    mine = [p for p in living if p.desa_id in desa_ids]
    found = {k.code: set() for k in kualitas.KINDS}
    heads = {}
    members = {}
    for p in living:
        if p.keluarga_id:
            members.setdefault(p.keluarga_id, []).append(p)
            if p.hubungan_keluarga == HubunganKeluarga.KEPALA_KELUARGA:
                heads.setdefault(p.keluarga_id, []).append(p)
    events = {}
    for e in Peristiwa.objects.all():
        events.setdefault(e.penduduk_id, []).append(e.tanggal)
    kecamatan = {}
    for p in living:
        kecamatan.setdefault((p.tanggal_lahir, "".join(p.nama.lower().split(" "))), []).append(p)
    for p in mine:
        if not p.nik:
            found["nik-kosong"].add(p.pk)
        else:
            try:
                parse_nik(p.nik)
            except Exception:
                found["nik-salah"].add(p.pk)
            else:
                # today=max: a birth in the future is an impossible date here, not a NIK finding
                if nik_warnings(p.nik, p.jenis_kelamin, p.tanggal_lahir, today=datetime.date.max):
                    found["nik-tidak-cocok"].add(p.pk)
        if rules.family_missing(p.keluarga_id is not None):
            found["tanpa-kk"].add(p.pk)
        if p.rt_id is None:
            found["tanpa-rt"].add(p.pk)
        # The rules of rules.py, which the SQL checks mirror.
        dates = rules.birth_date(p.tanggal_lahir, today) + rules.life_dates(
            p.tanggal_lahir, today, **{name: getattr(p, name) for name in rules.LIFE_DATES})
        for tanggal in events.get(p.pk, []):
            dates += rules.event_date(tanggal, p.tanggal_lahir, today)
        if rules.errors(dates):
            found["tanggal-mustahil"].add(p.pk)
        age = umur_pada(p.tanggal_lahir, today)
        if 7 <= age <= 18 and p.pendidikan_sedang is None:
            found["sekolah-kosong"].add(p.pk)
        if rules.role_age(p.hubungan_keluarga, p.tanggal_lahir, today):
            found["umur-peran"].add(p.pk)
        if p.hubungan_keluarga == HubunganKeluarga.ANAK and p.keluarga_id:
            for head in heads.get(p.keluarga_id, []):
                if rules.parent_age(head.tanggal_lahir, p.tanggal_lahir):
                    found["umur-peran"].add(p.pk)
        if len(kecamatan[(p.tanggal_lahir, "".join(p.nama.lower().split(" ")))]) > 1:
            found["ganda"].add(p.pk)
    for keluarga_id, people in members.items():
        if people[0].desa_id not in desa_ids:
            continue
        n = len(heads.get(keluarga_id, []))
        if n == 0:
            found["kk-tanpa-kepala"].add(keluarga_id)
        elif n > 1:
            found["kk-kepala-ganda"].add(keluarga_id)
    errors = set()
    for kind in kualitas.KINDS:
        if kind.error:
            if kind.target == "keluarga":
                errors |= {p.pk for k in found[kind.code] for p in members[k]}
            else:
                errors |= found[kind.code]
    return found, len(mine), errors


def sql_findings(desa_ids, today):
    return {k.code: set(kualitas.findings(k.code, desa_ids, today).values_list("id", flat=True)) for k in kualitas.KINDS}


def new_nik(p, born, serial):
    """A NIK that agrees with ``born`` and the resident's sex (serial keeps it unique)."""
    day = born.day + (40 if p.jenis_kelamin == 2 else 0)
    return f"620102{day:02d}{born:%m%y}{serial:04d}"


def set_birth(p, born, serial):
    """Move a birth date with a NIK to match; events the old date allowed go (they would be faults too)."""
    Penduduk.objects.filter(pk=p.pk).update(tanggal_lahir=born, nik=new_nik(p, born, serial), tanggal_mulai_tinggal=None)
    Peristiwa.objects.filter(penduduk=p, tanggal__lt=born).delete()
    Penduduk.objects.filter(pk=p.pk, tanggal_perkawinan__lt=born).update(tanggal_perkawinan=None)
    Penduduk.objects.filter(pk=p.pk, tanggal_perceraian__lt=born).update(tanggal_perceraian=None)


def build_once():
    today = timezone.localdate()
    DemoBuilder(seed=5, today=today).build(penduduk=4000)
    return today


@pytest.fixture
def population(once):
    return once


def test_demo_population_is_clean_except_natural_duplicates(population):
    today = population
    ids = set(Desa.objects.managed().values_list("id", flat=True))
    expected, _n, _errors = oracle(ids, today)
    found = sql_findings(ids, today)
    assert found == expected
    assert all(not v for k, v in found.items() if k != "ganda"), {k: len(v) for k, v in found.items()}


def test_planted_faults_are_found_exactly_where_planted(population):
    today = population
    rangda, raja = Desa.objects.get(kode=RANGDA), Desa.objects.get(kode=RAJA)
    before = sql_findings({rangda.id}, today)
    before_raja = sql_findings({raja.id}, today)
    people = list(Penduduk.objects.filter(desa=rangda, status_dasar=StatusDasar.HIDUP).order_by("id"))
    adults = [p for p in people if umur_pada(p.tanggal_lahir, today) >= 25 and p.hubungan_keluarga in (2, 3, 7, 8, 9)]
    children = [p for p in people if p.hubungan_keluarga == HubunganKeluarga.ANAK and 8 <= umur_pada(p.tanggal_lahir, today) <= 17]
    used = set()

    def take(pool):
        p = next(p for p in pool if p.pk not in used and p.keluarga_id not in used_families)
        used.add(p.pk)
        used_families.add(p.keluarga_id)
        return p

    used_families = set()
    planted = {k.code: set() for k in kualitas.KINDS}
    # NIK rules
    p = take(people); Penduduk.objects.filter(pk=p.pk).update(nik=p.nik[:8] + "13" + p.nik[10:]); planted["nik-salah"].add(p.pk)
    p = take(people); Penduduk.objects.filter(pk=p.pk).update(nik=None); planted["nik-kosong"].add(p.pk)
    p = take(people); Penduduk.objects.filter(pk=p.pk).update(nik=""); planted["nik-kosong"].add(p.pk)
    p = take(people); Penduduk.objects.filter(pk=p.pk).update(jenis_kelamin=3 - p.jenis_kelamin); planted["nik-tidak-cocok"].add(p.pk)
    p = take(people); Penduduk.objects.filter(pk=p.pk).update(tanggal_lahir=p.tanggal_lahir - datetime.timedelta(days=1))
    planted["nik-tidak-cocok"].add(p.pk)
    # no family (KK): a head whose family is left to them alone, then taken away
    p = take([x for x in people if x.hubungan_keluarga == HubunganKeluarga.FAMILI_LAIN] or adults)
    Penduduk.objects.filter(pk=p.pk).update(keluarga=None, hubungan_keluarga=HubunganKeluarga.LAINNYA)
    planted["tanpa-kk"].add(p.pk)
    # no RT
    p = take(people); Penduduk.objects.filter(pk=p.pk).update(rt=None); planted["tanpa-rt"].add(p.pk)
    # impossible dates: future birth (its NIK made to agree), marriage before birth, event before birth
    p = take(children); set_birth(p, today + datetime.timedelta(days=30), 9001); planted["tanggal-mustahil"].add(p.pk)
    p = take(adults); Penduduk.objects.filter(pk=p.pk).update(tanggal_perkawinan=p.tanggal_lahir - datetime.timedelta(days=1))
    planted["tanggal-mustahil"].add(p.pk)
    p = take(adults)
    Peristiwa.objects.create(desa=rangda, penduduk=p, jenis=JenisPeristiwa.PINDAH_DATANG, tanggal=p.tanggal_lahir - datetime.timedelta(days=3))
    planted["tanggal-mustahil"].add(p.pk)
    # school age without schooling
    p = take(children); Penduduk.objects.filter(pk=p.pk).update(pendidikan_sedang=None); planted["sekolah-kosong"].add(p.pk)
    # a child only 5 years younger than the head
    p = take(children)
    head = Penduduk.objects.get(keluarga_id=p.keluarga_id, hubungan_keluarga=1, status_dasar=1)
    set_birth(p, head.tanggal_lahir.replace(year=head.tanggal_lahir.year + 5, day=min(head.tanggal_lahir.day, 28)), 9002)
    planted["umur-peran"].add(p.pk)
    # a family that lost its head
    family = Keluarga.objects.filter(desa=rangda).exclude(id__in=used_families).annotate(
        n=Count("anggota")).filter(n__gte=2).first()
    used_families.add(family.pk)
    head = Penduduk.objects.get(keluarga=family, hubungan_keluarga=1, status_dasar=1)
    Penduduk.objects.filter(pk=head.pk).update(hubungan_keluarga=HubunganKeluarga.FAMILI_LAIN)
    planted["kk-tanpa-kepala"].add(family.pk)
    # a likely duplicate across villages: same name in other case and spacing, same birth date
    other = Penduduk.objects.filter(desa=raja, status_dasar=1, hubungan_keluarga=HubunganKeluarga.FAMILI_LAIN).first() or \
        Penduduk.objects.filter(desa=raja, status_dasar=1).exclude(hubungan_keluarga__in=[1, 2, 3, 4]).first()
    p = take([x for x in adults if x.jenis_kelamin == other.jenis_kelamin])
    Penduduk.objects.filter(pk=p.pk).update(nama="  " + other.nama.upper().replace(" ", "  ") + " ")
    set_birth(p, other.tanggal_lahir, 9003)
    planted["ganda"].add(p.pk)

    after = sql_findings({rangda.id}, today)
    for code in after:
        assert after[code] - before[code] == planted[code], code
        assert before[code] - after[code] == set(), code
    # The duplicate shows in Raja too (its partner), and nothing else changed there.
    after_raja = sql_findings({raja.id}, today)
    assert after_raja["ganda"] - before_raja["ganda"] == {other.pk}
    assert all(after_raja[k] == before_raja[k] for k in after_raja if k != "ganda")
    # The whole kecamatan agrees with the independent oracle.
    ids = set(Desa.objects.managed().values_list("id", flat=True))
    expected, _n, _errors = oracle(ids, today)
    assert sql_findings(ids, today) == expected
    # The score against the oracle's own count, and the per-check counts.
    expected, n, errors = oracle({rangda.id}, today)
    summary = kualitas.summarize([rangda.id], today)[rangda.id]
    assert summary.penduduk == n
    assert summary.with_error == len(errors)
    assert summary.score == round(100 * (n - len(errors)) / n, 1) < 100
    assert summary.counts == {code: len(v) for code, v in expected.items()}


def test_describe_explains_each_row(population):
    today = population
    rangda = Desa.objects.get(kode=RANGDA)
    p = Penduduk.objects.filter(desa=rangda, status_dasar=1).first()
    Penduduk.objects.filter(pk=p.pk).update(nik=p.nik[:8] + "13" + p.nik[10:])
    rows = list(kualitas.findings("nik-salah", [rangda.id], today))
    assert "digit 9-10" in str(kualitas.describe("nik-salah", rows, today=today)[p.pk]) or \
        "digits 9-10" in str(kualitas.describe("nik-salah", rows, today=today)[p.pk])


def test_snapshot_once_per_village_per_day_and_command(population, capsys):
    today = population
    rangda = Desa.objects.get(kode=RANGDA)
    call_command("kualitas", "hitung")
    assert KualitasHarian.objects.filter(tanggal=today).count() == 20
    first = KualitasHarian.objects.get(desa=rangda, tanggal=today)
    assert first.skor == 100.0 and first.kelengkapan is not None
    p = Penduduk.objects.filter(desa=rangda, status_dasar=1).first()
    Penduduk.objects.filter(pk=p.pk).update(rt=None)
    call_command("kualitas", "hitung", "--desa", RANGDA)
    assert KualitasHarian.objects.filter(desa=rangda).count() == 1
    assert KualitasHarian.objects.get(desa=rangda).skor < 100
    record_quality([rangda.id], today=today - datetime.timedelta(days=1))
    assert KualitasHarian.objects.filter(desa=rangda).count() == 2
    # A fresh snapshot is reused; a changed resident count triggers a new computation.
    assert quality_today([rangda.id], today=today)[rangda.id].pk == first.pk
    assert "62.01.02.2010" in capsys.readouterr().out
