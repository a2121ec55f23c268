"""Saran dan masukan on a phone (360 px), in Debian's Chromium: a citizen sends a report and gets
its code, the operator verifies and answers it, the citizen reads the answer and rates it."""

import io

import pytest
from PIL import Image

from sidekel.akun.choices import Role
from sidekel.akun.services import create_user
from sidekel.aspirasi.models import Aspirasi
from sidekel.conftest import LAPTOP, PHONE, login, screenshot

pytestmark = pytest.mark.browser
PASSWORD = "sandi-operator-2026"


@pytest.fixture
def operator(transactional_db, rangda, settings):
    settings.SIDEKEL_ASPIRASI_MIN_DETIK = 0
    return create_user("operator.rangda", role=Role.OPERATOR, password=PASSWORD, desa_kode=[rangda.kode], validate=False)


def test_a_citizen_reports_from_a_phone_and_reads_the_answer(open_page, operator, rangda, tmp_path):
    photo = tmp_path / "gorong.jpg"
    Image.new("RGB", (640, 480), "brown").save(photo, "JPEG")

    citizen = open_page(PHONE)
    citizen.go(f"/desa/{rangda.kode}/")
    citizen.get_by_role("link", name="Kirim saran atau pengaduan").first.click()
    assert citizen.get_by_label("Kepada *").input_value() == rangda.kode  # preset from the village page
    citizen.get_by_label("Pengaduan").check()
    citizen.get_by_label("Kategori *").select_option(label="Infrastruktur")
    citizen.get_by_label("Judul *").fill("Gorong-gorong tersumbat")
    citizen.get_by_label("Isi laporan *").fill("Gorong-gorong di depan rumah Pak Darto tersumbat, air meluap ke jalan.")
    citizen.get_by_label("Tempat (dusun, RT), boleh kosong").fill("RT 001")
    citizen.locator("#id_foto1").set_input_files(str(photo))
    citizen.get_by_label("Nama Anda, boleh kosong").fill("Darto")
    citizen.get_by_label("Anonim: isi boleh ditampilkan, nama saya tidak pernah").check()
    assert citizen.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling
    screenshot(citizen, "aspirasi-01-kirim-360")
    citizen.get_by_role("button", name="Kirim", exact=True).click()
    kode = citizen.locator("#kode-lacak").inner_text().strip()
    report = Aspirasi.objects.get()
    assert kode == report.kode_lacak and report.nama == "Darto" and report.foto.count() == 1
    screenshot(citizen, "aspirasi-02-kode-360")

    official = open_page(PHONE)
    login(official, "operator.rangda", PASSWORD)
    official.get_by_role("link", name="1 laporan terbuka").click()
    official.get_by_role("link", name=kode).click()
    official.get_by_label("Isi untuk umum (hapus nama, nomor, dan alamat) *").fill(
        "Gorong-gorong di depan rumah warga tersumbat, air meluap ke jalan.")
    screenshot(official, "aspirasi-03-verifikasi-360")
    official.get_by_role("button", name="Verifikasi").click()
    official.get_by_text("Laporan sudah diverifikasi.").wait_for()
    official.get_by_label("Tanggapan *").fill("Terima kasih. Besok pagi petugas membersihkan gorong-gorong.")
    official.get_by_role("button", name="Simpan tanggapan").click()
    official.get_by_text("Tanggapan sudah disimpan.").wait_for()
    official.get_by_label("Status baru *").select_option(label="selesai")
    official.get_by_label("Catatan").fill("Sudah dibersihkan")
    official.get_by_role("button", name="Ubah status").click()
    official.get_by_text("Status sudah diubah.").wait_for()
    assert official.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(official, "aspirasi-04-petugas-360")

    citizen.go("/aspirasi/lacak/")
    citizen.get_by_label("Kode lacak").fill(kode.lower())
    citizen.get_by_role("button", name="Cari").click()
    assert citizen.locator("#status").inner_text() == "selesai"
    assert citizen.get_by_text("Besok pagi petugas membersihkan gorong-gorong.").is_visible()
    assert "Darto" not in citizen.content()
    citizen.get_by_label("5", exact=True).check()
    citizen.get_by_role("button", name="Beri nilai").click()
    citizen.get_by_text("Terima kasih atas penilaian Anda.").wait_for()
    assert Aspirasi.objects.get().penilaian == 5
    screenshot(citizen, "aspirasi-05-lacak-360")

    # The public list shows the redacted text and the answer, never the name.
    public = open_page(LAPTOP)
    public.go("/aspirasi/")
    assert public.get_by_text("di depan rumah warga").is_visible() and "Darto" not in public.content()
    screenshot(public, "aspirasi-06-daftar-1366")
