"""The public statistics API and open-data catalogue, checked against independent counts.

Figures are compared with the oracle of test_services (people followed forward through their
events), which shares no code with the services the API calls.
"""

import datetime

import pytest
from django.test import Client

from sidekel.core.publicapi import TokenBucket
from sidekel.penduduk import services as penduduk_services
from sidekel.penduduk.choices import StatusDasar
from sidekel.penduduk.models import Penduduk
from sidekel.statistik.choices import KATEGORI
from sidekel.statistik.datasets import DATASETS
from sidekel.wilayah.models import Desa, Rt

from .test_services import PAST, TODAY, build_once, expected, population, present_on  # noqa: F401 (fixture and its data)

RANGDA, KECAMATAN = "62.01.02.2010", "62.01.02"


def figures(body):
    """{code: (men, women)} of the rows with people, as the oracle gives them."""
    return {row["kode"]: (row["laki_laki"], row["perempuan"]) for row in body["rows"] if row["jumlah"]}


def get(client, url, **headers):
    return client.get(url, **{f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()})


MONTH_END = (PAST.replace(day=1) + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)


def assert_drawn(published, truth, below=3, one_village=True):
    """``published`` is a drawn version of ``truth`` ({code: (men, women)}): no small count as it is
    (men, women or both together), nothing negative, the totals exact, and (for one village, whose
    own small counts are the ones drawn) little moved."""
    small = moved = 0
    for code in set(published) | set(truth):
        p, t = published.get(code, (0, 0)), truth.get(code, (0, 0))
        for p_value, t_value in ((p[0], t[0]), (p[1], t[1]), (sum(p), sum(t))):
            assert p_value >= 0, code
            if 0 < t_value < below:
                assert p_value != t_value, (code, p, t)
                small += 1
        moved += abs(p[0] - t[0]) + abs(p[1] - t[1])
    for sex in (0, 1):
        assert sum(v[sex] for v in published.values()) == sum(v[sex] for v in truth.values())
    assert not one_village or moved <= 8 * small, (moved, small, published, truth)


def test_figures_of_a_village_and_the_kecamatan_today_and_at_a_month_end(client, population):
    rangda, _raja = population
    everyone = list(Desa.objects.managed().values_list("id", flat=True))
    for day in (TODAY, MONTH_END):
        present = present_on(day)
        for slug in ("pekerjaan", "umur", "agama", "status-perkawinan", "golongan-darah"):
            for kode, desa_ids in ((RANGDA, [rangda.id]), (KECAMATAN, everyone)):
                url = f"/api/v1/statistik/{slug}/?wilayah={kode}"
                if day != TODAY:
                    url += f"&tanggal={day.isoformat()}"
                response = client.get(url)
                assert response.status_code == 200, url
                body = response.json()
                assert_drawn(figures(body), expected(slug, desa_ids, day, present=present), one_village=kode == RANGDA)
                assert body["tanggal"] == day.isoformat()
                assert body["wilayah"]["kode"] == kode and body["kategori"]["slug"] == slug
                assert [row["kode"] for row in body["rows"]][:len(KATEGORI[slug].labels())] == \
                    [code for code, _label in KATEGORI[slug].labels()]
                assert body["total"]["jumlah"] == sum(row["jumlah"] for row in body["rows"])
                assert body["privasi"]["metode"] == "disamarkan" and body["privasi"]["ambang"] == 3
                # The same answer as the open-data file of the same table.
                if day == TODAY:
                    csv_rows = client.get(f"/data/penduduk-{slug}/{kode}.json").json()["records"]
                    assert [(r["kode"], r["laki_laki"], r["perempuan"]) for r in csv_rows] == \
                        [(r["kode"], r["laki_laki"], r["perempuan"]) for r in body["rows"]]
    assert client.get(f"/api/v1/statistik/umur/?wilayah={KECAMATAN}").json()["wilayah"]["nama"] == \
        "Kecamatan Arut Selatan"


