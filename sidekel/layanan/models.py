"""Letters (surat): the catalogue of letter types, the village's settings, and the letters.

A letter is drafted for a resident (status ``draf``), signed by the kepala desa or lurah, which
gives it its number, its verification token and its frozen text (``terbit``), and may later be
revoked with a reason (``dicabut``) or replaced by a correction (``diganti``). What was printed
(body, signer's name and position, village letterhead) is frozen at signing: a later change of
kepala desa or of the type's body changes no issued letter.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from sidekel.core.scope import DesaScopedQuerySet

from .choices import JenisIsian, Kertas, StatusPermohonan, StatusSurat

POLA_BAWAAN = "{kode}/{urut:03}/{unit}/{bulan_romawi}/{tahun}"


def new_token():
    """128 random bits, URL-safe: not an id, not derived from the number."""
    return secrets.token_urlsafe(16)


class JenisSurat(models.Model):
    """A letter type of the catalogue, kept by the kecamatan admin."""

    kode = models.SlugField(_("code"), max_length=40, unique=True, help_text="Stable slug: sktm, domisili, ...")
    nama = models.CharField(_("name"), max_length=120)
    klasifikasi = models.CharField(_("classification code"), max_length=20)
    syarat = models.TextField(_("requirements to bring"), blank=True)
    masa_berlaku = models.PositiveSmallIntegerField(_("valid for (days)"), default=30)
    kertas = models.CharField(_("paper"), max_length=2, choices=Kertas.choices, default=Kertas.A4)
    isian = models.JSONField(_("extra fields"), default=list, blank=True,
                             help_text='[{"nama": "usaha", "label": "Nama usaha", "jenis": "teks", "wajib": true}]')
    badan = models.TextField(_("body"), help_text="Text with placeholders such as {nama}: see layanan/placeholders.py.")
    perlu_hidup = models.BooleanField(_("only for a living resident of the village"), default=True)
    aktif = models.BooleanField(_("offered"), default=True)

    class Meta:
        verbose_name = "jenis surat"
        verbose_name_plural = "jenis surat"
        ordering = ["nama"]

    def __str__(self):
        return self.nama

    def clean(self):
        from .placeholders import check_body, check_fields

        check_fields(self.isian)
        try:
            check_body(self.badan, self.isian)
        except ValidationError as exc:
            raise ValidationError({"badan": exc.messages}) from exc


class PengaturanSurat(models.Model):
    """The numbering pattern and letterhead: one row with no village is the kecamatan's default;
    a village's own row overrides it."""

    desa = models.OneToOneField("wilayah.Desa", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    pola_nomor = models.CharField(_("numbering pattern"), max_length=100, default=POLA_BAWAAN)
    urut_per_jenis = models.BooleanField(_("one sequence per letter type"), default=False)
    unit = models.CharField(_("unit code in the number"), max_length=30, blank=True,
                            help_text="E.g. DS-RANGDA; empty: made from the village's name.")
    logo = models.ImageField(_("logo"), upload_to="logo/", blank=True)

    objects = DesaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "pengaturan surat"
        verbose_name_plural = "pengaturan surat"

    def __str__(self):
        return f"Pengaturan surat {self.desa or 'kecamatan'}"


class BadanDesa(models.Model):
    """A village's own body for a letter type."""

    desa = models.ForeignKey("wilayah.Desa", on_delete=models.CASCADE, related_name="+")
    jenis = models.ForeignKey(JenisSurat, on_delete=models.CASCADE, related_name="+")
    badan = models.TextField(_("body"))

    objects = DesaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "isi surat desa"
        verbose_name_plural = "isi surat desa"
        constraints = [models.UniqueConstraint(fields=["desa", "jenis"], name="badan_desa_one_per_type")]

    def clean(self):
        from .placeholders import check_body

        try:
            check_body(self.badan, self.jenis.isian)
        except ValidationError as exc:
            raise ValidationError({"badan": exc.messages}) from exc


class SuratQuerySet(DesaScopedQuerySet):
    def terbit(self):
        return self.exclude(status=StatusSurat.DRAF)


class Surat(models.Model):
    desa = models.ForeignKey("wilayah.Desa", on_delete=models.PROTECT, related_name="+")
    jenis = models.ForeignKey(JenisSurat, on_delete=models.PROTECT, related_name="+")
    penduduk = models.ForeignKey("penduduk.Penduduk", on_delete=models.PROTECT, related_name="+")
    isian = models.JSONField(_("fields"), default=dict, blank=True)
    keperluan = models.CharField(_("purpose"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=StatusSurat.choices, default=StatusSurat.DRAF)
    dibuat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    dibuat_pada = models.DateTimeField(_("drafted at"), auto_now_add=True)
    # Set once, at signing, and never changed afterwards.
    nomor = models.CharField(_("number"), max_length=100, blank=True)
    urut = models.PositiveIntegerField(null=True, blank=True)
    tahun = models.PositiveSmallIntegerField(null=True, blank=True)
    tanggal = models.DateField(_("date"), null=True, blank=True)
    berlaku_sampai = models.DateField(_("valid until"), null=True, blank=True)
    token = models.CharField(max_length=32, unique=True, null=True, blank=True)
    teks = models.TextField(_("text as issued"), blank=True)
    cetak = models.JSONField(default=dict, blank=True,
                             help_text="What the PDF prints, frozen at signing: letterhead, signer, paper.")
    ditandatangani_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                            related_name="+")
    ditandatangani_pada = models.DateTimeField(null=True, blank=True)
    dicabut_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    dicabut_pada = models.DateTimeField(null=True, blank=True)
    alasan_cabut = models.CharField(_("reason for revocation"), max_length=300, blank=True)
    menggantikan = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="pengganti")

    objects = SuratQuerySet.as_manager()

    class Meta:
        verbose_name = "surat"
        verbose_name_plural = "surat"
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["desa", "nomor"], condition=~models.Q(nomor=""),
                                               name="surat_nomor_unique_per_desa")]
        indexes = [models.Index(fields=["desa", "tahun", "urut"])]

    def __str__(self):
        return self.nomor or f"Draf surat {self.pk}"


