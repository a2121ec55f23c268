"""The operator's day, clicked through in Debian's Chromium (Playwright)."""

import datetime

import pytest
from django.utils import timezone

from sidekel.akun.choices import Role
from sidekel.akun.services import create_user
from sidekel.conftest import LAPTOP, PHONE, login, screenshot
from sidekel.penduduk.models import Penduduk

pytestmark = pytest.mark.browser
PASSWORD = "sandi-operator-2026"


@pytest.fixture
def accounts(transactional_db, rangda, raja):
    return {
        "a": create_user("operator.rangda", role=Role.OPERATOR, password=PASSWORD, desa_kode=[rangda.kode], validate=False),
        "b": create_user("operator.raja", role=Role.OPERATOR, password=PASSWORD, desa_kode=[raja.kode], validate=False),
    }


def test_operator_finds_edits_restores_and_records_a_birth(open_page, accounts, keluarga_budi):
    keluarga, budi, siti, _andi = keluarga_budi
    page = open_page(LAPTOP)
    login(page, "operator.rangda", PASSWORD)
    assert page.get_by_role("heading", name="Desa Rangda").is_visible()
    screenshot(page, "01-beranda-desa")

    # Find by part of the name: the list updates as the operator types.
    page.get_by_role("link", name="Cari penduduk").click()
    page.get_by_label("Nama atau NIK").fill("santo")
    page.locator("#jumlah", has_text="1 penduduk ditemukan").wait_for()
    assert page.get_by_role("cell", name="620102**********").first.is_visible()
    screenshot(page, "02-cari-penduduk")
    page.get_by_role("link", name="Budi Santoso").click()
    screenshot(page, "03-detail-penduduk")

    # Edit: occupation Petani/Pekebun -> Wiraswasta, with a reason.
    page.get_by_role("link", name="Ubah").click()
    page.get_by_label("Pekerjaan *").select_option(label="Wiraswasta")
    page.get_by_label("Alasan perubahan").fill("buka warung")
    screenshot(page, "04-ubah-penduduk")
    page.get_by_role("button", name="Simpan").click()
    page.get_by_text("Data Budi Santoso sudah disimpan.").wait_for()
    history = page.locator("#riwayat")
    assert history.get_by_text("buka warung").is_visible()
    assert history.get_by_role("cell", name="Petani/Pekebun").is_visible()
    assert Penduduk.objects.get(pk=budi.pk).get_pekerjaan_display() == "Wiraswasta"
    screenshot(page, "05-riwayat-perubahan")

    # Restore the old value from the history.
    history.get_by_role("button", name="Kembalikan isian sebelum perubahan ini").first.click()
    page.get_by_text("Isian sebelumnya sudah dikembalikan.").wait_for()
    assert Penduduk.objects.get(pk=budi.pk).get_pekerjaan_display() == "Petani/Pekebun"
    assert page.locator("#riwayat .change").first.get_by_text("dipulihkan").is_visible()

    # Record a birth into the family.
    page.locator("h2 a", has_text="KK").click()
    page.get_by_role("link", name="Catat kelahiran").click()
    born = (timezone.localdate() - datetime.timedelta(days=3)).strftime("%d-%m-%Y")
    page.get_by_label("Nama bayi").fill("Nur Aisyah")
    page.get_by_label("Jenis kelamin").select_option(label="Perempuan")
    page.get_by_label("Tanggal lahir").fill(born)
    page.get_by_label("Tempat lahir").fill("RSUD Sultan Imanuddin")
    page.get_by_label("Ibu").select_option(label="Siti Aminah")
    page.get_by_label("Ayah").select_option(label="Budi Santoso")
    screenshot(page, "06-catat-kelahiran")
    page.get_by_role("button", name="Simpan").click()
    page.get_by_text("Kelahiran sudah dicatat.").wait_for()
    assert page.get_by_role("link", name="Nur Aisyah").is_visible()
    assert keluarga.anggota.get(nama="Nur Aisyah").peristiwa.get().get_jenis_display() == "Lahir"
    screenshot(page, "07-keluarga")


def test_operator_of_another_village_cannot_open_the_resident(open_page, accounts, keluarga_budi):
    budi = keluarga_budi[1]
    page = open_page(LAPTOP)
    login(page, "operator.raja", PASSWORD)
    response = page.go(f"/penduduk/{budi.pk}/")
    assert response.status == 404
    assert page.get_by_role("heading", name="Tidak ditemukan").is_visible()
    assert "Budi" not in page.content()
    screenshot(page, "08-desa-lain-404")
    page.go("/penduduk/?q=santo")
    assert page.get_by_text("Tidak ada penduduk yang cocok").is_visible()


@pytest.mark.parametrize("size,viewport", [("laptop", LAPTOP), ("hp", PHONE)])
def test_screens_fit_a_laptop_and_a_phone(open_page, accounts, keluarga_budi, size, viewport):
    """No screen scrolls sideways at 1366x768 or 360 px wide (tables scroll inside their box)."""
    keluarga, budi, *_ = keluarga_budi
    page = open_page(viewport)
    login(page, "operator.rangda", PASSWORD)
    for name, path in [("beranda", "/petugas/"), ("daftar", "/penduduk/"), ("detail", f"/penduduk/{budi.pk}/"),
                       ("ubah", f"/penduduk/{budi.pk}/ubah/"), ("keluarga", f"/keluarga/{keluarga.pk}/"),
                       ("kematian", f"/penduduk/{budi.pk}/kematian/"), ("masuk", "/masuk/")]:
        page.go(path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {size}"
        screenshot(page, f"layar-{size}-{name}")
