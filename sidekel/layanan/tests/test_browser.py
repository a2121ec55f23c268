"""Letters in Debian's Chromium (issue 21, "Done when"): the operator issues an SKTM for a resident,
the kepala desa signs, the PDF opens and reads right, the QR code decoded from the PDF's own image
leads to the verification page, which shows the letter valid, then revoked. And a resident asks
for a letter from a phone with NIK and PIN, follows it and downloads it. Screenshots at 1366 and
360 px in test-artifacts/screens/ (surat-*.png)."""

import io
import re

import pytest

from sidekel.akun.choices import Role
from sidekel.akun.services import create_user
from sidekel.conftest import LAPTOP, PHONE, layout_problems, login, screenshot
from sidekel.layanan import katalog
from sidekel.layanan.models import Permohonan, Surat

pytestmark = pytest.mark.browser
PASSWORD = "sandi-surat-2026"
RANGDA = "62.01.02.2010"


@pytest.fixture
def accounts(transactional_db, keluarga_budi):
    katalog.seed()  # a transactional test's database was flushed
    create_user("operator.rangda", role=Role.OPERATOR, password=PASSWORD, desa_kode=[RANGDA], validate=False)
    create_user("kades.rangda", role=Role.KEPALA_DESA, password=PASSWORD, desa_kode=[RANGDA], validate=False,
                first_name="Harun Effendi")
    return keluarga_budi


def pdf_of(page, url):
    """The PDF the page's session gets at ``url``: (its text, the URL in its QR code image)."""
    import zxingcpp
    from pypdf import PdfReader

    response = page.request.get(url)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.body()))
    images = reader.pages[0].images
    assert len(images) == 1  # the QR code
    found = zxingcpp.read_barcodes(images[0].image)
    assert len(found) == 1 and found[0].format == zxingcpp.BarcodeFormat.QRCode
    return reader.pages[0].extract_text(), found[0].text


def test_an_sktm_is_drafted_signed_verified_from_its_qr_code_and_revoked(open_page, accounts, live_server):
    _, budi, _, _ = accounts
    operator = open_page(LAPTOP)
    login(operator, "operator.rangda", PASSWORD)
    operator.go(f"/surat/buat/?desa={RANGDA}")
    operator.get_by_label("Penduduk (nama atau NIK 16 digit)").fill("budi")
    operator.get_by_role("button", name="Cari").click()
    operator.get_by_role("link", name="Budi Santoso").click()
    operator.get_by_label("Jenis surat").select_option(label="Surat Keterangan Tidak Mampu")
    operator.get_by_role("button", name="Berikutnya").click()
    operator.get_by_role("button", name="Simpan draf dan lihat pratinjau").click()  # the income is missing
    assert "wajib diisi" in operator.locator("main").inner_text() and not Surat.objects.exists()
    operator.get_by_label("Penghasilan keluarga per bulan (Rp) *").fill("750000")
    operator.get_by_label("Keperluan").fill("Beasiswa sekolah anak")
    screenshot(operator, "surat-01-isian-1366")
    operator.get_by_role("button", name="Simpan draf dan lihat pratinjau").click()
    operator.get_by_text("Draf tersimpan").wait_for()
    assert "Budi Santoso" in operator.locator(".surat-teks").inner_text()
    assert operator.get_by_role("button", name="Tanda tangani dan terbitkan").count() == 0  # an operator does not sign
    screenshot(operator, "surat-02-pratinjau-1366")
    draft_url = operator.url

    kades = open_page(LAPTOP)
    login(kades, "kades.rangda", PASSWORD)
    kades.goto(draft_url)
    kades.get_by_role("button", name="Tanda tangani dan terbitkan").click()
    kades.get_by_text("Sudah ditandatangani. Nomor surat:").wait_for()
    surat = Surat.objects.get()
    assert surat.nomor in kades.locator("main").inner_text()
    screenshot(kades, "surat-03-terbit-1366")

    # The PDF: its text, and the verification address read back from the QR code's pixels.
    pdf_url = kades.get_by_role("link", name="Buka PDF").get_attribute("href")
    text, qr_url = pdf_of(kades, live_server.url + pdf_url)
    flat = " ".join(text.split())
    assert "SURAT KETERANGAN TIDAK MAMPU" in flat and f"Nomor: {surat.nomor}" in flat
    assert "Budi Santoso" in flat and budi.nik in flat and "Beasiswa sekolah anak" in flat
    assert "Harun Effendi" in flat and "Kepala Desa Rangda" in flat
    assert re.fullmatch(re.escape(live_server.url) + r"/v/[A-Za-z0-9_-]{22}/", qr_url)
    assert qr_url.endswith(f"/v/{surat.token}/")

    for size, viewport in (("1366", LAPTOP), ("360", PHONE)):
        anyone = open_page(viewport)  # a bank or school: no login
        anyone.goto(qr_url)
        assert anyone.locator(".status-line").inner_text().strip() == "Berlaku"
        main = anyone.locator("main").inner_text()
        assert surat.nomor in main and "B*** S***" in main and "Budi" not in main and budi.nik not in main
        assert not layout_problems(anyone)
        screenshot(anyone, f"surat-04-verifikasi-berlaku-{size}")
        anyone.go("/layanan/")  # the residents' own page, as a visitor finds it
        assert not layout_problems(anyone)
        screenshot(anyone, f"surat-06-layanan-{size}")

    kades.goto(draft_url)
    kades.get_by_role("link", name="Cabut").click()
    kades.get_by_label("Alasan pencabutan").fill("Penghasilan keliru ditulis")
    kades.get_by_role("button", name="Cabut").click()
    kades.get_by_text("Surat dicabut").wait_for()
    for size, viewport in (("1366", LAPTOP), ("360", PHONE)):
        anyone = open_page(viewport)
        anyone.goto(qr_url)
        assert anyone.locator(".status-line").inner_text().strip() == "Dicabut"
        screenshot(anyone, f"surat-05-verifikasi-dicabut-{size}")


