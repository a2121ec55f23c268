import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from sidekel.portal import markup
from sidekel.portal.models import Berita
from sidekel.portal.services import save_berita


def test_user_text_is_never_html():
    out = markup.render('<script>alert(1)</script>\n\n- satu\n- <b>dua</b>\n\nLihat https://example.org')
    assert "<script>" not in out and "&lt;script&gt;" in out and "&lt;b&gt;" in out
    assert "<ul><li>satu</li>" in out and 'rel="nofollow"' in out


def _image(size):
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, "PNG")
    return SimpleUploadedFile("foto.png", buffer.getvalue(), content_type="image/png")


def test_images_are_resized_and_only_published_items_show(client, rangda):
    item = save_berita(None, rangda, {"judul": "Besar", "isi": "x"}, image=_image((3000, 1500)))
    assert (item.gambar_lebar, item.gambar_tinggi) == (960, 480) and bytes(item.gambar)[:2] == b"\xff\xd8"
    later = save_berita(None, rangda, {"judul": "Nanti", "isi": "x", "tanggal_terbit": timezone.now() + timezone.timedelta(days=1)})
    draft = save_berita(None, rangda, {"judul": "Draf", "isi": "x", "diterbitkan": False})
    assert list(Berita.objects.published()) == [item]
    assert client.get(f"/berita/{later.pk}/").status_code == 404
    assert client.get(f"/berita/{draft.pk}/").status_code == 404
    assert client.get(f"/berita/{item.pk}/gambar.jpg")["Content-Type"] == "image/jpeg"
    with pytest.raises(ValidationError):
        save_berita(None, rangda, {"judul": "Rusak", "isi": "x"},
                    image=SimpleUploadedFile("x.png", b"not an image", content_type="image/png"))
