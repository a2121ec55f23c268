"""Uploaded photos, made safe to keep and to publish: one check and one re-encoding for every app
(citizens' report photos, news images, the photos of places on the map).

``clean_photo(upload, ...)`` returns (JPEG bytes, width, height) or raises ``ValidationError`` with
a message for the user (code ``"foto"``). The file is judged by its content, never by its name:

- at most ``max_bytes`` as sent;
- JPEG or PNG only (a GIF, a PDF or an HTML page named .jpg is refused);
- the pixel count read from the header before anything is decoded, so that a small file that
  unpacks to gigabytes (a decompression bomb) is refused without being unpacked;
- decoded by Pillow, turned upright by its EXIF orientation, shrunk to fit ``max_side`` and written
  again as a new JPEG: no EXIF (no GPS position, camera, owner or time), no ICC or XMP, no comment,
  nothing of the original file's bytes is kept.
"""

import io
import warnings

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

FORMATS = {"JPEG", "PNG"}
CODE = "foto"


def clean_photo(upload, *, max_bytes, max_pixels, max_side, quality=78, progressive=False):
    """(JPEG bytes, width, height) of an uploaded photo, checked and re-encoded without metadata."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    name = getattr(upload, "name", "") or ""
    if upload.size > max_bytes:
        raise ValidationError(_("The photo %(name)s is too large (at most %(mb)d MB).")
                              % {"name": name, "mb": max_bytes // 2**20}, code=CODE)
    data = upload.read()
    refused = ValidationError(_("The file %(name)s is not a JPEG or PNG photo.") % {"name": name}, code=CODE)
    too_big = ValidationError(_("The photo %(name)s has too many pixels.") % {"name": name}, code=CODE)
    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that; our own cap below refuses.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:  # reads the header only
                if probe.format not in FORMATS:
                    raise refused
                if probe.width * probe.height > max_pixels:
                    raise too_big
                probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.draft("RGB", (max_side, max_side))
            image = ImageOps.exif_transpose(image).convert("RGB")
            image.thumbnail((max_side, max_side))
            out = io.BytesIO()
            # No exif=, icc_profile= or comment= given: none is written.
            image.save(out, "JPEG", quality=quality, optimize=True, progressive=progressive)
            return out.getvalue(), image.width, image.height
    except ValidationError:
        raise
    except Image.DecompressionBombError:
        raise too_big from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise refused from None
