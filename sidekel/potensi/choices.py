"""The codes of the potensi app: indicator groups, value types, where an indicator applies."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kelompok(models.TextChoices):
    """Prodeskel's parts of the village profile (standards.md §5). SDM is computed, not typed."""

    SDA = "sda", _("Natural resources")
    KELEMBAGAAN = "kelembagaan", _("Institutions")
    PRASARANA = "prasarana", _("Infrastructure and facilities")


class Tipe(models.TextChoices):
    ANGKA = "angka", _("number")
    YA_TIDAK = "ya-tidak", _("yes/no")
    PILIHAN = "pilihan", _("one of a list")
    TEKS = "teks", _("short text")


class Berlaku(models.TextChoices):
    SEMUA = "semua", _("desa and kelurahan")
    DESA = "desa", _("desa only")
    KELURAHAN = "kelurahan", _("kelurahan only")


YA, TIDAK = "ya", "tidak"
TEXT_MAX = 200
