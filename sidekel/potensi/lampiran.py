"""The source documents of a profile as files: where they are kept and what is accepted.

``clean_upload(upload)`` returns (bytes to keep, content type) or raises ``ValidationError`` with
a message for the user. The file is judged by its content, never by its name or the type the
browser sent:

- at most ``MAX_BYTES``;
- a PDF starts with ``%PDF-`` and must open in pypdf with at least one page and no password;
  it is kept as sent (a PDF cannot be rewritten without losing what the office signed or stamped);
- a JPEG or PNG goes through ``core.images.clean_photo``: pixel bombs refused, written again as a
  JPEG without EXIF (no GPS position, camera or time), large enough to read a scanned A4 page;
- anything else is refused.
"""

import io
import logging
import re
import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _

from sidekel.core.files import remove_orphan_files
from sidekel.core.images import clean_photo

MAX_BYTES = 10 * 1024 * 1024
MAX_PER_PROFILE = 10
MAX_PIXELS = 60_000_000  # refused before decoding; an A4 page scanned at 600 dpi is about 35 million
MAX_SIDE = 3600  # an A4 page at 300 dpi is 2480 x 3508
MAX_PDF_PAGES = 500
PDF, JPEG = "application/pdf", "image/jpeg"
JPEG_START, PNG_START, PDF_START = b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"%PDF-"

logger = logging.getLogger(__name__)


def folder():
    path = Path(settings.DATA_DIR) / "potensi" / "lampiran"
    path.mkdir(parents=True, exist_ok=True)
    return path


def new_name(jenis):
    return f"{secrets.token_urlsafe(24)}.{'pdf' if jenis == PDF else 'jpg'}"


def display_name(name):
    """The name as sent, safe to show and to offer as a download name: no folder, no control characters."""
    name = Path(str(name or "").replace("\\", "/")).name
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip()
    return name[-150:] or "lampiran"


def _check_pdf(data, name):
    from pypdf import PdfReader

    refused = ValidationError(_("The file %(name)s is not a PDF that can be opened.") % {"name": name})
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ValidationError(_("The PDF %(name)s is protected with a password: attach it without one.")
                                  % {"name": name})
        pages = len(reader.pages)
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001 - a hostile file may make any part of the parser fail
        logger.info("refused PDF attachment %r", name, exc_info=True)
        raise refused from None
    if pages < 1:
        raise refused
    if pages > MAX_PDF_PAGES:
        raise ValidationError(_("The PDF %(name)s has more than %(n)d pages.") % {"name": name, "n": MAX_PDF_PAGES})


def clean_upload(upload):
    """(bytes to keep, content type) of an uploaded source document, or ValidationError."""
    name = display_name(getattr(upload, "name", ""))
    too_large = ValidationError(_("The file %(name)s is too large (at most %(mb)d MB).")
                                % {"name": name, "mb": MAX_BYTES // 2**20})
    if (upload.size or 0) > MAX_BYTES:
        raise too_large
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise too_large
    if not data:
        raise ValidationError(_("The file %(name)s is empty.") % {"name": name})
    if data.startswith(PDF_START):
        _check_pdf(data, name)
        return data, PDF
    if data.startswith((JPEG_START, PNG_START)):
        try:
            jpeg, _w, _h = clean_photo(SimpleUploadedFile(name, data), max_bytes=MAX_BYTES, max_pixels=MAX_PIXELS,
                                       max_side=MAX_SIDE, quality=85)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None
        return jpeg, JPEG
    raise ValidationError(_("The file %(name)s is not a PDF, JPEG or PNG file.") % {"name": name})


def remove_file(berkas):
    (folder() / berkas).unlink(missing_ok=True)


def prune_orphans():
    """Files with no attachment row (an upload whose transaction failed after the file was written),
    a day old. A removed attachment's file is deleted when its removal commits."""
    from .models import Lampiran

    return remove_orphan_files(folder(), set(Lampiran.objects.values_list("berkas", flat=True)))
