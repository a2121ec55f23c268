"""The map in Debian's Chromium: an operator imports the village boundary, draws a place, and the
public village map shows both, with background tiles turned off (screenshots for a person)."""

import pytest

from sidekel.akun.choices import Role
from sidekel.akun.services import create_user
from sidekel.conftest import LAPTOP, PHONE, layout_problems, login, screenshot
from sidekel.peta.models import Fitur, FotoTempat

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
    # The map from the main menu (one village: straight to its map).
    page.go("/penduduk/")
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Peta").click()
    page.wait_for_url(f"**/petugas/peta/{rangda.kode}/")

    # A file of places in latitude-longitude order: every feature refused with its reason, nothing saved.
    swapped = write_geojson(tmp_path / "tempat-terbalik.geojson", ({"nama": "Pasar Lama"}, {"type": "Point", "coordinates": [-2.68, 111.62]}),
                            ({"nama": "Sumur"}, {"type": "Point", "coordinates": [-2.69, 111.61]}))
    page.get_by_role("link", name="Impor berkas").click()
    page.locator("#id_berkas").set_input_files(str(swapped))
    page.get_by_label("Lapisan").select_option("tempat")
    page.get_by_label("Periksa saja (uji coba)").uncheck()
    page.get_by_role("button", name="Impor").click()
    page.get_by_role("heading", name="Tidak ada yang disimpan").wait_for()
    assert page.get_by_role("row").filter(has_text="Pasar Lama").is_visible() and not Fitur.objects.exists()
    page.set_viewport_size(PHONE)
    assert not layout_problems(page)
    screenshot(page, "peta-00-impor-ditolak-360")
    page.set_viewport_size(LAPTOP)

    # Import the boundary: the worker checks it first (a job; inline in tests), then imports it.
    page.go(f"/petugas/peta/{rangda.kode}/")
    page.get_by_role("link", name="Impor berkas").click()
    page.locator("#id_berkas").set_input_files(str(boundary))
    page.get_by_label("Lapisan").select_option("batas")
    page.get_by_role("button", name="Impor").click()
    page.get_by_role("heading", name="Berkas dapat diimpor").wait_for()
    assert not Fitur.objects.exists()
    screenshot(page, "peta-01-impor-uji")
    page.get_by_role("button", name="Impor 1 fitur").click()
    page.get_by_role("heading", name="1 bentuk diimpor.").wait_for()
    assert Fitur.objects.filter(lapisan="batas").count() == 1
    page.get_by_role("link", name="Kembali ke peta").click()
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

    # Its photo (taken with a phone: GPS in the EXIF), from the list of shapes.
    page.get_by_role("row").filter(has_text="SD Negeri Pelita").get_by_role("link", name="Tambah foto").click()
    page.locator("#id_foto").set_input_files(str(_phone_photo(tmp_path / "sekolah.jpg")))
    screenshot(page, "peta-11-foto-tempat")
    page.get_by_role("button", name="Simpan").click()
    page.get_by_text("Foto SD Negeri Pelita disimpan.").wait_for()
    assert b"Exif" not in bytes(FotoTempat.objects.get().berkas)

    # The public village map, as anyone sees it: the boundary (labelled), the school and its photo.
    public = open_page(LAPTOP)
    public.go(f"/peta/{rangda.kode}/")
    _loaded(public, 4)
    assert public.locator(".peta-label", has_text="Rangda").is_visible()
    assert public.locator("path.leaflet-interactive").count() >= 1 or public.locator("canvas").count() >= 1
    assert public.get_by_role("listitem").filter(has_text="SD Negeri Pelita").is_visible()
    assert public.locator(".leaflet-tile").count() == 0  # tiles off: nothing fetched from a tile server
    public.locator("#peta").click()  # the school is where the operator clicked: the middle of the same bounds
    photo = public.locator(".leaflet-popup img.peta-foto")
    photo.wait_for()
    public.wait_for_function("() => document.querySelector('.leaflet-popup img.peta-foto').complete")
    assert photo.evaluate("img => img.naturalWidth") > 0
    assert public.locator(".leaflet-popup").get_by_text("SD Negeri Pelita").is_visible()
    screenshot(public, "peta-03-peta-publik-desa")
    phone = open_page(PHONE)
    phone.go(f"/peta/{rangda.kode}/")
    _loaded(phone, 4)
    assert not layout_problems(phone)
    screenshot(phone, "peta-04-peta-publik-desa-360")


def _phone_photo(path):
    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = "KameraMerek"
    exif[0x8825] = {1: "S", 2: (2.0, 40.0, 40.0), 3: "E", 4: (111.0, 37.0, 0.0)}
    image = Image.new("RGB", (1200, 900), (40, 110, 170))
    for x in range(0, 1200, 60):  # something to see
        image.paste((230, 200, 60), (x, 400, x + 30, 500))
    image.save(path, "JPEG", exif=exif)
    return path


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

    # The village coloured by dusun (a figure published below the village), with its legend and table.
    for viewport, name in ((PHONE, "peta-07-demo-desa-dusun-360"), (LAPTOP, "peta-08-demo-desa-dusun")):
        page = open_page(viewport)
        page.go("/peta/62.01.02.2010/?tingkat=dusun&statistik=pendidikan:5")
        _loaded(page, 5)  # dusun, the village's outline, areas, lines, places
        assert page.locator(".peta-legend").is_visible()
        classes = page.locator(".peta-legend div").all_inner_texts()
        assert len(classes) == len(set(classes)) >= 2, classes  # every class of the legend says a different range
        assert page.get_by_role("heading", name="Dusun").is_visible()
        assert page.locator("#tingkat").input_value() == "dusun"
        assert not layout_problems(page)
        screenshot(page, name)

    # An operator on a phone finds the village's map in the main menu.
    create_user("operator.demo", role=Role.OPERATOR, password=PASSWORD, desa_kode=["62.01.02.2010"], validate=False)
    phone = open_page(PHONE)
    login(phone, "operator.demo", PASSWORD)
    phone.go("/penduduk/")
    screenshot(phone, "peta-09-menu-360")
    phone.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Peta").click()
    phone.wait_for_url("**/petugas/peta/62.01.02.2010/")
    _loaded(phone, 1)
    screenshot(phone, "peta-10-petugas-360")
    assert not layout_problems(phone)
