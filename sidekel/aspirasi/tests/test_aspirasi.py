"""Saran dan masukan: sending, tracking, moderation, statuses with working-day timers, answers,
photos, abuse control and the API."""

import base64
import datetime
import io
import json
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from sidekel.akun.choices import Role
from sidekel.akun.services import create_user, issue_token
from sidekel.aspirasi import services
from sidekel.aspirasi.choices import Jenis, Privasi, Status
from sidekel.aspirasi.models import Aspirasi, Foto, HariLibur, Kategori, Tanggapan
from sidekel.core.models import ObjectChange

RANGDA, RAJA = "62.01.02.2010", "62.01.02.1007"


@pytest.fixture
def people(rangda, raja):
    return {
        "admin": create_user("admin", role=Role.ADMIN_KECAMATAN, password="x", validate=False),
        "camat": create_user("camat", role=Role.CAMAT, password="x", validate=False),
        "op_a": create_user("op_a", role=Role.OPERATOR, password="x", desa_kode=[RANGDA], validate=False),
        "op_b": create_user("op_b", role=Role.OPERATOR, password="x", desa_kode=[RAJA], validate=False),
        "kades_a": create_user("kades_a", role=Role.KEPALA_DESA, password="x", desa_kode=[RANGDA], validate=False),
    }


@pytest.fixture(autouse=True)
def no_wait(settings):
    settings.SIDEKEL_ASPIRASI_MIN_DETIK = 0


def send(desa, privasi=Privasi.ANONIM, nama="Pak Sumarno", **extra):
    return services.submit(kecamatan=desa.kecamatan, desa=desa, jenis=Jenis.PENGADUAN,
                           kategori=Kategori.objects.get(slug="infrastruktur"), judul="Gorong-gorong rusak",
                           isi="Air meluap di depan rumah Pak Sumarno, RT 002.", privasi=privasi, nama=nama,
                           kontak="081234567890", **extra)


def image_file(name="foto.jpg", fmt="JPEG", size=(80, 60), exif=None):
    buffer = io.BytesIO()
    kwargs = {"exif": exif} if exif is not None else {}
    Image.new("RGB", size, "red").save(buffer, fmt, **kwargs)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


# --- tracking codes and timers ----------------------------------------------------------------------

