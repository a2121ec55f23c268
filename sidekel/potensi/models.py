"""Potensi wilayah: the catalogue of indicators and each village's profile for a year.

``Indikator`` is the kecamatan's catalogue (Prodeskel's SDA, kelembagaan, prasarana dan sarana),
not owned by a village. An indicator's meaning never changes once used: the kecamatan retires it
(``aktif`` False) and adds a new one. ``Profil`` is one village's year, going through the shared
approval workflow (core.approval): draf -> diajukan -> disetujui (locked) or dikembalikan.
``Nilai`` is one value of a profile. The SDM part is never typed: it is counted from the
residents on the profile's reference date (potensi.sdm) and frozen into ``Profil.sdm`` when the
profile is submitted and again when approved. ``Lampiran`` is a source document attached to a
profile (a file in the data folder, never public).
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sidekel.core.approval import Approvable, Status
from sidekel.core.scope import DesaScopedQuerySet
from sidekel.wilayah.choices import JenisDesa

from .choices import YA, Berlaku, Kelompok, Tipe


class IndikatorQuerySet(models.QuerySet):
    def aktif(self):
        return self.filter(aktif=True)

    def for_desa(self, desa):
        """The active indicators that apply to this village (a desa or a kelurahan)."""
        jenis = Berlaku.KELURAHAN if desa.jenis == JenisDesa.KELURAHAN else Berlaku.DESA
        return self.aktif().filter(berlaku__in=[Berlaku.SEMUA, jenis])


class Indikator(models.Model):
    kode = models.CharField(_("code"), max_length=40, unique=True)
    kelompok = models.CharField(_("group"), max_length=15, choices=Kelompok.choices)
    subkelompok = models.CharField(_("sub-group"), max_length=60)
    nama = models.CharField(_("name"), max_length=120)
    satuan = models.CharField(_("unit"), max_length=20, blank=True)
    tipe = models.CharField(_("type"), max_length=10, choices=Tipe.choices)
    minimum = models.DecimalField(_("smallest value"), max_digits=16, decimal_places=3, null=True, blank=True)
    maksimum = models.DecimalField(_("largest value"), max_digits=16, decimal_places=3, null=True, blank=True)
    desimal = models.PositiveSmallIntegerField(_("decimal places"), default=0)
    pilihan = models.JSONField(_("choices"), default=list, blank=True)
    berlaku = models.CharField(_("applies to"), max_length=10, choices=Berlaku.choices, default=Berlaku.SEMUA)
    urutan = models.PositiveIntegerField(_("order"), default=0)
    aktif = models.BooleanField(_("in use"), default=True)
    dipensiunkan_pada = models.DateTimeField(_("retired at"), null=True, blank=True)

    objects = IndikatorQuerySet.as_manager()

    class Meta:
        verbose_name = "indikator potensi"
        verbose_name_plural = "indikator potensi"
        ordering = ["urutan", "kode"]

    def __str__(self):
        return f"{self.kode} {self.nama}"

    @property
    def label(self):
        return f"{self.nama} ({self.satuan})" if self.satuan else self.nama


def tanggal_acuan(tahun, today=None):
    """The profile's reference date: 31 December of its year, or today for the running year."""
    today = today or datetime.date.today()
    return min(datetime.date(tahun, 12, 31), today)


class Profil(Approvable):
    Status = Status

    desa = models.ForeignKey("wilayah.Desa", on_delete=models.PROTECT, related_name="+")
    tahun = models.PositiveSmallIntegerField(_("year"))
    sumber = models.TextField(_("sources"), blank=True,
                              help_text=_("Where the figures come from: surveys, offices, documents."))
    komentar = models.JSONField(_("comments per indicator"), default=dict, blank=True)
    sdm = models.JSONField(_("human resources (computed)"), default=dict, blank=True)
    dibuat_pada = models.DateTimeField(_("created at"), auto_now_add=True)
    diubah_pada = models.DateTimeField(_("changed at"), auto_now=True)

    objects = DesaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "profil potensi"
        verbose_name_plural = "profil potensi"
        ordering = ["-tahun", "desa"]
        constraints = [models.UniqueConstraint(fields=["desa", "tahun"], name="profil_one_per_desa_year")]

    def __str__(self):
        return f"Profil potensi {self.tahun}"

    @property
    def tanggal_acuan(self):
        return tanggal_acuan(self.tahun)


class Nilai(models.Model):
    """One value; a number in ``angka``, anything else (ya/tidak, a choice, text) in ``teks``."""

    profil = models.ForeignKey(Profil, on_delete=models.CASCADE, related_name="nilai")
    desa = models.ForeignKey("wilayah.Desa", on_delete=models.PROTECT, related_name="+")
    indikator = models.ForeignKey(Indikator, on_delete=models.PROTECT, related_name="+")
    angka = models.DecimalField(max_digits=16, decimal_places=3, null=True)
    teks = models.CharField(max_length=200, blank=True)

    objects = DesaScopedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["profil", "indikator"], name="nilai_one_per_indicator")]
        indexes = [models.Index(fields=["indikator", "desa"], name="nilai_indikator_desa")]

    def __str__(self):
        return f"{self.indikator_id}={self.value}"

    @property
    def value(self):
        return typed_value(self.indikator.tipe, self.angka, self.teks)


def typed_value(tipe, angka, teks):
    """The value as JSON gives it: a number (int when whole), True/False, or text."""
    if tipe == Tipe.ANGKA:
        if angka is None:
            return None
        return int(angka) if angka == angka.to_integral_value() else float(angka)
    if tipe == Tipe.YA_TIDAK:
        return teks == YA
    return teks


class Lampiran(models.Model):
    """A source document attached to a profile: a scan or photo of a survey sheet, an office's letter,
    a PDF. The file is under <DATA_DIR>/potensi/lampiran/ with a random name (``berkas``): a PDF as
    sent (checked by content), a photo re-encoded as JPEG without metadata (core.images). Never
    public: it may hold personal data. Added and removed through ``services`` while the profile is
    editable."""

    profil = models.ForeignKey(Profil, on_delete=models.CASCADE, related_name="lampiran")
    desa = models.ForeignKey("wilayah.Desa", on_delete=models.PROTECT, related_name="+")
    berkas = models.CharField(max_length=64, unique=True)
    nama = models.CharField(_("file name"), max_length=150)
    keterangan = models.CharField(_("description"), max_length=200, blank=True)
    jenis = models.CharField(_("content type"), max_length=40)
    ukuran = models.PositiveIntegerField(_("size in bytes"))
    diunggah_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                      related_name="+")
    diunggah_pada = models.DateTimeField(_("uploaded at"))

    objects = DesaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "lampiran profil potensi"
        verbose_name_plural = "lampiran profil potensi"
        ordering = ["diunggah_pada", "id"]

    def __str__(self):
        return self.nama

    @property
    def is_pdf(self):
        return self.jenis == "application/pdf"

    @property
    def download_name(self):
        """The original name with the extension of what is kept (a PNG is kept as JPEG)."""
        stem = self.nama.rsplit(".", 1)[0] if "." in self.nama else self.nama
        return f"{stem or 'lampiran'}.{'pdf' if self.is_pdf else 'jpg'}"
