"""What every benchmark here shares: the sidekel command, fresh PostgreSQL databases, the header."""

import functools
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIDEKEL = str(ROOT / ".venv" / "bin" / "sidekel")


def sidekel(*args):
    """The sidekel command run by this Python; which checkout's code it runs is ``environment``'s root,
    when it runs in that root: ``python -m`` puts its working folder first on the import path, before
    PYTHONPATH, so a command started in another checkout would run that checkout's code."""
    return [sys.executable, "-m", "sidekel.cli", *args]


def environment(env, root=ROOT):
    """``env`` for a sidekel command of the checkout at ``root`` (its code first on the import path,
    whatever the venv has installed, and compiled: ``compiled``), with the public API's rate limit
    off: every request of a benchmark comes from one address."""
    compiled(root)
    return {**env, "PYTHONPATH": str(root), "SIDEKEL_API_RATE_PER_MINUTE": "0"}


@functools.cache
def compiled(root):
    """The checkout's bytecode written, once per run, as pip writes it when it installs a release:
    the processes a benchmark starts load it as a server's do, and do not compile every module of
    the project again where Python is told not to write bytecode (PYTHONDONTWRITEBYTECODE)."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(root) / "sidekel")], check=True,
                   stdout=subprocess.DEVNULL)


def run_timed(args, env, root=ROOT):
    """Run ``sidekel args`` in its own process; return (seconds, peak MB of its resident set, as
    wait4 gives it: the process or the largest of the children it waited for)."""
    with tempfile.TemporaryFile("w+") as errors:
        start = time.perf_counter()
        proc = subprocess.Popen(sidekel(*args), env=environment(env, root), cwd=root, stdout=subprocess.DEVNULL,
                                stderr=errors)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode:
            errors.seek(0)
            raise RuntimeError(f"sidekel {' '.join(args)} failed: {errors.read()[-3000:]}")
    return seconds, usage.ru_maxrss / 1024


def postgres_url(env=None):
    url = (env or os.environ).get("SIDEKEL_DATABASE_URL", "")
    return url if url.startswith("postgres") else None


def _psql(url, sql):
    base = url.rsplit("/", 1)[0]
    done = subprocess.run(["psql", f"{base}/postgres", "-qc", sql], capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"psql {sql!r} failed: {done.stderr.strip()}")


def drop_postgres(url):
    """Drop the database named in ``url``, ending any session still on it (a server of the bench
    that is still closing its connections when the bench cleans up)."""
    _psql(url, f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


def fresh_postgres(url):
    """Drop and create the database named in ``url`` (must not be a database you keep)."""
    drop_postgres(url)
    _psql(url, f'CREATE DATABASE "{url.rsplit("/", 1)[1]}"')


def header(title):
    """The first line of every report: what was measured, where and when."""
    backend = "PostgreSQL" if postgres_url() else "SQLite"
    print(f"# {title}, {backend}, {platform.python_implementation()} {platform.python_version()}, "
          f"{os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}", flush=True)


def django_in_fresh_folder(name, **environment):
    """Django in this process on a fresh data folder (or the PostgreSQL database named by the URL,
    dropped and created), with the stored public pages off, ``environment`` as SIDEKEL_*
    variables, migrated, answering the test client; returns the settings."""
    os.environ["SIDEKEL_DATA_DIR"] = tempfile.mkdtemp(prefix=f"sidekel-bench-{name}-")
    os.environ.update({"SIDEKEL_PAGE_CACHE": "0", **{k: str(v) for k, v in environment.items()}})
    if postgres_url():
        fresh_postgres(os.environ["SIDEKEL_DATABASE_URL"])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sidekel.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    settings.ALLOWED_HOSTS = ["testserver"]
    return settings


# --- demo databases shared by the benchmarks -------------------------------------------------------
# list_search.py, statistik.py and portal_load.py measure the same demo kecamatan: each size is
# built once in DEMO_DIR/n<size> (on PostgreSQL, in the database named by the URL plus the size,
# with its files in DEMO_DIR/n<size>-postgresql)
# and, with --keep / --reuse, measured by any of them.

DEMO_DIR = Path(tempfile.gettempdir()) / "sidekel-bench-list"


def psql(base_url, sql):
    """Run ``sql`` in the server's maintenance database; return its output."""
    result = subprocess.run(["psql", f"{base_url}/postgres", "-qAtc", sql], check=True, capture_output=True, text=True)
    return result.stdout.strip()


def demo_environment(size):
    """The environment of every command for one size: its data folder and its database."""
    url = postgres_url()
    # Each backend has its own folder: building one must not remove the other's database.
    folder = DEMO_DIR / (f"n{size}-postgresql" if url else f"n{size}")
    # Benchmarks log in with the demo accounts and no phone: the two-factor step is off for them.
    env = dict(os.environ, SIDEKEL_DATA_DIR=str(folder), DJANGO_SETTINGS_MODULE="sidekel.settings",
               SIDEKEL_TWO_FACTOR_REQUIRED="0")
    if url:
        env["SIDEKEL_DATABASE_URL"] = f"{url}_{size}"
    return env


def demo_is_built(env):
    url = env.get("SIDEKEL_DATABASE_URL", "")
    if url.startswith("postgres"):
        base, name = url.rsplit("/", 1)
        return psql(base, f"SELECT 1 FROM pg_database WHERE datname = '{name}'") == "1"
    return (Path(env["SIDEKEL_DATA_DIR"]) / "sidekel.sqlite3").exists()


def build_demo(size, seed=1, reuse=False):
    """Build the demo kecamatan with ``size`` residents (or migrate the one kept); return the env."""
    return demo(size, seed, reuse)[0]


def demo(size, seed=1, reuse=False):
    """``build_demo``, also returning how the build went: None when a kept demo was reused, else
    (seconds, peak MB) of `sidekel demo` alone (the empty database's migration not counted)."""
    env = demo_environment(size)
    if reuse and demo_is_built(env):
        print(f"# {size:,}: reusing {env.get('SIDEKEL_DATABASE_URL') or env['SIDEKEL_DATA_DIR']}", flush=True)
        subprocess.run(sidekel("migrate", "-v0"), env=environment(env), cwd=ROOT, check=True)  # the code may have moved on
        return env, None
    shutil.rmtree(env["SIDEKEL_DATA_DIR"], ignore_errors=True)
    os.makedirs(env["SIDEKEL_DATA_DIR"])
    if postgres_url(env):
        fresh_postgres(env["SIDEKEL_DATABASE_URL"])
    subprocess.run(sidekel("migrate", "-v0"), env=environment(env), cwd=ROOT, check=True)
    seconds, peak = run_timed(["demo", "--no-serve", "--penduduk", str(size), "--seed", str(seed)], env)
    print(f"# {size:,}: demo built in {seconds:.0f} s, peak {peak:.0f} MB", flush=True)
    return env, (seconds, peak)


def remove_demo(env):
    shutil.rmtree(env["SIDEKEL_DATA_DIR"], ignore_errors=True)
    if postgres_url(env):
        drop_postgres(env["SIDEKEL_DATABASE_URL"])
    if DEMO_DIR.exists() and not any(DEMO_DIR.iterdir()):
        DEMO_DIR.rmdir()
