"""Demo letters for `sidekel demo` (registered with penduduk.demo in LayananConfig.ready).

After the residents are written: every demo village gets a head's name (made-up names that no
demo resident bears, so the public leak crawl can tell them apart), and a few hundred letters
issued over the last six months (about one for every 50 adults), numbered in date order per
village as ``services.issue`` numbers a signed letter, with the village's counter set to the last
number. One of them is revoked; two drafts in Desa Rangda wait for the kepala desa's signature;
one resident of Rangda has the demo PIN, one finished online request and one waiting in the
operator's queue. Like the demo residents, the rows are written in bulk (not through the services
one by one; the drafts and the waiting request are), then the data version is raised.
"""

import datetime
import random
from collections import defaultdict

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from sidekel.core.audit import data_changed
from sidekel.core.models import Sequence
from sidekel.penduduk.choices import StatusDasar
from sidekel.penduduk.models import Penduduk
from sidekel.wilayah.models import Desa

from . import services
from .choices import StatusPermohonan, StatusSurat
from . import katalog
from .models import JenisSurat, Permohonan, PinWarga, Surat

RANGDA = "62.01.02.2010"
DEMO_PIN = "12345678"  # printed by `sidekel demo`; a real PIN is random and shown once
MONTHS = 6
# Made-up heads of the villages: words no generated resident name uses (checked again at build time).
KEPALA = ["Rusdiansyah Noor", "Gusti Marhaban", "Zainuddin Arbain", "Syahrani Halidi", "Marjuki Ramli",
          "Jumransyah Basuni", "Bahrani Saberi", "Normila Hairani", "Syamsuri Rahmadi", "Mukhlis Kaspul",
          "Fahrurrazi Sarbani", "Mahlan Masrani", "Ardiansyah Nafarin", "Hamdani Supiani", "Hasbullah Rijali",
          "Badrun Mursyid", "Aliansyah Rasyidi", "Fathurrahman Salamah", "Rusmini Junaidi", "Ibnu Hajar Basri",
          "Masrun Aspiansyah", "Khairil Anwari", "Syarifah Noorlaila", "Darmansyah Ijai"]
# (type, weight): the everyday letters of a village office.
WEIGHTS = [("domisili", 20), ("sktm", 15), ("pengantar-skck", 12), ("keterangan-usaha", 10), ("pengantar", 10),
           ("keterangan-penduduk", 8), ("belum-menikah", 6), ("domisili-usaha", 5)]
KEPERLUAN = {
    "domisili": ["Pembukaan rekening bank", "Pendaftaran sekolah anak", "Persyaratan kredit usaha"],
    "sktm": ["Beasiswa sekolah", "Keringanan biaya rumah sakit", "Pendaftaran BPJS PBI"],
    "pengantar-skck": ["Melamar pekerjaan", "Pendaftaran CPNS", "Perpanjangan SIM"],
    "keterangan-usaha": ["Pengajuan KUR", "Izin usaha mikro"],
    "pengantar": ["Pembuatan KTP-el", "Perubahan data KK", "Pengurusan akta"],
    "keterangan-penduduk": ["Persyaratan kerja", "Pendaftaran kuliah"],
    "belum-menikah": ["Melamar pekerjaan", "Pendaftaran TNI/Polri"],
    "domisili-usaha": ["Pengajuan izin usaha", "Pembukaan rekening usaha"],
}
TEKS = {"jenis_usaha": ["Warung sembako", "Bengkel motor", "Jual sayur keliling", "Kios pulsa", "Usaha jahit"],
        "nama_usaha": ["Warung Berkah", "Toko Sinar Jaya", "Bengkel Maju", "Kios Barokah"],
        "alamat_usaha": ["Jl. Poros Desa", "Pasar Desa", "Simpang Tiga", "Dekat dermaga"]}


def after_build(builder, villages):
    """The demo builder's step (penduduk.demo.register_step): letters for the villages just built."""
    build_letters(villages, seed=builder.seed, today=builder.today, log=builder.log)


