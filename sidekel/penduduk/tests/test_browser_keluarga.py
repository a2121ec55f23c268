"""Families and corrections, clicked through as the village operator in Debian's Chromium:
a family moves in whole, a family splits, a death recorded by mistake is cancelled."""

import datetime

import pytest
from django.utils import timezone

from sidekel.akun.choices import Role
from sidekel.akun.services import create_user
from sidekel.conftest import LAPTOP, PHONE, login, screenshot
from sidekel.penduduk import services
from sidekel.penduduk.choices import HubunganKeluarga, StatusDasar
from sidekel.penduduk.models import Keluarga, Penduduk, Peristiwa

pytestmark = pytest.mark.browser
PASSWORD = "sandi-operator-2026"


@pytest.fixture
def operator(transactional_db, rangda):
    return create_user("operator.rangda", role=Role.OPERATOR, password=PASSWORD, desa_kode=[rangda.kode], validate=False)


def dmy(day):
    return day.strftime("%d-%m-%Y")


def no_sideways_scroll(page, name):
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px"


def fill_member(page, n, nama, jk, hubungan, lahir, nik="", kawin="Kawin", pendidikan="SLTA/Sederajat",
                pekerjaan="Petani/Pekebun"):
    row = page.locator("fieldset.anggota").nth(n)
    row.get_by_label("Nama lengkap").fill(nama)
    if nik:
        row.get_by_label("NIK", exact=True).fill(nik)
    row.get_by_label("Jenis kelamin").select_option(label=jk)
    row.get_by_label("Hubungan dalam keluarga").select_option(label=hubungan)
    row.get_by_label("Tempat lahir").fill("Sampit")
    row.get_by_label("Tanggal lahir").fill(lahir)
    row.get_by_label("Agama").select_option(label="Islam")
    row.get_by_label("Status perkawinan").select_option(label=kawin)
    row.get_by_label("Pendidikan terakhir").select_option(label=pendidikan)
    row.get_by_label("Pekerjaan").select_option(label=pekerjaan)


@pytest.mark.parametrize("size,viewport", [("laptop", LAPTOP), ("hp", PHONE)])
def test_a_family_moves_in_whole(open_page, operator, rangda, size, viewport):
    page = open_page(viewport)
    login(page, "operator.rangda", PASSWORD)
    page.get_by_role("link", name="Satu keluarga pindah datang").click()
    page.get_by_role("heading", name="Satu keluarga pindah datang ke Desa Rangda").wait_for()
    arrived = timezone.localdate() - datetime.timedelta(days=3)
    page.get_by_label("Nomor KK *").fill("6201 0215 0120 0011")
    page.get_by_label("Tanggal datang").fill(dmy(arrived))
    page.get_by_label("Datang dari").fill("Jl. Tjilik Riwut, Sampit, Kotawaringin Timur")
    page.get_by_label("Alamat", exact=True).fill("Jl. Pangeran Antasari 7")
    fill_member(page, 0, "Hasan Basri", "Laki-laki", "Kepala Keluarga", "15-05-1980", nik="6201021505800001")
    fill_member(page, 1, "Aisyah", "Perempuan", "Istri", "16-06-1982", nik="6201025606820001",
                pekerjaan="Mengurus Rumah Tangga")
    # A third member: one more row, what was typed stays.
    page.get_by_role("button", name="Tambah satu anggota").click()
    assert page.locator("fieldset.anggota").nth(0).get_by_label("Nama lengkap").input_value() == "Hasan Basri"
    fill_member(page, 3, "Umar", "Laki-laki", "Anak", "01-01-2012", kawin="Belum Kawin",
                pendidikan="Tamat SD/Sederajat", pekerjaan="Pelajar/Mahasiswa")
    no_sideways_scroll(page, "pindah-datang-keluarga")
    screenshot(page, f"keluarga-{size}-01-pindah-datang")
    page.get_by_role("button", name="Simpan").click()
    page.get_by_text("Kepindahan keluarga sudah dicatat: 3 anggota.").wait_for()
    no_sideways_scroll(page, "keluarga")
    screenshot(page, f"keluarga-{size}-02-keluarga-datang")
    keluarga = Keluarga.objects.get(nomor_kk="6201021501200011")
    assert keluarga.kepala.nama == "Hasan Basri"
    assert sorted(keluarga.anggota.values_list("nama", flat=True)) == ["Aisyah", "Hasan Basri", "Umar"]
    assert Peristiwa.objects.filter(penduduk__keluarga=keluarga, jenis=5, tanggal=arrived).count() == 3
    assert page.get_by_role("heading", name="Keluarga Hasan Basri").is_visible()


