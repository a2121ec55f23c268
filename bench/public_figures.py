"""Benchmark: what the public figures cost to make (issue 13), cold and after an edit.

    .venv/bin/python bench/public_figures.py                        # 100,000 residents, SQLite
    .venv/bin/python bench/public_figures.py --sizes 100000 --keep  # keep the demo for --reuse
    PYTHONPATH=/path/to/an/older/checkout .venv/bin/python bench/public_figures.py --reuse  # old code, same data

The demo is shared with the other benchmarks (bench/common.py). In one process, through Django's
test client (no server, no page cache: what a worker does when no stored answer is current), each
public URL is asked three times: **cold** (the cache emptied: every village counted and every
table drawn), **after an edit** (one resident of the first village changed: that village counted
again, the kecamatan's tables drawn again), and **warm** (the same question again: cached). The
figures are medians of --rounds rounds, in milliseconds. The stored answers of `sidekel serve`
(core/pagecache.py) are measured by bench/portal_load.py.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import build_demo, header, remove_demo  # noqa: E402


def urls(desa, rt_id):
    return [
        ("kecamatan home", "/"),
        ("village page", f"/desa/{desa}/"),
        ("village pekerjaan (API)", f"/api/v1/statistik/pekerjaan/?wilayah={desa}"),
        ("kecamatan umur (API)", "/api/v1/statistik/umur/?wilayah=62.01.02"),
        ("RT pekerjaan (page)", f"/desa/{desa}/statistik/pekerjaan/?bagian=rt-{rt_id}"),
        ("every village, CSV", "/data/semua-desa/62.01.02.csv"),
    ]


def measure(rounds):
    import django

    django.setup()
    from django.core.cache import cache
    from django.test import Client

    from sidekel.penduduk import services
    from sidekel.penduduk.models import Penduduk
    from sidekel.wilayah.models import Desa, Rt

    import sidekel

    print(f"# code: {Path(sidekel.__file__).resolve().parent}", flush=True)
    village = Desa.objects.managed().order_by("-id").first()
    first = Desa.objects.managed().order_by("kode").first()
    rt = Rt.objects.filter(desa=village).order_by("id").first()
    client = Client(REMOTE_ADDR="127.0.0.9", SERVER_NAME="127.0.0.1")
    results = {name: {"cold": [], "edit": [], "warm": []} for name, _u in urls(village.kode, rt.id)}

    def timed(url):
        start = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code == 200, (url, response.status_code)
        return elapsed

    for _round in range(rounds):
        for name, url in urls(village.kode, rt.id):
            cache.clear()
            results[name]["cold"].append(timed(url))
            person = Penduduk.objects.filter(desa=first, status_dasar=1, deleted_at__isnull=True).order_by("id").first()
            services.update_penduduk(person, user=None, changes={"pekerjaan": 2 if person.pekerjaan != 2 else 3},
                                     version=person.version)
            results[name]["edit"].append(timed(url))
            results[name]["warm"].append(timed(url))
    print("| URL | cold ms | after an edit ms | warm ms |")
    print("| --- | ---: | ---: | ---: |")
    for name, url in urls(village.kode, rt.id):
        r = results[name]
        print(f"| {name} (`{url}`) | {statistics.median(r['cold']):,.0f} | {statistics.median(r['edit']):,.0f} | "
              f"{statistics.median(r['warm']):,.1f} |", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the demo for --reuse")
    parser.add_argument("--reuse", action="store_true", help="reuse a demo kept by an earlier run")
    parser.add_argument("--measure-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure_only:
        measure(args.rounds)
        return
    header("Public figures, cold and after an edit")
    import subprocess

    for size in args.sizes:
        env = build_demo(size, reuse=args.reuse)
        print(f"## {size:,} residents", flush=True)
        subprocess.run([sys.executable, __file__, "--measure-only", "--rounds", str(args.rounds)],
                       env={**env, "PYTHONPATH": os.environ.get("PYTHONPATH", "")}, check=True)
        if not args.keep and not args.reuse:
            remove_demo(env)


if __name__ == "__main__":
    main()