def _heads(villages, rng):
    """A head's name for each village that has none, never a word of a resident's name."""
    words = set()
    for names in Penduduk.objects.filter(desa__in=villages).values_list("nama", "nama_ayah", "nama_ibu").iterator():
        for name in names:
            words |= set((name or "").split())
    free = [n for n in KEPALA if not set(n.split()) & words]
    rng.shuffle(free)
    for desa in villages:
        if not desa.nama_kepala and free:
            desa.nama_kepala = free.pop()
            Desa.objects.filter(pk=desa.pk).update(nama_kepala=desa.nama_kepala)


def _working_days(today, rng, n):
    start = today - datetime.timedelta(days=30 * MONTHS)
    days = [start + datetime.timedelta(days=i) for i in range((today - start).days + 1)]
    days = [d for d in days if d.weekday() < 5] or [today]
    return sorted(rng.choice(days) for _ in range(n))


def _isian(jenis, rng, today):
    values = {}
    for field in jenis.isian:
        kind = field["jenis"]
        if kind == "angka":
            values[field["nama"]] = str(rng.randrange(400_000, 1_600_000, 50_000))
        elif kind == "tanggal":
            values[field["nama"]] = (today - datetime.timedelta(days=rng.randint(400, 4000))).isoformat()
        elif kind == "pilihan":
            values[field["nama"]] = rng.choice(field["pilihan"])
        else:
            values[field["nama"]] = rng.choice(TEKS.get(field["nama"], ["-"]))
    return values


@transaction.atomic
def build_letters(villages, seed=1, today=None, log=None, per_residents=50):
    """Letters of the last months for ``villages``; returns how many were issued."""
    rng = random.Random(seed * 104_729 + 21)
    today = today or timezone.localdate()
    villages = [v for v in villages if v.managed] or list(villages)
    if not villages:
        return 0
    katalog.seed()  # a flushed test database has lost the migration's rows
    types = {j.kode: j for j in JenisSurat.objects.filter(kode__in=[k for k, _w in WEIGHTS], aktif=True)}
    weighted = [(types[k], w) for k, w in WEIGHTS if k in types]
    if not weighted:
        return 0
    _heads(villages, rng)
    adult = today - datetime.timedelta(days=365 * 17)
    living = {v.pk: list(Penduduk.objects.filter(desa=v, status_dasar=StatusDasar.HIDUP, deleted_at__isnull=True,
                                                  tanggal_lahir__lte=adult).values_list("id", flat=True))
              for v in villages}
    total = sum(len(ids) for ids in living.values())
    count = max(20, min(600, total // per_residents))
    places = [v for v in villages if living[v.pk]]
    if not places:
        return 0
    # Every village issues some; the rest go by size.
    chosen = places + rng.choices(places, weights=[len(living[v.pk]) for v in places], k=max(0, count - len(places)))
    rng.shuffle(chosen)
    planned = defaultdict(list)  # village -> [(date, resident id, type)]
    for desa, day in zip(chosen, _working_days(today, rng, count)):
        jenis = rng.choices([j for j, _w in weighted], weights=[w for _j, w in weighted])[0]
        planned[desa].append((day, rng.choice(living[desa.pk]), jenis))
    rangda = next((v for v in villages if v.kode == RANGDA), places[0])
    demo_resident = Penduduk.objects.filter(pk=living[rangda.pk][0]).first() if living[rangda.pk] else None
    if demo_resident is not None:  # the demo resident's own letter, asked online two weeks ago
        planned[rangda].append((today - datetime.timedelta(days=14), demo_resident.pk, weighted[0][0]))
    people = Penduduk.objects.select_related("keluarga", "rt").in_bulk(
        {pid for rows in planned.values() for _d, pid, _j in rows})
    letters, counters = [], {}
    for desa in sorted(planned, key=lambda d: d.kode):
        desa = Desa.objects.select_related("kecamatan__kabupaten__provinsi").get(pk=desa.pk)
        pengaturan = services.settings_for(desa)
        for day, pid, jenis in sorted(planned[desa], key=lambda row: (row[0], row[1])):
            key = services.sequence_key(desa, jenis, pengaturan, day.year)
            counters[key] = counters.get(key, 0) + 1
            surat = Surat(desa=desa, jenis=jenis, penduduk=people[pid], isian=_isian(jenis, rng, today),
                          keperluan=rng.choice(KEPERLUAN.get(jenis.kode, ["Persyaratan administrasi"])))
            services.issue(surat, user=None, today=day, urut=counters[key], pengaturan=pengaturan)
            surat.ditandatangani_pada = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))
            letters.append(surat)
    Surat.objects.bulk_create(letters, batch_size=200)
    for key, value in counters.items():
        Sequence.objects.update_or_create(key=key, defaults={"value": value})
    revoked = next((s for s in letters if s.desa_id == rangda.pk and s.penduduk_id != getattr(demo_resident, "pk", None)),
                   letters[0])
    Surat.objects.filter(pk=revoked.pk).update(status=StatusSurat.DICABUT, alasan_cabut="Salah penulisan keperluan",
                                               dicabut_pada=revoked.ditandatangani_pada + datetime.timedelta(days=1))
    data_changed()
    _rangda_queue(rangda, demo_resident, letters, living, rng, log)
    if log:
        log(f"  {len(letters):,} surat dalam {MONTHS} bulan terakhir, 1 dicabut, 2 draf dan 1 permohonan daring menunggu")
    return len(letters)


