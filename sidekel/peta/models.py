"""Pemetaan: the village's shapes as data.

Every shape is a GeoJSON geometry in WGS84 (longitude, latitude), kept as text with its bounding
box in four indexed columns: a "which shapes could contain this point" question is a range query
on the box in SQL (any database, SQLite included: no PostGIS, no GDAL), and the exact answer is
shapely's on the few rows it returns (``geometri.py``). Geometry is checked before it is saved
(``geometri.validate``); writes go through ``services.py``.

A family's home location is a separate table (``LokasiKeluarga``): it is personal data, never
read by the public read path (``publik.py``), and has no public URL.
"""

import json

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sidekel.core.scope import DesaScopedQuerySet

from .choices import Lapisan


class Kategori(models.Model):
    """A kind of place, line or area (sekolah, jalan aspal, kawasan rawan banjir...). The admin adds more."""

    lapisan = models.CharField(_("layer"), max_length=10, choices=[(v, l) for v, l in Lapisan.choices
                                                                   if v in ("tempat", "garis", "area")])
    slug = models.SlugField(_("code"), max_length=40, unique=True)
    nama = models.CharField(_("name"), max_length=80)
    warna = models.CharField(_("colour"), max_length=7, default="#6b7280")

    class Meta:
        verbose_name = "kategori peta"
        verbose_name_plural = "kategori peta"
        ordering = ["lapisan", "nama"]

    def __str__(self):
        return self.nama


class FiturQuerySet(DesaScopedQuerySet):
    def overlapping(self, min_lon, min_lat, max_lon, max_lat):
        """Rows whose bounding box meets this box: the SQL prefilter of every spatial question."""
        return self.filter(min_lon__lte=max_lon, max_lon__gte=min_lon, min_lat__lte=max_lat, max_lat__gte=min_lat)

    def containing_box(self, lon, lat):
        return self.overlapping(lon, lat, lon, lat)

    def publik(self):
        return self.filter(publik=True)


class Fitur(models.Model):
    """One shape of a village: its boundary, a dusun/RW/RT area, a place, a line or an area."""

    desa = models.ForeignKey("wilayah.Desa", on_delete=models.PROTECT, related_name="+")
    lapisan = models.CharField(_("layer"), max_length=10, choices=Lapisan.choices)
    kategori = models.ForeignKey(Kategori, on_delete=models.PROTECT, null=True, blank=True, related_name="fitur")
    nama = models.CharField(_("name"), max_length=120, blank=True)
    keterangan = models.CharField(_("description"), max_length=300, blank=True)
    # The unit an area of the dusun, RW or RT layer is the shape of.
    dusun = models.ForeignKey("wilayah.Dusun", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    rw = models.ForeignKey("wilayah.Rw", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    rt = models.ForeignKey("wilayah.Rt", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    publik = models.BooleanField(_("on the public map"), default=True)
    demo = models.BooleanField(_("demo shape"), default=False,
                               help_text=_("Made up for the demo kecamatan: not an official boundary."))
    geometri = models.TextField(_("geometry (GeoJSON)"))
    min_lon = models.FloatField()
    min_lat = models.FloatField()
    max_lon = models.FloatField()
    max_lat = models.FloatField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FiturQuerySet.as_manager()

    class Meta:
        verbose_name = "fitur peta"
        verbose_name_plural = "fitur peta"
        ordering = ["desa", "lapisan", "nama", "id"]
        indexes = [models.Index(fields=["desa", "lapisan"]),
                   models.Index(fields=["min_lon", "max_lon", "min_lat", "max_lat"], name="peta_fitur_bbox")]
        constraints = [models.UniqueConstraint(fields=["desa"], condition=Q(lapisan="batas"),
                                               name="peta_one_boundary_per_desa")]

    def __str__(self):
        return self.nama or f"{self.get_lapisan_display()} {self.pk}"

    @property
    def geojson(self):
        return json.loads(self.geometri)


class LokasiKeluarga(models.Model):
    """Where a family lives: one point, private (only who may see the village's data sees it)."""

    keluarga = models.OneToOneField("penduduk.Keluarga", on_delete=models.CASCADE, related_name="lokasi")
    desa = models.ForeignKey("wilayah.Desa", on_delete=models.PROTECT, related_name="+")
    lon = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))
    updated_at = models.DateTimeField(auto_now=True)

    objects = DesaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "lokasi keluarga"
        verbose_name_plural = "lokasi keluarga"
        indexes = [models.Index(fields=["desa", "lon", "lat"])]

    def __str__(self):
        return f"Lokasi KK {self.keluarga_id}"


class FotoTempat(models.Model):
    """The photo of a place (the place layer only): a JPEG made anew from the upload by
    ``core.images.clean_photo``, so no EXIF (no GPS position, camera or time) is kept. Shown on the
    public map when its place is public; to the village's officials always."""

    fitur = models.OneToOneField(Fitur, on_delete=models.CASCADE, primary_key=True, related_name="foto")
    desa = models.ForeignKey("wilayah.Desa", on_delete=models.PROTECT, related_name="+")
    berkas = models.BinaryField(_("photo (JPEG)"))
    lebar = models.PositiveSmallIntegerField()
    tinggi = models.PositiveSmallIntegerField()
    updated_at = models.DateTimeField(auto_now=True)

    objects = DesaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "foto tempat"
        verbose_name_plural = "foto tempat"

    def __str__(self):
        return f"Foto {self.fitur_id}"

