"""A year's profile clicked through in Debian's Chromium: the operator fills part of it, uploads
the rest as XLSX and submits; the camat returns it with a comment, the operator fixes it, the
camat approves; the village's public page shows the values. Screenshots at laptop and phone widths."""

import io
import re

import pytest
from django.utils import timezone
from PIL import Image

from sidekel.akun.choices import Role
from sidekel.akun.services import create_user
from sidekel.conftest import LAPTOP, PHONE, layout_problems, login, screenshot
from sidekel.core.xlsx import write_workbook
from sidekel.potensi.models import Nilai, Profil

pytestmark = pytest.mark.browser
PASSWORD = "sandi-potensi-2026"


@pytest.fixture
def accounts(transactional_db, rangda):
    create_user("operator.rangda", role=Role.OPERATOR, password=PASSWORD, desa_kode=[rangda.kode], validate=False)
    create_user("pak.camat", role=Role.CAMAT, password=PASSWORD, validate=False)


@pytest.mark.parametrize("size, viewport", [("laptop", LAPTOP), ("ponsel", PHONE)])
def test_fill_upload_submit_return_fix_approve_and_publish(open_page, accounts, rangda, tmp_path, size, viewport):
    year = timezone.localdate().year - 1
    profile = f"/potensi/{rangda.kode}/{year}/"
    op = open_page(viewport)
    login(op, "operator.rangda", PASSWORD)
    op.locator("nav.mainnav").get_by_role("link", name="Profil desa", exact=True).click()
    op.get_by_role("heading", name="Profil desa (potensi wilayah)").wait_for()
    assert op.locator("#tahun-profil").get_by_text("belum diisi").first.is_visible()
    screenshot(op, f"potensi-01-tahun-{size}")
    op.go(profile)
    op.get_by_role("link", name=re.compile("Isi: Sumber daya alam")).click()
    op.get_by_label("Luas wilayah (ha)").fill("1.250,5")
    op.get_by_label("Sapi (ekor)").fill("40")
    screenshot(op, f"potensi-02-isi-{size}")
    op.get_by_role("button", name="Simpan").click()
    op.get_by_text("Tersimpan: 2 nilai berubah.").wait_for()

    # The rest offline: the template's codes with values, uploaded, checked, then saved.
    upload = tmp_path / "profil.xlsx"
    buffer = io.BytesIO()
    write_workbook(buffer, [("Profil", [["kode", "nilai"], ["lembaga.pemerintahan.bpd", "ya"],
                                        ["lembaga.masyarakat.rt", 12], ["prasarana.ibadah.masjid", 3],
                                        ["prasarana.komunikasi.internet", "4G"]])])
    upload.write_bytes(buffer.getvalue())
    op.get_by_label("Templat yang sudah diisi (XLSX)").set_input_files(str(upload))
    op.get_by_role("button", name="Periksa berkas").click()
    op.locator("#berkas-siap").wait_for()
    screenshot(op, f"potensi-03-unggah-{size}")
    op.get_by_role("button", name="Simpan nilai dari berkas").click()
    op.get_by_text("Tersimpan dari berkas: 4 nilai berubah.").wait_for()
    assert Nilai.objects.filter(desa=rangda, profil__tahun=year).count() == 6

    # A source document: a photo of the survey sheet with a long name, attached without JavaScript's help.
    scan = tmp_path / "lembar-survei-potensi-desa-rangda-halaman-pertama-dari-tiga.png"
    buffer = io.BytesIO()
    Image.new("RGB", (300, 420), "white").save(buffer, "PNG")
    scan.write_bytes(buffer.getvalue())
    op.get_by_label(re.compile("Lampirkan dokumen")).set_input_files(str(scan))
    op.get_by_label("Keterangan (opsional)").fill("Lembar survei RT 01")
    op.get_by_role("button", name="Lampirkan", exact=True).click()
    op.get_by_text("Dokumen sudah dilampirkan.").wait_for()
    op.locator("#lampiran").get_by_role("link", name=scan.name).wait_for()
    from axe_playwright_python.sync_playwright import Axe

    assert not layout_problems(op, Axe())  # no sideways scroll at 360 px, nothing serious for axe
    screenshot(op, f"potensi-03b-lampiran-{size}")
    op.get_by_role("button", name="Ajukan ke kecamatan").click()
    op.locator("#status-profil").get_by_text("diajukan", exact=True).wait_for()
    assert Profil.objects.get(desa=rangda, tahun=year).status == "diajukan"

    camat = open_page(viewport)
    login(camat, "pak.camat", PASSWORD)
    camat.go(f"/potensi/?tahun={year}")
    camat.locator("#status-desa").get_by_role("link", name="Periksa dan verifikasi").first.click()
    with camat.expect_download() as download:
        camat.locator("#lampiran").get_by_role("link", name=scan.name).click()
    assert download.value.suggested_filename == scan.stem + ".jpg"
    assert camat.locator("#lampiran").get_by_role("button", name="Hapus").count() == 0
    camat.get_by_label("Komentar pada satu indikator (boleh kosong)").select_option("sda.ternak.sapi")
    camat.get_by_label("Komentar", exact=True).fill("Jumlah sapi terlalu kecil, cek data dinas.")
    screenshot(camat, f"potensi-04-verifikasi-{size}")
    camat.get_by_role("button", name="Kembalikan").click()
    camat.locator("#status-profil").get_by_text("dikembalikan", exact=True).wait_for()

    op.go(profile)
    op.get_by_text("Jumlah sapi terlalu kecil").first.wait_for()
    screenshot(op, f"potensi-05-dikembalikan-{size}")
    op.get_by_role("link", name=re.compile("Isi: Sumber daya alam")).click()
    op.get_by_label("Sapi (ekor)").fill("140")
    op.get_by_role("button", name="Simpan").click()
    op.get_by_role("button", name="Ajukan lagi").click()
    op.locator("#status-profil").get_by_text("diajukan", exact=True).wait_for()

    camat.go(profile)
    camat.get_by_role("button", name="Setujui").click()
    camat.locator("#status-profil").get_by_text("disetujui", exact=True).wait_for()
    screenshot(camat, f"potensi-06-disetujui-{size}")

    public = open_page(viewport)
    public.go(f"/desa/{rangda.kode}/")
    section = public.locator("#potensi")
    section.get_by_text(f"Potensi desa {year}").wait_for()
    assert section.get_by_text("Sapi").is_visible() and "140" in section.inner_text()
    screenshot(public, f"potensi-07-publik-{size}")
