import pytest

from sidekel.akun.choices import Role
from sidekel.akun.services import create_user, issue_token
from sidekel.penduduk import services
from sidekel.penduduk.tests.factories import adult
from sidekel.wilayah.models import Desa

RANGDA, RAJA = "62.01.02.2010", "62.01.02.1007"
PERSONAS = ["admin", "camat", "op_a", "op_b", "kades_a", "anon"]


@pytest.fixture
def world(keluarga_budi, raja):
    """Desa A (Rangda) with Budi's family, desa B (Raja) with Dewi, and one account per persona."""
    return make_world(keluarga_budi, raja)


def build_world():
    """``world`` outside a fixture, from an empty database (for ``build_once``)."""
    from sidekel.conftest import ARUT_SELATAN, make_keluarga_budi
    from sidekel.wilayah.services import load_wilayah

    load_wilayah(kode=ARUT_SELATAN, manage=True)
    return make_world(make_keluarga_budi(Desa.objects.get(kode=RANGDA)), Desa.objects.get(kode=RAJA))


def make_world(keluarga_budi, raja):
    keluarga, budi, siti, andi = keluarga_budi
    dewi, _ = services.register_penduduk(raja, nik="6201074101900001",
                                         **adult(nama="Dewi Lestari", jenis_kelamin=2, hubungan_keluarga=11))
    budi, _ = services.update_penduduk(budi, user=None, changes={"pekerjaan": 88}, version=budi.version, reason="tes")
    gone, _ = services.register_penduduk(keluarga.desa, nik="6201021203850007", **adult(nama="Salah Input"))
    services.delete_penduduk(gone, user=None, reason="data ganda")
    users = {
        "admin": create_user("admin", role=Role.ADMIN_KECAMATAN, password="x", validate=False),
        "camat": create_user("camat", role=Role.CAMAT, password="x", validate=False),
        "op_a": create_user("op_a", role=Role.OPERATOR, password="x", desa_kode=[RANGDA], validate=False),
        "op_b": create_user("op_b", role=Role.OPERATOR, password="x", desa_kode=[RAJA], validate=False),
        "kades_a": create_user("kades_a", role=Role.KEPALA_DESA, password="x", desa_kode=[RANGDA], validate=False),
    }
    job = import_job(keluarga.desa, users["op_a"])
    # A death recorded by mistake (never cancelled here): the page to cancel it.
    wati, _ = services.register_penduduk(keluarga.desa, nik="6201024101500001",
                                         **adult(nama="Wati", jenis_kelamin=2, hubungan_keluarga=11))
    mati = services.record_death(wati, tanggal=keluarga.tanggal_kk)
    return {
        "job": job, "rekap": submitted_rekap(keluarga.desa, users["op_a"]), "buku_job": buku_job(keluarga.desa, users["op_a"]),
        "desa_a": Desa.objects.get(kode=RANGDA), "desa_b": raja, "keluarga": keluarga, "budi": budi, "siti": siti,
        "andi": andi, "dewi": dewi, "gone": gone, "users": users,
        "tokens": {name: issue_token(user) for name, user in users.items()},
        "change": budi_change(budi),
        "berita": berita_of(keluarga.desa), "wati": wati, "mati": mati,
        "aspirasi": aspirasi_of(keluarga.desa), "sekolah": sekolah_of(keluarga.desa),
        "sekolah_job": sekolah_job(keluarga.desa, users["op_a"]),
        "fitur": fitur_of(keluarga.desa), "peta_job": peta_job(keluarga.desa, users["op_a"]),
        **letters_of(budi, users),
        "profil": submitted_profil(keluarga.desa),
    }


def aspirasi_of(desa):
    """A citizen's report to desa A with a photo, not yet verified (so not public)."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from sidekel.aspirasi.models import Kategori
    from sidekel.aspirasi.services import submit

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "blue").save(buffer, "JPEG")
    return submit(kecamatan=desa.kecamatan, desa=desa, jenis="pengaduan", kategori=Kategori.objects.get(slug="lainnya"),
                  judul="Jalan berlubang", isi="Jalan berlubang di RT 001.", privasi="publik", nama="Pak Pelapor",
                  kontak="0812", photos=[SimpleUploadedFile("a.jpg", buffer.getvalue())])


def sekolah_job(desa, user):
    """A finished check of a file of schools of desa A, with one problem (a 7-digit NPSN)."""
    from sidekel.core import jobs
    from sidekel.core.models import Job

    name = "sekolah.csv"
    (jobs.jobs_dir() / name).write_text("npsn,nama,jenjang,status,kementerian\n3020001,SD Tujuh,sd,negeri,kemendikdasmen\n")
    job = Job.objects.create(kind="impor-sekolah", desa=desa, user=user, filename=name, stored_file=name,
                             options={"jenis": "sekolah", "dry_run": True})
    return jobs.start(job)


def sekolah_of(desa):
    """A school of desa A with one school year."""
    from sidekel.pendidikan import services as pendidikan

    sekolah = pendidikan.save_sekolah(desa, {"npsn": "30200099", "nama": "SDN 9 Rangda", "jenjang": "sd",
                                             "status": "negeri", "kementerian": "kemendikdasmen"}, user=None)
    pendidikan.save_data(sekolah, "2025/2026", {"murid": {"1": [10, 9]}, "guru": 3, "ruang_baik": 2}, user=None)
    return sekolah


def berita_of(desa):
    """A published news item of desa A, with a small image."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from sidekel.portal.services import save_berita

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, "PNG")
    image = SimpleUploadedFile("foto.png", buffer.getvalue(), content_type="image/png")
    return save_berita(None, desa, {"judul": "Kerja bakti", "isi": "Hari Minggu kerja bakti."}, image=image)


