"""School participation, the out-of-school count and the school figures, each against a count
made here from the specs in world.py (ages on a boundary, a death and a move after the date)."""

import pytest

from sidekel.statistik import privacy, publik
from sidekel.statistik import services as statistik
from sidekel.statistik.services import Unit

from .. import figures, services
from . import world

GROUPS = [("7-12", 7, 12), ("13-15", 13, 15), ("16-18", 16, 18), ("19-23", 19, 23)]
IN_SCHOOL = {2, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}


def expected_aps(day, rt=None):
    """{group: {"all"|1|2: (residents, in school)}} counted from the specs."""
    out = {}
    for code, lo, hi in GROUPS:
        cells = {}
        for sexes, key in (((1, 2), "all"), ((1,), 1), ((2,), 2)):
            people = [s for s in world.present(day) if lo <= world.age_on(s[2], day) <= hi and s[1] in sexes
                      and (rt is None or s[4] == rt)]
            cells[key] = (len(people), sum(1 for s in people if s[3] in IN_SCHOOL))
        out[code] = cells
    return out


def as_computed(rows):
    return {r["kode"]: {"all": (r["penduduk"], r["bersekolah"]), 1: (r["laki_laki"]["penduduk"], r["laki_laki"]["bersekolah"]),
                        2: (r["perempuan"]["penduduk"], r["perempuan"]["bersekolah"])} for r in rows}


@pytest.fixture
def village(rangda):
    head, people, rts = world.build(rangda)
    return rangda, people, rts


@pytest.mark.django_db
@pytest.mark.parametrize("day", [world.TODAY, world.PAST])
def test_participation_rates_match_an_independent_count(village, day):
    desa, _people, _rts = village
    rows = statistik.partisipasi([desa.id], day)
    assert as_computed(rows) == expected_aps(day)
    for row in rows:
        n, k = expected_aps(day)[row["kode"]]["all"]
        assert row["aps"] == (round(100 * k / n, 1) if n else None)


@pytest.mark.django_db
def test_the_boundaries_and_events_are_where_the_definition_puts_them(village):
    desa, _people, _rts = village
    today = {r["kode"]: r for r in statistik.partisipasi([desa.id], world.TODAY)}
    past = {r["kode"]: r for r in statistik.partisipasi([desa.id], world.PAST)}
    # Today: 7 today (counted), 6 (not), 12 (counted), SLB (in school); the child who died is not.
    assert today["7-12"]["penduduk"] == 3 and today["7-12"]["bersekolah"] == 3
    # On PAST: the 7-year-old was 6 (out), the 13-year-old was 12 (in, dropped out), the dead child was alive.
    assert (past["7-12"]["penduduk"], past["7-12"]["bersekolah"]) == (4, 3)
    # The child who moved away 5 days ago counts on PAST in 13-15, not today.
    assert past["13-15"]["penduduk"] - today["13-15"]["penduduk"] == \
        len([s for s in world.present(world.PAST) if 13 <= world.age_on(s[2], world.PAST) <= 15]) - \
        len([s for s in world.present(world.TODAY) if 13 <= world.age_on(s[2], world.TODAY) <= 15])
    assert today["19-23"]["penduduk"] == 2 and today["19-23"]["bersekolah"] == 1


@pytest.mark.django_db
def test_participation_of_one_rt(village):
    desa, _people, rts = village
    rows = statistik.partisipasi([desa.id], world.TODAY, Unit("rt", rts["b"].id))
    assert as_computed(rows) == expected_aps(world.TODAY, rt="b")


@pytest.mark.django_db
def test_a_change_gives_new_figures_at_once(village):
    desa, people, _rts = village
    before = {r["kode"]: r for r in statistik.partisipasi([desa.id], world.TODAY)}
    from sidekel.penduduk import services as penduduk_services

    p = people["Anak Tiga Belas"]
    penduduk_services.update_penduduk(p, user=None, changes={"pendidikan_sedang": world.SEDANG_SLTP},
                                      version=p.version, reason="kembali sekolah")
    after = {r["kode"]: r for r in statistik.partisipasi([desa.id], world.TODAY)}
    assert after["13-15"]["bersekolah"] == before["13-15"]["bersekolah"] + 1


@pytest.mark.django_db
def test_out_of_school_count_and_list(village):
    desa, _people, _rts = village
    expected = sorted(s[0] for s in world.present(world.TODAY)
                      if 7 <= world.age_on(s[2], world.TODAY) <= 18 and s[3] in {1, 3, 5, 17, 18})
    assert sorted(p["nama"] for p in figures.tidak_sekolah_rows(desa)) == expected
    assert statistik.tidak_sekolah_each([desa.id]) == {desa.id: len(expected)}
    rows = figures.tidak_sekolah_rows(desa)
    assert all(r["kepala_keluarga"] == "Kepala Keluarga Uji" for r in rows)


