"""The shipped deployment files (deploy/) pass systemd-analyze verify and nginx -t, through the
same script CI runs (deploy/check.sh); and the script itself fails on a broken file."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[3] / "deploy"
TOOLS = ("systemd-analyze", "nginx", "openssl")


@pytest.fixture
def tools():
    missing = [tool for tool in TOOLS if not shutil.which(tool) and not os.path.exists(f"/usr/sbin/{tool}")]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"{missing} missing: .ci/run installs nginx")
        pytest.skip(f"needs {', '.join(missing)} (apt-get install nginx)")
    return dict(os.environ, PATH=os.environ.get("PATH", "") + ":/usr/sbin:/sbin")


def run_check(folder, env):
    return subprocess.run(["bash", str(folder / "check.sh")], env=env, capture_output=True, text=True, timeout=120)


def test_shipped_units_and_nginx_file_are_valid(tools):
    result = run_check(DEPLOY, tools)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok: both units" in result.stdout and "ok: nginx-sidekel.conf" in result.stdout


@pytest.mark.parametrize("file,breakage,complaint", [
    ("sidekel-worker.service", ("Restart=always", "Restart=alwayz"), "restart"),
    ("sidekel-web.service", ("NoNewPrivileges=yes", "NoNewPrivileges=yes\nProtectSistem=strict"), "ProtectSistem"),
    ("nginx-sidekel.conf", ("proxy_http_version 1.1;", "proxy_http_versio 1.1;"), "proxy_http_versio"),
])
def test_the_check_fails_on_a_broken_file(tools, tmp_path, file, breakage, complaint):
    copy = tmp_path / "deploy"
    shutil.copytree(DEPLOY, copy)
    text = (copy / file).read_text()
    assert breakage[0] in text
    (copy / file).write_text(text.replace(breakage[0], breakage[1], 1))
    result = run_check(copy, tools)
    assert result.returncode != 0 and complaint in result.stdout + result.stderr


def test_units_run_serve_without_worker_and_the_worker_with_time_to_roll_back():
    web = (DEPLOY / "sidekel-web.service").read_text()
    worker = (DEPLOY / "sidekel-worker.service").read_text()
    assert "ExecStart=/opt/sidekel/venv/bin/sidekel serve --no-worker" in web
    assert "ExecStart=/opt/sidekel/venv/bin/sidekel worker\n" in worker
    timeout = int(next(line.split("=")[1] for line in worker.splitlines() if line.startswith("TimeoutStopSec=")))
    assert timeout >= 60


def test_every_setting_is_documented_in_the_deploy_guide():
    import re

    import sidekel.settings

    read = set(re.findall(r'"(SIDEKEL_[A-Z_]+)"', Path(sidekel.settings.__file__).read_text()))
    guide = (DEPLOY.parent / "docs" / "deploy.md").read_text()
    rows = set(re.findall(r"^\| `(SIDEKEL_[A-Z_]+)`", guide, re.M))
    assert len(read) > 20
    assert read - rows == set(), "add these settings to the table in docs/deploy.md, 'Every setting'"
    assert rows - read == set(), "docs/deploy.md lists settings that settings.py no longer reads"


def test_the_env_example_names_only_real_settings_and_the_proxy():
    import re

    import sidekel.settings

    read = set(re.findall(r'"(SIDEKEL_[A-Z_]+)"', Path(sidekel.settings.__file__).read_text()))
    example = dict(re.findall(r"^(SIDEKEL_[A-Z_]+)=(.*)$", (DEPLOY / "sidekel.env.example").read_text(), re.M))
    assert set(example) <= read
    assert example["SIDEKEL_BEHIND_PROXY"] == "1" and example["SIDEKEL_DATA_DIR"] == "/var/lib/sidekel"
