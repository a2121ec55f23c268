"""Demo reports for `sidekel demo` (registered with penduduk.demo in AppConfig.ready): a few dozen
across villages, kinds, categories, privacy choices and statuses, some overdue. Senders' names
are made up and checked by the public leak crawl like residents' (portal/tests/test_leak.py)."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from sidekel.wilayah.models import Desa

from . import services
from .choices import Jenis, Privasi, Status
from .models import Aspirasi, Foto, Kategori

SUBJECTS = [
    ("infrastruktur", "Gorong-gorong rusak", "Gorong-gorong dekat jembatan tersumbat dan air meluap ke jalan saat hujan."),
    ("infrastruktur", "Lampu jalan mati", "Lampu jalan di simpang tiga mati sejak dua minggu, jalan gelap pada malam hari."),
    ("kesehatan", "Jadwal posyandu", "Mohon jadwal posyandu diumumkan di papan balai desa setiap awal bulan."),
    ("pelayanan-administrasi", "Antrean surat pengantar", "Antrean surat pengantar lama; usul ada nomor antrean."),
    ("pendidikan", "Atap sekolah bocor", "Atap ruang kelas bocor ketika hujan, murid pindah ke ruang lain."),
    ("lingkungan", "Sampah di tepi sungai", "Sampah menumpuk di tepi sungai, mohon disediakan tempat sampah."),
    ("sosial", "Bantuan lansia", "Bagaimana cara mendaftarkan lansia untuk bantuan sosial?"),
    ("keamanan", "Ronda malam", "Usul ronda malam diaktifkan kembali karena ada pencurian ternak."),
    ("lainnya", "Jam layanan kantor", "Mohon informasi jam layanan kantor pada bulan puasa."),
]
# Confidential reports: their subjects are never public, so the leak crawl looks for them.
RAHASIA_SUBJECTS = [
    ("pelayanan-administrasi", "Pungutan surat pindah", "Petugas loket meminta uang tambahan untuk surat pindah."),
    ("keamanan", "Judi di gudang lama", "Ada perjudian setiap malam Sabtu di gudang lama dekat dermaga."),
    ("sosial", "Bantuan salah sasaran", "Bantuan sembako diberikan kepada keluarga perangkat, bukan warga miskin."),
]
# Made-up senders: never residents of the demo. Only senders of publik reports may be shown; the
# others' names (and every contact) are looked for by the leak crawl.
SENDERS_PUBLIK = ["Pak Warga Satu", "Ibu Pelapor Dua", "Bu Tani Empat"]
SENDERS_PRIVATE = ["Sdr. Penanya Tiga", "Pak Nelayan Lima", "Ibu Guru Enam"]


def _statuses(rng):
    return rng.choice([
        [], [], [Status.DIVERIFIKASI], [Status.DIVERIFIKASI, Status.DITERUSKAN],
        [Status.DIVERIFIKASI, Status.DITINDAKLANJUTI], [Status.DIVERIFIKASI, Status.DITINDAKLANJUTI, Status.SELESAI],
        [Status.DIVERIFIKASI, Status.SELESAI], [Status.DITOLAK],
    ])


def after_build(builder, villages):
    """The demo builder's step (penduduk.demo.register_step): reports for the villages just built."""
    build_aspirasi(villages, seed=builder.seed, today=builder.today, log=builder.log)


def build_aspirasi(villages, seed=1, today=None, log=None, count=36):
    """``count`` reports spread over ``villages`` (and the kecamatan) in the last 60 days."""
    rng = random.Random(seed * 7919 + 17)
    kategori = {k.slug: k for k in Kategori.objects.all()}
    villages = [v for v in villages if v.managed] or villages
    if not villages or not kategori:
        return 0
    kecamatan = villages[0].kecamatan
    now = timezone.now()
    made = 0
    with transaction.atomic():
        for i in range(count):
            desa = None if i % 9 == 8 else villages[i % len(villages)]
            privasi = [Privasi.PUBLIK, Privasi.ANONIM, Privasi.RAHASIA][i % 3]
            slug, judul, isi = (RAHASIA_SUBJECTS[i % len(RAHASIA_SUBJECTS)] if privasi == Privasi.RAHASIA
                                else SUBJECTS[i % len(SUBJECTS)])
            senders = SENDERS_PUBLIK if privasi == Privasi.PUBLIK else SENDERS_PRIVATE
            nama = senders[i % len(senders)] if privasi != Privasi.ANONIM or i % 2 else ""
            aspirasi = services.submit(
                kecamatan=kecamatan, desa=desa, jenis=[Jenis.ASPIRASI, Jenis.PENGADUAN, Jenis.INFORMASI][i % 3],
                kategori=kategori.get(slug) or next(iter(kategori.values())), judul=judul, isi=isi, privasi=privasi,
                tempat=f"RT {rng.randint(1, 9):03d}" if rng.random() < 0.5 else "", nama=nama,
                kontak=f"0812{rng.randint(10_000_000, 99_999_999)}" if nama else "")
            received = now - datetime.timedelta(days=rng.randint(0, 60), hours=rng.randint(0, 8))
            Aspirasi.objects.filter(pk=aspirasi.pk).update(created_at=received,
                                                           batas=services.due_date(received, Status.DITERIMA))
            aspirasi.refresh_from_db()
            aspirasi.riwayat.update(waktu=received)
            for step, status in enumerate(_statuses(rng), 1):
                note = "Data ganda" if status == Status.DITOLAK else ""
                if status == Status.DITERUSKAN:
                    aspirasi = services.move(aspirasi, user=None, status=status, diteruskan_ke="Dinas PUPR Kabupaten",
                                             nomor_lapor=f"LAPOR-{rng.randint(1000000, 9999999)}")
                else:
                    aspirasi = services.move(aspirasi, user=None, status=status, catatan=note)
                if status in (Status.DITINDAKLANJUTI, Status.SELESAI) and not aspirasi.dijawab_pada:
                    services.answer(aspirasi, user=None, isi="Terima kasih, laporan sudah kami tindak lanjuti "
                                                             "bersama perangkat desa.")
                at = min(now, received + datetime.timedelta(days=step * rng.randint(1, 6)))
                aspirasi.riwayat.filter(status=status).update(waktu=at)
                Aspirasi.objects.filter(pk=aspirasi.pk, dijawab_pada__isnull=False).update(dijawab_pada=at)
                if status in (Status.SELESAI, Status.DITOLAK):
                    Aspirasi.objects.filter(pk=aspirasi.pk).update(selesai_pada=at)
                    if rng.random() < 0.6:
                        Aspirasi.objects.filter(pk=aspirasi.pk).update(penilaian=rng.randint(2, 5))
            made += 1
    if log:
        log(f"  {made} aspirasi")
    return made


def reset_aspirasi(desa_ids):
    qs = Aspirasi.objects.filter(desa_id__in=desa_ids) | Aspirasi.objects.filter(
        desa__isnull=True, kecamatan_id__in=Desa.objects.filter(id__in=desa_ids).values("kecamatan_id"))
    ids = list(qs.values_list("id", flat=True))
    for foto in Foto.objects.filter(aspirasi_id__in=ids):
        (services.photos_dir() / foto.berkas).unlink(missing_ok=True)
    Aspirasi.objects.filter(id__in=ids).update(digabung_ke=None)
    Aspirasi.objects.filter(id__in=ids).delete()
