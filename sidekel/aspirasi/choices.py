"""Code lists of citizens' reports (saran dan masukan), after SP4N-LAPOR!."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Jenis(models.TextChoices):
    ASPIRASI = "aspirasi", _("Suggestion (aspirasi/saran)")
    PENGADUAN = "pengaduan", _("Complaint (pengaduan)")
    INFORMASI = "informasi", _("Request for information")


class Privasi(models.TextChoices):
    PUBLIK = "publik", _("Public: the text and my name may be shown")
    ANONIM = "anonim", _("Anonymous: the text may be shown, never my name")
    RAHASIA = "rahasia", _("Confidential: nothing is ever shown to the public")


class Status(models.TextChoices):
    DITERIMA = "diterima", _("received")
    DIVERIFIKASI = "diverifikasi", _("verified")
    DITERUSKAN = "diteruskan", _("forwarded")
    DITINDAKLANJUTI = "ditindaklanjuti", _("being followed up")
    SELESAI = "selesai", _("closed")
    DITOLAK = "ditolak", _("rejected")
    DIARSIPKAN = "diarsipkan", _("archived")


S = Status
# Where a report may go from each status (services.move checks it; the API and the pages offer it).
NEXT = {
    S.DITERIMA: [S.DIVERIFIKASI, S.DITOLAK, S.DIARSIPKAN],
    S.DIVERIFIKASI: [S.DITERUSKAN, S.DITINDAKLANJUTI, S.SELESAI, S.DITOLAK, S.DIARSIPKAN],
    S.DITERUSKAN: [S.DITINDAKLANJUTI, S.SELESAI, S.DIARSIPKAN],
    S.DITINDAKLANJUTI: [S.SELESAI, S.DIARSIPKAN],
    S.SELESAI: [],
    S.DITOLAK: [],
    S.DIARSIPKAN: [],
}
CLOSED = {S.SELESAI, S.DITOLAK, S.DIARSIPKAN}
OPEN = [s for s in S if s not in CLOSED]
# Which deadline a report of each open status is working towards (settings: working days from receipt).
DEADLINE_OF = {S.DITERIMA: "verifikasi", S.DIVERIFIKASI: "tindak_lanjut", S.DITERUSKAN: "tindak_lanjut",
               S.DITINDAKLANJUTI: "selesai"}


# The categories a new installation starts with (slug, name); an admin may add, rename or hide them.
KATEGORI_AWAL = [
    ("infrastruktur", "Infrastruktur"),
    ("pelayanan-administrasi", "Pelayanan administrasi"),
    ("kesehatan", "Kesehatan"),
    ("pendidikan", "Pendidikan"),
    ("sosial", "Sosial"),
    ("lingkungan", "Lingkungan"),
    ("keamanan", "Keamanan"),
    ("lainnya", "Lainnya"),
]
