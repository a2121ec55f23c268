"""What every benchmark here shares: the sidekel command, fresh PostgreSQL databases, the header."""

import os
import platform
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIDEKEL = str(ROOT / ".venv" / "bin" / "sidekel")


def postgres_url(env=None):
    url = (env or os.environ).get("SIDEKEL_DATABASE_URL", "")
    return url if url.startswith("postgres") else None


def _psql(url, sql):
    base = url.rsplit("/", 1)[0]
    subprocess.run(["psql", f"{base}/postgres", "-qc", sql], check=True, capture_output=True, text=True)


def drop_postgres(url):
    _psql(url, f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}"')


def fresh_postgres(url):
    """Drop and create the database named in ``url`` (must not be a database you keep)."""
    drop_postgres(url)
    _psql(url, f'CREATE DATABASE "{url.rsplit("/", 1)[1]}"')


def header(title):
    """The first line of every report: what was measured, where and when."""
    backend = "PostgreSQL" if postgres_url() else "SQLite"
    print(f"# {title}, {backend}, {platform.python_implementation()} {platform.python_version()}, "
          f"{os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}", flush=True)
