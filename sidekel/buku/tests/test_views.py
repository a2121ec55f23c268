"""The books' pages: who may open what, the access log, the workflow through the pages, bad input."""

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from sidekel.buku.models import Rekap
from sidekel.core.models import AccessLog, Job

from .conftest import last_month


@pytest.fixture
def month():
    tahun, bulan, day = last_month()
    return f"{tahun:04d}-{bulan:02d}", day


def _as(client, user):
    client.force_login(user)
    return client


def test_b1_page_shows_full_numbers_to_the_village_and_is_logged(client, users, keluarga_budi, rangda):
    keluarga, budi, _siti, _andi = keluarga_budi
    response = _as(client, users["op_a"]).get(f"/buku/{rangda.kode}/b1/")
    body = response.content.decode()
    assert response.status_code == 200
    assert budi.nik in body and keluarga.nomor_kk in body and "Buku Induk Penduduk" in body
    assert AccessLog.objects.filter(user=users["op_a"], desa=rangda, action="view", detail__startswith="B.1").exists()


@pytest.mark.parametrize("persona, status", [("op_b", 404), ("camat", 403), ("kades_a", 200), ("admin", 200)])
def test_who_may_open_the_books_with_identity_numbers(client, users, keluarga_budi, rangda, persona, status):
    for book in ("b1", "b4", "b5"):
        assert _as(client, users[persona]).get(f"/buku/{rangda.kode}/{book}/").status_code == status, book


def test_the_camat_reads_the_mutation_and_recap_books(client, users, keluarga_budi, rangda, month):
    for book in ("b2", "b3"):
        response = _as(client, users["camat"]).get(f"/buku/{rangda.kode}/{book}/?bulan={month[0]}")
        assert response.status_code == 200
        assert keluarga_budi[1].nik not in response.content.decode()


def test_bad_input_is_never_a_server_error(client, users, keluarga_budi, rangda):
    c = _as(client, users["op_a"])
    for path in ("b1/?halaman=abc", "b1/?halaman=99999", "b2/?bulan=2026-13", "b3/?bulan=x", "b3/?bulan=9999-01",
                 "b2/?bulan=0001-01"):
        assert c.get(f"/buku/{rangda.kode}/{path}").status_code == 200, path
    assert c.get(f"/buku/{rangda.kode}/b9/").status_code == 404
    assert c.get("/buku/99.99.99.9999/b1/").status_code == 404
    assert c.post(f"/buku/{rangda.kode}/rekap/setujui/", {"bulan": "nonsense"}).status_code == 403
    assert c.get("/unduhan/999999/").status_code == 404


def test_xlsx_download_matches_the_page_and_is_logged(client, users, keluarga_budi, rangda):
    response = _as(client, users["kades_a"]).get(f"/buku/{rangda.kode}/b5/xlsx/")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    for p in keluarga_budi[1:]:
        assert p.nik in cells and p.nama in cells
    assert AccessLog.objects.filter(user=users["kades_a"], action="export", detail="B.5 xlsx").exists()


def test_pdf_job_progress_page_and_download(client, users, keluarga_budi, rangda):
    c = _as(client, users["op_a"])
    response = c.post(f"/buku/{rangda.kode}/b1/pdf/", {"kertas": "F4"})
    job = Job.objects.get(kind="buku-pdf")
    assert response.status_code == 302 and response["Location"] == f"/unduhan/{job.pk}/"
    assert job.status == "done" and job.options["kertas"] == "F4"
    page = c.get(f"/unduhan/{job.pk}/").content.decode()
    assert f"/unduhan/{job.pk}/berkas/" in page
    download = c.get(f"/unduhan/{job.pk}/berkas/")
    reader = PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    text = reader.pages[0].extract_text()
    assert "DESA RANGDA" in text and keluarga_budi[1].nik in text
    assert AccessLog.objects.filter(user=users["op_a"], action="export", detail__contains="pdf F4").exists()
    # Somebody else's download is not theirs to take.
    assert _as(client, users["admin"]).get(f"/unduhan/{job.pk}/berkas/").status_code == 404