def test_the_kecamatan_is_the_sum_of_its_villages(client, population):
    villages = list(Desa.objects.managed().order_by("kode"))
    kecamatan = client.get(f"/api/v1/statistik/pekerjaan/?wilayah={KECAMATAN}").json()
    summed = {}
    for desa in villages:
        for row in client.get(f"/api/v1/statistik/pekerjaan/?wilayah={desa.kode}").json()["rows"]:
            summed[row["kode"]] = summed.get(row["kode"], 0) + row["jumlah"]
    assert {r["kode"]: r["jumlah"] for r in kecamatan["rows"]} == {k: v for k, v in summed.items()
                                                                   if k != "" or v}


def test_a_rt_has_no_small_count_as_it_is_and_adds_up_to_the_village(client, population):
    rangda, raja = population
    present = present_on(TODAY)
    village = {r["kode"]: r for r in client.get(f"/api/v1/statistik/umur/?wilayah={RANGDA}").json()["rows"]}
    summed = {}
    rts = list(Rt.objects.filter(desa=rangda).order_by("id"))
    for rt in rts:
        body = client.get(f"/api/v1/statistik/umur/?wilayah={RANGDA}&rt={rt.id}").json()
        assert body["wilayah"]["bagian"] == {"tingkat": "rt", "id": rt.id, "nama": str(rt)}
        assert body["privasi"]["metode"] == "disamarkan"
        truth = expected("umur", [rangda.id], TODAY, {rt.id}, present=present)
        published = figures(body)
        for code in set(published) | set(truth):
            p, t = published.get(code, (0, 0)), truth.get(code, (0, 0))
            for p_value, t_value in ((p[0], t[0]), (p[1], t[1]), (sum(p), sum(t))):
                assert not (0 < t_value < 3 and p_value == t_value), (rt, code, p, t)
        for row in body["rows"]:
            summed[row["kode"]] = summed.get(row["kode"], 0) + row["jumlah"]
    # The RTs add up to the village less the residents in no RT: exactly in total; per row, the
    # residents in no RT may have been drawn too (when the village's own count is drawn below theirs).
    without_rt = sum(sum(v) for v in expected("umur", [rangda.id], TODAY, {None}, present=present).values())
    assert sum(summed.values()) + without_rt == sum(row["jumlah"] for row in village.values())
    for code, row in village.items():
        assert row["jumlah"] - without_rt <= summed.get(code, 0) <= row["jumlah"], code
    other = Rt.objects.filter(desa=raja).first()
    response = client.get(f"/api/v1/statistik/umur/?wilayah={RANGDA}&rt={other.id}")
    assert response.status_code == 404
    assert response.json()["detail"] == f"Tidak ada RT dengan id {other.id} di Desa Rangda."
    assert client.get(f"/api/v1/statistik/umur/?wilayah={KECAMATAN}&dusun=1").status_code == 404


def test_sensitive_categories_and_past_dates_are_refused_below_the_village(client, population):
    rangda, _raja = population
    rt = Rt.objects.filter(desa=rangda).first()
    for slug in ("disabilitas", "agama", "golongan-darah", "kewarganegaraan", "kelompok-umur"):
        response = client.get(f"/api/v1/statistik/{slug}/?wilayah={RANGDA}&rt={rt.id}")
        assert response.status_code == 422, slug
        assert "tidak pernah untuk dusun, RW, atau RT" in response.json()["detail"]
    response = client.get(f"/api/v1/statistik/umur/?wilayah={RANGDA}&rt={rt.id}&tanggal={MONTH_END.isoformat()}")
    assert response.status_code == 422
    assert response.json()["errors"]["tanggal"] == ["Angka dusun, RW, atau RT hanya diterbitkan untuk hari ini."]


