"""The resident API: tokens, search with a total count, scoped reads and optimistic PATCH."""

import datetime
import json

import pytest
from django.utils import timezone

from sidekel.akun.choices import Role
from sidekel.akun.models import ApiToken
from sidekel.akun.services import create_user
from sidekel.penduduk.tests.factories import adult
from sidekel.penduduk import services


@pytest.fixture
def operator(rangda):
    return create_user("op_rangda", role=Role.OPERATOR, password="rahasia-desa-123", desa_kode=[rangda.kode], validate=False)


def get_token(client, username="op_rangda", password="rahasia-desa-123"):
    response = client.post("/api/v1/auth/token", json.dumps({"username": username, "password": password}),
                           content_type="application/json")
    return response


def auth(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_token_flow_expiry_and_revocation(client, operator):
    assert get_token(client, password="salah").status_code == 401
    response = get_token(client)
    assert response.status_code == 200
    token = response.json()["token"]
    assert client.get("/api/v1/penduduk/", **auth(token)).status_code == 200
    assert client.get("/api/v1/penduduk/", **auth("palsu")).status_code == 401
    # Expired tokens stop working.
    ApiToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get("/api/v1/penduduk/", **auth(token)).status_code == 401
    # A fresh token can be revoked.
    token = get_token(client).json()["token"]
    assert client.delete("/api/v1/auth/token", **auth(token)).status_code == 204
    body = client.get("/api/v1/penduduk/", **auth(token)).json()
    assert "Bearer" in body["detail"]


def test_login_attempts_are_throttled(client, operator, settings):
    settings.SIDEKEL_LOGIN_ATTEMPTS = 3
    for _ in range(3):
        assert get_token(client, password="salah").status_code == 401
    response = get_token(client)  # even the right password waits now
    assert response.status_code == 429 and "coba lagi dalam 2 detik" in response.json()["detail"]


def test_search_is_paginated_with_a_total_count_and_masked(client, operator, rangda, raja):
    for i in range(7):
        services.register_penduduk(rangda, nik=f"62010201018500{i + 1:02d}", **adult(nama=f"Sari {i}"))
    services.register_penduduk(raja, nik="6201070101850099", **adult(nama="Sari Raja"))
    token = get_token(client).json()["token"]
    first = client.get("/api/v1/penduduk/?q=sari&limit=5", **auth(token)).json()
    assert first["count"] == 7 and len(first["results"]) == 5
    assert first["results"][0]["nik"] == "620102**********"
    second = client.get(first["next"], **auth(token)).json()
    assert [r["nama"] for r in first["results"] + second["results"]] == [f"Sari {i}" for i in range(7)]
    assert second["next"] is None
    assert client.get("/api/v1/penduduk/?desa=62.01.02.1007", **auth(token)).json()["count"] == 0
    # Several words: names holding every one of them, in any order.
    assert [r["nama"] for r in client.get("/api/v1/penduduk/?q=3+sari", **auth(token)).json()["results"]] == ["Sari 3"]
    assert [r["nama"] for r in client.get("/api/v1/penduduk/?q=sari+3&desa=62.01.02.2010",
                                          **auth(token)).json()["results"]] == ["Sari 3"]
    assert client.get("/api/v1/penduduk/?q=sari+raja+3", **auth(token)).json()["count"] == 0


@pytest.mark.parametrize("few_words", [1, 100])  # every pair held by "few" words; none
def test_a_search_of_two_letters_across_villages_counts_each_resident_once(client, rangda, raja, monkeypatch,
                                                                          few_words):
    """Across villages, one or two letters are counted through the words of names when few words
    hold them (a rare pair) and through the name table when most do (a common one,
    ``few_words_hold``): both give every resident once, though a name holds the letters in two
    of its words."""
    from sidekel.penduduk import models

    monkeypatch.setattr(models, "FEW_WORDS", few_words)
    create_user("admin_kec", role=Role.ADMIN_KECAMATAN, password="rahasia-desa-123", validate=False)
    names = ["Sari Lailasari", "Ani Wulandari", "Budi", "Rosari Ani", "Dewi"]
    for i, nama in enumerate(names):
        services.register_penduduk(rangda if i % 2 else raja, nik=f"620102010185{i + 1:04d}", **adult(nama=nama))
    token = get_token(client, username="admin_kec").json()["token"]
    for text, expected in (("ri", ["Ani Wulandari", "Rosari Ani", "Sari Lailasari"]), ("an", ["Ani Wulandari", "Rosari Ani"]),
                           ("qx", [])):
        body = client.get(f"/api/v1/penduduk/?q={text}", **auth(token)).json()
        assert body["count"] == len(expected) and [r["nama"] for r in body["results"]] == expected, text


def test_get_and_patch_follow_the_page_rules(client, operator, keluarga_budi, raja):
    budi = keluarga_budi[1]
    dewi, _ = services.register_penduduk(raja, nik="6201074101900001", **adult(nama="Dewi"))
    token = get_token(client).json()["token"]
    data = client.get(f"/api/v1/penduduk/{budi.pk}/", **auth(token)).json()
    assert data["nik"] == budi.nik and data["desa"] == "62.01.02.2010" and data["version"] == 1
    assert client.get(f"/api/v1/penduduk/{dewi.pk}/", **auth(token)).status_code == 404

    patch = {"version": 1, "pekerjaan": 88, "alasan": "pindah kerja"}
    response = client.patch(f"/api/v1/penduduk/{budi.pk}/", json.dumps(patch), content_type="application/json", **auth(token))
    assert response.status_code == 200 and response.json()["pekerjaan"] == 88 and response.json()["version"] == 2
    stale = client.patch(f"/api/v1/penduduk/{budi.pk}/", json.dumps({"version": 1, "nama": "X"}),
                         content_type="application/json", **auth(token))
    assert stale.status_code == 400 and "Muat ulang" in stale.json()["detail"]
    bad = client.patch(f"/api/v1/penduduk/{budi.pk}/", json.dumps({"version": 2, "nik": "123"}),
                       content_type="application/json", **auth(token))
    assert bad.status_code == 422 and "16 digit" in bad.json()["errors"]["nik"][0]
    wrong_type = client.patch(f"/api/v1/penduduk/{budi.pk}/", json.dumps({"version": "dua"}),
                              content_type="application/json", **auth(token))
    assert wrong_type.status_code == 422 and wrong_type.json()["detail"] == "Data yang dikirim tidak sah."
    budi.refresh_from_db()
    assert (budi.nama, budi.pekerjaan) == ("Budi Santoso", 88)
    # A parent's NIK sent as people write it is stored as its 16 digits.
    grouped = client.patch(f"/api/v1/penduduk/{budi.pk}/", json.dumps({"version": 2, "nik_ayah": "6201-0212-0385-0002"}),
                           content_type="application/json", **auth(token))
    assert grouped.status_code == 200, grouped.json()
    budi.refresh_from_db()
    assert budi.nik_ayah == "6201021203850002"


def test_openapi_describes_the_resident_endpoints(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/auth/token", "/api/v1/penduduk/", "/api/v1/penduduk/{pk}/"} <= set(paths)
    assert "patch" in paths["/api/v1/penduduk/{pk}/"]