def test_workflow_through_the_pages(client, users, keluarga_budi, rangda, month):
    bulan, day = month
    b3 = f"/buku/{rangda.kode}/b3/?bulan={bulan}"
    assert _as(client, users["camat"]).post(f"/buku/{rangda.kode}/rekap/ajukan/", {"bulan": bulan}).status_code == 403
    assert _as(client, users["op_b"]).post(f"/buku/{rangda.kode}/rekap/ajukan/", {"bulan": bulan}).status_code == 404
    page = _as(client, users["op_a"]).get(b3).content.decode()
    assert "Ajukan rekap" in page
    response = client.post(f"/buku/{rangda.kode}/rekap/ajukan/", {"bulan": bulan}, follow=True)
    assert Rekap.objects.get(desa=rangda).status == "diajukan"
    assert "Menunggu kecamatan" in response.content.decode()
    assert client.post(f"/buku/{rangda.kode}/rekap/setujui/", {"bulan": bulan}).status_code == 403

    c = _as(client, users["camat"])
    response = c.post(f"/buku/{rangda.kode}/rekap/kembalikan/", {"bulan": bulan, "catatan": ""}, follow=True)
    assert Rekap.objects.get(desa=rangda).status == "diajukan"  # a note is required
    c.post(f"/buku/{rangda.kode}/rekap/kembalikan/", {"bulan": bulan, "catatan": "Cek data pindah"})
    assert Rekap.objects.get(desa=rangda).catatan == "Cek data pindah"
    page = _as(client, users["op_a"]).get(b3).content.decode()
    assert "Cek data pindah" in page and "Ajukan lagi" in page
    client.post(f"/buku/{rangda.kode}/rekap/ajukan/", {"bulan": bulan})
    index = _as(client, users["camat"]).get(f"/buku/?bulan={bulan}").content.decode()
    assert "Periksa dan setujui" in index
    client.post(f"/buku/{rangda.kode}/rekap/setujui/", {"bulan": bulan})
    assert Rekap.objects.get(desa=rangda).status == "disetujui"

    # A correction after approval, through the death form, then shown on the recap page.
    andi = keluarga_budi[3]
    c = _as(client, users["op_a"])
    form = {"tanggal": day.strftime("%d-%m-%Y"), "tempat": "Rumah", "sebab": ""}
    response = c.post(f"/penduduk/{andi.pk}/kematian/", form)
    assert response.status_code == 200 and "sudah disetujui kecamatan" in response.content.decode()
    c.post(f"/penduduk/{andi.pk}/kematian/", {**form, "alasan_koreksi": "Laporan terlambat dari RT"})
    page = c.get(b3).content.decode()
    assert "Koreksi setelah disetujui" in page and "Laporan terlambat dari RT" in page


def test_kecamatan_recap_only_for_the_kecamatan(client, users, keluarga_budi, month):
    bulan = month[0]
    assert _as(client, users["op_a"]).get("/buku/kecamatan/").status_code == 403
    c = _as(client, users["camat"])
    page = c.get(f"/buku/kecamatan/?bulan={bulan}").content.decode()
    assert "Rangda" in page and "belum diajukan" in page
    response = c.get(f"/buku/kecamatan/unduh/?bulan={bulan}&format=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    rows = [r for r in sheet.iter_rows(values_only=True)]
    rangda_row = next(r for r in rows if len(r) > 1 and r[1] == "Desa Rangda")
    assert rangda_row[31] == 3 and rangda_row[32] == "belum diajukan"
    response = c.get(f"/buku/kecamatan/unduh/?bulan={bulan}&format=pdf&kertas=F4")
    assert PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages[0].extract_text().count("Desa ") >= 1
