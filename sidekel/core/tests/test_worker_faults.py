"""The worker process under faults (issue 14 item 2): a worker killed (-9) or stopped (SIGTERM)
while an import writes leaves nothing written and the job failed with "terhenti, tidak ada yang
ditulis"; cancel works on a queued and on a running job; an undisturbed worker finishes the job.

Everything runs in real processes on a real database of its own, built by `sidekel demo`: a
SQLite file in a temporary folder, or a fresh PostgreSQL database when the suite runs on
PostgreSQL (so the fault is tried on the engine under test).
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from sidekel.penduduk.tests.files import HEADERS, many_families, write_csv

RANGDA = "62.01.02.2010"
FAMILIES = 10_000  # 40,000 rows: the write phase lasts long enough to be interrupted


def _run(env, *args, timeout=300):
    done = subprocess.run([sys.executable, "-m", "sidekel.cli", *args], env=env, capture_output=True, text=True,
                          timeout=timeout)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _shell(env, code):
    return (_run(env, "shell", "--no-imports", "-c", code).strip().splitlines() or [""])[-1]


@pytest.fixture(scope="module")
def installation(tmp_path_factory):
    """A data folder and database with the demo kecamatan (a few residents) and a 40,000-row file."""
    folder = tmp_path_factory.mktemp("faults")
    env = dict(os.environ, SIDEKEL_DATA_DIR=str(folder / "data"), SIDEKEL_JOB_STALE_SECONDS="1",
               DJANGO_SETTINGS_MODULE="sidekel.settings")
    env.pop("SIDEKEL_JOBS_INLINE", None)
    db = django_settings.DATABASES["default"]
    dropped = None
    if db["ENGINE"] == "django.db.backends.postgresql":
        import psycopg

        name = f"{db['NAME']}_faults"
        admin = psycopg.connect(host=db["HOST"] or None, port=db["PORT"] or None, user=db["USER"], dbname="postgres",
                                autocommit=True)
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
        env["SIDEKEL_DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
        dropped = (admin, name)
    else:
        env.pop("SIDEKEL_DATABASE_URL", None)
    _run(env, "demo", "--no-serve", "--penduduk", "100")
    (folder / "data" / "jobs").mkdir(parents=True, exist_ok=True)
    write_csv(folder / "data" / "jobs" / "besar.csv", HEADERS, many_families(FAMILIES))
    yield env, folder / "data"
    if dropped:
        admin, name = dropped
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _queue_import(env):
    """An import (check and write) of the big file into Rangda, queued as a web request queues it."""
    return int(_shell(env, f"""
from django.contrib.auth import get_user_model
from sidekel.core import jobs
from sidekel.core.models import Job
from sidekel.wilayah.models import Desa
job = Job.objects.create(kind="import-penduduk", desa=Desa.objects.get(kode="{RANGDA}"),
                         user=get_user_model().objects.get(username="operator.rangda"), filename="besar.csv",
                         stored_file="besar.csv", options={{"format": "auto", "existing": "skip", "dry_run": False}})
jobs.start(job)
print(job.pk)"""))


def _queue_alone(env):
    """Queue an import as the only queued job (earlier tests' leftovers cancelled); returns (id,
    residents of Rangda before it)."""
    _shell(env, "from sidekel.core.models import Job; Job.objects.filter(status='queued').update(status='cancelled')")
    job_id = _queue_import(env)
    return job_id, _state(env, job_id)[2]


def _state(env, job_id):
    """(status, message, residents of Rangda) as the database holds them."""
    return json.loads(_shell(env, f"""
import json
from sidekel.core.models import Job
from sidekel.penduduk.models import Penduduk
job = Job.objects.get(pk={job_id})
print(json.dumps([job.status, job.message, Penduduk.objects.filter(desa__kode="{RANGDA}").count()]))"""))


def _worker(env):
    return subprocess.Popen([sys.executable, "-m", "sidekel.cli", "worker", "--no-startup-delay", "--interval", "0.2",
                             "-v", "0"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _wait_until_writing(data, job_id, worker, limit=240):
    """Wait until the job's work has written its first batch of residents (inside its transaction)."""
    progress = data / "jobs" / f"{job_id}.progress.json"
    end = time.monotonic() + limit
    while time.monotonic() < end:
        assert worker.poll() is None, worker.stderr.read()[-3000:]
        try:
            state = json.loads(progress.read_text())
        except (OSError, ValueError):
            state = {}
        if state.get("phase") == "write" and state.get("done"):
            return state
        time.sleep(0.01)
    pytest.fail("the import never reached its write phase")


def _stop(worker, sig):
    worker.send_signal(sig)
    return worker.wait(timeout=60)


