"""A small village population with known ages, schooling and events, for the pendidikan tests.

Each person is a spec the tests can count from by themselves: (name, sex, born, pendidikan_sedang,
rt, events [(kind, date)]). Ages sit on the boundaries of the school ages on TODAY and PAST.
"""

import datetime

from django.utils import timezone

from sidekel.penduduk import services
from sidekel.penduduk.choices import HubunganKeluarga, PendidikanKK, Pekerjaan, StatusPerkawinan
from sidekel.penduduk.tests.factories import adult
from sidekel.wilayah.services import ensure_rt

TODAY = timezone.localdate()
PAST = TODAY - datetime.timedelta(days=45)
L, P = 1, 2
SEDANG_SD, SEDANG_SLTP, SEDANG_SLTA, SEDANG_S1, SLB_B = 4, 6, 7, 11, 15
TIDAK_PERNAH, TIDAK_TAMAT_SD, TIDAK_SEDANG = 3, 5, 18


def years_ago(years, days=0, day=TODAY):
    try:
        born = day.replace(year=day.year - years)
    except ValueError:
        born = day.replace(year=day.year - years, day=28)
    return born + datetime.timedelta(days=days)


def nik_for(born, sex, serial):
    return f"620102{born.day + (40 if sex == P else 0):02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


# (name, sex, born, pendidikan_sedang, rt code "a" or "b", events)
PEOPLE = [
    ("Anak Tujuh Hari Ini", L, years_ago(7), SEDANG_SD, "a", []),            # 7 today: 7-12
    ("Anak Enam Besok Tujuh", P, years_ago(7, 1), SEDANG_SD, "a", []),       # 6 today (7 tomorrow)
    ("Anak Dua Belas", P, years_ago(13, 1), SEDANG_SD, "a", []),             # 12 today, 13 tomorrow
    ("Anak Tiga Belas", L, years_ago(13), TIDAK_TAMAT_SD, "b", []),          # 13 today, dropped out
    ("Remaja Lima Belas", P, years_ago(15, -20), SEDANG_SLTP, "b", []),      # 15
    ("Remaja Enam Belas", L, years_ago(16), TIDAK_SEDANG, "a", []),          # 16 today, 15 on PAST
    ("Remaja Tujuh Belas", P, years_ago(17, -100), SEDANG_SLTA, "a", []),
    ("Remaja Delapan Belas", L, years_ago(18, -300), None, "b", []),         # not recorded
    ("Remaja Sembilan Belas", P, years_ago(19), TIDAK_PERNAH, "b", []),      # 19 today, 18 on PAST
    ("Pemuda Dua Tiga", L, years_ago(24, 1), SEDANG_S1, "a", []),            # 23 today
    ("Pemuda Dua Empat", P, years_ago(24), SEDANG_S1, "a", []),              # 24 today: no group
    ("Anak SLB", P, years_ago(10), SLB_B, "b", []),
    ("Anak Meninggal", L, years_ago(9), SEDANG_SD, "a", [("mati", TODAY - datetime.timedelta(days=10))]),
    ("Anak Pindah", P, years_ago(14), TIDAK_SEDANG, "b", [("pindah", TODAY - datetime.timedelta(days=5))]),
]


def build(desa):
    """Register PEOPLE in ``desa`` (RT "a" and "b"); return {name: Penduduk}, {"a": rt, "b": rt}."""
    rts = {"a": ensure_rt(desa, "001", None, "Melati"), "b": ensure_rt(desa, "002", None, "Mawar")}
    keluarga = services.create_keluarga(desa, nomor_kk="6201021501200009", tanggal_kk=datetime.date(2020, 1, 15),
                                        rt=rts["a"], alamat="RT 001 Melati")
    head, _ = services.register_penduduk(desa, keluarga=keluarga, nik="6201021203700009",
                                         **adult(nama="Kepala Keluarga Uji", tanggal_lahir=datetime.date(1970, 3, 12)))
    people = {}
    for serial, (nama, sex, born, sedang, rt, events) in enumerate(PEOPLE, start=1):
        p, _ = services.register_penduduk(desa, keluarga=keluarga, rt=rts[rt], nik=nik_for(born, sex, serial), **adult(
            nama=nama, jenis_kelamin=sex, tanggal_lahir=born, pendidikan_sedang=sedang,
            pendidikan_kk=PendidikanKK.BELUM_TAMAT_SD, pekerjaan=Pekerjaan.PELAJAR_MAHASISWA,
            status_perkawinan=StatusPerkawinan.BELUM_KAWIN, hubungan_keluarga=HubunganKeluarga.ANAK))
        for kind, day in events:
            if kind == "mati":
                services.record_death(p, tanggal=day)
            else:
                services.record_move_out(p, tanggal=day, tujuan="Sampit")
        people[nama] = p
    return head, people, rts


def age_on(born, day):
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def present(day):
    """The specs of PEOPLE living in the village at the end of ``day``."""
    return [spec for spec in PEOPLE if spec[2] <= day and not any(d <= day for _k, d in spec[5])]
