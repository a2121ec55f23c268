"""Benchmark: 30 people editing residents while the worker imports 20,000 rows (issue 14 item 3).

    .venv/bin/python bench/writers_during_import.py                 # SQLite, the 20,000-resident demo
    SIDEKEL_DATABASE_URL=postgres://postgres@127.0.0.1:5432/sidekel_bench .venv/bin/python bench/writers_during_import.py
    .venv/bin/python bench/writers_during_import.py --keep / --reuse   # keep the demo between runs

The import (a check, then the write of 20,000 new residents into Desa Rangda) runs in a real
`sidekel worker` process, queued as the web queues it. Meanwhile --writers threads of this process
each edit residents of the other villages through the service the edit form uses
(``services.update_penduduk``: row lock, version check, audit row), waiting --think seconds after
each edit (a person reads the page before the next change; 0 makes it a stress test), each thread
on residents of its own so that no edit is refused as out of date. The same writers run first for
--baseline seconds without an import.

Printed per phase (baseline; during the import's check; during its write): edits done, edits a
second, latency p50 / p95 / max in ms, and edits that failed "database is locked" (the web answers
those 503 "Sistem sedang sibuk, coba lagi sebentar": a failure the user sees, with nothing written).
At the end every edit that succeeded is checked to be in the database (none lost).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, build_demo, header, remove_demo  # noqa: E402

RANGDA = "62.01.02.2010"


def measure(writers, baseline, families, think):
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import OperationalError, connection

    from sidekel.core import jobs
    from sidekel.core.models import Job
    from sidekel.penduduk import services
    from sidekel.penduduk.models import Penduduk
    from sidekel.penduduk.tests.files import HEADERS, many_families, write_csv
    from sidekel.wilayah.models import Desa

    rangda = Desa.objects.get(kode=RANGDA)
    admin = get_user_model().objects.get(username="admin")
    people = list(Penduduk.objects.exclude(desa=rangda).order_by("id").values_list("id", flat=True)[:writers * 20])
    shares = [people[i::writers] for i in range(writers)]
    write_csv(jobs.jobs_dir() / "bench-besar.csv", HEADERS, many_families(families))

    phase = ["baseline"]
    results = []  # (phase, seconds, ok, error kind)
    written = {}  # resident id -> the last value an edit saved
    messages = {}  # error kind -> its first message
    lock = threading.Lock()
    stop = threading.Event()

    def writer(share):
        n = 0
        while not stop.is_set():
            pk = share[n % len(share)]
            value = f"bench {pk} {n}"
            n += 1
            start = time.perf_counter()
            error = ""
            try:
                person = Penduduk.objects.get(pk=pk)
                services.update_penduduk(person, user=admin, changes={"alamat": value}, version=person.version,
                                         reason="bench")
            except OperationalError as exc:
                error = "locked" if "locked" in str(exc) or "busy" in str(exc) else type(exc).__name__
                messages.setdefault(error, str(exc)[:300])
            except Exception as exc:  # counted, never silent
                error = type(exc).__name__
                messages.setdefault(error, str(exc)[:300])
            elapsed = time.perf_counter() - start
            with lock:
                results.append((phase[0], elapsed, not error, error))
                if not error:
                    written[pk] = value
            stop.wait(think)
        connection.close()

    threads = [threading.Thread(target=writer, args=(share,)) for share in shares]
    for thread in threads:
        thread.start()
    time.sleep(baseline)

    job = Job.objects.create(kind="import-penduduk", desa=rangda, user=admin, filename="bench-besar.csv",
                             stored_file="bench-besar.csv", options={"format": "auto", "existing": "skip", "dry_run": False})
    worker = subprocess.Popen([sys.executable, "-m", "sidekel.cli", "worker", "--no-startup-delay", "--interval", "0.2",
                               "-v", "0"])
    started = time.perf_counter()
    jobs.start(job)
    phase[0] = "queued"
    marks = {}
    while True:
        progress = jobs.progress(job)
        current = {"check": "check", "write": "write", "refused": "write"}.get(progress.get("phase"), phase[0])
        if current != phase[0]:
            marks[current] = time.perf_counter() - started
            phase[0] = current
        job.refresh_from_db(fields=["status"])
        if job.status not in (Job.Status.QUEUED, Job.Status.RUNNING):
            break
        time.sleep(0.05)
    ended = time.perf_counter() - started
    phase[0] = "after"
    time.sleep(1)
    stop.set()
    for thread in threads:
        thread.join()
    worker.terminate()
    worker.wait()
    job.refresh_from_db()

    print(f"import of {families * 4:,} rows: {job.status} in {ended:.1f} s "
          f"(check from {marks.get('check', 0):.1f} s, write from {marks.get('write', 0):.1f} s); {job.message}")
    print("| phase | edits | edits/s | p50 ms | p95 ms | max ms | refused busy | other errors |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    spans = {"baseline": baseline, "check": marks.get("write", ended) - marks.get("check", 0),
             "write": ended - marks.get("write", ended)}
    for name in ("baseline", "check", "write"):
        rows = [r for r in results if r[0] == name]
        if not rows:
            continue
        times = sorted(r[1] * 1000 for r in rows)
        ok = sum(r[2] for r in rows)
        busy = sum(r[3] == "locked" for r in rows)
        other = sum(bool(r[3]) and r[3] != "locked" for r in rows)
        p95 = times[int(len(times) * 0.95) - 1] if len(times) > 1 else times[0]
        print(f"| {name} | {ok:,} | {ok / max(spans[name], 0.001):.0f} | {statistics.median(times):.0f} | {p95:.0f} | "
              f"{times[-1]:.0f} | {busy} | {other} |")
    saved = dict(Penduduk.objects.filter(pk__in=written).values_list("pk", "alamat"))
    lost = sum(saved.get(pk) != value for pk, value in written.items())
    print(f"edits that succeeded and are not in the database: {lost}")
    for kind, text in messages.items():
        print(f"first {kind} error: {text}")
    print(json.dumps({"lost": lost}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=30)
    parser.add_argument("--baseline", type=float, default=10, help="seconds of edits before the import")
    parser.add_argument("--think", type=float, default=1.0, help="seconds each writer waits after an edit")
    parser.add_argument("--rows", type=int, default=20_000, help="rows of the imported file (families of four)")
    parser.add_argument("--keep", action="store_true", help="keep the demo for --reuse")
    parser.add_argument("--reuse", action="store_true", help="reuse a demo kept by an earlier run")
    parser.add_argument("--measure-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure_only:
        measure(args.writers, args.baseline, args.rows // 4, args.think)
        return
    header(f"{args.writers} writers (an edit, then {args.think:g} s) during a {args.rows:,}-row import")
    env = build_demo(20_000, reuse=args.reuse)
    subprocess.run([sys.executable, __file__, "--measure-only", "--writers", str(args.writers), "--baseline",
                    str(args.baseline), "--rows", str(args.rows), "--think", str(args.think)],
                   env={**env, "PYTHONPATH": str(ROOT)}, check=True)
    if not args.keep and not args.reuse:
        remove_demo(env)


if __name__ == "__main__":
    main()
