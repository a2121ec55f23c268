"""The monthly Buku Rekapitulasi Jumlah Penduduk (B.3) and its approval by the kecamatan.

A village submits a month's rekap; the kecamatan approves it or sends it back with a note. On
approval the figures are frozen in ``data`` (JSON) with who and when, and the month is locked:
a population event dated in it is then recorded as a correction (``Peristiwa.koreksi``), with a
reason, and the frozen figures stay as they were.
"""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from sidekel.core.approval import Approvable, Status
from sidekel.core.scope import DesaScopedQuerySet

BULAN = ["", "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
         "November", "Desember"]


def nama_bulan(tahun, bulan):
    return f"{BULAN[bulan]} {tahun}"


class Rekap(Approvable):
    """The month's B.3 going through the shared approval workflow (core.approval)."""

    Status = Status

    desa = models.ForeignKey("wilayah.Desa", on_delete=models.PROTECT, related_name="+")
    tahun = models.PositiveSmallIntegerField(_("year"))
    bulan = models.PositiveSmallIntegerField(_("month"))
    data = models.JSONField(_("figures"), default=dict,
                            help_text="The B.3 table as submitted; frozen on approval.")

    objects = DesaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "rekapitulasi bulanan"
        verbose_name_plural = "rekapitulasi bulanan"
        ordering = ["-tahun", "-bulan", "desa"]
        constraints = [models.UniqueConstraint(fields=["desa", "tahun", "bulan"], name="rekap_one_per_desa_month")]

    def __str__(self):
        return f"Rekap {nama_bulan(self.tahun, self.bulan)}"

    @property
    def nama_bulan(self):
        return nama_bulan(self.tahun, self.bulan)


def month_locked(desa_id, tanggal: datetime.date):
    """Is the month of ``tanggal`` approved (locked) for this village?"""
    return Rekap.objects.filter(desa_id=desa_id, tahun=tanggal.year, bulan=tanggal.month,
                                status=Rekap.Status.DISETUJUI).exists()