def fitur_of(desa):
    """Desa A's boundary on the map, a public school in it, and Budi's family's home point."""
    from sidekel.peta import services as peta
    from sidekel.penduduk.models import Keluarga
    from sidekel.peta.demo import ensure_kategori

    peta.simpan_fitur(desa, user=None, lapisan="batas", geometry={"type": "Polygon", "coordinates": [
        [[111.60, -2.70], [111.64, -2.70], [111.64, -2.66], [111.60, -2.66], [111.60, -2.70]]]})
    keluarga = Keluarga.objects.filter(desa=desa).first()
    peta.set_lokasi(keluarga, user=None, lon=111.6111, lat=-2.6777)
    school = peta.simpan_fitur(desa, user=None, lapisan="tempat", geometry={"type": "Point", "coordinates": [111.62, -2.68]},
                               nama="SD Negeri 1", kategori=ensure_kategori()["sekolah"])  # a transactional test's database has no migrated rows
    peta.simpan_foto(school, _jpeg("sekolah.jpg"), user=None)
    return school


def peta_job(desa, user):
    """A finished check of a GeoJSON file of one place for desa A, nothing refused."""
    import json

    from sidekel.core import jobs
    from sidekel.core.models import Job
    from sidekel.peta.services import IMPORT_JOB

    name = "peta-matrix.geojson"
    (jobs.jobs_dir() / name).write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"nama": "Pasar"}, "geometry": {"type": "Point", "coordinates": [111.625, -2.672]}}]}))
    job = Job.objects.create(kind=IMPORT_JOB, desa=desa, user=user, filename=name, stored_file=name,
                             options={"lapisan": "tempat", "publik": True, "dry_run": True})
    return jobs.start(job)


def _jpeg(name):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "orange").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue())


def budi_change(budi):
    from sidekel.core.models import ObjectChange

    return ObjectChange.objects.filter(object_id=budi.pk, action="update").first()


def import_job(desa, user):
    """A finished check of a small file for desa A: one row refused, the rest already registered."""
    from sidekel.core import jobs
    from sidekel.core.models import Job
    
    name = "cek.csv"
    path = jobs.jobs_dir() / name
    path.write_text("nik,no_kk,nama,jenis_kelamin,tanggal_lahir,agama,pendidikan_kk,pekerjaan,status_perkawinan,"
                    "hubungan_keluarga\n6201021203850001,6201021501200001,Budi Santoso,1,12-03-1985,1,5,9,2,1\n"
                    "123,,Tanpa NIK Sah,1,01-01-1990,1,5,9,1,11\n")
    job = Job.objects.create(kind="import-penduduk", desa=desa, user=user, filename=name, stored_file=name,
                             options={"format": "auto", "existing": "skip", "dry_run": True})
    return jobs.start(job)


def submitted_profil(desa):
    """Desa A's village profile of last year, filled, with a source document, and waiting for the kecamatan."""
    from django.utils import timezone

    from sidekel.potensi import services as potensi
    from sidekel.potensi.katalog import load
    from sidekel.potensi.models import Indikator

    load(Indikator)  # a transactional test elsewhere may have flushed the migration's rows
    year = timezone.localdate().year - 1
    potensi.save_values(desa, year, {"sda.umum.luas": "1500", "lembaga.pemerintahan.bpd": "ya"}, user=None)
    potensi.add_lampiran(desa, year, _pdf_upload("survei-lahan.pdf"), user=None)
    return potensi.submit(desa, year, user=None)


def _pdf_upload(name):
    """A one-page PDF as if uploaded (a source document of the profile)."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/pdf")


def submitted_rekap(desa, user):
    """Last month's recap of desa A, submitted by its operator and waiting for the kecamatan."""
    from sidekel.buku.services import submit_rekap
    from sidekel.buku.views import _previous_month

    return submit_rekap(desa, *_previous_month(), user=user)


def buku_job(desa, user):
    """A finished PDF of desa A's Buku Induk, made by its operator."""
    from sidekel.buku.views import JOB_KIND
    from sidekel.core import jobs
    from sidekel.core.models import Job

    job = Job.objects.create(kind=JOB_KIND, desa=desa, user=user, filename="B1.pdf", stored_file="b1-matrix.pdf",
                             options={"buku": "b1", "tahun": None, "bulan": None, "kertas": "A4", "judul": "B.1"})
    return jobs.start(job)


def letters_of(budi, users):
    """An issued letter of desa A (Budi's domicile), a draft waiting for a signature, an online request."""
    from sidekel.layanan import services as surat
    from sidekel.layanan.katalog import seed
    from sidekel.layanan.models import JenisSurat

    seed()  # a transactional test run before may have emptied the seeded types
    domisili = JenisSurat.objects.get(kode="domisili")
    issued = surat.sign_surat(surat.draft_surat(user=users["op_a"], penduduk=budi, jenis=domisili),
                              user=users["kades_a"])
    return {"surat": issued, "draf": surat.draft_surat(user=users["op_a"], penduduk=budi, jenis=domisili),
            # Budi's own request, asked online and waiting in desa A's queue.
            "permohonan": surat.submit_permohonan(budi, jenis=domisili, keperluan="Bank")}
