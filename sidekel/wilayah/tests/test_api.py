"""The first public API: villages with their population, OpenAPI, health."""

import datetime

from django.utils import timezone

from sidekel.penduduk import services
from sidekel.core.testing import adult
from sidekel.wilayah.models import Desa


def test_wilayah_lists_the_installation_villages_with_living_residents(arut_selatan, client):
    rangda = Desa.objects.get(kode="62.01.02.2010")
    p, _ = services.register_penduduk(rangda, nik="6201021203850001", **adult())
    services.register_penduduk(rangda, nik="6201021203850002", **adult(nama="Joko"))
    services.record_death(p, tanggal=timezone.localdate() - datetime.timedelta(days=3))
    Desa.objects.filter(kode="62.01.01.2001").exists()  # villages outside the installation are not listed

    response = client.get("/api/v1/wilayah/")
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    data = response.json()
    assert len(data) == 20
    assert [d["kode"] for d in data] == sorted(d["kode"] for d in data)
    by_code = {d["kode"]: d for d in data}
    assert by_code["62.01.02.2010"] == {"kode": "62.01.02.2010", "nama": "Rangda", "jenis": "desa", "jumlah_penduduk": 1}
    assert by_code["62.01.02.1007"] == {"kode": "62.01.02.1007", "nama": "Raja", "jenis": "kelurahan", "jumlah_penduduk": 0}
    assert "nik" not in response.content.decode().lower()


def test_openapi_document_describes_the_wilayah_endpoint(db, client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc = response.json()
    assert doc["openapi"].startswith("3.")
    schema = doc["paths"]["/api/v1/wilayah/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema["type"] == "array"
    assert set(doc["components"]["schemas"]["DesaOut"]["properties"]) == {"kode", "nama", "jenis", "jumlah_penduduk"}


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
