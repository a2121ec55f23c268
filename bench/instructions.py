"""CPU work counted in instructions (valgrind's callgrind), not in seconds.

On the shared 2-core machines the same import's wall time, and even its CPU time, vary by a third
from run to run; an instruction count is the same on a busy machine as on a quiet one (the hash
seed fixed). So a change to the start of a process or to an import's per-row checks is judged
exactly here, and the HTTP benchmarks (scale.py) say what it is worth in time.

    .venv/bin/python bench/instructions.py                        # this tree
    .venv/bin/python bench/instructions.py --alternate HEAD~1     # and commit REV: new/old per figure

Figures, in millions of instructions:

  setup, every app      django.setup() with every app: each process (web worker, worker, command line)
  setup, a checker      django.setup() with the apps an import's checker loads (core.worker.apps_for)
  check, 1,000 rows     an import's checker (importer._row_batches_of_file) reading and checking an
                        .xlsx written as Sidekel exports, per 1,000 rows: the count at 2N rows less the
                        count at N, so the start cancels out

Needs valgrind (Debian's package). Python runs about fifty times slower under it: a few minutes.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, compiled, header  # noqa: E402
from scale import checkout, describe_code  # noqa: E402

RUN = """
import datetime, os, sys
root, what, path, rows = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
sys.path.insert(0, root)
import django
from django.conf import settings
if what == "checker":
    try:
        from sidekel.core.worker import apps_for
    except ImportError:  # older code: its checkers loaded every app
        pass
    else:
        settings.INSTALLED_APPS = apps_for("sidekel.penduduk.importer._row_batches_of_file", settings.INSTALLED_APPS)
django.setup()
if rows:
    from django.utils import translation
    from sidekel.penduduk import importer
    translation.activate("id")
    done = 0
    for batch in importer._row_batches_of_file(path, None, "xlsx", "auto", datetime.date(2026, 1, 1), True,
                                               (0, 1, 500)):
        done += len(batch.rows)
        if done >= rows:
            break
    assert done == rows, done
"""


def instructions(root, what, path, rows, work):
    """Millions of instructions of one run of RUN under callgrind."""
    env = dict(os.environ, PYTHONHASHSEED="0", DJANGO_SETTINGS_MODULE="sidekel.settings", SIDEKEL_DATA_DIR=str(work),
               PYTHONPATH=str(root))
    done = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable,
                           str(work / "run.py"), str(root), what, str(path), str(rows)],
                          env=env, cwd=root, capture_output=True, text=True)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode or not found:
        raise RuntimeError(done.stderr[-3000:])
    return int(found.group(1)) / 1e6


def figures(root, path, rows, work):
    compiled(root)
    once, twice = (instructions(root, "checker", path, n, work) for n in (rows, 2 * rows))
    return {"setup, every app": instructions(root, "all", path, 0, work),
            "setup, a checker": instructions(root, "checker", path, 0, work),
            "check, 1,000 rows": (twice - once) * 1000 / rows}


def write_file(path, rows):
    """An .xlsx of ``rows`` residents in Sidekel's own columns, written by Sidekel's writer."""
    sys.path.insert(0, str(ROOT))
    from sidekel.core.xlsx import write_workbook
    from sidekel.penduduk.tests.files import HEADERS, many_families

    write_workbook(path, [("Data Penduduk", [HEADERS] + many_families(rows // 4 + 1)[:rows])])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=2000, help="N: the check is counted at N and 2N rows (default 2000)")
    parser.add_argument("--alternate", nargs="?", const="HEAD~1", metavar="REV",
                        help="count commit REV (default HEAD~1) too, and print new/old")
    args = parser.parse_args()
    if args.rows <= 0 or args.rows % 500:
        parser.error("--rows: a multiple of 500 (the checker's batches)")
    if subprocess.run(["valgrind", "--version"], capture_output=True).returncode:
        sys.exit("valgrind is needed: apt-get install valgrind")
    header("Instructions (callgrind), millions")
    print(f"# code: {describe_code()}" + (f"; old: {describe_code(args.alternate)}" if args.alternate else ""))
    with tempfile.TemporaryDirectory(prefix="sidekel-bench-instructions-") as folder:
        work = Path(folder)
        (work / "run.py").write_text(RUN)
        path = work / "penduduk.xlsx"
        write_file(path, 2 * args.rows)
        new = figures(ROOT, path, args.rows, work)
        old = None
        if args.alternate:
            with checkout(args.alternate) as old_root:
                old = figures(old_root, path, args.rows, work)
    print("\n| figure | " + ("old | new | new/old |" if old else "count |"))
    print("| --- | " + ("---: | ---: | ---: |" if old else "---: |"))
    for name, value in new.items():
        print(f"| {name} | " + (f"{old[name]:,.0f} | {value:,.0f} | {value / old[name]:.3f} |" if old else f"{value:,.0f} |"))


if __name__ == "__main__":
    main()
