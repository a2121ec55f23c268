"""Source documents attached to a profile: what is accepted, the limits, the lock, who may, the
audit, the files on disk, and the pages (upload, download headers, remove, another village)."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from sidekel.core import approval
from sidekel.core.models import AccessLog, ObjectChange
from sidekel.potensi import lampiran as files
from sidekel.potensi import services
from sidekel.potensi.models import Lampiran, Profil

LUAS = "sda.umum.luas"


def pdf_bytes(text="Hasil survei", password=None):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": text})
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def photo_bytes(fmt="JPEG", size=(64, 48)):
    """A photo carrying a camera make and a GPS position (and, for PNG, a text chunk)."""
    image = Image.new("RGB", size, "green")
    exif = Image.Exif()
    exif[0x010F] = "KameraRahasia"  # Make
    exif.get_ifd(0x8825).update({1: "S", 2: (2.0, 12.0, 30.0), 3: "E", 4: (113.0, 55.0, 1.0)})  # GPS
    out = io.BytesIO()
    if fmt == "PNG":
        from PIL.PngImagePlugin import PngInfo

        info = PngInfo()
        info.add_text("Lokasi", "Rumah Pak RT")
        image.save(out, "PNG", pnginfo=info, exif=exif)
    else:
        image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def upload(data, name="survei.pdf", content_type="application/pdf"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def stored(item):
    return (files.folder() / item.berkas).read_bytes()


# --- services -------------------------------------------------------------------------------------

def test_a_pdf_is_kept_as_sent_and_audited(rangda, users, last_year):
    data = pdf_bytes()
    item = services.add_lampiran(rangda, last_year, upload(data), user=users["op_a"], keterangan=" Lembar survei ")
    assert item.jenis == "application/pdf" and item.ukuran == len(data) and stored(item) == data
    assert item.nama == "survei.pdf" and item.keterangan == "Lembar survei" and item.desa == rangda
    assert item.diunggah_oleh == users["op_a"] and item.berkas.endswith(".pdf")
    assert item.profil.status == approval.Status.DRAF  # the profile was started by the attachment
    change = ObjectChange.objects.get(content_type__model="lampiran", object_id=item.pk)
    assert change.action == ObjectChange.Action.CREATE and change.user == users["op_a"] and change.desa_id == rangda.id


@pytest.mark.parametrize("fmt, name", [("JPEG", "foto.jpg"), ("PNG", "pindai.png")])
def test_a_photo_is_re_encoded_without_exif_or_gps(rangda, users, last_year, fmt, name):
    data = photo_bytes(fmt)
    assert b"KameraRahasia" in data
    item = services.add_lampiran(rangda, last_year, upload(data, name, "image/" + fmt.lower()), user=users["op_a"])
    kept = stored(item)
    assert item.jenis == "image/jpeg" and item.berkas.endswith(".jpg") and item.ukuran == len(kept)
    assert b"KameraRahasia" not in kept and b"Exif" not in kept and b"Rumah Pak RT" not in kept
    with Image.open(io.BytesIO(kept)) as image:
        assert image.format == "JPEG" and not image.getexif() and image.size == (64, 48)
    assert item.download_name == name.rsplit(".", 1)[0] + ".jpg"


@pytest.mark.parametrize("data, name, says", [
    (b"%PDF-1.7\nnot really a pdf at all", "palsu.pdf", "bukan PDF yang dapat dibuka"),
    (b"<html><script>alert(1)</script></html>", "surat.pdf", "bukan berkas PDF, JPEG, atau PNG"),
    (b"GIF89a" + b"\x00" * 40, "foto.jpg", "bukan berkas PDF, JPEG, atau PNG"),
    (b"\xff\xd8\xff\xe0 broken jpeg", "foto.jpg", "bukan foto JPEG atau PNG"),
    (b"", "kosong.pdf", "kosong"),
    (pdf_bytes(password="rahasia"), "terkunci.pdf", "kata sandi"),
])
def test_a_file_is_judged_by_its_content_and_nothing_is_written(rangda, users, last_year, data, name, says):
    with pytest.raises(ValidationError) as refused:
        services.add_lampiran(rangda, last_year, upload(data, name), user=users["op_a"])
    assert any(says in m for m in refused.value.messages), refused.value.messages
    assert not Lampiran.objects.exists() and not Profil.objects.exists()
    assert not any(files.folder().iterdir())


def test_more_than_10_mb_is_refused(rangda, users, last_year):
    data = pdf_bytes() + b"%" + b"0" * files.MAX_BYTES
    with pytest.raises(ValidationError) as refused:
        services.add_lampiran(rangda, last_year, upload(data), user=users["op_a"])
    assert "terlalu besar" in refused.value.messages[0] and "10 MB" in refused.value.messages[0]
    assert not Lampiran.objects.exists()


def test_at_most_ten_per_profile(rangda, users, last_year):
    data = pdf_bytes()
    for n in range(files.MAX_PER_PROFILE):
        services.add_lampiran(rangda, last_year, upload(data, f"s{n}.pdf"), user=users["op_a"])
    with pytest.raises(ValidationError) as refused:
        services.add_lampiran(rangda, last_year, upload(data, "s11.pdf"), user=users["op_a"])
    assert "paling banyak 10" in refused.value.messages[0]
    assert Lampiran.objects.count() == files.MAX_PER_PROFILE == len(list(files.folder().iterdir()))


@pytest.mark.parametrize("persona", ["camat", "kades_a", "op_b"])
def test_who_may_not_change_the_village_may_not_attach_or_remove(rangda, users, last_year, persona):
    with pytest.raises(PermissionDenied):
        services.add_lampiran(rangda, last_year, upload(pdf_bytes()), user=users[persona])
    item = services.add_lampiran(rangda, last_year, upload(pdf_bytes()), user=users["op_a"])
    with pytest.raises(PermissionDenied):
        services.remove_lampiran(item, user=users[persona])
    assert Lampiran.objects.count() == 1


def test_a_submitted_or_approved_profile_is_locked(rangda, users, last_year):
    services.save_values(rangda, last_year, {LUAS: "100"}, user=users["op_a"])
    item = services.add_lampiran(rangda, last_year, upload(pdf_bytes()), user=users["op_a"])
    services.submit(rangda, last_year, user=users["op_a"])
    for step in (None, "approve"):
        if step:
            services.approve(rangda, last_year, user=users["camat"])
        with pytest.raises(approval.WrongState):
            services.add_lampiran(rangda, last_year, upload(pdf_bytes()), user=users["op_a"])
        with pytest.raises(approval.WrongState):
            services.remove_lampiran(item, user=users["admin"])
    assert Lampiran.objects.count() == 1 and (files.folder() / item.berkas).exists()
    # Returned or reopened: editable again.
    services.reopen(rangda, last_year, user=users["camat"], alasan="koreksi sumber")
    services.add_lampiran(rangda, last_year, upload(pdf_bytes()), user=users["op_a"])
    assert Lampiran.objects.count() == 2


def test_removing_deletes_the_file_once_committed_and_is_audited(rangda, users, last_year,
                                                                django_capture_on_commit_callbacks):
    item = services.add_lampiran(rangda, last_year, upload(pdf_bytes()), user=users["op_a"])
    path = files.folder() / item.berkas
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_lampiran(item, user=users["op_a"])
    assert not Lampiran.objects.exists() and not path.exists()
    change = ObjectChange.objects.get(content_type__model="lampiran", action=ObjectChange.Action.DELETE)
    assert change.before["nama"] == "survei.pdf" and change.user == users["op_a"]
    with pytest.raises(ValidationError):
        services.remove_lampiran(item, user=users["op_a"])


def test_orphan_files_are_pruned_after_a_day(rangda, users, last_year):
    import os
    import time

    item = services.add_lampiran(rangda, last_year, upload(pdf_bytes()), user=users["op_a"])
    orphan = files.folder() / "yatim.pdf"
    orphan.write_bytes(b"%PDF-")
    old = time.time() - 2 * 86400
    for path in (orphan, files.folder() / item.berkas):
        os.utime(path, (old, old))
    assert files.prune_orphans() == 1
    assert not orphan.exists() and (files.folder() / item.berkas).exists()


def test_the_file_name_is_cleaned(rangda, users, last_year):
    item = services.add_lampiran(rangda, last_year, upload(pdf_bytes(), "../../etc/sur\x07at dinas.pdf"),
                                 user=users["op_a"])
    assert item.nama == "surat dinas.pdf"


# --- pages ----------------------------------------------------------------------------------------

def _as(client, user):
    client.force_login(user)
    return client


def _urls(rangda, year, pk=None):
    base = f"/potensi/{rangda.kode}/{year}/"
    return base, base + "lampiran/", base + f"lampiran/{pk}/", base + f"lampiran/{pk}/hapus/"


def test_upload_list_download_and_remove(client, rangda, users, last_year, django_capture_on_commit_callbacks):
    profile, add, _d, _r = _urls(rangda, last_year)
    c = _as(client, users["op_a"])
    page = c.get(profile).content.decode()
    assert 'action="' + add + '"' in page and 'enctype="multipart/form-data"' in page
    response = c.post(add, {"lampiran": upload(pdf_bytes(), "Surat Dinas Pertanian.pdf"), "keterangan": "Surat"})
    assert response.status_code == 302 and response["Location"].endswith("#lampiran")
    item = Lampiran.objects.get()
    _p, _a, download, remove = _urls(rangda, last_year, item.pk)
    page = c.get(profile).content.decode()
    assert "Surat Dinas Pertanian.pdf" in page and download in page and remove in page
    response = c.get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content) == stored(item)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;") and "Surat Dinas Pertanian.pdf" in \
        response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store" and response["X-Content-Type-Options"] == "nosniff"
    assert AccessLog.objects.filter(user=users["op_a"], action=AccessLog.Action.EXPORT, object_id=item.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert c.post(remove).status_code == 302
    assert not Lampiran.objects.exists() and not (files.folder() / item.berkas).exists()


def test_a_bad_file_on_the_page_is_a_message_not_an_error(client, rangda, users, last_year):
    profile, add, _d, _r = _urls(rangda, last_year)
    c = _as(client, users["op_a"])
    response = c.post(add, {"lampiran": upload(b"MZ\x90\x00 program", "survei.pdf")}, follow=True)
    assert response.status_code == 200 and "bukan berkas PDF, JPEG, atau PNG" in response.content.decode()
    response = c.post(add, {}, follow=True)
    assert response.status_code == 200 and "Pilih berkas" in response.content.decode()
    assert not Lampiran.objects.exists()


def test_officials_who_verify_see_and_download_another_village_does_not(client, rangda, users, last_year):
    services.save_values(rangda, last_year, {LUAS: "100"}, user=users["op_a"])
    item = services.add_lampiran(rangda, last_year, upload(photo_bytes(), "lembar.jpg", "image/jpeg"),
                                 user=users["op_a"])
    services.submit(rangda, last_year, user=users["op_a"])
    profile, add, download, remove = _urls(rangda, last_year, item.pk)
    for persona in ("camat", "admin", "kades_a"):
        c = _as(client, users[persona])
        page = c.get(profile).content.decode()
        assert "lembar.jpg" in page and download in page and remove not in page  # submitted: locked
        response = c.get(download)
        assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
        assert response["Content-Disposition"].startswith("attachment;")
    assert _as(client, users["camat"]).post(add, {"lampiran": upload(pdf_bytes())}).status_code == 403
    assert _as(client, users["camat"]).post(remove).status_code == 403
    other = _as(client, users["op_b"])
    assert other.get(download).status_code == 404
    assert other.post(remove).status_code == 404
    assert other.post(add, {"lampiran": upload(pdf_bytes())}).status_code == 404
    client.logout()
    assert client.get(download).status_code == 302  # to the login page
    # The attachment's id under another village or year is not there.
    assert _as(client, users["admin"]).get(f"/potensi/{users['op_b'].desa.get().kode}/{last_year}/lampiran/"
                                           f"{item.pk}/").status_code == 404
    assert _as(client, users["admin"]).get(f"/potensi/{rangda.kode}/{last_year - 1}/lampiran/{item.pk}/").status_code == 404
    # Locked: removing through the page is refused with a message, nothing removed.
    _as(client, users["op_a"]).post(remove)
    assert Lampiran.objects.filter(pk=item.pk).exists()


def test_attachments_never_reach_public_pages_or_the_api(client, rangda, users, last_year):
    services.save_values(rangda, last_year, {LUAS: "100"}, user=users["op_a"])
    item = services.add_lampiran(rangda, last_year, upload(pdf_bytes(), "daftar-warga-miskin.pdf"), user=users["op_a"])
    services.submit(rangda, last_year, user=users["op_a"])
    services.approve(rangda, last_year, user=users["camat"])
    client.logout()
    for url in (f"/desa/{rangda.kode}/", f"/api/v1/potensi/?wilayah={rangda.kode}&tahun={last_year}",
                "/data/", "/api/v1/data/potensi-sda/"):
        body = client.get(url).content.decode()
        assert "daftar-warga-miskin" not in body and item.berkas not in body, url


def test_attachments_are_in_the_backup(rangda, users, last_year):
    """The backup takes the data folder's lasting files (core.backup); the attachments' folder is one."""
    from pathlib import Path

    from sidekel.core.backup import _data_files

    item = services.add_lampiran(rangda, last_year, upload(pdf_bytes()), user=users["op_a"])
    from django.conf import settings as django_settings

    names = {str(rel) for rel, _file in _data_files(Path(django_settings.DATA_DIR), [])}
    assert f"potensi/lampiran/{item.berkas}" in names


def test_a_failure_after_the_file_was_written_leaves_no_file(rangda, users, last_year, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr(services, "record_change", broken)
    with pytest.raises(RuntimeError):
        services.add_lampiran(rangda, last_year, upload(pdf_bytes()), user=users["op_a"])
    assert not Lampiran.objects.exists() and not any(files.folder().iterdir())


PREFIXES = [files.PDF_START, files.PDF_START + b"1.7\n", files.JPEG_START, files.PNG_START, b""]


@given(head=st.sampled_from(PREFIXES), body=st.binary(max_size=3000))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_bytes_are_accepted_or_refused_with_a_message(head, body):
    """Hostile content behind a right first few bytes: a ValidationError with a message, nothing else."""
    try:
        data, jenis = files.clean_upload(upload(head + body, "x.pdf"))
    except ValidationError as exc:
        assert exc.messages and all(m.strip() for m in exc.messages)
    else:
        assert jenis in (files.PDF, files.JPEG) and data


def test_a_real_pdf_with_damage_at_the_end_is_refused_or_kept_never_a_crash():
    data = pdf_bytes()
    for cut in (len(data) // 3, len(data) // 2, len(data) - 20):
        try:
            files.clean_upload(upload(data[:cut]))
        except ValidationError:
            pass
