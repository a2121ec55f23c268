"""Benchmark: build the demo kecamatan at several sizes; print seconds and peak memory.

    .venv/bin/python bench/demo_build.py                 # 100,000 and 1,000,000 on SQLite
    .venv/bin/python bench/demo_build.py --sizes 20000   # one size
    SIDEKEL_DATABASE_URL=postgres://postgres@127.0.0.1:5432/sidekel_bench .venv/bin/python bench/demo_build.py

Each size runs `sidekel demo --no-serve` in a fresh process and a fresh data folder (on
PostgreSQL, a freshly created database), so the figures are what an administrator would see.
Target (issue 2): 1,000,000 residents in under 5 minutes and under 1 GB on SQLite.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import environment, fresh_postgres, header, postgres_url, run_timed, sidekel  # noqa: E402


def run(size, seed):
    data_dir = tempfile.mkdtemp(prefix="sidekel-bench-")
    env = dict(os.environ, SIDEKEL_DATA_DIR=data_dir)
    if postgres_url(env):
        fresh_postgres(env["SIDEKEL_DATABASE_URL"])
    subprocess.run(sidekel("migrate", "-v0"), env=environment(env), check=True)
    try:
        seconds, peak_mb = run_timed(["demo", "--no-serve", "--penduduk", str(size), "--seed", str(seed)], env)
    except RuntimeError as exc:
        sys.exit(f"demo build failed at {size} residents: {exc}")
    db_file = Path(data_dir) / "sidekel.sqlite3"
    size_mb = db_file.stat().st_size / 2**20 if db_file.exists() else float("nan")
    shutil.rmtree(data_dir)
    return seconds, peak_mb, size_mb


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    header("demo build")
    print(f"{'residents':>10} {'seconds':>8} {'rows/s':>8} {'peak MB':>8} {'db MB':>8}")
    for size in args.sizes:
        seconds, peak_mb, db_mb = run(size, args.seed)
        print(f"{size:>10,} {seconds:>8.1f} {size / seconds:>8,.0f} {peak_mb:>8.0f} {db_mb:>8.0f}", flush=True)


if __name__ == "__main__":
    main()
