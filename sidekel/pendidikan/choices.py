"""Code lists of schools (Dapodik / EMIS): levels, status, ministry."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Jenjang(models.TextChoices):
    PAUD = "paud", "PAUD/KB/TPA"
    TK = "tk", "TK/RA"
    SD = "sd", "SD"
    MI = "mi", "MI"
    SMP = "smp", "SMP"
    MTS = "mts", "MTs"
    SMA = "sma", "SMA"
    MA = "ma", "MA"
    SMK = "smk", "SMK"
    SLB = "slb", "SLB"
    PKBM = "pkbm", "PKBM"


class StatusSekolah(models.TextChoices):
    NEGERI = "negeri", "Negeri"
    SWASTA = "swasta", "Swasta"


class Kementerian(models.TextChoices):
    KEMENDIKDASMEN = "kemendikdasmen", "Kemendikdasmen"
    KEMENAG = "kemenag", "Kemenag"


# The grades (rombel levels) whose pupils a school of each level counts, in order.
KELAS = {
    Jenjang.PAUD: ["KB"],
    Jenjang.TK: ["A", "B"],
    Jenjang.SD: ["1", "2", "3", "4", "5", "6"],
    Jenjang.MI: ["1", "2", "3", "4", "5", "6"],
    Jenjang.SMP: ["7", "8", "9"],
    Jenjang.MTS: ["7", "8", "9"],
    Jenjang.SMA: ["10", "11", "12"],
    Jenjang.MA: ["10", "11", "12"],
    Jenjang.SMK: ["10", "11", "12"],
    Jenjang.SLB: ["TK", "SD", "SMP", "SMA"],
    Jenjang.PKBM: ["Paket A", "Paket B", "Paket C"],
}

KONDISI = [("ruang_baik", _("good")), ("ruang_rusak_ringan", _("lightly damaged")),
           ("ruang_rusak_berat", _("badly damaged"))]
