"""The camat's village list and an operator's findings page, clicked through in Chromium."""

import pytest

from sidekel.akun.choices import Role
from sidekel.akun.services import create_user
from sidekel.conftest import LAPTOP, PHONE, login, screenshot
from sidekel.penduduk.models import Penduduk
from sidekel.penduduk.progress import record_quality

pytestmark = pytest.mark.browser
PASSWORD = "sandi-kualitas-2026"


@pytest.fixture
def world(transactional_db, keluarga_budi, raja):
    keluarga, budi, siti, andi = keluarga_budi
    Penduduk.objects.filter(pk=budi.pk).update(rt=None)  # a finding for the operator to work on
    create_user("admin.kec", role=Role.ADMIN_KECAMATAN, password=PASSWORD, validate=False)
    create_user("operator.rangda", role=Role.OPERATOR, password=PASSWORD, desa_kode=[keluarga.desa.kode], validate=False)
    return keluarga.desa, budi, andi


def test_camat_sees_where_to_help_and_operator_works_down_findings(open_page, world):
    rangda, budi, andi = world
    page = open_page(LAPTOP)
    login(page, "admin.kec", PASSWORD)
    page.go("/desa/")
    assert page.get_by_role("heading", name="Desa/kelurahan").is_visible() or page.locator("h1").is_visible()
    row = page.locator("tr", has_text="Rangda")
    assert "Sedang input" in row.inner_text()
    screenshot(page, "kualitas-01-daftar-desa-laptop")
    page.get_by_label("Urutkan menurut").select_option("skor")
    page.get_by_role("button", name="Urutkan").click()
    page.wait_for_load_state()
    assert page.locator("tbody tr").first.inner_text().startswith("Desa Rangda")
    row = page.locator("tr", has_text="Rangda")
    row.get_by_role("link", name="66,7").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Mutu data · Desa Rangda").is_visible()

    phone = open_page(PHONE)
    login(phone, "admin.kec", PASSWORD)
    phone.go("/desa/")
    screenshot(phone, "kualitas-02-daftar-desa-hp")

    # The operator lands on the village page, finds the button, sees Budi without an RT.
    op = open_page(PHONE)
    login(op, "operator.rangda", PASSWORD)
    op.get_by_role("link", name="Periksa mutu data").click()
    op.wait_for_load_state()
    assert op.get_by_role("heading", name="Tanpa RT").is_visible()
    assert op.get_by_role("cell", name="620102**********").is_visible()
    screenshot(op, "kualitas-03-temuan-operator-hp")
    op.get_by_role("link", name="Budi Santoso").click()
    op.wait_for_load_state()
    assert op.url.endswith(f"/penduduk/{budi.pk}/")
    op.go_back()
    op.get_by_role("link", name="Usia sekolah tanpa status pendidikan").click()
    op.wait_for_load_state()
    assert op.get_by_role("link", name="Andi").is_visible()

    laptop = open_page(LAPTOP)
    login(laptop, "operator.rangda", PASSWORD)
    laptop.go(f"/petugas/desa/{rangda.kode}/kualitas/")
    screenshot(laptop, "kualitas-04-temuan-operator-laptop")
    # Another village's findings are not there for this operator.
    record_quality([rangda.id])
    response = laptop.goto(laptop.url.replace(rangda.kode, "62.01.02.1007"))
    assert response.status == 404
