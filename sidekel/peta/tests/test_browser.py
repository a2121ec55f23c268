"""The map in Debian's Chromium: an operator imports the village boundary, draws a place, and the
public village map shows both, with background tiles turned off (screenshots for a person)."""

import pytest

from sidekel.akun.choices import Role
from sidekel.akun.services import create_user
from sidekel.conftest import LAPTOP, PHONE, login, screenshot
from sidekel.peta.models import Fitur

from .helpers import SQUARE, write_geojson

pytestmark = pytest.mark.browser
PASSWORD = "sandi-operator-2026"


@pytest.fixture
def operator(transactional_db, rangda, settings):
    settings.SIDEKEL_MAP_TILES = ""  # tiles off: no request leaves the site, the layers draw on a plain background
    from django.core.management import call_command

    call_command("migrate", "peta", verbosity=0)  # a transactional test's database keeps the categories
    return create_user("operator.rangda", role=Role.OPERATOR, password=PASSWORD, desa_kode=[rangda.kode], validate=False)


def _loaded(page, layers):
    page.locator(f"#peta[data-loaded='{layers}']").wait_for(state="attached")


def test_operator_imports_a_boundary_draws_a_place_and_the_public_map_shows_both(open_page, operator, rangda, tmp_path):
    from sidekel.peta.choices import DEFAULT_KATEGORI
    from sidekel.peta.models import Kategori

    for lapisan, slug, nama, warna in DEFAULT_KATEGORI:
        Kategori.objects.get_or_create(slug=slug, defaults={"lapisan": lapisan, "nama": nama, "warna": warna})
    boundary = write_geojson(tmp_path / "batas-rangda.geojson", ({"nama": "Desa Rangda"}, SQUARE))
    page = open_page(LAPTOP)
    login(page, "operator.rangda", PASSWORD)

    # Import the boundary: a dry run first, then for real.
    page.go(f"/petugas/peta/{rangda.kode}/")
    page.get_by_role("link", name="Impor berkas").click()
    page.locator("#id_berkas").set_input_files(str(boundary))
    page.get_by_label("Lapisan").select_option("batas")
    page.get_by_role("button", name="Impor").click()
    page.get_by_role("heading", name="Berkas dapat diimpor").wait_for()
    assert not Fitur.objects.exists()
    screenshot(page, "peta-01-impor-uji")
    page.locator("#id_berkas").set_input_files(str(boundary))
    page.get_by_label("Lapisan").select_option("batas")
    page.get_by_label("Periksa saja (uji coba)").uncheck()
    page.get_by_role("button", name="Impor").click()
    page.get_by_text("1 bentuk diimpor.").wait_for()
    _loaded(page, 1)

    # Draw a place: the tool, one click in the middle of the map, a name and a category.
    page.get_by_role("button", name="Gambar tempat").click()
    page.locator("#peta").click()  # the middle of the map: inside the village
    assert '"Point"' in page.get_by_label("Geometri (GeoJSON)").input_value()
    page.locator("#id_nama").fill("SD Negeri Pelita")
    page.get_by_label("Kategori").select_option(label="Sekolah")
    screenshot(page, "peta-02-gambar-tempat")
    page.get_by_role("button", name="Simpan", exact=True).first.click()
    page.get_by_text("Tersimpan di peta.").wait_for()
    assert Fitur.objects.filter(lapisan="tempat", nama="SD Negeri Pelita").exists()

    # The public village map, as anyone sees it: the boundary (labelled) and the school.
    public = open_page(LAPTOP)
    public.go(f"/peta/{rangda.kode}/")
    _loaded(public, 4)
    assert public.locator(".peta-label", has_text="Rangda").is_visible()
    assert public.locator("path.leaflet-interactive").count() >= 1 or public.locator("canvas").count() >= 1
    assert public.get_by_role("listitem").filter(has_text="SD Negeri Pelita").is_visible()
    assert public.locator(".leaflet-tile").count() == 0  # tiles off: nothing fetched from a tile server
    screenshot(public, "peta-03-peta-publik-desa")
    phone = open_page(PHONE)
    phone.go(f"/peta/{rangda.kode}/")
    _loaded(phone, 4)
    screenshot(phone, "peta-04-peta-publik-desa-360")


def test_the_demo_kecamatan_map_with_tiles_off(open_page, transactional_db, settings):
    """The demo's made-up shapes, labelled as such, coloured by population, on a plain background."""
    from sidekel.penduduk.demo import DemoBuilder

    settings.SIDEKEL_MAP_TILES = ""
    from django.core.management import call_command

    call_command("migrate", "peta", verbosity=0)
    DemoBuilder(seed=3).build(penduduk=3000)
    page = open_page(LAPTOP)
    page.go("/peta/62.01.02/")
    _loaded(page, 4)
    assert page.get_by_text("Bentuk demo.").is_visible()
    assert page.locator(".peta-label").count() == 20
    assert page.locator(".leaflet-tile").count() == 0
    screenshot(page, "peta-05-demo-kecamatan")
    phone = open_page(PHONE)
    phone.go("/peta/62.01.02.2010/?statistik=kepadatan")
    _loaded(phone, 4)
    screenshot(phone, "peta-06-demo-desa-kepadatan-360")
