"""An operator adds a school and a school year's figures; the camat sees the village's school
participation and its children out of school. Clicked through in Debian's Chromium."""

import pytest

from sidekel.akun.choices import Role
from sidekel.akun.services import create_user
from sidekel.conftest import LAPTOP, PHONE, login, screenshot

from ..models import DataSekolah, Sekolah
from . import world

pytestmark = pytest.mark.browser
PASSWORD = "sandi-operator-2026"


@pytest.fixture
def accounts(transactional_db, rangda):
    world.build(rangda)
    return {
        "op": create_user("operator.rangda", role=Role.OPERATOR, password=PASSWORD, desa_kode=[rangda.kode], validate=False),
        "camat": create_user("camat", role=Role.CAMAT, password=PASSWORD, validate=False),
    }


def test_operator_adds_a_school_and_the_camat_sees_the_figures(open_page, accounts, rangda):
    page = open_page(LAPTOP)
    login(page, "operator.rangda", PASSWORD)
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Sekolah").click()
    page.get_by_role("link", name="Tambah sekolah").click()
    # A wrong NPSN first: a message on the field, nothing written.
    page.get_by_label("NPSN *").fill("3020")
    page.get_by_label("Nama *").fill("SD Negeri 3 Rangda")
    page.get_by_label("Jenjang *").select_option(label="SD")
    page.get_by_role("button", name="Simpan").click()
    page.get_by_text("NPSN harus tepat 8 angka").wait_for()
    assert not Sekolah.objects.exists()
    page.get_by_label("NPSN *").fill("30200123")
    page.get_by_label("Dusun / RW / RT").select_option(index=1)
    page.get_by_label("Kepala sekolah", exact=True).fill("Ibu Kepala Sekolah")
    screenshot(page, "pendidikan-01-tambah-sekolah")
    page.get_by_role("button", name="Simpan").click()
    page.get_by_text("Sekolah SD Negeri 3 Rangda sudah disimpan.").wait_for()

    page.get_by_role("link", name="Tambah data tahun ajaran").click()
    page.get_by_label("Tahun ajaran *").fill("2025/2026")
    page.get_by_label("Guru *").fill("9")
    for kelas in range(1, 7):
        page.get_by_label(f"{kelas} · laki-laki *").fill(str(10 + kelas))
        page.get_by_label(f"{kelas} · perempuan *").fill(str(12))
    page.get_by_label("Ruang kelas: baik *").fill("5")
    page.get_by_label("Ruang kelas: rusak berat *").fill("1")
    screenshot(page, "pendidikan-02-data-tahun-ajaran")
    page.get_by_role("button", name="Simpan").click()
    page.get_by_text("sudah disimpan").wait_for()
    row = DataSekolah.objects.get()
    assert (row.murid_laki_laki, row.murid_perempuan, row.guru, row.ruang_rusak_berat) == (81, 72, 9, 1)
    assert page.get_by_role("cell", name="2025/2026").is_visible()
    screenshot(page, "pendidikan-03-sekolah")

    # The camat: the dashboard shows the village's children out of school; its page the rates.
    camat = open_page(LAPTOP)
    login(camat, "camat", PASSWORD)
    camat.go("/statistik/")
    expected = sum(1 for s in world.present(world.TODAY) if 7 <= world.age_on(s[2], world.TODAY) <= 18
                   and s[3] in {1, 3, 5, 17, 18})
    cell = camat.locator("tr", has_text="Rangda").get_by_role("link", name=str(expected), exact=True)
    screenshot(camat, "pendidikan-04-dashboard-camat")
    cell.click()
    camat.get_by_role("heading", name="Angka Partisipasi Sekolah (APS)").wait_for()
    aps = camat.locator("table.aps")
    assert aps.get_by_role("cell", name="Umur 7-12").is_visible()
    assert aps.get_by_role("cell", name="100,0").first.is_visible() or aps.get_by_role("cell", name="100.0").first.is_visible()
    assert camat.get_by_text("SD Negeri 3 Rangda").count() == 0  # the list per level, not the names
    screenshot(camat, "pendidikan-05-pendidikan-desa")
    camat.get_by_role("link", name="Daftar anak tidak sekolah").click()
    assert camat.get_by_role("link", name="Anak Tiga Belas").is_visible()
    screenshot(camat, "pendidikan-06-anak-tidak-sekolah")

    phone = open_page(PHONE)
    login(phone, "camat", PASSWORD)
    phone.go(f"/petugas/pendidikan/{rangda.kode}/")
    screenshot(phone, "pendidikan-07-pendidikan-desa-hp")
    phone.go(f"/petugas/pendidikan/{rangda.kode}/tidak-sekolah/")
    screenshot(phone, "pendidikan-08-anak-tidak-sekolah-hp")
    phone.go(f"/desa/{rangda.kode}/sekolah/")
    screenshot(phone, "pendidikan-09-sekolah-publik-hp")
