"""The public statistics API and open-data catalogue, checked against independent counts.

Figures are compared with the oracle of test_services (people followed forward through their
events), which shares no code with the services the API calls.
"""

import pytest
from django.test import Client

from sidekel.core.publicapi import TokenBucket
from sidekel.penduduk import services as penduduk_services
from sidekel.penduduk.choices import StatusDasar
from sidekel.penduduk.models import Penduduk
from sidekel.statistik import privacy, services
from sidekel.statistik.choices import KATEGORI
from sidekel.statistik.datasets import DATASETS
from sidekel.wilayah.models import Desa, Rt

from .test_services import PAST, TODAY, expected, population, present_on  # noqa: F401 (population: fixture)

RANGDA, KECAMATAN = "62.01.02.2010", "62.01.02"


def figures(body):
    """{code: (men, women)} of the rows with people, as the oracle gives them."""
    return {row["kode"]: (row["laki_laki"], row["perempuan"]) for row in body["rows"] if row["jumlah"]}


def get(client, url, **headers):
    return client.get(url, **{f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()})


def test_figures_of_a_village_and_the_kecamatan_today_and_on_a_past_date(client, population):
    rangda, _raja = population
    everyone = list(Desa.objects.managed().values_list("id", flat=True))
    for day in (TODAY, PAST):
        present = present_on(day)
        for slug in ("pekerjaan", "umur", "kelompok-umur", "agama", "status-perkawinan", "golongan-darah"):
            for kode, desa_ids in ((RANGDA, [rangda.id]), (KECAMATAN, everyone)):
                url = f"/api/v1/statistik/{slug}/?wilayah={kode}"
                if day != TODAY:
                    url += f"&tanggal={day.isoformat()}"
                response = client.get(url)
                assert response.status_code == 200, url
                body = response.json()
                assert figures(body) == expected(slug, desa_ids, day, present=present), url
                assert body["tanggal"] == day.isoformat()
                assert body["wilayah"]["kode"] == kode and body["kategori"]["slug"] == slug
                assert [row["kode"] for row in body["rows"]][:len(KATEGORI[slug].labels())] == \
                    [code for code, _label in KATEGORI[slug].labels()]
                assert body["total"]["jumlah"] == sum(row["jumlah"] for row in body["rows"])
                assert body["privasi"] == {"diterapkan": False, "ambang": 3, "keterangan": body["privasi"]["keterangan"]}
    assert client.get(f"/api/v1/statistik/umur/?wilayah={KECAMATAN}").json()["wilayah"]["nama"] == \
        "Kecamatan Arut Selatan"


def test_a_rt_has_its_small_counts_hidden(client, population):
    rangda, raja = population
    present = present_on(TODAY)
    checked_hidden = 0
    for rt in Rt.objects.filter(desa=rangda).order_by("id")[:6]:
        body = client.get(f"/api/v1/statistik/umur/?wilayah={RANGDA}&rt={rt.id}").json()
        assert body["wilayah"]["bagian"] == {"tingkat": "rt", "id": rt.id, "nama": str(rt)}
        assert body["privasi"]["diterapkan"] is True and body["privasi"]["ambang"] == privacy.threshold()
        truth = expected("umur", [rangda.id], TODAY, {rt.id}, present=present)
        for row in body["rows"]:
            men, women = truth.get(row["kode"], (0, 0))
            for column, value in (("laki_laki", men), ("perempuan", women), ("jumlah", men + women)):
                if 0 < value < 3:
                    assert row[column] is None, (rt, row)  # never a count of 1 or 2
                    checked_hidden += 1
                assert row[column] in (None, value)
        shown, total = privacy.suppress(services.tabulate([rangda.id], "umur", None, services.Unit("rt", rt.id)))
        assert body["rows"] == shown and body["total"] == total
    assert checked_hidden > 0
    other = Rt.objects.filter(desa=raja).first()
    response = client.get(f"/api/v1/statistik/umur/?wilayah={RANGDA}&rt={other.id}")
    assert response.status_code == 404
    assert response.json()["detail"] == f"Tidak ada RT dengan id {other.id} di Desa Rangda."
    assert client.get(f"/api/v1/statistik/umur/?wilayah={KECAMATAN}&dusun=1").status_code == 404