def test_mistakes_are_answered_in_indonesian(client, population):
    cases = [
        (f"/api/v1/statistik/umur/?wilayah={RANGDA}&tanggal=2999-01-01", 422,
         "Angka hanya ada sampai hari ini; pilih hari ini atau hari terakhir bulan sebelumnya."),
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


def test_a_code_of_no_region_shape_is_answered_but_never_kept(client, population):
    """Any text may be sent as ?wilayah=; only codes shaped as region codes are remembered, so a
    caller cannot fill the shared cache with keys of its choosing."""
    from django.core.cache import cache

    cache.clear()
    for text in ["bukan-kode", "62.01.02.2010'--", "\U000d4939\x82"]:
        response = client.get("/api/v1/statistik/umur/", {"wilayah": text})
        assert response.status_code == 404
        assert response.json()["detail"].startswith("Kode wilayah ")
    assert not any("api:area" in key for key in cache._cache)  # the suite's cache is in memory
    assert client.get(f"/api/v1/statistik/umur/?wilayah={RANGDA}").status_code == 200
    assert any("api:area" in key for key in cache._cache)


def test_only_today_and_month_ends_are_published(client, population):
    """Two answers one day apart would isolate a single event: the public may not ask for them."""
    for day in (MONTH_END - datetime.timedelta(days=1), MONTH_END + datetime.timedelta(days=1)):
        response = client.get(f"/api/v1/statistik/disabilitas/?wilayah={RANGDA}&tanggal={day.isoformat()}")
        assert response.status_code == 422, day
        detail = response.json()["detail"]
        assert "hari terakhir suatu bulan" in detail and day.isoformat() in detail
    assert client.get(f"/api/v1/statistik/disabilitas/?wilayah={RANGDA}&tanggal={MONTH_END.isoformat()}").status_code == 200


def test_etag_gives_304_until_the_village_changes(client, population):
    rangda, raja = population
    url = f"/api/v1/statistik/pekerjaan/?wilayah={RANGDA}"
    first = client.get(url)
    etag = first["ETag"]
    assert first["Cache-Control"] == "public, max-age=300"
    again = get(client, url, **{"If-None-Match": etag})
    assert again.status_code == 304 and again["ETag"] == etag and again.content == b""
    assert get(client, url, **{"If-None-Match": f'"other", W/{etag}'}).status_code == 304  # as gzip makes it
    assert get(client, url + "&tanggal=" + MONTH_END.isoformat(), **{"If-None-Match": etag}).status_code == 200
    kecamatan_etag = client.get(f"/api/v1/statistik/pekerjaan/?wilayah={KECAMATAN}")["ETag"]

    other = Penduduk.objects.filter(desa=raja, status_dasar=StatusDasar.HIDUP).first()
    penduduk_services.update_penduduk(other, user=None, changes={"pekerjaan": 2}, version=other.version)
    # Another village's edit: the kecamatan's drawing is made anew (villages add up to it), so a new ETag.
    assert client.get(f"/api/v1/statistik/pekerjaan/?wilayah={KECAMATAN}")["ETag"] != kecamatan_etag
    etag = client.get(url)["ETag"]
    first = client.get(url)

    person = Penduduk.objects.filter(desa=rangda, status_dasar=StatusDasar.HIDUP).exclude(pekerjaan=2).first()
    penduduk_services.update_penduduk(person, user=None, changes={"pekerjaan": 2}, version=person.version)
    changed = get(client, url, **{"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
    present = present_on(TODAY)
    assert_drawn(figures(changed.json()), expected("pekerjaan", [rangda.id], TODAY, present=present))
    # (The figures themselves may look the same: a count moved from 3 to 2 and another from 0 to 1 can
    # both be drawn as before. The ETag says the data changed; the drawing says nothing more.)


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
    assert "drawn to 0" in schema["components"]["schemas"]["Row"]["properties"]["laki_laki"]["description"]
    assert "disamarkan" in schema["components"]["schemas"]["Privasi"]["properties"]["metode"]["description"]
    assert "last day of a past month" in params["tanggal"]["description"]
    assert "CC-BY-4.0" in schema["components"]["schemas"]["Licence"]["properties"]["id"]["description"]


def test_gzip_compresses_json(client, population):
    response = client.get(f"/api/v1/statistik/pekerjaan/?wilayah={RANGDA}", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert response["ETag"].startswith('W/"')
    etag = response["ETag"]
    assert client.get(f"/api/v1/statistik/pekerjaan/?wilayah={RANGDA}", HTTP_ACCEPT_ENCODING="gzip",
                      HTTP_IF_NONE_MATCH=etag).status_code == 304
