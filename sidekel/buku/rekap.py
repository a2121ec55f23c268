"""Counting the Buku Rekapitulasi Jumlah Penduduk (B.3): one month, one row per dusun.

The population on a past date follows from today's residents and the events after that date
(architecture rule 3): for each resident with an event in the village after the date, the first
such event tells whether they were there (a death or move out: yes; a birth or move in: no);
everybody else is there on that date if they live there today. Counting people rather than
adding up differences lets the rekap count distinct families (KK) as well as persons.

Sex and citizenship are today's values. The dusun is the one of the RT recorded with the event
(``Peristiwa.rt``, the resident's RT in the village at the time) where the event has one, else
today's. Nobody born after a date is counted on it, even without a birth event (imported
records have none), as in ``statistik.services``.

Columns 3-32 of the official table, as the list ``kolom`` (index 0 is column 3):
  0-6   start of the month: WNA L, WNA P, WNI L, WNI P, KK, family members, persons
  7-10  births in the month: WNA L, WNA P, WNI L, WNI P
  11-14 moves in:            WNA L, WNA P, WNI L, WNI P
  15-18 deaths:              WNA L, WNA P, WNI L, WNI P
  19-22 moves out (missing and gone too, noted in Keterangan): WNA L, WNA P, WNI L, WNI P
  23-29 end of the month: WNA L, WNA P, WNI L, WNI P, KK, family members, persons
"""

import calendar
import datetime
from collections import namedtuple

from django.db.models import Q
from django.utils import timezone

from sidekel.penduduk.choices import JenisKelamin, JenisPeristiwa, Kewarganegaraan, StatusDasar
from sidekel.penduduk.models import Penduduk, Peristiwa
from sidekel.wilayah.models import Dusun

Orang = namedtuple("Orang", "id dusun_id wna perempuan keluarga_id lahir")

MASUK = {JenisPeristiwa.LAHIR, JenisPeristiwa.PINDAH_DATANG}
# Which block of four columns (see the module notes) an event of the month goes to.
BLOK_PERISTIWA = {
    JenisPeristiwa.LAHIR: 7,
    JenisPeristiwa.PINDAH_DATANG: 11,
    JenisPeristiwa.MATI: 15,
    JenisPeristiwa.PINDAH_KELUAR: 19,
    JenisPeristiwa.HILANG: 19,
    JenisPeristiwa.PERGI: 19,
}
JUMLAH_KOLOM = 30


def batas_bulan(tahun, bulan):
    """First and last day of the month."""
    return datetime.date(tahun, bulan, 1), datetime.date(tahun, bulan, calendar.monthrange(tahun, bulan)[1])


def _orang(desa, rows):
    """Orang tuples from (id, dusun id, dusun's village id, citizenship, sex, family id, born) rows."""
    return {
        pid: Orang(pid, dusun_id if dusun_desa == desa.id else None, kw == Kewarganegaraan.WNA,
                   jk == JenisKelamin.PEREMPUAN, keluarga_id, lahir)
        for pid, dusun_id, dusun_desa, kw, jk, keluarga_id, lahir in rows
    }


FIELDS = ("id", "rt__dusun_id", "rt__dusun__desa_id", "kewarganegaraan", "jenis_kelamin", "keluarga_id",
          "tanggal_lahir")
N_FIELDS = len(FIELDS)


def _at_event(o, event_rt, event_dusun):
    """The resident as placed by an event: in the dusun of the event's RT, when it recorded one."""
    return o if event_rt is None else o._replace(dusun_id=event_dusun)


def penduduk_pada(desa, tanggal, sejak=None, _cache=None):
    """The residents (Orang tuples) living in ``desa`` at the end of the day ``tanggal``.

    This is the one function that turns "today minus later events" into people. ``sejak`` and
    ``_cache`` let ``hitung_rekap`` reuse one read of the data for two dates of the same month.
    """
    if _cache is None:
        _cache = baca_data(desa, sejak or tanggal)
    sekarang, peristiwa, orang = _cache
    first_after = {}
    for pid, jenis, tgl, rt_id, dusun_id in peristiwa:  # sorted by date, then id
        if tgl > tanggal and pid not in first_after:
            first_after[pid] = (jenis, rt_id, dusun_id)
    hasil = []
    for pid, o in orang.items():
        if o.lahir > tanggal:
            continue  # not born yet, whatever the records say
        if pid in first_after:
            jenis, rt_id, dusun_id = first_after[pid]
            if jenis not in MASUK:  # they left after the date, so they were here, where they left from
                hasil.append(_at_event(o, rt_id, dusun_id))
        elif pid in sekarang:
            hasil.append(o)
    return hasil


