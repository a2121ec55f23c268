"""Schools, madrasahs and PAUD of the villages, and their figures per school year.

Every row carries a direct ``desa`` key and is read through ``for_user``; writes go through
``services.py``. The head's name and telephone are for officials: the public never sees them.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sidekel.core.scope import DesaScopedQuerySet
from sidekel.wilayah.models import Desa, Rt

from .choices import Jenjang, Kementerian, StatusSekolah


class Sekolah(models.Model):
    desa = models.ForeignKey(Desa, on_delete=models.PROTECT, related_name="sekolah")
    npsn = models.CharField("NPSN", max_length=8, unique=True)
    nama = models.CharField(_("name"), max_length=150)
    jenjang = models.CharField(_("level"), max_length=8, choices=Jenjang.choices)
    status = models.CharField(_("status"), max_length=8, choices=StatusSekolah.choices)
    kementerian = models.CharField(_("ministry"), max_length=16, choices=Kementerian.choices)
    alamat = models.CharField(_("address"), max_length=200, blank=True)
    rt = models.ForeignKey(Rt, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                           verbose_name=_("dusun / RW / RT"))
    lintang = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    bujur = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    kepala_nama = models.CharField(_("head's name"), max_length=100, blank=True)
    kepala_telepon = models.CharField(_("head's telephone"), max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DesaScopedQuerySet.as_manager()

    class Meta:
        ordering = ["desa", "jenjang", "nama"]
        indexes = [models.Index(fields=["desa", "jenjang"])]

    def __str__(self):
        return f"{self.nama} ({self.npsn})"

    def get_absolute_url(self):
        return reverse("pendidikan:sekolah-detail", args=[self.pk])


class DataSekolah(models.Model):
    """One school year of a school: pupils by grade and sex, teachers, classrooms by condition."""

    desa = models.ForeignKey(Desa, on_delete=models.PROTECT, related_name="+")
    sekolah = models.ForeignKey(Sekolah, on_delete=models.CASCADE, related_name="data")
    tahun_ajaran = models.CharField(_("school year"), max_length=9)
    murid = models.JSONField(_("pupils by grade"), default=dict)  # {grade: [men, women]}
    murid_laki_laki = models.PositiveIntegerField(default=0)
    murid_perempuan = models.PositiveIntegerField(default=0)
    guru = models.PositiveIntegerField(_("teachers"), default=0)
    ruang_baik = models.PositiveIntegerField(_("classrooms in good condition"), default=0)
    ruang_rusak_ringan = models.PositiveIntegerField(_("classrooms lightly damaged"), default=0)
    ruang_rusak_berat = models.PositiveIntegerField(_("classrooms badly damaged"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DesaScopedQuerySet.as_manager()

    class Meta:
        ordering = ["sekolah", "-tahun_ajaran"]
        constraints = [models.UniqueConstraint(fields=["sekolah", "tahun_ajaran"], name="data_sekolah_once_a_year")]

    def __str__(self):
        return f"{self.sekolah.nama} {self.tahun_ajaran}"

    def get_absolute_url(self):
        return self.sekolah.get_absolute_url()

    @property
    def murid_jumlah(self):
        return self.murid_laki_laki + self.murid_perempuan

    @property
    def ruang_jumlah(self):
        return self.ruang_baik + self.ruang_rusak_ringan + self.ruang_rusak_berat