def test_a_resident_asks_for_a_letter_from_a_phone(open_page, accounts, live_server):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    _, budi, _, _ = accounts
    problems = []
    operator = open_page(PHONE)
    login(operator, "operator.rangda", PASSWORD)
    operator.go(f"/surat/pin/?desa={RANGDA}&q=budi")
    operator.get_by_role("link", name="Budi Santoso").click()
    operator.get_by_role("button", name="Buat PIN").click()
    pin = operator.locator("#pin-baru").inner_text().strip()
    assert re.fullmatch(r"\d{4} \d{4}", pin)
    problems += [f"PIN: {p}" for p in layout_problems(operator, axe)]
    screenshot(operator, "surat-10-pin-360")

    resident = open_page(PHONE)
    resident.go("/")
    resident.get_by_role("link", name="Layanan surat").click()
    resident.get_by_role("link", name="Masuk dengan NIK dan PIN").wait_for()  # the new page, not the one leaving
    problems += [f"/layanan/: {p}" for p in layout_problems(resident, axe)]
    screenshot(resident, "surat-11-layanan-360")
    resident.get_by_role("link", name="Masuk dengan NIK dan PIN").click()
    resident.get_by_label("NIK (16 angka)").fill(budi.nik)
    resident.get_by_label("PIN dari kantor desa (8 angka)").fill("0000 0000")
    resident.get_by_role("button", name="Masuk").click()
    resident.get_by_text("NIK atau PIN tidak benar").wait_for()
    problems += [f"masuk: {p}" for p in layout_problems(resident, axe)]
    screenshot(resident, "surat-12-masuk-salah-360")
    resident.get_by_label("PIN dari kantor desa (8 angka)").fill(pin)
    resident.get_by_role("button", name="Masuk").click()
    resident.get_by_label("Jenis surat").select_option(label="Surat Keterangan Tidak Mampu")
    resident.get_by_role("button", name="Berikutnya").click()
    resident.get_by_label("Penghasilan keluarga per bulan (Rp) *").fill("600000")
    resident.get_by_label("Keperluan *").fill("Keringanan biaya rumah sakit")
    problems += [f"ajukan: {p}" for p in layout_problems(resident, axe)]
    screenshot(resident, "surat-13-ajukan-360")
    resident.get_by_role("button", name="Kirim permohonan").click()
    kode = resident.locator("#kode-lacak").inner_text().strip()
    assert kode == Permohonan.objects.get().kode
    assert "Menunggu diperiksa kantor desa" in resident.locator("#status").inner_text()
    problems += [f"lacak: {p}" for p in layout_problems(resident, axe)]
    screenshot(resident, "surat-14-lacak-menunggu-360")

    operator.go("/surat/")
    operator.get_by_role("link", name="Surat Keterangan Tidak Mampu").first.click()
    screenshot(operator, "surat-15-permohonan-petugas-360")
    operator.get_by_role("button", name="Jadikan draf surat").click()
    operator.get_by_text("Draf dibuat dari permohonan").wait_for()
    kades = open_page(PHONE)
    login(kades, "kades.rangda", PASSWORD)
    kades.goto(operator.url)
    kades.get_by_role("button", name="Tanda tangani dan terbitkan").click()
    kades.get_by_text("Sudah ditandatangani. Nomor surat:").wait_for()
    screenshot(kades, "surat-17-terbit-360")
    problems += [f"terbit: {p}" for p in layout_problems(kades, axe)]

    resident.go("/layanan/lacak/")
    resident.get_by_label("Kode lacak").fill(kode.lower().replace("-", " "))
    resident.get_by_role("button", name="Cari").click()
    assert "siap diunduh" in resident.locator("#status").inner_text()
    problems += [f"lacak terbit: {p}" for p in layout_problems(resident, axe)]
    screenshot(resident, "surat-16-lacak-terbit-360")
    text, qr_url = pdf_of(resident, live_server.url + resident.get_by_role("link", name="Unduh surat (PDF)")
                          .get_attribute("href"))
    assert "Budi Santoso" in text and "Keringanan biaya rumah sakit" in " ".join(text.split())
    assert qr_url.endswith(f"/v/{Surat.objects.get().token}/")
    assert not problems, problems