def test_a_worker_killed_while_writing_leaves_nothing_and_the_job_failed(installation):
    env, data = installation
    job_id = _queue_import(env)
    status, _message, before = _state(env, job_id)
    assert status == "queued"
    worker = _worker(env)
    _wait_until_writing(data, job_id, worker)
    _stop(worker, signal.SIGKILL)
    status, message, after = _state(env, job_id)
    assert status == "running" and after == before  # the open transaction died with the process

    time.sleep(2.5)  # the heartbeat file ages past SIDEKEL_JOB_STALE_SECONDS (1 s here)
    _run(env, "worker", "--batch", "--no-startup-delay", "-v", "0")  # a worker starting marks it failed
    status, message, after = _state(env, job_id)
    assert status == "failed" and after == before
    assert "Terhenti sebelum selesai; tidak ada yang ditulis. Impor lagi." in message


def test_a_worker_stopped_by_sigterm_rolls_the_import_back_and_exits(installation):
    env, data = installation
    job_id, before = _queue_alone(env)
    worker = _worker(env)
    _wait_until_writing(data, job_id, worker)
    started = time.monotonic()
    code = _stop(worker, signal.SIGTERM)
    assert code == 0 and time.monotonic() - started < 30  # a restart does not wait for the rest of the import
    status, message, after = _state(env, job_id)
    assert (status, after) == ("failed", before)
    assert "Terhenti sebelum selesai; tidak ada yang ditulis. Impor lagi." in message


def test_cancel_works_on_a_queued_job_and_on_a_running_one(installation):
    env, data = installation
    _shell(env, "from sidekel.core.models import Job; Job.objects.filter(status='queued').update(status='cancelled')")
    queued = _queue_import(env)
    _shell(env, f"from sidekel.core import jobs; from sidekel.core.models import Job; jobs.cancel(Job.objects.get(pk={queued}))")
    assert _state(env, queued)[0] == "cancelled"  # at once, with no worker running

    running = _queue_import(env)
    before = _state(env, running)[2]
    worker = _worker(env)
    _wait_until_writing(data, running, worker)
    (data / "jobs" / f"{running}.cancel").touch()  # what jobs.cancel does for a running job (its page's "Batal")
    end = time.monotonic() + 60
    while _state(env, running)[0] == "running" and time.monotonic() < end:
        time.sleep(0.2)
    _stop(worker, signal.SIGTERM)
    assert _state(env, running) == ["cancelled", "", before]


def test_a_web_server_killed_while_its_worker_writes_leaves_nothing_and_the_job_failed(installation):
    """`sidekel serve` starts the worker beside gunicorn; a kill -9 of the server stops the worker
    too (it watches its parent), and the import it was writing is rolled back and marked failed."""
    import socket

    env, data = installation
    job_id, before = _queue_alone(env)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "sidekel.cli", "serve", "--bind", f"127.0.0.1:{port}",
                               "--workers", "1", "--threads", "1"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    try:
        _wait_until_writing(data, job_id, server, limit=600)  # collectstatic first, then the check
        worker_pids = subprocess.run(["pgrep", "-P", str(server.pid), "-f", "sidekel.cli worker"],
                                     capture_output=True, text=True).stdout.split()
        assert len(worker_pids) == 1
        server.kill()
        server.wait()
        end = time.monotonic() + 60
        while Path(f"/proc/{worker_pids[0]}").exists() and time.monotonic() < end:
            time.sleep(0.2)
        assert not Path(f"/proc/{worker_pids[0]}").exists() or \
            Path(f"/proc/{worker_pids[0]}/status").read_text().find("State:\tZ") >= 0
    finally:
        if server.poll() is None:
            server.kill()
    status, message, after = _state(env, job_id)
    assert (status, after) == ("failed", before)
    assert "Terhenti sebelum selesai; tidak ada yang ditulis. Impor lagi." in message


def test_an_undisturbed_worker_finishes_the_import(installation):
    # Last in this file: it leaves the file's residents imported, after which the same file has
    # nothing left to write and the fault tests above could not interrupt a write.
    env, data = installation
    job_id, before = _queue_alone(env)
    worker = _worker(env)
    end = time.monotonic() + 300
    while _state(env, job_id)[0] in ("queued", "running") and time.monotonic() < end:
        time.sleep(0.5)
    _stop(worker, signal.SIGTERM)
    status, message, after = _state(env, job_id)
    assert status == "done", message
    assert after > before + 4 * FAMILIES * 0.9  # every row but the few whose NIK the demo had drawn already


def test_a_round_whose_figures_fail_still_publishes(monkeypatch):
    """A maintainer that fails (a bug, a busy database) must not keep news and profiles off the
    public pages: the worker publishes what changed, with the figures made before."""
    import threading

    from sidekel.core import versioned
    from sidekel.core.management.commands import worker

    done, calls = threading.Event(), []

    def failing(rest=0):
        done.set()  # one round only
        raise RuntimeError("a maintainer's bug")

    monkeypatch.setattr(versioned, "refresh", failing)
    monkeypatch.setattr(versioned, "publish", lambda: calls.append("publish"))
    monkeypatch.setattr(worker, "FIGURES_SECONDS", 0.01)
    monkeypatch.setattr(worker.connections, "close_all", lambda: None)
    worker.SidekelWorker._figures(None, done)  # the figures thread alone, no queue to take jobs from
    assert calls == ["publish"]
