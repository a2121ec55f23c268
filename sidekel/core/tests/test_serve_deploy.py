"""`sidekel serve` as an installer meets it: started from a folder that holds another `sidekel/`
(a checkout), and with --no-collectstatic before the files were collected."""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import sidekel

from .test_serve import SIDEKEL, free_port, wait_until_up

PACKAGE_PARENT = str(Path(sidekel.__file__).resolve().parent.parent)


def clean_env(data_dir):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIDEKEL_") or k == "SIDEKEL_TEST_DATABASE_NAME"}
    env.update(SIDEKEL_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="sidekel.settings")
    return env


def test_no_collectstatic_refuses_to_start_without_the_collected_files(tmp_path):
    result = subprocess.run([*SIDEKEL, "serve", "--no-collectstatic", "--no-worker", "--bind", f"127.0.0.1:{free_port()}"],
                            env=clean_env(tmp_path), capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "Berkas statis belum dikumpulkan" in result.stderr and "collectstatic" in result.stderr
    assert not (tmp_path / "static" / "staticfiles.json").exists()


def test_serve_works_from_a_folder_that_holds_a_sidekel_checkout(tmp_path):
    """The folder `sidekel serve` is started from holds a `sidekel/` package that breaks on import
    (an old checkout, say). gunicorn and the worker still load the installed package, and the
    relative data folder still means the one in the starting folder."""
    home = tmp_path / "home"
    (home / "sidekel").mkdir(parents=True)
    (home / "sidekel" / "__init__.py").write_text("raise ImportError('this is the checkout in the working folder')\n")
    # As the `sidekel` console script: sys.path[0] is its own folder, not the working folder.
    launcher = tmp_path / "bin" / "sidekel"
    launcher.parent.mkdir()
    launcher.write_text("from sidekel.cli import main\nmain()\n")
    env = clean_env("data")  # relative, as the default: <working folder>/data
    env["PYTHONPATH"] = PACKAGE_PARENT  # where the package under test is installed
    subprocess.run([sys.executable, str(launcher), "migrate", "-v0"], env=env, cwd=home, check=True, timeout=300)
    port = free_port()
    proc = subprocess.Popen([sys.executable, str(launcher), "serve", "--no-worker", "--workers", "1", "--threads", "2",
                             "--bind", f"127.0.0.1:{port}"], env=env, cwd=home, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        status, _headers, body = wait_until_up(f"http://127.0.0.1:{port}/healthz", proc)
        assert status == 200 and json.loads(body) == {"status": "ok", "database": "sqlite"}
        assert (home / "data" / "static" / "staticfiles.json").exists()  # collected into <working folder>/data
        status, headers, body = wait_until_up(f"http://127.0.0.1:{port}/masuk/", proc)
        assert status == 200 and "script-src 'self'" in headers["Content-Security-Policy"]
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
        output = proc.communicate(timeout=30)[0]
    assert "this is the checkout" not in output
