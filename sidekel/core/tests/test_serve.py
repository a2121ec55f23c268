"""`sidekel serve` in a real subprocess: gunicorn answers, static files come hashed and compressed.

The server always runs on a SQLite file in a fresh data folder (whatever database the suite uses):
what is tested here is the server, WhiteNoise and compression, not the data.
"""

import gzip
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import brotli

SIDEKEL = [sys.executable, "-m", "sidekel.cli"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url, **headers):
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.headers, response.read()


def wait_until_up(url, proc, seconds=180):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"sidekel serve stopped: {proc.stdout.read()}")
        try:
            return fetch(url)
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.3)
    raise AssertionError(f"sidekel serve did not answer {url} within {seconds} s")


def test_serve_answers_with_gunicorn_and_compressed_hashed_static_files(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("SIDEKEL_DATABASE_URL", "SIDEKEL_ALLOWED_HOSTS")}
    env.update(SIDEKEL_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="sidekel.settings")
    subprocess.run([*SIDEKEL, "migrate", "-v0"], env=env, check=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([*SIDEKEL, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "2"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        status, headers, body = wait_until_up(f"{base}/healthz", proc)
        assert status == 200 and json.loads(body) == {"status": "ok", "database": "sqlite"}
        assert headers["Server"].startswith("gunicorn")

        manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())["paths"]
        hashed = manifest["sidekel/sidekel.css"]
        assert hashed != "sidekel/sidekel.css"
        original = (tmp_path / "static" / "sidekel" / "sidekel.css").read_bytes()
        status, headers, body = fetch(f"{base}/static/{hashed}", **{"Accept-Encoding": "br, gzip"})
        assert headers["Content-Encoding"] == "br" and brotli.decompress(body) == original
        assert len(body) < len(original) / 2
        assert "immutable" in headers["Cache-Control"] and "max-age=315360000" in headers["Cache-Control"]
        status, headers, body = fetch(f"{base}/static/{hashed}", **{"Accept-Encoding": "gzip"})
        assert headers["Content-Encoding"] == "gzip" and gzip.decompress(body) == original

        status, headers, body = fetch(f"{base}/", **{"Accept-Encoding": "gzip"})
        page = gzip.decompress(body).decode()
        assert status == 200 and headers["Content-Encoding"] == "gzip"
        assert f"/static/{hashed}" in page  # pages link the hashed name
        status, headers, body = fetch(f"{base}/api/v1/statistik/", **{"Accept-Encoding": "gzip"})
        assert headers["Content-Encoding"] == "gzip" and json.loads(gzip.decompress(body))[0]["slug"] == "jenis-kelamin"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
