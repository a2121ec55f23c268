from django.db import models
from django.utils.translation import gettext_lazy as _


class StatusSurat(models.TextChoices):
    DRAF = "draf", _("draft, waiting for signature")
    TERBIT = "terbit", _("issued")
    DICABUT = "dicabut", _("revoked")
    DIGANTI = "diganti", _("replaced by a correction")


class JenisIsian(models.TextChoices):
    TEKS = "teks", _("text")
    ANGKA = "angka", _("number")
    TANGGAL = "tanggal", _("date")
    PILIHAN = "pilihan", _("choice")


class Kertas(models.TextChoices):
    A4 = "A4", "A4"
    F4 = "F4", "F4"


class StatusPermohonan(models.TextChoices):
    """An online request, as the operator's queue knows it (the letter made from it has its own status)."""

    MENUNGGU = "menunggu", _("waiting for the village office")
    DIPROSES = "diproses", _("made into a letter")
    DITOLAK = "ditolak", _("refused")
