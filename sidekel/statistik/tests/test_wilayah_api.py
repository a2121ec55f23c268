"""The villages' public API (/api/v1/wilayah/): which villages, whom they count, its OpenAPI."""

import datetime

from django.utils import timezone

from sidekel.penduduk.tests.factories import adult
from sidekel.penduduk import services
from sidekel.wilayah.models import Desa


def test_wilayah_lists_the_installation_villages_with_living_residents(arut_selatan, client, settings):
    settings.SIDEKEL_SUPPRESS_BELOW = 1  # nothing drawn: this test is about which villages and whom they count
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
    assert by_code["62.01.02.2010"] == {"kode": "62.01.02.2010", "nama": "Rangda", "jenis": "desa", "jumlah_penduduk": 1,
                                       "keluarga": 0}
    assert by_code["62.01.02.1007"] == {"kode": "62.01.02.1007", "nama": "Raja", "jenis": "kelurahan",
                                       "jumlah_penduduk": 0, "keluarga": 0}
    assert "nik" not in response.content.decode().lower()


def test_openapi_document_describes_the_wilayah_endpoint(db, client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc = response.json()
    assert doc["openapi"].startswith("3.")
    schema = doc["paths"]["/api/v1/wilayah/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema["type"] == "array"
    assert set(doc["components"]["schemas"]["DesaOut"]["properties"]) == {"kode", "nama", "jenis", "jumlah_penduduk",
                                                                                "keluarga"}




def test_a_village_of_one_is_not_published_as_one(arut_selatan, client):
    rangda = Desa.objects.get(kode="62.01.02.2010")
    services.register_penduduk(rangda, nik="6201021203850001", **adult())
    rows = {d["kode"]: d for d in client.get("/api/v1/wilayah/").json()}
    assert rows["62.01.02.2010"]["jumlah_penduduk"] in (0, 3)
    assert rows["62.01.02.2010"]["jumlah_penduduk"] == sum(
        r["jumlah"] for r in client.get("/api/v1/statistik/jenis-kelamin/?wilayah=62.01.02.2010").json()["rows"])
