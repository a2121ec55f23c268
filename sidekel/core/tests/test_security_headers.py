"""Security headers, no-store for personal answers, the proxy settings and the CSRF page
(docs/deploy.md). The production settings are read from settings.py itself with a production
environment (runpy), then applied to the running test settings where a request needs them."""

import os
import re
import runpy
import subprocess
import sys

import pytest
from django.test import Client

import sidekel.settings
from sidekel.core.security import csp_header

from .test_permission_matrix import MATRIX

PRODUCTION_ENV = {
    "SIDEKEL_SECRET_KEY": "k" * 20 + "-production-test-key-" + "x" * 30,
    "SIDEKEL_ALLOWED_HOSTS": "sidekel.example.go.id,.arutselatan.go.id",
    "SIDEKEL_BEHIND_PROXY": "1",
}


def production_settings(monkeypatch, tmp_path, **env):
    for name in [n for n in os.environ if n.startswith("SIDEKEL_") and n != "SIDEKEL_TEST_DATABASE_NAME"]:
        monkeypatch.delenv(name)
    for name, value in {**PRODUCTION_ENV, "SIDEKEL_DATA_DIR": str(tmp_path), **env}.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    return runpy.run_path(sidekel.settings.__file__)


def test_production_settings_trust_the_proxy_and_the_https_origins(monkeypatch, tmp_path):
    s = production_settings(monkeypatch, tmp_path)
    assert s["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert s["SIDEKEL_TRUST_X_FORWARDED_FOR"] is True
    assert s["CSRF_TRUSTED_ORIGINS"] == ["https://sidekel.example.go.id", "https://*.arutselatan.go.id"]
    assert s["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600 and s["SECURE_SSL_REDIRECT"] is True
    assert s["SESSION_COOKIE_SECURE"] is True and s["CSRF_COOKIE_SECURE"] is True

    without_proxy = production_settings(monkeypatch, tmp_path, SIDEKEL_BEHIND_PROXY=None)
    assert "SECURE_PROXY_SSL_HEADER" not in without_proxy
    assert without_proxy["SECURE_SSL_REDIRECT"] is False  # it would redirect forever without X-Forwarded-Proto
    assert without_proxy["CSRF_TRUSTED_ORIGINS"] == s["CSRF_TRUSTED_ORIGINS"]

    local = production_settings(monkeypatch, tmp_path, SIDEKEL_ALLOWED_HOSTS=None, SIDEKEL_BEHIND_PROXY=None)
    assert local["CSRF_TRUSTED_ORIGINS"] == [] and "SECURE_HSTS_SECONDS" not in local


def _check_deploy(env, tmp_path):
    # (the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; a server never has it)
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SIDEKEL_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean.update(env, SIDEKEL_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="sidekel.settings",
                 PYTHONPATH=str(sidekel.settings.BASE_DIR.parent))  # this checkout's sidekel, from any folder
    return subprocess.run([sys.executable, "-m", "sidekel.cli", "check", "--deploy", "--fail-level", "WARNING"],
                          env=clean, capture_output=True, text=True, cwd=tmp_path)


def test_check_deploy_is_clean_in_the_documented_configuration_and_warns_without_the_proxy(tmp_path):
    """The environment of deploy/sidekel.env.example passes `sidekel check --deploy` with no warning."""
    example = (sidekel.settings.BASE_DIR.parent / "deploy" / "sidekel.env.example").read_text()
    env = dict(re.findall(r"^(SIDEKEL_[A-Z_]+)=(.*)$", example, re.M))
    env["SIDEKEL_SECRET_KEY"] = PRODUCTION_ENV["SIDEKEL_SECRET_KEY"]
    env["SIDEKEL_DATABASE_URL"] = ""  # the check reads no database; SQLite in tmp_path
    result = _check_deploy(env, tmp_path)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout

    env.pop("SIDEKEL_BEHIND_PROXY")
    result = _check_deploy(env, tmp_path)
    assert result.returncode != 0 and "sidekel.W001" in result.stderr and "X-Forwarded-Proto" in result.stderr


def test_login_behind_a_proxy_that_forgets_x_forwarded_proto(db, settings, monkeypatch, tmp_path):
    """The browser is on https://; the proxy sends no X-Forwarded-Proto, so Django sees plain HTTP.
    With the trusted origins settings.py derives from SIDEKEL_ALLOWED_HOSTS the login works; without
    them the 403 page names the cause in Indonesian."""
    from sidekel.akun.choices import Role
    from sidekel.akun.services import create_user

    s = production_settings(monkeypatch, tmp_path)
    for name in ("ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_SECURE"):
        setattr(settings, name, s[name])
    create_user("siti", role=Role.CAMAT, password="rahasia-panjang-1", validate=False)

    def login(client):
        client.get("/masuk/", HTTP_HOST="sidekel.example.go.id")
        return client.post("/masuk/", {"username": "siti", "password": "rahasia-panjang-1",
                                       "csrfmiddlewaretoken": client.cookies["csrftoken"].value},
                           HTTP_HOST="sidekel.example.go.id", HTTP_ORIGIN="https://sidekel.example.go.id")

    response = login(Client(enforce_csrf_checks=True))
    assert response.status_code == 302 and response["Location"] == "/petugas/"

    settings.CSRF_TRUSTED_ORIGINS = []
    response = login(Client(enforce_csrf_checks=True))
    page = response.content.decode()
    assert response.status_code == 403
    assert "X-Forwarded-Proto" in page and "SIDEKEL_BEHIND_PROXY=1" in page and "HTTPS" in page

    # An old form (the token changed): the ordinary cause, said as such.
    settings.CSRF_TRUSTED_ORIGINS = s["CSRF_TRUSTED_ORIGINS"]
    client = Client(enforce_csrf_checks=True, HTTP_HOST="sidekel.example.go.id")
    client.get("/masuk/")
    response = client.post("/masuk/", {"username": "siti", "password": "x", "csrfmiddlewaretoken": "x" * 64},
                           HTTP_ORIGIN="https://sidekel.example.go.id")
    assert response.status_code == 403 and "Muat ulang" in response.content.decode()


def test_every_answer_has_the_content_security_policy(client, world):
    expected = csp_header(sidekel.settings.SIDEKEL_CSP)
    assert "unsafe-inline" not in expected and "unsafe-eval" not in expected and "script-src 'self'" in expected
    for path in ("/", "/masuk/", "/data/", "/tidak-ada/"):
        response = client.get(path)
        assert response["Content-Security-Policy"] == expected, path
        assert response["X-Content-Type-Options"] == "nosniff" and response["X-Frame-Options"] == "DENY"
        assert "camera=()" in response["Permissions-Policy"]
    client.force_login(world["users"]["op_a"])
    assert client.get("/penduduk/")["Content-Security-Policy"] == expected


@pytest.mark.parametrize("persona,name", [
    ("op_a", "penduduk:list"), ("op_a", "penduduk:detail"), ("op_a", "penduduk:keluarga"),
    ("op_a", "penduduk:ekspor"), ("op_a", "jobs:unduhan-berkas"), ("op_a", "buku:xlsx"),
    ("camat", "statistik:dashboard"), ("admin", "admin:*"), ("admin", "buku:kecamatan-unduh"),
    ("op_a", "portal:beranda"),  # a public page, but with the official's name in the header
    ("op_a", "statistik:kategori"),  # a CSV of a village's figures
])
def test_answers_to_a_logged_in_user_are_not_stored(client, world, persona, name):
    _method, path, expected, *_ = MATRIX[name]
    client.force_login(world["users"][persona])
    response = client.get(path(world))
    assert response.status_code == expected[persona] == 200
    assert response["Cache-Control"] == "private, no-store", name


def test_answers_to_an_api_token_are_not_stored(client, world):
    response = client.get(f"/api/v1/penduduk/{world['budi'].pk}/",
                          HTTP_AUTHORIZATION=f"Bearer {world['tokens']['op_a']}")
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("name", ["portal:beranda", "portal:data-resource", "portal:berita", "api-v1:statistik"])
def test_public_answers_to_anonymous_visitors_keep_their_caching(client, world, name, settings):
    settings.SIDEKEL_PAGE_CACHE = True
    _method, path, *_ = MATRIX[name]
    response = client.get(path(world))
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "") and "private" not in response.get("Cache-Control", "")
    assert response.has_header("ETag")
