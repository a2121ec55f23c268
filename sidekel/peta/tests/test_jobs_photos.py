"""The map's import as a worker job (checked first, then written, all or nothing, cancellable), a
place's photo (no EXIF leaves, public only with its place), the choropleth by dusun on the public
village map, and the way to the officials' map from the menu."""

import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from sidekel.akun.choices import Role
from sidekel.akun.services import create_user
from sidekel.core import jobs
from sidekel.core.models import Job, ObjectChange
from sidekel.peta import formats, services
from sidekel.peta.models import Fitur, FotoTempat, Kategori
from sidekel.statistik import publik as statistik_publik
from sidekel.statistik.services import Unit

from .helpers import ROAD, SCHOOL, WEST_HALF, write_geojson

MARKET = {"type": "Point", "coordinates": [111.625, -2.672]}
SWAPPED = {"type": "Point", "coordinates": [-2.68, 111.62]}  # latitude first by mistake


def _upload(client, desa, path, lapisan="tempat", dry_run=True):
    data = {"lapisan": lapisan, "publik": "on"}
    if dry_run:
        data["uji"] = "on"
    with path.open("rb") as f:
        return client.post(f"/petugas/peta/{desa.kode}/impor/", {**data, "berkas": f})


# --- the import as a job -----------------------------------------------------------------------------

def test_a_map_file_is_checked_by_a_job_then_imported_by_another(client, op_a, bounded, tmp_path):
    path = write_geojson(tmp_path / "tempat.geojson", ({"nama": "SD Negeri 3", "kategori": "sekolah"}, SCHOOL),
                         ({"nama": "Pasar Pagi", "kategori": "pasar"}, MARKET))
    client.force_login(op_a)
    response = _upload(client, bounded, path)
    check = Job.objects.get(kind=services.IMPORT_JOB)
    assert response.status_code == 302 and response["Location"] == f"/petugas/peta/impor/{check.pk}/"
    assert check.status == Job.Status.DONE and check.user == op_a and check.desa == bounded
    assert check.result["dry_run"] and check.result["ok"] and check.result["features"] == 2
    assert not Fitur.objects.filter(lapisan="tempat").exists()  # a check writes nothing
    page = client.get(response["Location"]).content.decode()
    assert "Berkas dapat diimpor" in page and f'action="/petugas/peta/impor/{check.pk}/simpan/"' in page

    response = client.post(f"/petugas/peta/impor/{check.pk}/simpan/")
    job = Job.objects.exclude(pk=check.pk).get(kind=services.IMPORT_JOB)
    assert response["Location"] == f"/petugas/peta/impor/{job.pk}/"
    assert job.status == Job.Status.DONE and not job.result["dry_run"] and job.result["saved"] == 2
    places = Fitur.objects.filter(lapisan="tempat")
    assert sorted(places.values_list("nama", flat=True)) == ["Pasar Pagi", "SD Negeri 3"]
    assert places.get(nama="Pasar Pagi").kategori.slug == "pasar"
    changes = ObjectChange.objects.filter(object_id__in=places.values("pk"), action="create")
    assert changes.count() == 2 and {c.username for c in changes} == {"op_a"}
    assert "2 bentuk diimpor." in client.get(response["Location"]).content.decode()
    # A second click on the same check finds that import; nothing is written twice.
    again = client.post(f"/petugas/peta/impor/{check.pk}/simpan/")
    assert again["Location"] == f"/petugas/peta/impor/{job.pk}/" and places.count() == 2


def test_a_refused_feature_is_named_with_its_reason_and_nothing_is_written(client, op_a, bounded, tmp_path):
    path = write_geojson(tmp_path / "campur.geojson", ({"nama": "SD Negeri 3"}, SCHOOL),
                         ({"nama": "Terbalik"}, SWAPPED), ({"nama": "Jalan"}, ROAD))
    client.force_login(op_a)
    response = _upload(client, bounded, path, dry_run=False)  # straight to writing: still all or nothing
    job = Job.objects.get(kind=services.IMPORT_JOB)
    assert job.status == Job.Status.DONE and not job.result["ok"] and job.result["saved"] == 0
    refused = {row["nomor"]: row for row in job.result["refused"]}
    assert set(refused) == {2, 3} and refused[2]["nama"] == "Terbalik"
    assert "lintang, bujur" in " ".join(refused[2]["errors"])
    assert not Fitur.objects.filter(lapisan="tempat").exists()
    page = client.get(response["Location"]).content.decode()
    assert "Tidak ada yang disimpan" in page and "Terbalik" in page and "/simpan/" not in page