def test_mistakes_are_answered_in_indonesian(client, population):
    cases = [
        (f"/api/v1/statistik/umur/?wilayah={RANGDA}&tanggal=2999-01-01", 422,
         "Angka hanya ada sampai hari ini; pilih hari ini atau tanggal sebelumnya."),
        ("/api/v1/statistik/umur/?wilayah=62.01.99.9999", 404,
         "Kode wilayah 62.01.99.9999 tidak dikenal; pakai kode desa/kelurahan atau kecamatan dari /api/v1/wilayah/."),
        ("/api/v1/statistik/umur/?wilayah=62.01.03", 404,
         "Kode wilayah 62.01.03 tidak dikenal; pakai kode desa/kelurahan atau kecamatan dari /api/v1/wilayah/."),
        (f"/api/v1/statistik/hobi/?wilayah={RANGDA}", 404,
         "Kategori statistik hobi tidak dikenal; daftar kategori ada di /api/v1/statistik/."),
        (f"/api/v1/statistik/umur/?wilayah={RANGDA}&tanggal=kemarin", 422, "Data yang dikirim tidak sah."),
        ("/api/v1/statistik/umur/", 422, "Data yang dikirim tidak sah."),
        ("/api/v1/data/tidak-ada/", 404, "Dataset tidak-ada tidak dikenal; katalog ada di /api/v1/data/."),
    ]
    for url, status, message in cases:
        response = client.get(url)
        assert response.status_code == status, url
        assert response.json()["detail"] == message, url
    assert "tanggal" in client.get(f"/api/v1/statistik/umur/?wilayah={RANGDA}&tanggal=2999-01-01").json()["errors"]