def test_tracking_codes_are_readable_and_typed_loosely(rangda):
    codes = {services.new_code() for _i in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert code.startswith("ASP-") and len(code) == 13 and code[8] == "-"
        assert not set(code[4:].replace("-", "")) & set("01OIL")
    a = send(rangda)
    typed = a.kode_lacak.lower().replace("-", " ")
    assert services.by_code(typed) == a
    assert services.by_code("ASP-0000-0000") is None and services.by_code("") is None


def test_working_days_skip_the_weekend_and_holidays(db):
    friday = datetime.date(2026, 3, 13)
    assert friday.weekday() == 4
    assert services.working_days_after(friday, 1) == datetime.date(2026, 3, 16)  # Monday
    assert services.working_days_after(friday, 3) == datetime.date(2026, 3, 18)
    HariLibur.objects.create(tanggal=datetime.date(2026, 3, 16), nama="Cuti bersama")
    HariLibur.objects.create(tanggal=datetime.date(2026, 3, 19), nama="Nyepi")
    # Mon 16 and Thu 19 are holidays: Tue 17, Wed 18, Fri 20.
    assert services.working_days_after(friday, 3) == datetime.date(2026, 3, 20)


def test_each_report_carries_its_due_date_and_overdue_ones_are_found(rangda, people, settings):
    HariLibur.objects.create(tanggal=datetime.date(2026, 3, 16), nama="Cuti bersama")
    a = send(rangda)
    received = datetime.datetime(2026, 3, 13, 9, tzinfo=datetime.timezone.utc)  # a Friday
    Aspirasi.objects.filter(pk=a.pk).update(created_at=received)
    a.refresh_from_db()
    assert services.due_date(a.created_at, Status.DITERIMA) == datetime.date(2026, 3, 19)  # 3 working days
    assert services.due_date(a.created_at, Status.DIVERIFIKASI) == datetime.date(2026, 3, 23)  # 5
    assert services.due_date(a.created_at, Status.DITINDAKLANJUTI) == datetime.date(2026, 3, 30)  # 10
    settings.SIDEKEL_ASPIRASI_HARI_VERIFIKASI = 1
    assert services.due_date(a.created_at, Status.DITERIMA) == datetime.date(2026, 3, 17)
    a = services.verify(a, user=people["op_a"])
    assert a.batas == services.due_date(a.created_at, Status.DIVERIFIKASI)
    assert list(services.overdue(Aspirasi.objects.all(), today=datetime.date(2026, 3, 24))) == [a]
    assert not services.overdue(Aspirasi.objects.all(), today=datetime.date(2026, 3, 23)).exists()
    a = services.move(a, user=people["op_a"], status=Status.SELESAI)
    assert a.batas is None and not services.overdue(Aspirasi.objects.all(), today=datetime.date(2027, 1, 1)).exists()


# --- moderation and statuses ------------------------------------------------------------------------

def test_nothing_is_public_before_verification_and_rahasia_never(rangda, people):
    anonim, rahasia = send(rangda), send(rangda, privasi=Privasi.RAHASIA)
    assert not Aspirasi.objects.publik().exists()
    services.verify(anonim, user=people["op_a"], isi_publik="Air meluap di depan rumah warga.")
    services.verify(rahasia, user=people["op_a"])
    assert list(Aspirasi.objects.publik()) == [Aspirasi.objects.get(pk=anonim.pk)]
    shown = Aspirasi.objects.get(pk=anonim.pk)
    assert shown.isi_publik == "Air meluap di depan rumah warga." and "Sumarno" in shown.isi  # original kept
    assert shown.nama_publik == ""  # anonim: never the name
    change = ObjectChange.objects.filter(object_id=anonim.pk, action="update").first()
    assert change.user == people["op_a"]


def test_who_may_moderate_follows_the_table(rangda, raja, people):
    a = send(rangda)
    for name in ("op_b", "camat", "kades_a"):
        with pytest.raises(PermissionDenied):
            services.verify(a, user=people[name])
    assert Aspirasi.objects.get(pk=a.pk).status == Status.DITERIMA
    kecamatan_report = services.submit(kecamatan=rangda.kecamatan, desa=None, jenis=Jenis.INFORMASI,
                                       kategori=Kategori.objects.get(slug="lainnya"), judul="Jam layanan",
                                       isi="Jam layanan kantor camat?", privasi=Privasi.PUBLIK)
    with pytest.raises(PermissionDenied):
        services.verify(kecamatan_report, user=people["op_a"])
    assert not Aspirasi.objects.for_user(people["op_a"]).filter(pk=kecamatan_report.pk).exists()
    assert Aspirasi.objects.for_user(people["camat"]).filter(pk=kecamatan_report.pk).exists()
    assert services.verify(kecamatan_report, user=people["admin"]).status == Status.DIVERIFIKASI


def test_statuses_move_only_forward_with_who_when_and_a_note(rangda, people):
    a = send(rangda)
    with pytest.raises(ValidationError):
        services.move(a, user=people["op_a"], status=Status.SELESAI)  # not verified yet
    with pytest.raises(ValidationError):
        services.move(a, user=people["op_a"], status=Status.DITOLAK)  # a note is required
    a = services.verify(a, user=people["op_a"])
    with pytest.raises(ValidationError):
        services.move(a, user=people["op_a"], status=Status.DITERUSKAN)  # to whom?
    a = services.move(a, user=people["op_a"], status=Status.DITERUSKAN, diteruskan_ke="Kecamatan",
                      nomor_lapor="LAPOR-1234567", catatan="Wewenang kecamatan")
    a = services.move(a, user=people["op_a"], status=Status.DITINDAKLANJUTI)
    a = services.move(a, user=people["op_a"], status=Status.SELESAI, catatan="Sudah diperbaiki")
    steps = list(a.riwayat.values_list("status", "oleh__username", "catatan"))
    assert steps == [("diterima", None, ""), ("diverifikasi", "op_a", ""),
                     ("diteruskan", "op_a", "Wewenang kecamatan"), ("ditindaklanjuti", "op_a", ""),
                     ("selesai", "op_a", "Sudah diperbaiki")]
    assert a.nomor_lapor == "LAPOR-1234567" and a.selesai_pada is not None
    with pytest.raises(ValidationError):
        services.move(a, user=people["op_a"], status=Status.DITINDAKLANJUTI)


def test_hide_and_merge(rangda, people):
    spam, first, duplicate = send(rangda), send(rangda), send(rangda)
    with pytest.raises(ValidationError):
        services.hide(spam, user=people["op_a"], alasan=" ")
    spam = services.hide(spam, user=people["op_a"], alasan="Iklan")
    assert spam.disembunyikan and spam.status == Status.DITOLAK and Aspirasi.objects.filter(pk=spam.pk).exists()
    first = services.verify(first, user=people["op_a"])
    duplicate = services.merge(duplicate, into=first, user=people["op_a"])
    assert duplicate.digabung_ke == first and duplicate.status == Status.DIARSIPKAN and not duplicate.publik
    with pytest.raises(ValidationError):
        services.merge(first, into=first, user=people["op_a"])


def test_answers_replies_and_rating(rangda, people):
    a = services.verify(send(rangda), user=people["op_a"])
    services.answer(a, user=people["op_a"], isi="Akan diperbaiki minggu depan.")
    a.refresh_from_db()
    assert a.dijawab_pada is not None
    services.reply(a.kode_lacak, isi="Terima kasih, ditunggu.")
    with pytest.raises(ValidationError):
        services.rate(a.kode_lacak, nilai=5)  # still open
    a = services.move(a, user=people["op_a"], status=Status.SELESAI)
    with pytest.raises(ValidationError):
        services.reply(a.kode_lacak, isi="Lagi")  # closed
    with pytest.raises(ValidationError):
        services.rate(a.kode_lacak, nilai=9)
    assert services.rate(a.kode_lacak, nilai=4).penilaian == 4
    assert Tanggapan.objects.filter(aspirasi=a).count() == 2


# --- photos -------------------------------------------------------------------------------------------

def test_photos_are_re_encoded_without_exif(rangda, settings):
    exif = Image.Exif()
    exif[0x010F] = "KameraMerek"  # Make
    exif.get_ifd(0x8825)[1] = "S"  # GPSInfo: GPSLatitudeRef
    exif.get_ifd(0x8825)[2] = (1.0, 2.0, 3.0)  # GPSLatitude
    original = image_file(exif=exif.tobytes())
    assert b"KameraMerek" in original.read()
    original.seek(0)
    a = send(rangda, photos=[original, image_file("b.png", "PNG")])
    fotos = list(Foto.objects.filter(aspirasi=a))
    assert len(fotos) == 2
    for foto in fotos:
        data = (settings.DATA_DIR / "aspirasi" / foto.berkas).read_bytes()
        assert b"KameraMerek" not in data
        with Image.open(io.BytesIO(data)) as image:
            assert image.format == "JPEG" and not image.getexif()
    assert fotos[0].berkas != "foto.jpg" and len(fotos[0].berkas) > 30  # random names


@pytest.mark.parametrize("upload, message", [
    (SimpleUploadedFile("foto.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg"), "bukan foto"),
    (None, "bukan foto"),  # a GIF named .jpg
    ("big", "terlalu besar"),
    ("bomb", "terlalu banyak piksel"),
])
def test_bad_photos_are_refused_and_nothing_is_written(rangda, upload, message):
    if upload is None:
        upload = image_file("animasi.jpg", "GIF")
    elif upload == "big":
        upload = SimpleUploadedFile("besar.jpg", b"\xff\xd8" + b"0" * (5 * 1024 * 1024 + 1))
    elif upload == "bomb":
        buffer = io.BytesIO()
        Image.new("1", (12000, 12000)).save(buffer, "PNG")  # 144 megapixels in a few hundred KB
        upload = SimpleUploadedFile("bom.png", buffer.getvalue())
    with pytest.raises(ValidationError) as refused:
        send(rangda, photos=[upload])
    assert message in " ".join(refused.value.messages)
    assert not Aspirasi.objects.exists() and not Foto.objects.exists()


def test_a_photo_is_served_only_when_its_report_is_public_or_to_officials(client, rangda, people):
    a = send(rangda, photos=[image_file()])
    foto = a.foto.get()
    url = f"/aspirasi/foto/{foto.pk}.jpg"
    assert client.get(url).status_code == 404
    client.force_login(people["op_b"])
    assert client.get(url).status_code == 404
    client.force_login(people["kades_a"])
    assert client.get(url).status_code == 200
    client.logout()
    services.verify(a, user=people["op_a"])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"


# --- the public pages -------------------------------------------------------------------------------

def form_data(client, desa_kode=RANGDA, **extra):
    page = client.get(f"/aspirasi/kirim/?desa={desa_kode}").content.decode()
    stamp = re.search(r'name="mulai" value="([^"]+)"', page).group(1)
    return {"tujuan": desa_kode, "jenis": "pengaduan", "kategori": Kategori.objects.get(slug="kesehatan").pk,
            "judul": "Jadwal posyandu", "isi": "Mohon jadwal posyandu diumumkan.", "privasi": "publik",
            "nama": "Bu Warsini", "kontak": "bu.warsini@example.com", "situs": "", "mulai": stamp, **extra}


def test_the_public_form_sends_and_answers_with_a_code(client, rangda):
    page = client.get(f"/aspirasi/kirim/?desa={RANGDA}")
    assert page.status_code == 200 and f'value="{RANGDA}" selected' in page.content.decode()
    response = client.post("/aspirasi/kirim/", form_data(client, foto1=image_file()))
    assert response.status_code == 302, response.content.decode()[:3000]
    a = Aspirasi.objects.get()
    assert response["Location"] == f"/aspirasi/lacak/{a.kode_lacak}/?baru=1"
    page = client.get(response["Location"]).content.decode()
    assert a.kode_lacak in page and "Diterima" in page.title() + page
    assert a.desa == rangda and a.foto.count() == 1 and a.kontak == "bu.warsini@example.com"


@pytest.mark.parametrize("change, message", [
    ({"situs": "http://spam.example"}, "tidak dapat dikirim"),
    ({"mulai": "forged"}, "terlalu cepat"),
    ({"isi": "x" * 4001}, "4000"),
    ({"judul": ""}, "wajib"),
    ({"tujuan": "99.99.99.9999"}, "pilihan yang valid"),
])
def test_the_form_refuses_robots_and_bad_input_writing_nothing(client, rangda, change, message):
    response = client.post("/aspirasi/kirim/", form_data(client, **change))
    assert response.status_code == 200
    assert message in response.content.decode().replace("4.000", "4000")
    assert not Aspirasi.objects.exists()


def test_the_form_refuses_a_form_sent_too_soon(client, rangda, settings):
    settings.SIDEKEL_ASPIRASI_MIN_DETIK = 60
    response = client.post("/aspirasi/kirim/", form_data(client))
    assert "terlalu cepat" in response.content.decode() and not Aspirasi.objects.exists()


def test_rate_limit_per_address(client, rangda, settings):
    settings.SIDEKEL_ASPIRASI_PER_JAM = 2
    for _i in range(2):
        assert client.post("/aspirasi/kirim/", form_data(client)).status_code == 302
    refused = client.post("/aspirasi/kirim/", form_data(client))
    assert refused.status_code == 429 and "Terlalu banyak" in refused.content.decode()
    other = client.post("/aspirasi/kirim/", form_data(client), REMOTE_ADDR="10.9.8.7")
    assert other.status_code == 302
    assert Aspirasi.objects.count() == 3


def test_public_list_and_village_page_show_only_redacted_public_reports(client, rangda, people):
    publik = send(rangda, privasi=Privasi.PUBLIK, nama="Pak Publik")
    anonim = send(rangda, privasi=Privasi.ANONIM, nama="Pak Anonim")
    rahasia = send(rangda, privasi=Privasi.RAHASIA, nama="Pak Rahasia")
    unverified = send(rangda, privasi=Privasi.PUBLIK, nama="Pak Belum")
    for a in (publik, anonim, rahasia):
        services.verify(a, user=people["op_a"], isi_publik="Air meluap di depan rumah warga.")
    services.answer(Aspirasi.objects.get(pk=publik.pk), user=people["op_a"], isi="Sudah dicek petugas.")
    for path in ("/aspirasi/", f"/aspirasi/?desa={RANGDA}", f"/desa/{RANGDA}/"):
        page = client.get(path).content.decode()
        assert publik.kode_lacak in page and anonim.kode_lacak in page, path
        assert rahasia.kode_lacak not in page and unverified.kode_lacak not in page, path
        assert "Pak Publik" in page and "Pak Anonim" not in page and "Pak Rahasia" not in page, path
        assert "Sumarno" not in page and "081234567890" not in page, path
        assert "Sudah dicek petugas." in page, path


def test_tracking_page_shows_status_and_answers_never_the_sender(client, rangda, people):
    a = send(rangda, privasi=Privasi.RAHASIA)
    services.verify(a, user=people["op_a"])
    services.answer(a, user=people["op_a"], isi="Kami tindak lanjuti.")
    page = client.get(f"/aspirasi/lacak/{a.kode_lacak}/").content.decode()
    assert "Kami tindak lanjuti." in page and "Diverifikasi" in page.title()
    assert "Sumarno" not in page and "081234567890" not in page and "Air meluap" not in page
    assert client.get("/aspirasi/lacak/ASP-2222-2222/").status_code == 404
    assert client.get("/aspirasi/lacak/?kode=ASP-2222-2222").status_code == 404
    found = client.get(f"/aspirasi/lacak/?kode={a.kode_lacak.lower()}")
    assert found.status_code == 302 and found["Location"] == f"/aspirasi/lacak/{a.kode_lacak}/"


def test_reply_and_rate_from_the_tracking_page(client, rangda, people):
    a = services.verify(send(rangda), user=people["op_a"])
    assert client.post(f"/aspirasi/lacak/{a.kode_lacak}/balas/", {"isi": "Sudah parah."}).status_code == 302
    refused = client.post(f"/aspirasi/lacak/{a.kode_lacak}/nilai/", {"nilai": "5"})
    assert refused.status_code == 422 and "setelah" in refused.content.decode()
    services.move(a, user=people["op_a"], status=Status.SELESAI)
    assert client.post(f"/aspirasi/lacak/{a.kode_lacak}/nilai/", {"nilai": "5"}).status_code == 302
    assert Aspirasi.objects.get(pk=a.pk).penilaian == 5


def test_officials_pages(client, rangda, raja, people):
    a = send(rangda)
    client.force_login(people["op_a"])
    assert a.kode_lacak in client.get("/petugas/aspirasi/").content.decode()
    page = client.get(f"/petugas/aspirasi/{a.pk}/").content.decode()
    assert "081234567890" in page and "Verifikasi" in page
    response = client.post(f"/petugas/aspirasi/{a.pk}/verifikasi/", {"judul_publik": "Gorong-gorong",
                                                                     "isi_publik": "Air meluap."})
    assert response.status_code == 302 and Aspirasi.objects.get(pk=a.pk).publik is True
    a.refresh_from_db()
    assert a.status == Status.DIVERIFIKASI and a.terverifikasi
    assert client.post(f"/petugas/aspirasi/{a.pk}/tanggapan/", {"isi": "Dicek besok."}).status_code == 302
    refused = client.post(f"/petugas/aspirasi/{a.pk}/status/", {"status": "ditolak", "catatan": ""})
    assert refused.status_code == 422 and Aspirasi.objects.get(pk=a.pk).status == Status.DIVERIFIKASI
    client.force_login(people["kades_a"])
    page = client.get(f"/petugas/aspirasi/{a.pk}/").content.decode()
    assert "Dicek besok." in page and 'action="/petugas/aspirasi/' not in page
    assert client.post(f"/petugas/aspirasi/{a.pk}/tanggapan/", {"isi": "x"}).status_code == 403
    client.force_login(people["op_b"])
    assert client.get(f"/petugas/aspirasi/{a.pk}/").status_code == 404


def test_overdue_reports_on_the_officials_home_pages(client, rangda, people):
    a = send(rangda)
    Aspirasi.objects.filter(pk=a.pk).update(batas=datetime.date(2020, 1, 1))
    panel = re.compile(r'<section class="card aspirasi-panel">.*?</section>', re.S)
    client.force_login(people["op_a"])
    page = client.get(f"/petugas/desa/{RANGDA}/").content.decode()
    assert "1 terlambat" in panel.search(page).group(0)
    client.force_login(people["camat"])
    for path in ("/statistik/", "/desa/"):
        shown = panel.search(client.get(path).content.decode()).group(0)
        assert "1 terlambat" in shown and f"desa={RANGDA}" in shown and ">Rangda</a>" in shown, path


# --- the API -----------------------------------------------------------------------------------------

def post_json(client, path, data, **extra):
    return client.post(path, data=json.dumps(data), content_type="application/json", **extra)


def test_api_send_track_and_list(client, rangda, people):
    body = {"desa": RANGDA, "jenis": "aspirasi", "kategori": "lingkungan", "judul": "Sampah", "isi": "Sampah menumpuk.",
            "privasi": "publik", "nama": "Pak Api", "kontak": "0811"}
    response = post_json(client, "/api/v1/aspirasi/", body)
    assert response.status_code == 201
    kode = response.json()["kode_lacak"]
    a = Aspirasi.objects.get(kode_lacak=kode)
    bad = post_json(client, "/api/v1/aspirasi/", {**body, "privasi": "semua", "judul": "", "desa": "1"})
    assert bad.status_code == 422 and set(bad.json()["errors"]) == {"desa"}
    bad = post_json(client, "/api/v1/aspirasi/", {**body, "privasi": "semua", "judul": ""})
    assert bad.status_code == 422 and set(bad.json()["errors"]) == {"privasi", "judul"}
    assert "wajib" in bad.json()["errors"]["judul"][0]
    services.verify(a, user=people["op_a"], isi_publik="Sampah menumpuk di tepi sungai.")
    services.answer(a, user=people["op_a"], isi="Kami kirim truk sampah.")
    tracked = client.get(f"/api/v1/aspirasi/lacak/{kode}/").json()
    assert tracked["status"] == "diverifikasi" and [s["status"] for s in tracked["riwayat"]] == ["diterima", "diverifikasi"]
    assert tracked["tanggapan"][0]["isi"] == "Kami kirim truk sampah."
    assert "Pak Api" not in json.dumps(tracked) and "0811" not in json.dumps(tracked)
    listed = client.get("/api/v1/aspirasi/").json()
    assert listed == [{"kode_lacak": kode, "desa": RANGDA, "jenis": "aspirasi", "kategori": "lingkungan",
                       "judul": "Sampah", "isi": "Sampah menumpuk di tepi sungai.", "status": "diverifikasi",
                       "dibuat": listed[0]["dibuat"], "nama": "Pak Api"}]
    assert client.get("/api/v1/aspirasi/lacak/ASP-2222-2222/").status_code == 404
    assert "/api/v1/aspirasi/" in client.get("/api/v1/openapi.json").content.decode()


def test_api_rate_limit(client, rangda, settings):
    settings.SIDEKEL_ASPIRASI_PER_JAM = 1
    body = {"desa": rangda.kecamatan.kode, "jenis": "informasi", "kategori": "lainnya", "judul": "Tanya",
            "isi": "Jam buka?", "privasi": "anonim"}
    assert post_json(client, "/api/v1/aspirasi/", body).status_code == 201
    refused = post_json(client, "/api/v1/aspirasi/", body)
    assert refused.status_code == 429 and "Terlalu banyak" in refused.json()["detail"]
    assert Aspirasi.objects.get().desa is None


def test_api_for_officials(client, rangda, raja, people):
    a, b = send(rangda, privasi=Privasi.RAHASIA), send(raja)
    tokens = {name: issue_token(user) for name, user in people.items()}

    def auth(name):
        return {"HTTP_AUTHORIZATION": f"Bearer {tokens[name]}"}

    mine = client.get("/api/v1/aspirasi/", **auth("op_a")).json()
    assert [r["kode_lacak"] for r in mine] == [a.kode_lacak] and mine[0]["kontak"] == "081234567890"
    assert len(client.get("/api/v1/aspirasi/", **auth("camat")).json()) == 2
    assert client.get("/api/v1/aspirasi/", HTTP_AUTHORIZATION="Bearer salah").status_code == 401
    moved = post_json(client, f"/api/v1/aspirasi/{a.pk}/status/", {"status": "diverifikasi"}, **auth("op_a"))
    assert moved.status_code == 200 and moved.json()["status"] == "diverifikasi"
    assert post_json(client, f"/api/v1/aspirasi/{b.pk}/status/", {"status": "diverifikasi"},
                     **auth("op_a")).status_code == 404
    for name in ("camat", "kades_a"):
        refused = post_json(client, f"/api/v1/aspirasi/{a.pk}/status/", {"status": "selesai"}, **auth(name))
        assert refused.status_code == 403, name
    bad = post_json(client, f"/api/v1/aspirasi/{a.pk}/status/", {"status": "diterima"}, **auth("op_a"))
    assert bad.status_code == 422 and "status" in bad.json()["errors"]
    assert Aspirasi.objects.get(pk=a.pk).status == Status.DIVERIFIKASI
    assert post_json(client, f"/api/v1/aspirasi/{a.pk}/status/", {"status": "selesai"}).status_code == 401


# --- figures and open data ---------------------------------------------------------------------------

def test_monthly_figures_follow_the_small_count_rules(client, rangda, people, settings):
    from django.utils import timezone

    from sidekel.statistik import publik

    settings.SIDEKEL_SUPPRESS_BELOW = 3
    reports = [send(rangda) for _i in range(4)]
    for a in reports[:3]:
        services.answer(services.verify(a, user=people["op_a"]), user=people["op_a"], isi="Ditanggapi.")
    hidden = services.hide(send(rangda), user=people["op_a"], alasan="Spam")
    months = publik.aspirasi_monthly(RANGDA)
    this = months[-1]
    assert this.bulan == timezone.localdate().replace(day=1) and len(months) == 12
    assert this.counts["pengaduan"] == 4 and this.counts["jumlah"] == 4  # 4 is not small; the spam is not counted
    assert this.counts["aspirasi"] == 0 and this.counts["infrastruktur"] == 4
    # Three answered the same day; the fourth is neither answered nor due yet, so not judged.
    assert this.median_hari == 0 and this.persen_tepat_waktu == 100
    assert Aspirasi.objects.filter(pk=hidden.pk).exists()
    late = reports[0]
    Aspirasi.objects.filter(pk=late.pk).update(dijawab_pada=late.created_at + datetime.timedelta(days=20))
    this = publik.aspirasi_monthly(RANGDA)[-1]
    assert this.median_hari == 0 and this.persen_tepat_waktu == 67  # 2 of 3
    services.hide(reports[3], user=people["op_a"], alasan="Ganda")
    services.hide(reports[2], user=people["op_a"], alasan="Ganda")  # 2: small, drawn to 0 or 3
    this = publik.aspirasi_monthly(RANGDA)[-1]
    assert this.counts["pengaduan"] in (0, 3) and this.median_hari is None and this.persen_tepat_waktu is None
    assert publik.aspirasi_monthly("99.99") is None
    kecamatan = publik.aspirasi_monthly(rangda.kecamatan.kode)[-1]
    assert kecamatan.counts["pengaduan"] == this.counts["pengaduan"]


def test_open_dataset_of_reports(client, rangda, people):
    a = services.verify(send(rangda, privasi=Privasi.RAHASIA), user=people["op_a"])
    response = client.get(f"/data/aspirasi-bulanan/{RANGDA}.csv")
    assert response.status_code == 200
    text = response.content.decode()
    assert text.splitlines()[0].startswith("kode_wilayah,nama_wilayah,bulan,jumlah,aspirasi,pengaduan,informasi")
    assert "Sumarno" not in text and a.kode_lacak not in text and "081234567890" not in text
    catalogue = client.get("/api/v1/data/aspirasi-bulanan/").json()
    assert any(r["url"].endswith(f"/data/aspirasi-bulanan/{RANGDA}.json") for r in catalogue["resources"])
    assert "aspirasi-bulanan" in client.get("/data/").content.decode()


def test_retention_erases_old_senders_and_orphan_photos(rangda, people, settings):
    import os
    import time

    from sidekel.core.retention import prune_all

    old, recent = send(rangda), send(rangda)
    for a in (old, recent):
        services.move(services.verify(a, user=people["op_a"]), user=people["op_a"], status=Status.SELESAI)
    Aspirasi.objects.filter(pk=old.pk).update(selesai_pada=old.created_at - datetime.timedelta(days=400))
    orphan = services.photos_dir() / "yatim.jpg"
    orphan.write_bytes(b"x")
    os.utime(orphan, (time.time() - 2 * 86400,) * 2)
    removed = prune_all()
    assert removed["kontak pelapor aspirasi"] == 1 and removed["foto aspirasi yatim"] == 1
    assert Aspirasi.objects.filter(pk=old.pk, nama="", kontak="").exists()
    assert Aspirasi.objects.get(pk=recent.pk).kontak == "081234567890" and not orphan.exists()


def test_public_list_pages(client, rangda, people):
    for _i in range(12):
        services.verify(send(rangda), user=people["op_a"])
    first = client.get("/aspirasi/?jenis=pengaduan").content.decode()
    assert first.count('class="card aspirasi"') == 10
    older = re.search(r'href="\?(jenis=pengaduan&amp;setelah=[^"]+)"', first).group(1).replace("&amp;", "&")
    second = client.get(f"/aspirasi/?{older}").content.decode()
    assert second.count('class="card aspirasi"') == 2 and "sebelum=" in second
    assert client.get("/aspirasi/?setelah=rusak").status_code == 200


@pytest.mark.parametrize("cursor", [[["a", 1], 1], [None, 1], ["bukan-waktu", 1], [1.5, 1], [True, 1], ["2026-01-01", [1]]])
def test_a_hand_edited_cursor_gives_the_first_page(client, rangda, people, cursor):
    """A cursor whose sort value is not a time (a list, null, text, a number) is a damaged one:
    the list starts from its first page, as for any unreadable cursor, never a 500."""
    services.verify(send(rangda), user=people["op_a"])
    token = base64.urlsafe_b64encode(json.dumps(cursor).encode()).decode().rstrip("=")
    for key in ("setelah", "sebelum"):
        response = client.get(f"/aspirasi/?{key}={token}")
        assert response.status_code == 200 and response.content.decode().count('class="card aspirasi"') == 1
