from django.db import models
from django.utils.translation import gettext_lazy as _


class Lapisan(models.TextChoices):
    """The layers of the map. Boundaries of the village and its units are areas with one row each."""

    BATAS = "batas", _("village boundary")
    DUSUN = "dusun", _("dusun/lingkungan area")
    RW = "rw", _("RW area")
    RT = "rt", _("RT area")
    TEMPAT = "tempat", _("place")
    GARIS = "garis", _("line")
    AREA = "area", _("area")


# Which GeoJSON geometry types each layer holds.
GEOMETRY_TYPES = {
    Lapisan.BATAS: ("Polygon", "MultiPolygon"),
    Lapisan.DUSUN: ("Polygon", "MultiPolygon"),
    Lapisan.RW: ("Polygon", "MultiPolygon"),
    Lapisan.RT: ("Polygon", "MultiPolygon"),
    Lapisan.TEMPAT: ("Point",),
    Lapisan.GARIS: ("LineString", "MultiLineString"),
    Lapisan.AREA: ("Polygon", "MultiPolygon"),
}
UNIT_LAYERS = (Lapisan.DUSUN, Lapisan.RW, Lapisan.RT)
# The layers that carry a category (Kategori.lapisan).
CATEGORISED = (Lapisan.TEMPAT, Lapisan.GARIS, Lapisan.AREA)

# The categories every installation starts with (the admin adds more): (lapisan, slug, name, colour).
DEFAULT_KATEGORI = [
    (Lapisan.TEMPAT, "kantor-desa", "Kantor desa/kelurahan", "#1d4ed8"),
    (Lapisan.TEMPAT, "sekolah", "Sekolah", "#b45309"),
    (Lapisan.TEMPAT, "kesehatan", "Fasilitas kesehatan", "#dc2626"),
    (Lapisan.TEMPAT, "ibadah", "Tempat ibadah", "#7c3aed"),
    (Lapisan.TEMPAT, "pasar", "Pasar", "#ea580c"),
    (Lapisan.TEMPAT, "jembatan", "Jembatan", "#475569"),
    (Lapisan.TEMPAT, "wisata", "Wisata", "#059669"),
    (Lapisan.TEMPAT, "lainnya", "Tempat lainnya", "#6b7280"),
    (Lapisan.GARIS, "jalan-aspal", "Jalan aspal", "#374151"),
    (Lapisan.GARIS, "jalan-tanah", "Jalan tanah/kerikil", "#a16207"),
    (Lapisan.GARIS, "sungai", "Sungai", "#2563eb"),
    (Lapisan.GARIS, "irigasi", "Irigasi", "#0891b2"),
    (Lapisan.GARIS, "saluran", "Saluran", "#0e7490"),
    (Lapisan.AREA, "lahan-pertanian", "Lahan pertanian", "#65a30d"),
    (Lapisan.AREA, "lahan-perkebunan", "Lahan perkebunan", "#15803d"),
    (Lapisan.AREA, "permukiman", "Permukiman", "#f59e0b"),
    (Lapisan.AREA, "rawan-banjir", "Kawasan rawan banjir", "#1e40af"),
    (Lapisan.AREA, "rawan-kebakaran", "Kawasan rawan kebakaran hutan", "#b91c1c"),
]
