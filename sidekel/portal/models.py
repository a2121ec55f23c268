"""News and announcements that the kecamatan and the villages publish on the public site."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sidekel.core.scope import DesaScopedQuerySet


class BeritaQuerySet(DesaScopedQuerySet):
    def next_publication(self):
        """When the next scheduled item comes out, or None (stored public pages end then)."""
        return (self.filter(diterbitkan=True, tanggal_terbit__gt=timezone.now()).order_by("tanggal_terbit")
                .values_list("tanggal_terbit", flat=True).first())

    def published(self):
        """What the public sees: published, with a publish date that has come."""
        return self.filter(diterbitkan=True, tanggal_terbit__lte=timezone.now())


class Berita(models.Model):
    """A news item or an announcement of one village, or of the kecamatan (``desa`` empty)."""

    class Jenis(models.TextChoices):
        BERITA = "berita", _("News")
        PENGUMUMAN = "pengumuman", _("Announcement")

    desa = models.ForeignKey("wilayah.Desa", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             help_text=_("Empty: an item of the kecamatan."))
    jenis = models.CharField(_("kind"), max_length=12, choices=Jenis.choices, default=Jenis.BERITA)
    judul = models.CharField(_("title"), max_length=150)
    isi = models.TextField(_("text"), max_length=10000)
    gambar = models.BinaryField(_("image"), null=True, blank=True, editable=False)  # a JPEG, resized on upload
    gambar_lebar = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    gambar_tinggi = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    keterangan_gambar = models.CharField(_("image description"), max_length=200, blank=True)
    tanggal_terbit = models.DateTimeField(_("publish date"), default=timezone.now)
    diterbitkan = models.BooleanField(_("published"), default=True)
    dibuat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = BeritaQuerySet.as_manager()

    class Meta:
        verbose_name = "berita/pengumuman"
        verbose_name_plural = "berita/pengumuman"
        ordering = ["-tanggal_terbit", "-id"]
        indexes = [models.Index(fields=["desa", "diterbitkan", "tanggal_terbit"], name="berita_publik")]

    def __str__(self):
        return self.judul