@pytest.mark.parametrize("size,viewport", [("laptop", LAPTOP), ("hp", PHONE)])
def test_a_family_splits(open_page, operator, keluarga_budi, rangda, size, viewport):
    keluarga, budi, siti, andi = keluarga_budi
    import datetime as dt
    rina, _ = services.register_penduduk(rangda, keluarga=keluarga, nik="6201024404940001", nama="Rina",
                                         jenis_kelamin=2, tanggal_lahir=dt.date(1994, 4, 4), agama=1, pendidikan_kk=5,
                                         pekerjaan=9, status_perkawinan=2, hubungan_keluarga=HubunganKeluarga.MENANTU)
    page = open_page(viewport)
    login(page, "operator.rangda", PASSWORD)
    page.go(f"/keluarga/{keluarga.pk}/")
    page.get_by_role("link", name="Pisah KK").click()
    page.get_by_label("Andi (Anak)").select_option(label="Kepala Keluarga")
    page.get_by_label("Rina (Menantu)").select_option(label="Istri")
    page.get_by_label("Nomor KK baru").fill("6201021501200010")
    no_sideways_scroll(page, "pisah")
    screenshot(page, f"keluarga-{size}-03-pisah-kk")
    page.get_by_role("button", name="Simpan").click()
    page.get_by_text("KK baru sudah dicatat.").wait_for()
    assert page.get_by_role("heading", name="Keluarga Andi").is_visible()
    screenshot(page, f"keluarga-{size}-04-kk-baru")
    baru = Keluarga.objects.get(nomor_kk="6201021501200010")
    assert baru.kepala == andi and Penduduk.objects.get(pk=rina.pk).keluarga_id == baru.pk
    assert keluarga.kepala == budi and keluarga.anggota.count() == 2


@pytest.mark.parametrize("size,viewport", [("laptop", LAPTOP), ("hp", PHONE)])
def test_a_death_recorded_by_mistake_is_cancelled(open_page, operator, keluarga_budi, size, viewport):
    keluarga, budi, siti, andi = keluarga_budi
    page = open_page(viewport)
    login(page, "operator.rangda", PASSWORD)
    # The mistake: Budi recorded as dead, Siti made head.
    page.go(f"/penduduk/{budi.pk}/")
    page.get_by_role("link", name="Catat kematian").click()
    page.get_by_label("Kepala keluarga baru").select_option(label="Siti Aminah")
    page.get_by_role("button", name="Simpan").click()
    page.get_by_text("Peristiwa sudah dicatat.").wait_for()
    page.go(f"/keluarga/{keluarga.pk}/")
    assert page.get_by_role("heading", name="Keluarga Siti Aminah").is_visible()
    former = page.locator("#mantan-anggota")
    assert former.get_by_role("link", name="Budi Santoso").is_visible()
    assert former.get_by_text("dahulu Kepala Keluarga").is_visible()
    screenshot(page, f"keluarga-{size}-05-setelah-salah-catat")
    # The history's undo button is not offered for the death's change of status.
    page.go(f"/penduduk/{budi.pk}/")
    assert page.get_by_role("button", name="Kembalikan isian sebelum perubahan ini").count() == 0
    page.get_by_role("link", name="Batalkan peristiwa (salah catat)").click()
    page.get_by_role("button", name="Simpan").click()
    page.get_by_text("Tuliskan alasan mengapa peristiwa ini salah catat.").wait_for()
    page.get_by_label("Mengapa peristiwa ini salah catat?").fill("Salah orang: yang meninggal Budi dari RT 002")
    screenshot(page, f"keluarga-{size}-06-batalkan-peristiwa")
    page.get_by_role("button", name="Simpan").click()
    page.get_by_text("Peristiwa sudah dibatalkan.").wait_for()
    assert page.get_by_text("Dibatalkan (salah catat)").is_visible()
    assert page.get_by_text("Salah orang: yang meninggal Budi dari RT 002").first.is_visible()
    no_sideways_scroll(page, "detail")
    screenshot(page, f"keluarga-{size}-07-peristiwa-dibatalkan")
    assert Penduduk.objects.get(pk=budi.pk).status_dasar == StatusDasar.HIDUP
    assert keluarga.kepala == budi
    assert Penduduk.objects.get(pk=siti.pk).hubungan_keluarga == HubunganKeluarga.ISTRI
    page.go(f"/keluarga/{keluarga.pk}/")
    assert page.get_by_role("heading", name="Keluarga Budi Santoso").is_visible()
    assert page.locator("#mantan-anggota").count() == 0
    screenshot(page, f"keluarga-{size}-08-kepala-kembali")
