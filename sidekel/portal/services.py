"""Write paths for news and announcements: validate, resize the image, save, audit."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sidekel.core.audit import record_change, snapshot
from sidekel.core.images import clean_photo
from sidekel.core.scope import Action, ensure_permits, permits

from .models import Berita

MAX_UPLOAD = 8 * 1024 * 1024  # bytes of the file as sent
MAX_PIXELS = 40_000_000  # refuse images that would take too much memory to open (decompression bombs)
MAX_SIDE = 960  # the stored image fits in 960x960 px
QUALITY = 72
FIELDS = ["jenis", "judul", "isi", "keterangan_gambar", "tanggal_terbit", "diterbitkan"]


def resize_image(upload):
    """(JPEG bytes, width, height) of an uploaded image, at most 960 px a side, metadata (EXIF, GPS) removed."""
    return clean_photo(upload, max_bytes=MAX_UPLOAD, max_pixels=MAX_PIXELS, max_side=MAX_SIDE, quality=QUALITY,
                       progressive=True)


@transaction.atomic
def save_berita(user, desa, data, image=None, remove_image=False, berita=None):
    """Create (``berita`` None) or change a news item of ``desa`` (None: the kecamatan)."""
    desa_id = desa.id if desa is not None else None
    if desa_id is None and user is not None and not _kecamatan_writer(user):
        raise ValidationError(_("Only the kecamatan administrator publishes for the kecamatan."))
    ensure_permits(user, Action.PUBLISH, desa_id) if desa_id is not None else None
    before = None
    if berita is None:
        berita = Berita(desa_id=desa_id, dibuat_oleh=user if user is not None and user.is_authenticated else None)
    else:
        before = snapshot(berita)
        if berita.desa_id is not None:
            ensure_permits(user, Action.PUBLISH, berita.desa_id)
        berita.desa_id = desa_id
    for name in FIELDS:
        if name in data:
            setattr(berita, name, data[name])
    if image is not None:
        berita.gambar, berita.gambar_lebar, berita.gambar_tinggi = resize_image(image)
    elif remove_image:
        berita.gambar = berita.gambar_lebar = berita.gambar_tinggi = None
    berita.full_clean(exclude=["gambar", "dibuat_oleh"])
    berita.save()
    record_change(berita, user, before=before)
    return berita


@transaction.atomic
def delete_berita(user, berita):
    if berita.desa_id is None:
        if not _kecamatan_writer(user):
            raise ValidationError(_("Only the kecamatan administrator publishes for the kecamatan."))
    else:
        ensure_permits(user, Action.PUBLISH, berita.desa_id)
    record_change(berita, user, action="delete")
    berita.delete()


def _kecamatan_writer(user):
    return permits(user, Action.PUBLISH)  # the kecamatan's own news: a role that publishes everywhere