class PinWarga(models.Model):
    """A resident's PIN for asking letters online, handed over by the village office.

    Only its hash (Django's password hashers) is kept; the operator sees the PIN once, when it is
    made, and never again. A new PIN replaces the old one (``dibuat_pada`` changes, which ends the
    resident's open sessions).
    """

    desa = models.ForeignKey("wilayah.Desa", on_delete=models.CASCADE, related_name="+")
    penduduk = models.OneToOneField("penduduk.Penduduk", on_delete=models.CASCADE, related_name="+")
    pin_hash = models.CharField(max_length=200)
    dibuat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    dibuat_pada = models.DateTimeField(_("issued at"))

    objects = DesaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "PIN layanan warga"
        verbose_name_plural = "PIN layanan warga"

    def __str__(self):
        return f"PIN layanan penduduk {self.penduduk_id}"


class Permohonan(models.Model):
    """A letter a resident asked for online: it waits in the village's queue until the operator
    makes a draft of it (``surat``) or refuses it with a reason. The resident follows it with
    ``kode``."""

    kode = models.CharField(_("tracking code"), max_length=20, unique=True)
    desa = models.ForeignKey("wilayah.Desa", on_delete=models.PROTECT, related_name="+")
    penduduk = models.ForeignKey("penduduk.Penduduk", on_delete=models.PROTECT, related_name="+")
    jenis = models.ForeignKey(JenisSurat, on_delete=models.PROTECT, related_name="+")
    isian = models.JSONField(_("fields"), default=dict, blank=True)
    keperluan = models.CharField(_("purpose"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=StatusPermohonan.choices,
                              default=StatusPermohonan.MENUNGGU)
    diajukan_pada = models.DateTimeField(_("asked at"))
    surat = models.ForeignKey(Surat, on_delete=models.SET_NULL, null=True, blank=True, related_name="permohonan")
    alasan_tolak = models.CharField(_("reason for refusal"), max_length=300, blank=True)
    diproses_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+")
    diproses_pada = models.DateTimeField(null=True, blank=True)

    objects = DesaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "permohonan surat"
        verbose_name_plural = "permohonan surat"
        ordering = ["-id"]
        indexes = [models.Index(fields=["desa", "status"])]

    def __str__(self):
        return self.kode
