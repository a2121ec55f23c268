import datetime
import itertools

import pytest
from django.utils import timezone

from sidekel.akun.choices import Role
from sidekel.akun.services import create_user
from sidekel.penduduk.tests.factories import adult
from sidekel.penduduk import services
from sidekel.penduduk.choices import HubunganKeluarga, JenisKelamin, Kewarganegaraan
from sidekel.wilayah.services import ensure_rt

_serial = itertools.count(1)


def nik_for(tanggal_lahir, perempuan):
    day = tanggal_lahir.day + (40 if perempuan else 0)
    return f"620102{day:02d}{tanggal_lahir:%m%y}{next(_serial):04d}"


def last_month():
    """(year, month, a day inside it) for the month before today: its events are never in the future."""
    first = timezone.localdate().replace(day=1)
    day = first - datetime.timedelta(days=1)
    return day.year, day.month, day.replace(day=10)


class Village:
    """Builds residents through the services and keeps its own ledger of who lives where, so tests
    can count the B.3 columns independently of the code under test."""

    def __init__(self, desa):
        self.desa = desa
        self.people = {}  # pk -> dict(dusun, wna, perempuan, keluarga, start, end)
        self.month_events = []  # (dusun, kind, wna, perempuan) for events inside the month

    def keluarga(self, dusun, nomor_kk=None):
        rt = ensure_rt(self.desa, "001", "001", dusun)
        return services.create_keluarga(self.desa, nomor_kk=nomor_kk, rt=rt, alamat=f"Jalan {dusun}")

    def _fields(self, nama, perempuan, wna, hubungan, lahir):
        return adult(nama=nama, jenis_kelamin=JenisKelamin.PEREMPUAN if perempuan else JenisKelamin.LAKI_LAKI,
                     tanggal_lahir=lahir, hubungan_keluarga=hubungan,
                     kewarganegaraan=Kewarganegaraan.WNA if wna else Kewarganegaraan.WNI,
                     nik=None if wna else nik_for(lahir, perempuan))

    def note(self, p, keluarga, start, end, dusun=None, wna=False):
        self.people[p.pk] = {"dusun": dusun, "wna": wna, "perempuan": p.jenis_kelamin == JenisKelamin.PEREMPUAN,
                             "keluarga": keluarga.pk if keluarga else None, "start": start, "end": end}

    def resident(self, keluarga, dusun, nama, *, perempuan=False, wna=False, kepala=False, start=True, end=True,
                 lahir=datetime.date(1980, 5, 17)):
        """Someone already living here (no event). ``start``/``end``: expected in the village then."""
        # A family member needs a family (penduduk.rules.family_number); without one, "Lainnya".
        hubungan = HubunganKeluarga.KEPALA_KELUARGA if kepala else \
            HubunganKeluarga.FAMILI_LAIN if keluarga else HubunganKeluarga.LAINNYA
        p, _ = services.register_penduduk(self.desa, keluarga=keluarga, **self._fields(nama, perempuan, wna, hubungan, lahir))
        self.note(p, keluarga, start, end, dusun, wna)
        return p

    def moves_in(self, keluarga, dusun, nama, tanggal, *, perempuan=False, wna=False, start=False, end=True, **extra):
        p, _ = services.record_move_in(self.desa, tanggal=tanggal, asal="Sampit", keluarga=keluarga,
                                       **self._fields(nama, perempuan, wna, HubunganKeluarga.FAMILI_LAIN if keluarga
                                                      else HubunganKeluarga.LAINNYA, datetime.date(1990, 2, 3)), **extra)
        self.note(p, keluarga, start, end, dusun, wna)
        return p

    def born(self, keluarga, dusun, nama, tanggal, *, perempuan=False, wna=False, start=False, end=True, **extra):
        p, _ = services.record_birth(keluarga, nama=nama, tempat_lahir="Pangkalan Bun", tanggal_lahir=tanggal,
                                     jenis_kelamin=JenisKelamin.PEREMPUAN if perempuan else JenisKelamin.LAKI_LAKI,
                                     kewarganegaraan=Kewarganegaraan.WNA if wna else Kewarganegaraan.WNI, **extra)
        self.note(p, keluarga, start, end, dusun, wna)
        return p

    def event(self, p, kind):
        """Note an event inside the month: kind is lahir, datang, mati or pindah."""
        v = self.people[p.pk]
        self.month_events.append((v["dusun"], kind, v["wna"], v["perempuan"]))

    def expected_events(self, dusun=None):
        """Columns 10-25: births, moves in, deaths, moves out, each WNA L/P and WNI L/P."""
        return [sum(1 for d, k, w, f in self.month_events if (dusun is None or d == dusun) and k == kind
                    and w == wna and f == female)
                for kind in ("lahir", "datang", "mati", "pindah") for wna in (True, False) for female in (False, True)]

    def expected(self, dusun=None):
        """The 30 columns (3-32) for one dusun (None: the whole village), counted from the ledger."""
        rows = [v for v in self.people.values() if dusun is None or v["dusun"] == dusun]

        def population(key):
            people = [v for v in rows if v[key]]
            cols = [sum(1 for v in people if v["wna"] == wna and v["perempuan"] == f)
                    for wna in (True, False) for f in (False, True)]
            families = {v["keluarga"] for v in people if v["keluarga"]}
            return cols + [len(families), sum(1 for v in people if v["keluarga"]), len(people)]

        return population("start"), population("end")


@pytest.fixture
def village(rangda):
    return Village(rangda)


@pytest.fixture
def users(rangda, raja):
    return {
        "op_a": create_user("op_a", role=Role.OPERATOR, password="x", desa_kode=[rangda.kode], validate=False),
        "op_b": create_user("op_b", role=Role.OPERATOR, password="x", desa_kode=[raja.kode], validate=False),
        "kades_a": create_user("kades_a", role=Role.KEPALA_DESA, password="x", desa_kode=[rangda.kode], validate=False),
        "camat": create_user("camat", role=Role.CAMAT, password="x", validate=False),
        "admin": create_user("admin", role=Role.ADMIN_KECAMATAN, password="x", validate=False),
    }