def test_a_file_that_is_not_geodata_fails_its_job_with_a_message(client, op_a, bounded, tmp_path):
    bad = tmp_path / "catatan.txt"
    bad.write_text("bukan peta")
    client.force_login(op_a)
    response = _upload(client, bounded, bad)
    job = Job.objects.get(kind=services.IMPORT_JOB)
    assert job.status == Job.Status.FAILED and "bukan berkas data peta" in job.message
    assert "bukan berkas data peta" in client.get(response["Location"]).content.decode()


def test_a_file_over_the_limit_is_refused_by_the_form_before_any_job(client, op_a, bounded, tmp_path, monkeypatch):
    monkeypatch.setattr(formats, "MAX_GEO_BYTES", 2**20)
    path = write_geojson(tmp_path / "besar.geojson", ({"nama": "SD", "keterangan": "x" * (2**20 + 10)}, SCHOOL))
    client.force_login(op_a)
    response = _upload(client, bounded, path)
    assert response.status_code == 200 and "lebih besar dari 1 MB" in response.content.decode()
    assert not Job.objects.exists()


def test_a_cancelled_import_leaves_nothing_of_what_it_wrote(op_a, bounded, tmp_path):
    path = write_geojson(tmp_path / "tiga.geojson", *[({"nama": f"Tempat {i}"}, SCHOOL) for i in range(3)])
    answers = iter([False] * 5 + [True] * 10)  # three checked, two written, then the cancel
    with pytest.raises(jobs.Cancelled):
        services.impor(bounded, path, "tempat", user=op_a, dry_run=False, cancelled=lambda: next(answers))
    assert not Fitur.objects.filter(lapisan="tempat").exists()
    # Through the worker's path: a cancel asked before the job runs ends it cancelled, nothing written.
    name = jobs.store_upload(SimpleUploadedFile("tiga.geojson", path.read_bytes()))
    job = Job.objects.create(kind=services.IMPORT_JOB, desa=bounded, user=op_a, filename="tiga.geojson",
                             stored_file=name, options={"lapisan": "tempat", "publik": True, "dry_run": False})
    (jobs.jobs_dir() / f"{job.pk}.cancel").touch()
    jobs.run(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.CANCELLED and not Fitur.objects.filter(lapisan="tempat").exists()


def test_another_villages_operator_cannot_see_or_save_an_import(client, op_a, bounded, raja, tmp_path):
    path = write_geojson(tmp_path / "tempat.geojson", ({"nama": "SD Negeri 3"}, SCHOOL))
    client.force_login(op_a)
    _upload(client, bounded, path)
    check = Job.objects.get(kind=services.IMPORT_JOB)
    client.force_login(create_user("op_b", role=Role.OPERATOR, password="x", desa_kode=[raja.kode], validate=False))
    assert client.get(f"/petugas/peta/impor/{check.pk}/").status_code == 404
    assert client.post(f"/petugas/peta/impor/{check.pk}/simpan/").status_code == 404
    assert Job.objects.count() == 1 and not Fitur.objects.filter(lapisan="tempat").exists()


# --- a place's photo -----------------------------------------------------------------------------------

def photo_with_gps(name="sekolah.jpg", size=(1600, 1200)):
    """A JPEG whose EXIF names the camera and holds a GPS position (a family's home, say)."""
    image = Image.new("RGB", size, (30, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "KameraMerek"  # Make
    exif[0x8825] = {1: "S", 2: (2.0, 40.0, 39.72), 3: "E", 4: (111.0, 36.0, 39.96)}  # GPSInfo
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    data = buffer.getvalue()
    with Image.open(io.BytesIO(data)) as check:  # the test photo really carries a position
        assert check.getexif().get_ifd(0x8825)
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


@pytest.fixture
def places(bounded):
    sekolah = services.simpan_fitur(bounded, user=None, lapisan="tempat", geometry=SCHOOL, nama="SD Negeri 3",
                                    kategori=Kategori.objects.get(slug="sekolah"))
    gudang = services.simpan_fitur(bounded, user=None, lapisan="tempat", geometry=MARKET, nama="Gudang", publik=False)
    return sekolah, gudang


def test_a_place_photo_is_kept_without_exif_and_shown_on_the_public_map(client, op_a, bounded, places):
    sekolah, _gudang = places
    client.force_login(op_a)
    response = client.post(f"/petugas/peta/fitur/{sekolah.pk}/foto/", {"foto": photo_with_gps()})
    assert response.status_code == 302
    foto = FotoTempat.objects.get(fitur=sekolah)
    data = bytes(foto.berkas)
    assert b"KameraMerek" not in data and b"Exif" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG" and not image.getexif() and max(image.size) == services.PHOTO_SIDE
    assert ObjectChange.objects.get(object_id=sekolah.pk, content_type__model="fototempat").username == "op_a"
    client.logout()
    [feature] = client.get(f"/api/v1/peta/tempat/?wilayah={bounded.kode}").json()["features"]
    url = feature["properties"]["foto"]
    assert url.startswith(f"/peta/foto/{sekolah.pk}.jpg?v=")
    served = client.get(url)
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg" and served.content == data
    assert "public" in served["Cache-Control"]
    assert f'href="{url}"' in client.get(f"/peta/{bounded.kode}/").content.decode()


def test_the_photo_of_a_place_off_the_public_map_is_for_the_villages_officials(client, op_a, bounded, raja, places):
    _sekolah, gudang = places
    services.simpan_foto(gudang, photo_with_gps("gudang.png"), user=op_a)
    url = f"/peta/foto/{gudang.pk}.jpg"
    assert client.get(url).status_code == 404
    client.force_login(create_user("op_b", role=Role.OPERATOR, password="x", desa_kode=[raja.kode], validate=False))
    assert client.get(url).status_code == 404
    client.force_login(op_a)
    response = client.get(url)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("upload, words", [
    (SimpleUploadedFile("foto.jpg", b"%PDF-1.4 bukan gambar"), "bukan foto JPEG atau PNG"),
    ("gif", "bukan foto JPEG atau PNG"),
    ("bomb", "terlalu banyak piksel"),
])
def test_a_bad_photo_gets_a_message_and_nothing_is_written(client, op_a, places, upload, words):
    sekolah, _gudang = places
    if upload == "gif":
        buffer = io.BytesIO()
        Image.new("RGB", (20, 20)).save(buffer, "GIF")
        upload = SimpleUploadedFile("animasi.jpg", buffer.getvalue())
    elif upload == "bomb":
        buffer = io.BytesIO()
        Image.new("1", (12000, 12000)).save(buffer, "PNG")  # 144 megapixels in a few hundred KB
        upload = SimpleUploadedFile("bom.png", buffer.getvalue())
    client.force_login(op_a)
    response = client.post(f"/petugas/peta/fitur/{sekolah.pk}/foto/", {"foto": upload})
    assert response.status_code == 200 and words in response.content.decode()
    assert not FotoTempat.objects.exists()


def test_a_photo_is_replaced_or_removed_and_only_a_place_has_one(client, op_a, bounded, places):
    sekolah, _gudang = places
    client.force_login(op_a)
    client.post(f"/petugas/peta/fitur/{sekolah.pk}/foto/", {"foto": photo_with_gps()})
    client.post(f"/petugas/peta/fitur/{sekolah.pk}/foto/", {"foto": photo_with_gps("baru.jpg", (400, 300))})
    assert FotoTempat.objects.get().lebar == 400
    response = client.post(f"/petugas/peta/fitur/{sekolah.pk}/foto/", {})
    assert response.status_code == 200 and "Pilih foto" in response.content.decode()
    client.post(f"/petugas/peta/fitur/{sekolah.pk}/foto/", {"hapus": "on"})
    assert not FotoTempat.objects.exists()
    assert ObjectChange.objects.filter(content_type__model="fototempat", action="delete").count() == 1
    boundary = Fitur.objects.get(lapisan="batas")
    assert client.get(f"/petugas/peta/fitur/{boundary.pk}/foto/").status_code == 404
    # A place removed from the map takes its photo with it (recorded).
    services.simpan_foto(sekolah, photo_with_gps(), user=op_a)
    client.post(f"/petugas/peta/fitur/{sekolah.pk}/hapus/")
    assert not FotoTempat.objects.exists()
    assert ObjectChange.objects.filter(content_type__model="fototempat", action="delete").count() == 2


# --- the public map by dusun ---------------------------------------------------------------------------

def _config(page):
    return json.loads(re.search(r'<script id="peta-config" type="application/json">(.*?)</script>', page, re.S).group(1))


def test_the_village_map_colours_its_dusun_where_the_small_count_rules_allow(client, bounded, keluarga_budi):
    dusun = keluarga_budi[0].rt.dusun
    services.simpan_fitur(bounded, user=None, lapisan="dusun", geometry=WEST_HALF, dusun=dusun,
                          nama=f"Dusun {dusun.nama}")
    page = client.get(f"/peta/{bounded.kode}/?tingkat=dusun&statistik=jenis-kelamin:2").content.decode()
    urls = [layer["url"] for layer in _config(page)["layers"]]
    assert f"/api/v1/peta/batas/?wilayah={bounded.kode}&statistik=jenis-kelamin:2&tingkat=dusun" in urls
    data = client.get(f"/api/v1/peta/batas/?wilayah={bounded.kode}&statistik=jenis-kelamin:2&tingkat=dusun").json()
    [feature] = data["features"]
    published = statistik_publik.village_table(bounded.id, "jenis-kelamin", unit=Unit("dusun", dusun.id))
    assert feature["properties"]["nilai"] == next(r["jumlah"] for r in published.rows if r["kode"] == "2")
    assert set(feature["properties"]) == {"nama", "dusun", "nilai", "demo"}  # aggregates only
    assert f"<td>Dusun {dusun.nama}</td>" in page and 'id="tingkat"' in page
    # A figure never published below the village: said so, and the map shows the village.
    page = client.get(f"/peta/{bounded.kode}/?tingkat=dusun&statistik=agama:1").content.decode()
    assert "tidak pernah untuk dusun" in page
    assert all("tingkat=dusun" not in layer["url"] for layer in _config(page)["layers"])
    # The kecamatan's map has no choice of dusun.
    assert 'id="tingkat"' not in client.get("/peta/62.01.02/").content.decode()


def test_a_village_without_dusun_areas_says_so(client, bounded, keluarga_budi):
    page = client.get(f"/peta/{bounded.kode}/?tingkat=dusun").content.decode()
    assert "belum punya wilayah dusun" in page
    assert all("tingkat=dusun" not in layer["url"] for layer in _config(page)["layers"])


# --- the way to the officials' map ---------------------------------------------------------------------

def test_the_menu_leads_an_operator_to_the_villages_map(client, op_a, bounded, raja):
    client.force_login(op_a)
    assert 'href="/petugas/peta/"' in client.get("/penduduk/").content.decode()
    response = client.get("/petugas/peta/")
    assert response.status_code == 302 and response["Location"] == f"/petugas/peta/{bounded.kode}/"
    assert f'href="/petugas/peta/{bounded.kode}/"' in client.get(f"/petugas/desa/{bounded.kode}/").content.decode()
    client.force_login(create_user("admin", role=Role.ADMIN_KECAMATAN, password="x", validate=False))
    page = client.get("/petugas/peta/").content.decode()
    assert f'href="/petugas/peta/{bounded.kode}/"' in page and f'href="/petugas/peta/{raja.kode}/"' in page


def test_a_waiting_import_shows_its_progress_and_can_be_cancelled(client, op_a, bounded, tmp_path):
    path = write_geojson(tmp_path / "tempat.geojson", ({"nama": "SD Negeri 3"}, SCHOOL))
    name = jobs.store_upload(SimpleUploadedFile("tempat.geojson", path.read_bytes()))
    job = Job.objects.create(kind=services.IMPORT_JOB, desa=bounded, user=op_a, filename="tempat.geojson",
                             stored_file=name, options={"lapisan": "tempat", "publik": True, "dry_run": False})
    client.force_login(op_a)
    page = client.get(f"/petugas/peta/impor/{job.pk}/").content.decode()
    assert 'id="progres"' in page and f'action="/petugas/peta/impor/{job.pk}/batal/"' in page
    fragment = client.get(f"/petugas/peta/impor/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert fragment.startswith('<div id="progres"') and "<html" not in fragment
    response = client.post(f"/petugas/peta/impor/{job.pk}/batal/", follow=True)
    job.refresh_from_db()
    assert job.status == Job.Status.CANCELLED and "tidak ada yang ditulis" in response.content.decode()
    jobs.run(job.pk)  # a worker that takes it afterwards leaves it alone
    assert not Fitur.objects.filter(lapisan="tempat").exists()
    assert client.get(f"/petugas/peta/impor/{job.pk}/", HTTP_HX_REQUEST="true")["HX-Refresh"] == "true"
