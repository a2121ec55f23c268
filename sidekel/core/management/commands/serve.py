"""`sidekel serve`: the production web server (gunicorn), not Django's development server.

    sidekel serve                                # http://127.0.0.1:8000, 2 x cores worker processes
    sidekel serve --bind 0.0.0.0:8000 --workers 4 --threads 4

What it does:

1. ``collectstatic`` into ``<data dir>/static`` with WhiteNoise's CompressedManifestStaticFilesStorage:
   every file gets a content hash in its name and a .gz and .br copy, made once here and not per
   request (skip with ``--no-collectstatic`` when a deployment step already did it);
2. starts the background worker (``sidekel worker``, which stops when the server stops; skip it
   with ``--no-worker`` when the worker runs as its own systemd unit);
3. replaces itself with gunicorn running ``sidekel.wsgi`` in ``--workers`` processes of ``--threads``
   threads each (gthread workers: keep-alive connections, and a slow request does not block a
   whole process).

With ``--no-collectstatic`` it refuses to start when the collected files are missing (every
page would answer 500 without them). Gunicorn and the worker run from the folder that holds the
installed ``sidekel`` package, whatever folder ``sidekel serve`` was started from: ``python -m``
puts the working directory first on the import path, and a folder there holding a checkout
named ``sidekel/`` would otherwise be imported instead of the installed package. Relative paths
in SIDEKEL_DATA_DIR and a SQLite SIDEKEL_DATABASE_URL are made absolute first, so they still
mean the folder serve was started from.

Both run with ``SIDEKEL_SERVE=1``, which tells settings.py to serve the collected,
hashed files (cached by browsers for a year: their name changes when their content does) and to
keep the cache in files under ``<data dir>/cache``, shared by the worker processes.
It also turns on SIDEKEL_PAGE_CACHE: each worker keeps whole answers of the public pages and
API in memory for anonymous visitors, per data version (``core/pagecache.py``).
SQLite in WAL mode lets the worker processes read at the same time while one writes.
"""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

import sidekel


def default_workers():
    return 2 * (os.cpu_count() or 1)


class Command(BaseCommand):
    help = "Serve Sidekel with the production web server (gunicorn) and compressed, hashed static files."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000", help="Address to listen on (default 127.0.0.1:8000).")
        parser.add_argument("--workers", type=int, default=default_workers(),
                            help=f"Worker processes (default 2 x cores = {default_workers()}).")
        parser.add_argument("--threads", type=int, default=4, help="Threads per worker process (default 4).")
        parser.add_argument("--timeout", type=int, default=60, help="Seconds before a stuck request's worker restarts.")
        parser.add_argument("--access-log", action="store_true", help="Log every request to standard output.")
        parser.add_argument("--no-worker", action="store_true",
                            help="Do not start the background worker (it runs as its own service: sidekel worker).")
        parser.add_argument("--no-collectstatic", action="store_true",
                            help="Do not collect the static files first (a deployment step already did).")

    def handle(self, *args, bind, workers, threads, timeout, access_log, no_worker, no_collectstatic, **options):
        if workers < 1 or threads < 1:
            raise CommandError("--workers dan --threads harus paling sedikit 1.")
        env = dict(os.environ, SIDEKEL_SERVE="1", SIDEKEL_DATA_DIR=str(settings.DATA_DIR))
        env.setdefault("DJANGO_SETTINGS_MODULE", "sidekel.settings")
        database = settings.DATABASES["default"]
        if os.environ.get("SIDEKEL_DATABASE_URL", "").strip() and database["ENGINE"].endswith("sqlite3"):
            env["SIDEKEL_DATABASE_URL"] = f"sqlite:///{Path(database['NAME']).resolve()}"
        manifest = settings.DATA_DIR / "static" / "staticfiles.json"
        if no_collectstatic and not manifest.exists():
            raise CommandError(
                f"Berkas statis belum dikumpulkan: {manifest} tidak ada. Jalankan dulu "
                "'SIDEKEL_SERVE=1 sidekel collectstatic --noinput' (dengan SIDEKEL_DATA_DIR yang sama), "
                "atau jalankan 'sidekel serve' tanpa --no-collectstatic.")
        # A neutral working directory: the one holding the installed package (see the docstring).
        os.chdir(Path(sidekel.__file__).resolve().parent.parent)
        if not no_collectstatic:
            subprocess.run([sys.executable, "-m", "sidekel.cli", "collectstatic", "--noinput", "-v0"], env=env, check=True)
        command = [
            sys.executable, "-m", "gunicorn", "sidekel.wsgi:application",
            "--bind", bind, "--workers", str(workers), "--threads", str(threads), "--worker-class", "gthread",
            "--timeout", str(timeout), "--keep-alive", "5", "--graceful-timeout", "10",
            "--forwarded-allow-ips", "127.0.0.1,::1", "--no-control-socket", "--chdir", os.getcwd(),
        ]
        if access_log:
            command += ["--access-logfile", "-"]
        self.stdout.write(f"sidekel serve: gunicorn on http://{bind}, {workers} x {threads} threads"
                          + ("" if no_worker else ", and the background worker"), ending="\n")
        self.stdout.flush()
        if not no_worker:
            from sidekel.core.jobs import spawn_worker

            spawn_worker(env)  # it stops when gunicorn, which this process becomes, ends
        os.execvpe(command[0], command, env)
