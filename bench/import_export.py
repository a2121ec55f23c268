"""Benchmark: export a village population to .xlsx/.csv, then import it into an empty installation.

    .venv/bin/python bench/import_export.py                  # 100,000 and 1,000,000 rows, SQLite
    .venv/bin/python bench/import_export.py --sizes 100000
    SIDEKEL_DATABASE_URL=postgres://postgres@127.0.0.1:5432/sidekel_bench .venv/bin/python bench/import_export.py
    .venv/bin/python bench/import_export.py --import-only penduduk.xlsx   # time the import of a file made earlier

For each size: build the demo kecamatan (not timed), export every resident with
`sidekel export penduduk` to .xlsx and .csv (timed), then in a fresh installation import the
.xlsx into one village with `sidekel import penduduk` (check and write, timed). Every step runs in
its own process; peak memory is that process's maximum resident set size.
Targets (issue 4): 100,000 rows imported in under 30 s; 1,000,000 in under 5 minutes and 500 MB;
export of 1,000,000 rows in under 2 minutes in constant memory.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, drop_postgres, environment, fresh_postgres, header, postgres_url, run_timed, sidekel  # noqa: E402


def timed(args, env):
    """Run a sidekel command; return (seconds, peak MB)."""
    try:
        return run_timed(args, env)
    except RuntimeError as exc:
        sys.exit(f"failed: {exc}")


def installation(name, work, root=ROOT):
    """A fresh, migrated installation in ``work/name`` (on PostgreSQL, the URL's database plus the name)."""
    data = work / name
    data.mkdir()
    env = dict(os.environ, SIDEKEL_DATA_DIR=str(data))
    if postgres_url(env):
        env["SIDEKEL_DATABASE_URL"] = f"{env['SIDEKEL_DATABASE_URL']}_{name}"
        fresh_postgres(env["SIDEKEL_DATABASE_URL"])
    subprocess.run(sidekel("migrate", "-v0"), env=environment(env, root), check=True)
    return env


def count_residents(env, root=ROOT):
    done = subprocess.run(sidekel("shell", "-c", "from sidekel.penduduk.models import Penduduk; print(Penduduk.objects.count())"),
                          env=environment(env, root), check=True, capture_output=True, text=True)
    return int(done.stdout.split()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--import-only", nargs="+", type=Path, metavar="FILE",
                        help="no demo and no export: import each file (e.g. one `sidekel export` wrote) into an empty installation")
    args = parser.parse_args()
    header("import/export")
    print(f"{'rows':>10} {'step':<22} {'seconds':>8} {'rows/s':>8} {'peak MB':>8} {'file MB':>8}")
    if args.import_only:
        for number, path in enumerate(args.import_only):
            work = Path(tempfile.mkdtemp(prefix="sidekel-bench-io-"))
            target = installation(f"b{number}", work)
            try:
                import_into_empty(path.resolve(), target)
            finally:
                shutil.rmtree(work, ignore_errors=True)
                if postgres_url(target):
                    drop_postgres(target["SIDEKEL_DATABASE_URL"])
        return
    for size in args.sizes:
        work = Path(tempfile.mkdtemp(prefix="sidekel-bench-io-"))
        try:
            source = installation(f"a{size}", work)
            subprocess.run(sidekel("demo", "--no-serve", "--penduduk", str(size)), env=environment(source), check=True,
                           stdout=subprocess.DEVNULL)
            rows = None
            for kind in ("xlsx", "csv"):
                target = work / f"penduduk.{kind}"
                seconds, peak = timed(["export", "penduduk", "--format", kind, "-o", str(target)], source)
                if rows is None:
                    rows = count_residents(source)
                print(f"{rows:>10,} {'export ' + kind:<22} {seconds:>8.1f} {rows / seconds:>8,.0f} {peak:>8.0f} "
                      f"{target.stat().st_size / 2**20:>8.1f}", flush=True)
            import_into_empty(work / "penduduk.xlsx", installation(f"b{size}", work))
        finally:
            shutil.rmtree(work, ignore_errors=True)


def import_into_empty(path, target):
    """Time `sidekel import penduduk` of ``path`` into one village of the fresh installation ``target``."""
    try:
        rows, seconds, peak = import_timed(path, target)
    except RuntimeError as exc:
        sys.exit(f"failed: {exc}")
    print(f"{rows:>10,} {'import xlsx (check+write)':<22} {seconds:>8.1f} {rows / seconds:>8,.0f} {peak:>8.0f} "
          f"{path.stat().st_size / 2**20:>8.1f}", flush=True)


def import_timed(path, target, root=ROOT):
    """`sidekel import penduduk` of ``path`` (check and write) into Desa Rangda of the fresh
    installation ``target``, under wait4: (rows in the database after it, seconds, peak MB)."""
    subprocess.run(sidekel("wilayah", "load", "--kode", "62.01.02", "--manage"), env=environment(target, root),
                   check=True, stdout=subprocess.DEVNULL)
    seconds, peak = run_timed(["import", "penduduk", str(path), "--desa", "62.01.02.2010"], target, root)
    return count_residents(target, root), seconds, peak


if __name__ == "__main__":
    main()
