"""Dusun written twice, put right by the operator in Debian's Chromium: on the village's page,
and in the import's check (issue 15 item 4)."""

import pytest

from sidekel.akun.choices import Role
from sidekel.akun.services import create_user
from sidekel.conftest import LAPTOP, PHONE, login, screenshot
from sidekel.penduduk import services
from sidekel.penduduk.models import Penduduk
from sidekel.penduduk.tests.factories import adult
from sidekel.wilayah.models import Dusun
from sidekel.wilayah.services import ensure_rt

from .files import HEADERS, write_csv

pytestmark = pytest.mark.browser
PASSWORD = "sandi-operator-2026"


@pytest.fixture
def village(transactional_db, rangda):
    """Rangda's operator, and two residents in each of "Mekar Sari" and "Mekarsari"."""
    create_user("operator.rangda", role=Role.OPERATOR, password=PASSWORD, desa_kode=[rangda.kode], validate=False)
    people = [("Mekar Sari", "001", "Ani Lestari"), ("Mekar Sari", "002", "Bagus Pratama"),
              ("Mekarsari", "001", "Citra Dewi"), ("Mekarsari", "003", "Dedi Kurnia")]
    for n, (dusun, rt, nama) in enumerate(people, start=1):
        services.register_penduduk(rangda, rt=ensure_rt(rangda, rt, "001", dusun), nik=f"62010212038500{n:02d}",
                                   **adult(nama=nama, hubungan_keluarga=11))
    return rangda


def _fits(page):
    """Nothing of the page is off to the side."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_operator_merges_a_dusun_written_twice_and_finds_its_residents_moved(open_page, village):
    page = open_page(LAPTOP)
    login(page, "operator.rangda", PASSWORD)
    page.get_by_role("link", name="Dusun, RW dan RT").click()
    rows = page.locator("table.units")
    assert rows.get_by_role("cell", name="Dusun Mekarsari", exact=True).is_visible()
    assert _fits(page)
    screenshot(page, "wilayah-01-daftar")

    page.get_by_role("link", name="Ubah Dusun Mekarsari", exact=True).click()
    page.get_by_label("Gabungkan ke").select_option(label="Dusun Mekar Sari")
    assert _fits(page)
    screenshot(page, "wilayah-02-ubah-dusun")
    page.get_by_role("button", name="Gabungkan…").click()
    page.get_by_text("Dusun Mekarsari akan digabung ke Dusun Mekar Sari: 2 penduduk hidupnya").wait_for()
    screenshot(page, "wilayah-03-yakin-gabung")
    page.get_by_role("button", name="Ya, gabungkan").click()
    page.get_by_text("Dusun Mekarsari sudah digabung ke Dusun Mekar Sari: 2 penduduk hidupnya sekarang di sana.").wait_for()
    assert not rows.get_by_role("cell", name="Dusun Mekarsari", exact=True).count()
    keep = Dusun.objects.get(desa=village, nama="Mekar Sari")
    assert rows.locator(f"#dusun-{keep.pk} td.num").first.inner_text() == "4"
    screenshot(page, "wilayah-04-sudah-digabung")

    # The residents of Mekarsari are found under Mekar Sari; the RW filter names its dusun.
    page.go(f"/penduduk/?desa={village.kode}&dusun={keep.pk}")
    for nama in ("Citra Dewi", "Dedi Kurnia", "Ani Lestari"):
        assert page.get_by_role("link", name=nama).is_visible()
    assert page.locator("select[name=rw] option", has_text="RW 001 · Mekar Sari").count() == 1
    assert Penduduk.objects.filter(rt__dusun=keep).count() == 4

    # The same pages on a phone.
    phone = open_page(PHONE)
    login(phone, "operator.rangda", PASSWORD)
    phone.go(f"/petugas/desa/{village.kode}/wilayah/")
    assert _fits(phone)
    screenshot(phone, "wilayah-05-daftar-hp")
    phone.get_by_role("link", name="Ubah Dusun Mekar Sari", exact=True).click()
    assert _fits(phone)
    screenshot(phone, "wilayah-06-ubah-dusun-hp")


def test_operator_maps_a_near_duplicate_dusun_name_in_the_import_check(open_page, village, tmp_path):
    rows = [["6201021708800001", "6201021501150001", "Eka Putra", "L", "Pangkalan Bun", "17-08-1980", "ISLAM",
             "SLTA/Sederajat", "Petani/Pekebun", "Kawin", "Kepala Keluarga", "Mekar  sari", "001", "004", "Jl. Tani"]]
    path = write_csv(tmp_path / "warga-baru.csv", HEADERS, rows)
    for viewport, name in ((PHONE, "hp"), (LAPTOP, "laptop")):
        page = open_page(viewport)
        login(page, "operator.rangda", PASSWORD)
        page.go("/impor/")
        page.get_by_label("Spreadsheet").set_input_files(str(path))
        page.get_by_role("button", name="Periksa berkas").click()
        page.get_by_text("Nama dusun yang mirip", exact=True).wait_for()
        choice = page.get_by_label('"Mekar sari" (pertama di baris 2)')
        assert choice.input_value() == "Mekar Sari"  # the same letters: merged unless the operator says otherwise
        assert _fits(page)
        screenshot(page, f"wilayah-07-impor-dusun-mirip-{name}")
    page.get_by_role("button", name="Impor 1 baris yang diterima").click()
    page.get_by_text("Impor selesai.").wait_for()
    eka = Penduduk.objects.select_related("rt__dusun").get(nama="Eka Putra")
    assert eka.rt.dusun.nama == "Mekar Sari"
    assert list(Dusun.objects.filter(desa=village).values_list("nama", flat=True)) == ["Mekar Sari", "Mekarsari"]
