"""Benchmark: server time of the statistics pages (issue 5); print p50, p95 and max per page.

    .venv/bin/python bench/statistik.py                       # 100,000 and 1,000,000 on SQLite
    .venv/bin/python bench/statistik.py --sizes 100000 --keep # keep the demo databases ...
    .venv/bin/python bench/statistik.py --reuse               # ... and measure them again
    .venv/bin/python bench/statistik.py --reuse --states warm edit   # leave out the cold cache
    SIDEKEL_DATABASE_URL=postgres://postgres@127.0.0.1:5432/sidekel_bench .venv/bin/python bench/statistik.py

The demo kecamatan is built as in bench/list_search.py (same folders and databases, so --reuse
shares them). The measuring runs in a fresh process per size, in Django's test client, logged in
as the demo kecamatan admin, for these pages:

    dashboard       /statistik/ (every village side by side, with a small age chart each)
    kecamatan       /statistik/62.01.02/ (pyramid, families, events per month)
    kec pekerjaan   /statistik/62.01.02/pekerjaan/
    kec umur        /statistik/62.01.02/umur/
    kec past date   /statistik/62.01.02/pendidikan/?tanggal=<a year ago>
    desa pekerjaan  /statistik/<largest village>/pekerjaan/

in four states of the stored figures (core.versioned, keyed by each village's data version):

    warm    the same page again: the figures are cached
    edit    before each request one resident of a random village is changed through the
            service, so that village's figures are computed again (the other 19 come from cache)
    cold    the cache is emptied before each request: every figure is computed from the tables

Each (page, state) gets 2 warm-up and --requests timed requests. Targets (issue 5): the dashboard
and any statistics page in p95 under 100 ms at 100,000 residents and under 300 ms at 1,000,000.
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
STATES = ["warm", "edit", "worker", "cold"]


def target_ms(size):
    return 100 if size <= 100_000 else 300


def measure(size, requests, states=STATES, only=()):
    import django

    django.setup()
    import datetime

    from django.core.cache import cache
    from django.test import Client
    from django.utils import timezone

    from sidekel.akun.models import User
    from sidekel.penduduk import services as penduduk_services
    from sidekel.penduduk.models import Penduduk
    from sidekel.statistik import services
    from sidekel.wilayah.models import Desa

    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    rng = random.Random(1)
    admin = User.objects.get(username="admin")
    client = Client(HTTP_ACCEPT_LANGUAGE="id")
    client.force_login(admin)
    villages = list(Desa.objects.managed())
    largest = max(villages, key=lambda d: services.summary([d.id])[d.id]["jumlah"])
    a_year_ago = (timezone.localdate() - datetime.timedelta(days=365)).strftime("%d-%m-%Y")
    pages = {
        "dashboard": "/statistik/",
        "kecamatan": "/statistik/62.01.02/",
        "kec pekerjaan": "/statistik/62.01.02/pekerjaan/",
        "kec umur": "/statistik/62.01.02/umur/",
        "kec past date": f"/statistik/62.01.02/pendidikan/?tanggal={a_year_ago}",
        "desa pekerjaan": f"/statistik/{largest.kode}/pekerjaan/",
        # public pages, asked by a visitor without a login (stored whole answers are off here)
        "public home": "/",
        "public village": f"/desa/{largest.kode}/",
        "public kec umur": "/kecamatan/62.01.02/statistik/umur/",
        "public api": "/api/v1/statistik/pekerjaan/?wilayah=62.01.02",
    }
    if only:
        pages = {name: url for name, url in pages.items() if name in only}
    visitor = Client(HTTP_ACCEPT_LANGUAGE="id")
    ids_by_village = {d.id: list(Penduduk.objects.filter(desa=d, status_dasar=1).values_list("id", flat=True)[:500])
                      for d in villages}

    def edit_one():
        desa_id = rng.choice([d for d, ids in ids_by_village.items() if ids])
        person = Penduduk.objects.get(pk=rng.choice(ids_by_village[desa_id]))
        penduduk_services.update_penduduk(person, user=admin, changes={"pekerjaan": rng.randint(1, 20)},
                                          version=person.version, reason="bench")

    print(f"{'residents':>10} {'page':<15} {'state':<6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}", flush=True)
    from sidekel.core import versioned
    from sidekel.core.jobs import spawn_worker
    from sidekel.core.models import FigureVersion, StoredFigure

    worker = None
    if "worker" in states:  # `sidekel worker` beside, as under `sidekel serve`; wait for its first round
        worker = spawn_worker()
        while versioned.stale_villages() or not FigureVersion.objects.exists():
            time.sleep(1)
    for name, url in pages.items():
        for state in states:
            times = []
            for i in range(WARMUP + requests):
                if state in ("edit", "worker"):
                    edit_one()
                elif state == "cold":
                    cache.clear()
                    StoredFigure.objects.all().delete()
                    FigureVersion.objects.all().delete()
                start = time.perf_counter()
                response = (visitor if name.startswith("public") else client).get(url)
                ms = (time.perf_counter() - start) * 1000
                if response.status_code != 200:
                    sys.exit(f"GET {url} answered {response.status_code}")
                if i >= WARMUP:
                    times.append(ms)
            times.sort()
            p95 = times[max(0, round(0.95 * len(times)) - 1)]
            flag = " over target" if p95 > target_ms(size) else ""
            print(f"{size:>10,} {name:<15} {state:<6} {statistics.median(times):>8.1f} {p95:>8.1f} {times[-1]:>8.1f}{flag}",
                  flush=True)
    if worker is not None:
        worker.terminate()
        worker.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--states", nargs="+", choices=STATES, default=STATES,
                        help="which cache states to measure (cold at 1,000,000 takes minutes)")
    parser.add_argument("--pages", nargs="+", default=[], help="only these pages (by the names printed)")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return measure(args.child, args.requests, args.states, args.pages)
    header("statistics pages")
    for size in args.sizes:
        env = build(size, seed=1, reuse=args.reuse)
        try:
            subprocess.run([str(PYTHON), __file__, "--child", str(size), "--requests", str(args.requests),
                            "--states", *args.states, *(["--pages", *args.pages] if args.pages else [])],
                           env=env, check=True)
        finally:
            if not args.keep:
                remove(env)


if __name__ == "__main__":
    main()
