"""The camat's dashboard, clicked through in Debian's Chromium (Playwright)."""

import csv
import io

import pytest

from sidekel.akun.choices import Role
from sidekel.akun.services import create_user
from sidekel.conftest import LAPTOP, PHONE, login, screenshot
from sidekel.penduduk.choices import StatusDasar
from sidekel.penduduk.demo import DemoBuilder
from sidekel.penduduk.models import Penduduk

pytestmark = pytest.mark.browser
PASSWORD = "sandi-camat-2026"


@pytest.fixture
def kecamatan(transactional_db):
    DemoBuilder(seed=3).build(penduduk=1500)
    create_user("camat.arsel", role=Role.CAMAT, password=PASSWORD, validate=False)


def test_camat_compares_villages_opens_one_and_downloads_a_table(open_page, kecamatan):
    page = open_page(LAPTOP)
    login(page, "camat.arsel", PASSWORD)
    page.get_by_role("link", name="Statistik", exact=True).click()
    page.get_by_role("heading", name="Dasbor kecamatan · Arut Selatan").wait_for()
    assert page.locator("table.compare tbody tr").count() == 20
    screenshot(page, "statistik-01-dasbor")

    # Sort by population, largest first: two clicks on the heading.
    table = page.locator("table.compare")
    table.get_by_role("link", name="Penduduk", exact=True).click()
    table.get_by_role("link", name="Penduduk ▲").click()
    table.get_by_role("link", name="Penduduk ▼").wait_for()
    first = page.locator("table.compare tbody tr").first.locator("td").first.inner_text()
    largest = max(Penduduk.objects.filter(status_dasar=StatusDasar.HIDUP).values_list("desa__nama", flat=True).distinct(),
                  key=lambda nama: Penduduk.objects.filter(desa__nama=nama, status_dasar=StatusDasar.HIDUP).count())
    assert first.startswith(largest)

    table.get_by_role("link", name="Rangda").click()
    page.get_by_role("heading", name="Desa Rangda").wait_for()
    assert page.get_by_role("img", name="Piramida penduduk").is_visible()
    screenshot(page, "statistik-02-desa")
    page.get_by_role("link", name="Pekerjaan").click()
    page.get_by_role("heading", name="Pekerjaan").wait_for()
    screenshot(page, "statistik-03-pekerjaan")
    shown = int(page.locator("table.stat tfoot th.total").inner_text().replace(".", ""))  # the total comes first

    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh CSV").click()
    rows = list(csv.DictReader(io.StringIO(open(download.value.path(), encoding="utf-8-sig").read())))
    assert sum(int(r["jumlah"]) for r in rows) == shown == Penduduk.objects.filter(
        desa__nama="Rangda", status_dasar=StatusDasar.HIDUP).count()
    farmers = next(r for r in rows if r["label"] == "Petani/Pekebun")
    assert page.get_by_role("row", name=f"9 Petani/Pekebun {farmers['jumlah']} {farmers['laki_laki']}").is_visible()


def test_dashboard_on_a_phone_shows_each_village_as_a_card(open_page, kecamatan):
    page = open_page(PHONE)
    login(page, "camat.arsel", PASSWORD)
    page.go("/statistik/")
    card = page.locator("table.compare tbody tr").first
    assert card.bounding_box()["width"] <= 360
    label = card.locator("td").nth(1).evaluate("td => getComputedStyle(td, '::before').content")
    assert label == '"Penduduk"'  # each figure is labelled inside the card
    screenshot(page, "statistik-04-dasbor-hp")


def test_the_chosen_date_stays_from_the_dashboard_into_a_village_and_back(open_page, kecamatan):
    page = open_page(LAPTOP)
    login(page, "camat.arsel", PASSWORD)
    page.go("/statistik/")
    page.get_by_label("Per tanggal").fill("01-01-2026")
    page.get_by_role("button", name="Tampilkan").click()
    page.get_by_text("penduduk hidup per 01-01-2026").wait_for()
    table = page.locator("table.compare")
    table.get_by_role("link", name="Penduduk", exact=True).click()  # sorting keeps it too
    page.locator("table.compare").get_by_role("link", name="Rangda").click()
    page.get_by_role("heading", name="Desa Rangda").wait_for()
    assert page.get_by_label("Per tanggal").input_value() == "01-01-2026"
    page.get_by_role("link", name="Pekerjaan").click()
    page.get_by_role("heading", name="Pekerjaan").wait_for()
    assert page.get_by_text("penduduk hidup per 01-01-2026").is_visible()
    page.locator(".crumbs").get_by_role("link", name="Statistik", exact=True).click()
    page.get_by_role("heading", name="Dasbor kecamatan · Arut Selatan").wait_for()
    assert page.get_by_label("Per tanggal").input_value() == "01-01-2026"
    page.get_by_role("link", name="Statistik seluruh kecamatan").click()
    assert page.get_by_label("Per tanggal").input_value() == "01-01-2026"