@pytest.mark.django_db
def test_adults_education_and_share_without_primary_school(village):
    from sidekel.penduduk import services as penduduk_services
    from sidekel.penduduk.tests.factories import adult

    desa, _people, _rts = village
    added = [("Dewasa Tanpa Sekolah", world.years_ago(30), 1), ("Tepat Dua Lima", world.years_ago(25), 3),
             ("Hampir Dua Lima", world.years_ago(25, 1), 1)]
    for serial, (nama, born, pendidikan) in enumerate(added, start=50):
        penduduk_services.register_penduduk(desa, nik=world.nik_for(born, 1, serial), **adult(
            nama=nama, tanggal_lahir=born, pendidikan_kk=pendidikan, hubungan_keluarga=11))
    rows, total, share = figures.pendidikan_dewasa([desa.id], world.TODAY)
    # 25 and over: the head (SLTA, code 5), the 30-year-old (1) and the one who is 25 today (3);
    # the one who turns 25 tomorrow and every spec child are younger.
    assert total == 3
    by_code = {r.kode: r.jumlah for r in rows}
    assert (by_code["1"], by_code["3"], by_code["5"]) == (1, 1, 1)
    assert share == round(100 * 1 / 3, 1)


@pytest.mark.django_db
def test_public_rates_come_from_the_published_table(village):
    desa, _people, _rts = village
    table = publik.village_table(desa.id, publik.PARTISIPASI)
    rows = publik.partisipasi(table)
    cells = {r["kode"]: r for r in table.rows}
    for row in rows:
        k = cells[f"{row['kode']}.sekolah"]["jumlah"]
        n = k + cells[f"{row['kode']}.tidak"]["jumlah"]
        assert (row["penduduk"], row["bersekolah"]) == (n, k)
    # The engine's promise for this tiny village: no small true count is published as it is.
    expected = expected_aps(world.TODAY)
    for code, _lo, _hi in GROUPS:
        for sex, column in ((1, "laki_laki"), (2, "perempuan")):
            residents, in_school = expected[code][sex]
            for part, true in (("sekolah", in_school), ("tidak", residents - in_school)):
                if privacy.is_small(true):
                    assert cells[f"{code}.{part}"][column] != true, (code, column, part)


@pytest.mark.django_db
def test_school_figures_per_level(rangda, raja):
    sd = services.save_sekolah(rangda, {"npsn": "30200001", "nama": "SDN 1 Rangda", "jenjang": "sd", "status": "negeri",
                                        "kementerian": "kemendikdasmen"}, user=None)
    mi = services.save_sekolah(rangda, {"npsn": "30200002", "nama": "MI Nurul Iman", "jenjang": "mi", "status": "swasta",
                                        "kementerian": "kemenag"}, user=None)
    services.save_sekolah(raja, {"npsn": "30200003", "nama": "SDN 1 Raja", "jenjang": "sd", "status": "negeri",
                                 "kementerian": "kemendikdasmen"}, user=None)
    services.save_data(sd, "2025/2026", {"murid": {"1": [10, 12], "6": [8, 9]}, "guru": 6, "ruang_baik": 4,
                                         "ruang_rusak_ringan": 1, "ruang_rusak_berat": 1}, user=None)
    services.save_data(mi, "2025/2026", {"murid": {"2": [5, 5]}, "guru": 2, "ruang_baik": 2}, user=None)
    services.save_data(sd, "2024/2025", {"murid": {"1": [1, 1]}, "guru": 1, "ruang_baik": 1}, user=None)
    tahun, rows = figures.sekolah_per_jenjang([rangda.id])
    by = {r["jenjang"]: r for r in rows}
    assert tahun == "2025/2026"
    assert (by["sd"]["sekolah"], by["sd"]["murid"], by["sd"]["guru"], by["sd"]["ruang"], by["sd"]["ruang_rusak"]) == \
        (1, 39, 6, 6, 2)
    assert by["sd"]["murid_per_guru"] == round(39 / 6, 1) and by["sd"]["murid_per_ruang"] == round(39 / 6, 1)
    assert by["mi"]["murid"] == 10 and by["mi"]["ruang_rusak_berat"] == 0
    assert by[""]["sekolah"] == 2 and by[""]["murid"] == 49  # the total row: Raja's school is not in it
