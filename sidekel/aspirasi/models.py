"""Saran dan masukan: reports (aspirasi, pengaduan, requests for information) that citizens send
without an account, and their way through moderation to an answer.

A report belongs to one village (``desa``) or to the kecamatan (``desa`` empty: only roles acting
on every village see it). It is read through ``for_user`` like residents; every write goes through
``services.py`` and is audited. ``publik`` is kept by the services: verified, not hidden, not
merged and not rahasia; the public list, the village page and the public API read only such rows,
and only their redacted ``judul_publik``/``isi_publik`` (and ``nama`` for privasi publik).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sidekel.core.scope import DesaScopedQuerySet

from .choices import CLOSED, Jenis, Privasi, Status


class Kategori(models.Model):
    """A category of reports; the admin may add more (Django admin)."""

    slug = models.SlugField(unique=True)
    nama = models.CharField(_("name"), max_length=80)
    urutan = models.PositiveSmallIntegerField(_("order"), default=100)
    aktif = models.BooleanField(_("offered on the form"), default=True)

    class Meta:
        verbose_name = "kategori aspirasi"
        verbose_name_plural = "kategori aspirasi"
        ordering = ["urutan", "nama"]

    def __str__(self):
        return self.nama


class HariLibur(models.Model):
    """A public holiday or cuti bersama: not a working day for the report timers."""

    tanggal = models.DateField(_("date"), unique=True)
    nama = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = "hari libur"
        verbose_name_plural = "hari libur"
        ordering = ["tanggal"]

    def __str__(self):
        return f"{self.tanggal:%d-%m-%Y} {self.nama}"


class AspirasiQuerySet(DesaScopedQuerySet):
    def publik(self):
        return self.filter(publik=True)

    def open(self):
        return self.exclude(status__in=CLOSED)


class Aspirasi(models.Model):
    kode_lacak = models.CharField(_("tracking code"), max_length=13, unique=True)
    kecamatan = models.ForeignKey("wilayah.Kecamatan", on_delete=models.PROTECT, related_name="+")
    desa = models.ForeignKey("wilayah.Desa", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             help_text=_("Empty: addressed to the kecamatan."))
    jenis = models.CharField(_("kind"), max_length=10, choices=Jenis.choices)
    kategori = models.ForeignKey(Kategori, on_delete=models.PROTECT, related_name="+", verbose_name=_("category"))
    judul = models.CharField(_("title"), max_length=150)
    isi = models.TextField(_("text"), max_length=4000)
    judul_publik = models.CharField(_("public title"), max_length=150, blank=True)
    isi_publik = models.TextField(_("public text"), max_length=4000, blank=True)
    tempat = models.CharField(_("place (dusun/RT)"), max_length=100, blank=True)
    nama = models.CharField(_("name"), max_length=100, blank=True)
    kontak = models.CharField(_("phone or e-mail"), max_length=100, blank=True)
    privasi = models.CharField(_("privacy"), max_length=8, choices=Privasi.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DITERIMA)
    batas = models.DateField(_("due date"), null=True, blank=True)
    terverifikasi = models.BooleanField(default=False)
    disembunyikan = models.BooleanField(_("hidden"), default=False)
    alasan_sembunyi = models.CharField(_("reason for hiding"), max_length=300, blank=True)
    digabung_ke = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="gabungan")
    publik = models.BooleanField(default=False, editable=False)
    diteruskan_ke = models.CharField(_("forwarded to"), max_length=150, blank=True)
    nomor_lapor = models.CharField(_("SP4N-LAPOR! tracking number"), max_length=40, blank=True)
    penilaian = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    dijawab_pada = models.DateTimeField(_("first answered at"), null=True, blank=True)
    selesai_pada = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("received at"), db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AspirasiQuerySet.as_manager()

    class Meta:
        verbose_name = "aspirasi"
        verbose_name_plural = "aspirasi"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["publik", "-created_at"], name="aspirasi_publik"),
            models.Index(fields=["desa", "publik", "-created_at"], name="aspirasi_desa_publik"),
            models.Index(fields=["desa", "status", "batas"], name="aspirasi_batas"),
        ]

    def __str__(self):
        return self.kode_lacak

    @property
    def closed(self):
        return self.status in CLOSED

    @property
    def nama_publik(self):
        """The sender's name as the public may see it: only for privasi publik."""
        return self.nama if self.privasi == Privasi.PUBLIK else ""

    def tujuan(self):
        return str(self.desa) if self.desa_id else _("Kecamatan %(nama)s") % {"nama": self.kecamatan.nama}


class Riwayat(models.Model):
    """One step of a report: its new status, who, when, a note."""

    aspirasi = models.ForeignKey(Aspirasi, on_delete=models.CASCADE, related_name="riwayat")
    desa = models.ForeignKey("wilayah.Desa", on_delete=models.PROTECT, null=True, related_name="+")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    catatan = models.TextField(_("note"), max_length=2000, blank=True)
    oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    waktu = models.DateTimeField(_("time"))

    objects = DesaScopedQuerySet.as_manager()

    class Meta:
        ordering = ["waktu", "id"]

    def __str__(self):
        return f"{self.aspirasi_id} {self.status}"


class Tanggapan(models.Model):
    """An answer of an official (``dari_warga`` False) or a reply of the sender (True)."""

    aspirasi = models.ForeignKey(Aspirasi, on_delete=models.CASCADE, related_name="tanggapan")
    desa = models.ForeignKey("wilayah.Desa", on_delete=models.PROTECT, null=True, related_name="+")
    isi = models.TextField(_("text"), max_length=4000)
    dari_warga = models.BooleanField(default=False)
    oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    waktu = models.DateTimeField(_("time"))

    objects = DesaScopedQuerySet.as_manager()

    class Meta:
        ordering = ["waktu", "id"]

    def __str__(self):
        return f"tanggapan {self.aspirasi_id}"


class Foto(models.Model):
    """A photo sent with a report: re-encoded JPEG without metadata, under <DATA_DIR>/aspirasi/."""

    aspirasi = models.ForeignKey(Aspirasi, on_delete=models.CASCADE, related_name="foto")
    desa = models.ForeignKey("wilayah.Desa", on_delete=models.PROTECT, null=True, related_name="+")
    berkas = models.CharField(max_length=64, unique=True)
    lebar = models.PositiveSmallIntegerField()
    tinggi = models.PositiveSmallIntegerField()

    objects = DesaScopedQuerySet.as_manager()

    def __str__(self):
        return self.berkas
