"""A write that finds the database locked by another write (an import on SQLite) is told to try
again: 503 with a message, nothing written, never a 500 (issue 14 item 3)."""

import json
import threading

import pytest
from django.db import connection, connections

from sidekel.akun.choices import Role
from sidekel.akun.services import create_user, issue_token
from sidekel.core.models import AccessLog
from sidekel.penduduk.models import Penduduk


@pytest.fixture
def locked(settings, monkeypatch):
    """Another connection holds SQLite's write lock (as an import does) until the test ends. A
    write waits a tenth of a second for it, not the installation's ten: what follows the wait is
    the same."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL locks rows, not the database: other writes go on")
    options = connection.settings_dict["OPTIONS"]
    assert "busy_timeout=10000" in options["init_command"]
    monkeypatch.setitem(options, "init_command", options["init_command"].replace("busy_timeout=10000", "busy_timeout=100"))
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout = 100")
    holding, release = threading.Event(), threading.Event()

    def hold():
        try:
            with connections["default"].cursor() as cursor:
                cursor.execute("BEGIN IMMEDIATE")
                cursor.execute("UPDATE wilayah_provinsi SET nama = nama")
                holding.set()
                release.wait(30)
                cursor.execute("ROLLBACK")
        finally:
            connections.close_all()

    thread = threading.Thread(target=hold)
    thread.start()
    assert holding.wait(10)
    yield
    release.set()
    thread.join()
    with connection.cursor() as cursor:  # the next tests' connection waits as the installation's does
        cursor.execute("PRAGMA busy_timeout = 10000")


@pytest.fixture
def admin_and_token(transactional_db, keluarga_budi, client):
    """Logged in before the lock: logging in writes a session."""
    admin = create_user("admin", role=Role.ADMIN_KECAMATAN, password="x", validate=False)
    client.force_login(admin)
    return admin, issue_token(admin), keluarga_budi[1]


def test_busy_database_gives_503_not_500(client, admin_and_token, locked):
    admin, token, budi = admin_and_token
    before = AccessLog.objects.count(), Penduduk.objects.get(pk=budi.pk).version

    page = client.post(f"/penduduk/{budi.pk}/identitas/")  # a reveal writes to the access log
    assert page.status_code == 503 and page["Retry-After"]
    assert "Sistem sedang sibuk" in page.content.decode() and "Tidak ada yang tersimpan" in page.content.decode()

    api = client.patch(f"/api/v1/penduduk/{budi.pk}/", json.dumps({"version": budi.version, "pekerjaan": 9}),
                       content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.status_code == 503 and api.json()["detail"].startswith("Sistem sedang sibuk")
    assert (AccessLog.objects.count(), Penduduk.objects.get(pk=budi.pk).version) == before
