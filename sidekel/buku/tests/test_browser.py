"""The monthly books clicked through in Debian's Chromium: the operator prints B.1 and submits
last month's recap, the camat approves it. Screenshots at laptop and phone widths."""

import io

import pytest
from pypdf import PdfReader

from sidekel.akun.choices import Role
from sidekel.akun.services import create_user
from sidekel.buku.models import Rekap
from sidekel.conftest import LAPTOP, PHONE, login, screenshot

pytestmark = pytest.mark.browser
PASSWORD = "sandi-buku-2026"


@pytest.fixture
def accounts(transactional_db, rangda):
    create_user("operator.rangda", role=Role.OPERATOR, password=PASSWORD, desa_kode=[rangda.kode], validate=False)
    create_user("pak.camat", role=Role.CAMAT, password=PASSWORD, validate=False)


@pytest.mark.parametrize("size, viewport", [("laptop", LAPTOP), ("ponsel", PHONE)])
def test_operator_prints_b1_and_submits_the_recap_camat_approves(open_page, accounts, keluarga_budi, rangda, size,
                                                                   viewport):
    budi = keluarga_budi[1]
    page = open_page(viewport)
    login(page, "operator.rangda", PASSWORD)
    page.get_by_role("link", name="Buku penduduk dan rekap bulanan").click()
    page.get_by_role("heading", name="Buku administrasi penduduk").wait_for()
    screenshot(page, f"buku-01-menu-{size}")

    page.get_by_role("link", name="B.1 Buku Induk Penduduk").click()
    assert page.get_by_role("cell", name=budi.nik).is_visible()
    screenshot(page, f"buku-02-b1-{size}")
    page.get_by_label("Kertas").select_option("F4")
    page.get_by_role("button", name="Buat PDF untuk dicetak").click()
    page.get_by_text("PDF sudah siap").wait_for()
    screenshot(page, f"buku-03-pdf-siap-{size}")
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh PDF").click()
    reader = PdfReader(io.BytesIO(open(download.value.path(), "rb").read()))
    assert "BUKU INDUK PENDUDUK" in reader.pages[0].extract_text()

    page.go(f"/buku/{rangda.kode}/")
    page.get_by_role("link", name="Periksa dan ajukan rekap").click()
    screenshot(page, f"buku-04-rekap-belum-diajukan-{size}")
    page.get_by_role("button", name="Ajukan rekap").click()
    page.get_by_text("sudah dikirim ke kecamatan").wait_for()
    assert page.locator("#status-rekap").get_by_text("Menunggu kecamatan").is_visible()
    assert Rekap.objects.get(desa=rangda).status == "diajukan"
    screenshot(page, f"buku-05-rekap-diajukan-{size}")

    page.get_by_role("button", name="Keluar").click()
    login(page, "pak.camat", PASSWORD)
    page.get_by_role("link", name="Buku", exact=True).click()
    screenshot(page, f"buku-06-kecamatan-daftar-{size}")
    page.get_by_role("link", name="Periksa dan setujui").click()
    screenshot(page, f"buku-07-kecamatan-periksa-{size}")
    page.get_by_role("button", name="Setujui").click()
    page.get_by_text("disetujui dan bulan itu dikunci").wait_for()
    assert Rekap.objects.get(desa=rangda).status == "disetujui"
    screenshot(page, f"buku-08-disetujui-{size}")
    page.get_by_role("link", name="Buku", exact=True).click()
    page.get_by_role("link", name="Rekap semua desa/kelurahan untuk bupati").click()
    screenshot(page, f"buku-09-rekap-kecamatan-{size}")
