"""Benchmark: `sidekel backup`, `backup --verify` and `restore` of a demo kecamatan, on both engines.

    .venv/bin/python bench/backup.py                     # 100,000 residents
    .venv/bin/python bench/backup.py --penduduk 20000 --postgres postgres://postgres@127.0.0.1:5432

For each engine (SQLite, PostgreSQL): builds the demo in a fresh data folder and database (not
timed), then times each command in its own process and reports its peak memory (the maximum
resident set of the process and the processes it waited for: `--verify` restores in a child):

- backup: the archive of the whole installation (plain, and encrypted with a passphrase);
- verify: a trial restore into a scratch SQLite database, compared with the manifest;
- restore: into a fresh installation on the *other* engine (SQLite -> PostgreSQL, and back);
- for comparison, the engine's own copy: SQLite's backup API, and pg_dump -Fc / pg_restore.
"""

import argparse
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CLI = [sys.executable, "-m", "sidekel.cli"]


def timed(args, env, label, rows):
    """Run ``args``; print and return (seconds, peak MB)."""
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as log:
        process = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        output = log.read()
    if process.returncode:
        sys.exit(f"{label} failed:\n{output[-3000:]}")
    peak = usage.ru_maxrss / 1024
    print(f"| {label} | {seconds:.1f} | {peak:.0f} | {rows} |", flush=True)
    return seconds, peak, output


def psql(base, sql):
    subprocess.run(["psql", f"{base}/postgres", "-qc", sql], check=True, capture_output=True)


def installation(root, engine, name, base):
    folder = root / name
    folder.mkdir()
    env = dict(os.environ, SIDEKEL_DATA_DIR=str(folder), DJANGO_SETTINGS_MODULE="sidekel.settings")
    env.pop("SIDEKEL_BACKUP_PASSPHRASE", None)
    if engine == "postgresql":
        db = f"sidekel_bench_backup_{name}"
        psql(base, f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        psql(base, f'CREATE DATABASE "{db}"')
        env["SIDEKEL_DATABASE_URL"] = f"{base}/{db}"
    else:
        env.pop("SIDEKEL_DATABASE_URL", None)
    return env


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--penduduk", type=int, default=100_000)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432", help="server for the PostgreSQL runs")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="sidekel-bench-backup-"))
    print(f"# backup and restore, {args.penduduk:,} residents, {platform.python_implementation()} "
          f"{platform.python_version()}, {os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}, {root}")
    print("\n| step | seconds | peak MB | notes |\n| --- | ---: | ---: | --- |")
    for engine, other in (("sqlite", "postgresql"), ("postgresql", "sqlite")):
        source = installation(root, engine, f"{engine}_asal", args.postgres)
        subprocess.run(CLI + ["demo", "--no-serve", "--penduduk", str(args.penduduk)], env=source, check=True,
                       stdout=subprocess.DEVNULL)
        out = root / f"{engine}_arsip"
        _s, _p, text = timed(CLI + ["backup", "-o", str(out / "plain.zip")], source, f"{engine}: backup", "")
        archive = out / "plain.zip"
        size = archive.stat().st_size / 1e6
        print(f"| {engine}: archive size | | | {size:.1f} MB |")
        timed(CLI + ["backup", "-o", str(out / "locked.zip")], dict(source, SIDEKEL_BACKUP_PASSPHRASE="bench passphrase"),
              f"{engine}: backup, encrypted", "")
        timed(CLI + ["backup", "--verify", str(archive)], source, f"{engine}: verify (restore into scratch SQLite)", "")
        target = installation(root, other, f"{engine}_ke_{other}", args.postgres)
        timed(CLI + ["restore", str(archive)], target, f"{engine} -> {other}: restore", "")
        if engine == "sqlite":
            start = time.perf_counter()
            src = sqlite3.connect(Path(source["SIDEKEL_DATA_DIR"]) / "sidekel.sqlite3")
            dst = sqlite3.connect(root / "native.sqlite3")
            src.backup(dst)
            dst.close(), src.close()
            print(f"| sqlite: native backup API copy (for comparison) | {time.perf_counter() - start:.1f} | | "
                  f"{(root / 'native.sqlite3').stat().st_size / 1e6:.0f} MB uncompressed |")
        else:
            dump = root / "native.dump"
            timed(["pg_dump", "-Fc", "-f", str(dump), source["SIDEKEL_DATABASE_URL"]], source,
                  "postgresql: pg_dump -Fc (for comparison)", "")
            print(f"| postgresql: pg_dump file size | | | {dump.stat().st_size / 1e6:.1f} MB |")
            psql(args.postgres, 'DROP DATABASE IF EXISTS "sidekel_bench_backup_native" WITH (FORCE)')
            psql(args.postgres, 'CREATE DATABASE "sidekel_bench_backup_native"')
            timed(["pg_restore", "-d", f"{args.postgres}/sidekel_bench_backup_native", str(dump)], source,
                  "postgresql: pg_restore (for comparison)", "")
            psql(args.postgres, 'DROP DATABASE IF EXISTS "sidekel_bench_backup_native" WITH (FORCE)')
    for name in ("postgresql_asal", "sqlite_ke_postgresql"):
        psql(args.postgres, f'DROP DATABASE IF EXISTS "sidekel_bench_backup_{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
