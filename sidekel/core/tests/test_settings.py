"""Configuration from the environment, checked in real processes as an administrator runs them."""

import os
import sqlite3
import stat
import subprocess
import sys

import pytest

SIDEKEL = [sys.executable, "-m", "sidekel"]


def run(args, tmp_path, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SIDEKEL_")}
    environment.update(SIDEKEL_DATA_DIR=str(tmp_path / "data"), **env)
    return subprocess.run(SIDEKEL + args, env=environment, capture_output=True, text=True, timeout=120)


def test_local_install_needs_no_configuration_and_uses_sqlite_wal(tmp_path):
    result = run(["migrate", "-v0"], tmp_path)
    assert result.returncode == 0, result.stderr
    data = tmp_path / "data"
    key = data / "secret_key"
    assert len(key.read_text()) >= 50 and stat.S_IMODE(key.stat().st_mode) == 0o600
    with sqlite3.connect(data / "sidekel.sqlite3") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    # The key is kept: a second start reuses it.
    before = key.read_text()
    assert run(["check"], tmp_path).returncode == 0 and key.read_text() == before


def test_production_without_secret_key_fails_fast_with_a_clear_message(tmp_path):
    result = run(["check"], tmp_path, SIDEKEL_ALLOWED_HOSTS="sidekel.kotawaringinbaratkab.go.id")
    assert result.returncode != 0
    assert "SIDEKEL_SECRET_KEY wajib diisi" in result.stderr
    assert not (tmp_path / "data" / "secret_key").exists()


def test_production_with_debug_is_refused(tmp_path):
    result = run(["check"], tmp_path, SIDEKEL_ALLOWED_HOSTS="example.org", SIDEKEL_SECRET_KEY="x" * 50, SIDEKEL_DEBUG="1")
    assert result.returncode != 0 and "SIDEKEL_DEBUG" in result.stderr


@pytest.mark.parametrize("url", ["mysql://root@127.0.0.1/sidekel", "bukan-url"])
def test_unsupported_database_url_is_refused(tmp_path, url):
    result = run(["check"], tmp_path, SIDEKEL_DATABASE_URL=url)
    assert result.returncode != 0
    assert "SIDEKEL_DATABASE_URL" in result.stderr or "SQLite dan PostgreSQL" in result.stderr