def test_etag_gives_304_until_the_village_changes(client, population):
    rangda, raja = population
    url = f"/api/v1/statistik/pekerjaan/?wilayah={RANGDA}"
    first = client.get(url)
    etag = first["ETag"]
    assert first["Cache-Control"] == "public, max-age=300"
    again = get(client, url, **{"If-None-Match": etag})
    assert again.status_code == 304 and again["ETag"] == etag and again.content == b""
    assert get(client, url, **{"If-None-Match": f'"other", W/{etag}'}).status_code == 304  # as gzip makes it
    assert get(client, url + "&tanggal=" + PAST.isoformat(), **{"If-None-Match": etag}).status_code == 200
    kecamatan_etag = client.get(f"/api/v1/statistik/pekerjaan/?wilayah={KECAMATAN}")["ETag"]

    other = Penduduk.objects.filter(desa=raja, status_dasar=StatusDasar.HIDUP).first()
    penduduk_services.update_penduduk(other, user=None, changes={"pekerjaan": 2}, version=other.version)
    assert get(client, url, **{"If-None-Match": etag}).status_code == 304  # another village's edit
    assert client.get(f"/api/v1/statistik/pekerjaan/?wilayah={KECAMATAN}")["ETag"] != kecamatan_etag

    person = Penduduk.objects.filter(desa=rangda, status_dasar=StatusDasar.HIDUP).exclude(pekerjaan=2).first()
    old = str(person.pekerjaan)
    penduduk_services.update_penduduk(person, user=None, changes={"pekerjaan": 2}, version=person.version)
    changed = get(client, url, **{"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
    before, after = figures(first.json()), figures(changed.json())
    assert sum(after.get(old, (0, 0))) == sum(before[old]) - 1
    assert sum(after["2"]) == sum(before.get("2", (0, 0))) + 1


def test_catalogue_lists_every_category_with_licence_and_resources(client, population):
    assert {d.kategori for d in DATASETS.values()} - {None} == set(KATEGORI)
    response = client.get("/api/v1/data/")
    assert response.status_code == 200 and response["Cache-Control"] == "public, max-age=300"
    body = response.json()
    assert body["count"] == len(DATASETS) and body["next"] is None
    assert [d["slug"] for d in body["results"]] == list(DATASETS)
    umur = next(d for d in body["results"] if d["kategori"] == "umur")
    assert umur["title"] == "Penduduk menurut kelompok umur lima tahunan"
    assert umur["licence"]["id"] == "CC-BY-4.0"
    assert umur["organisations"] == [{"kode": KECAMATAN, "nama": "Kecamatan Arut Selatan"}]
    assert [r["url"] for r in umur["resources"]] == [f"http://testserver/api/v1/statistik/umur/?wilayah={KECAMATAN}"]
    assert client.get(umur["resources"][0]["url"]).status_code == 200
    assert get(client, "/api/v1/data/", **{"If-None-Match": response["ETag"]}).status_code == 304

    page = client.get("/api/v1/data/?limit=5&offset=5").json()
    assert [d["slug"] for d in page["results"]] == list(DATASETS)[5:10]
    assert page["next"] == "http://testserver/api/v1/data/?limit=5&offset=10"
    assert len(client.get("/api/v1/data/?limit=100000").json()["results"]) == len(DATASETS)  # capped at 100

    one = client.get("/api/v1/data/penduduk-pekerjaan/").json()
    assert len(one["resources"]) == 1 + Desa.objects.managed().count()
    assert one["resources"][1]["wilayah"].startswith("62.01.02.")


def test_categories_list(client, db):
    body = client.get("/api/v1/statistik/").json()
    assert [k["slug"] for k in body] == list(KATEGORI)
    assert body[0] == {"slug": "jenis-kelamin", "title": "Jenis kelamin",
                       "url": "http://testserver/api/v1/statistik/jenis-kelamin/"}


def test_rate_limit_per_address(settings, population):
    settings.SIDEKEL_API_RATE_PER_MINUTE = 5
    client = Client(REMOTE_ADDR="10.0.0.7")
    for _ in range(5):
        assert client.get("/api/v1/statistik/").status_code == 200
    refused = client.get(f"/api/v1/statistik/umur/?wilayah={RANGDA}")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 12
    assert refused.json()["detail"].startswith("Terlalu banyak permintaan dari alamat Anda: paling banyak 5 per menit.")
    assert refused["Access-Control-Allow-Origin"] == "*"
    assert Client(REMOTE_ADDR="10.0.0.8").get("/api/v1/data/").status_code == 200  # another client
    assert client.get("/").status_code == 200  # pages are not limited here


def test_token_bucket_refills_evenly():
    bucket = TokenBucket(60)  # one a second
    assert all(bucket.take("a", now=100.0) == 0 for _ in range(60))
    assert bucket.take("a", now=100.0) == pytest.approx(1.0)
    assert bucket.take("a", now=100.5) == pytest.approx(0.5)
    assert bucket.take("a", now=101.0) == 0
    assert bucket.take("b", now=101.0) == 0


def test_cors_on_public_api_only(client, db):
    response = client.get("/api/v1/statistik/")
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options("/api/v1/statistik/umur/?wilayah=62.01.02", HTTP_ORIGIN="https://example.org",
                               HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
                               HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match")
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]
    assert "ETag" in response["Access-Control-Expose-Headers"]
    assert client.get("/api/v1/wilayah/")["Access-Control-Allow-Origin"] == "*"
    assert not client.get("/api/v1/penduduk/").has_header("Access-Control-Allow-Origin")  # needs a token


def test_openapi_describes_the_public_endpoints(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/statistik/", "/api/v1/statistik/{kategori}/", "/api/v1/data/", "/api/v1/data/{slug}/"):
        assert "get" in schema["paths"][path], path
        assert schema["paths"][path]["get"].get("security") is None, path  # no login
    operation = schema["paths"]["/api/v1/statistik/{kategori}/"]["get"]
    assert {"200", "304", "404", "422"} <= set(operation["responses"])
    params = {p["name"]: p for p in operation["parameters"]}
    assert {"kategori", "wilayah", "tanggal", "dusun", "rw", "rt"} <= set(params)
    assert "62.01.02.2010" in params["wilayah"]["description"]
    assert "hidden" in schema["components"]["schemas"]["Row"]["properties"]["laki_laki"]["description"]
    assert "CC-BY-4.0" in schema["components"]["schemas"]["Licence"]["properties"]["id"]["description"]


def test_gzip_compresses_json(client, population):
    response = client.get(f"/api/v1/statistik/pekerjaan/?wilayah={RANGDA}", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert response["ETag"].startswith('W/"')
    etag = response["ETag"]
    assert client.get(f"/api/v1/statistik/pekerjaan/?wilayah={RANGDA}", HTTP_ACCEPT_ENCODING="gzip",
                      HTTP_IF_NONE_MATCH=etag).status_code == 304