def _rangda_queue(rangda, resident, letters, living, rng, log):
    """Two drafts for the kepala desa, the demo resident's PIN, a finished and a waiting request."""
    for pid in rng.sample(living[rangda.pk], min(2, len(living[rangda.pk]))):
        services.draft_surat(user=None, penduduk=Penduduk.objects.get(pk=pid),
                             jenis=JenisSurat.objects.get(kode="domisili"), keperluan="Pembukaan rekening bank")
    if resident is None:
        return
    now = timezone.now()
    PinWarga.objects.update_or_create(penduduk=resident, defaults={
        "desa": rangda, "pin_hash": make_password(DEMO_PIN), "dibuat_pada": now - datetime.timedelta(days=20)})
    own = next(s for s in reversed(letters) if s.penduduk_id == resident.pk)
    Permohonan.objects.create(kode=services.new_request_code(), desa=rangda, penduduk=resident, jenis=own.jenis,
                              isian=own.isian, keperluan=own.keperluan, status=StatusPermohonan.DIPROSES, surat=own,
                              diajukan_pada=own.ditandatangani_pada - datetime.timedelta(hours=3),
                              diproses_pada=own.ditandatangani_pada - datetime.timedelta(hours=2))
    services.submit_permohonan(resident, jenis=JenisSurat.objects.get(kode="sktm"), isian={"penghasilan": "900000"},
                               keperluan="Beasiswa sekolah anak")
    if log:
        log(f"  Warga demo untuk layanan surat daring (/layanan/): NIK {resident.nik}, PIN {DEMO_PIN[:4]} {DEMO_PIN[4:]}")


def reset_demo(desa_ids):
    """Before the demo's residents go: their requests, PINs, letters and the villages' counters."""
    Permohonan.objects.filter(desa_id__in=desa_ids).delete()
    PinWarga.objects.filter(desa_id__in=desa_ids).delete()
    letters = Surat.objects.filter(desa_id__in=desa_ids)
    while letters.filter(menggantikan__isnull=False).exists():  # corrections before what they replace
        Surat.objects.filter(pk__in=letters.filter(menggantikan__isnull=False).exclude(
            pengganti__isnull=False).values("pk")).delete()
    letters.delete()
    for kode in Desa.objects.filter(pk__in=desa_ids).values_list("kode", flat=True):
        Sequence.objects.filter(key__startswith=f"surat:{kode}:").delete()
