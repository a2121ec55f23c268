"""Benchmark: education figures (issue 18); print p50, p95 and max per measure.

    .venv/bin/python bench/pendidikan.py                          # 1,000,000 residents on SQLite
    .venv/bin/python bench/pendidikan.py --sizes 100000 --keep    # keep the demo database ...
    .venv/bin/python bench/pendidikan.py --sizes 100000 --reuse   # ... and measure it again
    SIDEKEL_DATABASE_URL=postgres://postgres@127.0.0.1:5432/sidekel_bench .venv/bin/python bench/pendidikan.py

The demo kecamatan (with its demo schools) is built as in bench/list_search.py (common.build_demo:
same folders and databases, so --reuse shares them). The measuring runs in a fresh process per
size, in Django's test client where a page is measured, logged in as the demo kecamatan admin:

    aps kecamatan     statistik.services.partisipasi() of the 20 villages, today, after one
                      resident of a random village was changed through the service (that
                      village's figures are counted again, the other 19 come from the cache)
    aps publik        GET /api/v1/statistik/partisipasi-sekolah/?wilayah=62.01.02 after such a
                      change (the public path: counting plus the disclosure control's drawing)
    pendidikan page   GET /petugas/pendidikan/62.01.02/ after such a change
    tidak sekolah     GET /petugas/pendidikan/<largest village>/tidak-sekolah/ (its first page,
                      rendered, with its access-log row)
    tidak sekolah api GET /api/v1/pendidikan/tidak-sekolah/?desa=<largest village> (first page)

Each gets 2 warm-up and --requests timed requests, first with no worker running (state "alone": the
request itself counts the changed village, as under `runserver`), then with `sidekel worker` beside
(state "worker", as in production: the request reads the figures the worker keeps, and the worker
counts the changed village again within its round). The list pages do not depend on the worker
and run once. Targets (issue 18), at 1,000,000 residents:
the kecamatan's participation figures after a change p95 under 100 ms; the out-of-school list
of a village of about 100,000 residents under 200 ms.
"""

import argparse
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, build_demo as build, header, remove_demo as remove  # noqa: E402

PYTHON = ROOT / ".venv" / "bin" / "python"
WARMUP = 2
TARGETS = {"aps kecamatan": 100, "aps publik": 100, "tidak sekolah": 200, "tidak sekolah api": 200}


def measure(size, requests):
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from sidekel.akun.models import User
    from sidekel.akun.services import issue_token
    from sidekel.penduduk import services as penduduk_services
    from sidekel.penduduk.models import Penduduk
    from sidekel.statistik import services
    from sidekel.wilayah.models import Desa

    settings.ALLOWED_HOSTS = ["*"]
    settings.SIDEKEL_TWO_FACTOR_REQUIRED = False  # the test client logs in without the code page
    settings.SIDEKEL_API_RATE_PER_MINUTE = 0
    rng = random.Random(1)
    admin = User.objects.get(username="admin")
    client = Client(HTTP_ACCEPT_LANGUAGE="id")
    client.force_login(admin)
    token = issue_token(admin)
    public = Client(HTTP_ACCEPT_LANGUAGE="id")  # the public API, as a visitor without a login
    villages = list(Desa.objects.managed())
    ids = [d.id for d in villages]
    sizes = {d.id: services.summary([d.id])[d.id]["jumlah"] for d in villages}
    largest = max(villages, key=lambda d: sizes[d.id])
    print(f"# largest village {largest} with {sizes[largest.id]:,} residents; "
          f"{services.tidak_sekolah_each([largest.id])[largest.id]:,} children out of school", flush=True)
    people = {d: list(Penduduk.objects.filter(desa_id=d, status_dasar=1).values_list("id", flat=True)[:500]) for d in ids}

    def edit_one():
        desa_id = rng.choice([d for d, found in people.items() if found])
        person = Penduduk.objects.get(pk=rng.choice(people[desa_id]))
        penduduk_services.update_penduduk(person, user=admin, changes={"pekerjaan": rng.randint(1, 20)},
                                          version=person.version, reason="bench")

    def get(url, who=client, **headers):
        response = who.get(url, **headers)
        if response.status_code != 200:
            sys.exit(f"GET {url} answered {response.status_code}")

    measures = {
        "aps kecamatan": (edit_one, lambda: services.partisipasi(ids)),
        "aps publik": (edit_one, lambda: get("/api/v1/statistik/partisipasi-sekolah/?wilayah=62.01.02", public)),
        "pendidikan page": (edit_one, lambda: get("/petugas/pendidikan/62.01.02/")),
        "tidak sekolah": (None, lambda: get(f"/petugas/pendidikan/{largest.kode}/tidak-sekolah/")),
        "tidak sekolah api": (None, lambda: get(f"/api/v1/pendidikan/tidak-sekolah/?desa={largest.kode}",
                                                HTTP_AUTHORIZATION=f"Bearer {token}")),
    }
    from sidekel.core import versioned
    from sidekel.core.jobs import spawn_worker
    from sidekel.core.models import FigureVersion

    print(f"{'residents':>10} {'measure':<18} {'state':<7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}", flush=True)
    worker = None
    try:
        for state in ("alone", "worker"):
            if state == "worker":  # `sidekel worker` beside, as under `sidekel serve`; wait for its first round
                worker = spawn_worker()
                while versioned.stale_villages() or not FigureVersion.objects.exists():
                    time.sleep(1)
            for name, (before, run) in measures.items():
                if before is None and state == "worker":
                    continue  # the list reads the residents themselves: the worker changes nothing
                times = []
                for i in range(WARMUP + requests):
                    if before:
                        before()
                    start = time.perf_counter()
                    run()
                    ms = (time.perf_counter() - start) * 1000
                    if i >= WARMUP:
                        times.append(ms)
                times.sort()
                p95 = times[max(0, round(0.95 * len(times)) - 1)]
                flag = " over target" if name in TARGETS and size >= 1_000_000 and p95 > TARGETS[name] else ""
                print(f"{size:>10,} {name:<18} {state:<7} {statistics.median(times):>8.1f} {p95:>8.1f} "
                      f"{times[-1]:>8.1f}{flag}", flush=True)
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return measure(args.child, args.requests)
    header("education figures")
    for size in args.sizes:
        env = build(size, seed=1, reuse=args.reuse)
        try:
            subprocess.run([str(PYTHON), __file__, "--child", str(size), "--requests", str(args.requests)],
                           env=env, check=True)
        finally:
            if not args.keep:
                remove(env)


if __name__ == "__main__":
    main()