def baca_data(desa, sejak):
    """Today's residents and every event of the village after ``sejak``, with their people."""
    events = Peristiwa.objects.berlaku().filter(desa=desa, tanggal__gt=sejak, penduduk__deleted_at__isnull=True)
    peristiwa = list(events.order_by("tanggal", "id").values_list("penduduk_id", "jenis", "tanggal", "rt_id",
                                                                  "rt__dusun_id"))
    people = list(Penduduk.objects.filter(
        Q(desa=desa, status_dasar=StatusDasar.HIDUP) | Q(id__in=events.values("penduduk_id")), deleted_at__isnull=True,
    ).values_list(*FIELDS, "desa_id", "status_dasar"))
    orang = _orang(desa, [row[:N_FIELDS] for row in people])
    sekarang = {row[0] for row in people if row[N_FIELDS] == desa.id and row[N_FIELDS + 1] == StatusDasar.HIDUP}
    return sekarang, peristiwa, orang


def _populasi(people):
    """Columns WNA L, WNA P, WNI L, WNI P, KK, family members, persons for a group of people."""
    kolom = [0, 0, 0, 0]
    for o in people:
        kolom[(0 if o.wna else 2) + (1 if o.perempuan else 0)] += 1
    keluarga = {o.keluarga_id for o in people if o.keluarga_id}
    anggota = sum(1 for o in people if o.keluarga_id)
    return kolom + [len(keluarga), anggota, len(people)]


def hitung_rekap(desa, tahun, bulan):
    """The B.3 table of ``desa`` for the month: a dict ready to store as JSON.

    ``{"baris": [{"dusun": name, "kolom": [30 numbers], "keterangan": text}], "jumlah": {...}}``:
    one row per dusun of the village (and "no dusun" when somebody has none), and the total.
    """
    awal, akhir = batas_bulan(tahun, bulan)
    sebelum = awal - datetime.timedelta(days=1)
    cache = baca_data(desa, sebelum)
    _sekarang, peristiwa, orang = cache
    pada_awal = penduduk_pada(desa, sebelum, _cache=cache)
    pada_akhir = penduduk_pada(desa, akhir, _cache=cache)
    bulan_ini = [(_at_event(orang[pid], rt_id, dusun_id), jenis)
                 for pid, jenis, tgl, rt_id, dusun_id in peristiwa if awal <= tgl <= akhir]

    dusun = list(Dusun.objects.filter(desa=desa).order_by("nama").values_list("id", "nama"))
    groups = [(did, nama) for did, nama in dusun]
    if any(o.dusun_id is None for o in pada_awal + pada_akhir) or any(o.dusun_id is None for o, _j in bulan_ini):
        groups.append((None, f"(tanpa {desa.sebutan_dusun_tampil.lower()})"))

    def baris(match, nama):
        kolom = _populasi([o for o in pada_awal if match(o)])
        kolom += [0] * 16
        hilang = 0
        for o, jenis in bulan_ini:
            if match(o):
                kolom[BLOK_PERISTIWA[jenis] + (0 if o.wna else 2) + (1 if o.perempuan else 0)] += 1
                hilang += jenis in (JenisPeristiwa.HILANG, JenisPeristiwa.PERGI)
        kolom += _populasi([o for o in pada_akhir if match(o)])
        keterangan = f"termasuk {hilang} hilang/pergi" if hilang else ""
        return {"dusun": nama, "kolom": kolom, "keterangan": keterangan}

    rows = [baris(lambda o, did=did: o.dusun_id == did, nama) for did, nama in groups]
    return {
        "desa": desa.kode, "tahun": tahun, "bulan": bulan,
        "baris": rows, "jumlah": baris(lambda o: True, "JUMLAH"),
        "dihitung_pada": timezone.now().isoformat(timespec="seconds"),
    }
