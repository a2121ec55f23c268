"""Health check and the public home page (the villages' API is tested in statistik/tests/test_wilayah_api.py)."""

from sidekel.penduduk import services
from sidekel.penduduk.tests.factories import adult
from sidekel.wilayah.models import Desa


def test_healthz_reports_the_database(db, client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response["Cache-Control"].startswith("max-age=0")


def test_home_page_shows_villages_and_totals_without_personal_data(arut_selatan, client):
    rangda = Desa.objects.get(kode="62.01.02.2010")
    services.register_penduduk(rangda, nik="6201021203850001", **adult())
    html = client.get("/").content.decode()
    assert "Arut Selatan" in html and "Rangda" in html and "Mendawai Seberang" in html
    assert "Budi" not in html and "6201021203850001" not in html
