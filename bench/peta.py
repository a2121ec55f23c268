"""Benchmark: the public map (issue 20).

    .venv/bin/python bench/peta.py                    # the demo kecamatan, 20,000 residents, SQLite
    .venv/bin/python bench/peta.py --penduduk 5000

Builds the demo kecamatan (with its made-up shapes and home points) in a temporary data folder,
then, in one process through Django's test client (no server, no stored answers of
core/pagecache.py: what a worker does when no stored answer is current):

- **the kecamatan's boundary layer with a choropleth** (`/api/v1/peta/batas/?wilayah=62.01.02&
  statistik=pendidikan:5`): the first answer (cold: villages counted, tables drawn, shapes
  simplified) and --rounds warm answers (the same question again: one query for the data versions
  and one cache read), p50 and p95 in ms;
- **the public map page's first load without tiles**: the bytes a browser receives for the page
  (gzip), its CSS and JS (as WhiteNoise serves them: gzip) and the four GeoJSON layers it fetches
  (gzip), with the budget 300 KB.
"""

import argparse
import gzip
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's sidekel
from common import header  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
STATIC = ["sidekel/sidekel.css", "leaflet/leaflet.css", "peta/peta.css", "leaflet/leaflet.js", "peta/peta.js",
          "leaflet/images/layers.png"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--penduduk", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="sidekel-bench-peta-")
    os.environ["SIDEKEL_DATA_DIR"] = folder
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sidekel.settings")
    os.environ["SIDEKEL_PAGE_CACHE"] = "0"
    os.environ["SIDEKEL_API_RATE_PER_MINUTE"] = "0"
    os.environ["SIDEKEL_MAP_TILES"] = "off"
    import django

    django.setup()
    from django.contrib.staticfiles import finders
    from django.core.management import call_command
    from django.test import Client

    from sidekel.penduduk.demo import DemoBuilder
    from sidekel.peta.models import Fitur, LokasiKeluarga

    header(f"peta: public map, demo kecamatan with {args.penduduk:,} residents")
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    DemoBuilder(seed=1).build(penduduk=args.penduduk)
    print(f"demo built in {time.perf_counter() - start:.1f} s: {Fitur.objects.count()} shapes, "
          f"{LokasiKeluarga.objects.count()} home points", flush=True)

    client = Client(REMOTE_ADDR="127.0.0.9", SERVER_NAME="127.0.0.1")
    url = "/api/v1/peta/batas/?wilayah=62.01.02&statistik=pendidikan:5"
    start = time.perf_counter()
    response = client.get(url)
    cold = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, response.status_code
    times = []
    for _ in range(args.rounds):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    print(f"boundary layer + choropleth: cold {cold:.0f} ms; warm p50 {statistics.median(times):.1f} ms, "
          f"p95 {p95:.1f} ms over {args.rounds} ({'within' if p95 < 50 else 'OVER'} the 50 ms budget); "
          f"{len(response.content):,} bytes, {len(gzip.compress(response.content)):,} gzipped")

    rows = []
    page = client.get("/peta/62.01.02/", HTTP_ACCEPT_ENCODING="gzip")
    rows.append(("page /peta/62.01.02/ (HTML)", len(page.content)))
    for name in STATIC:
        data = Path(finders.find(name)).read_bytes()
        rows.append((f"static {name}", len(data) if name.endswith(".png") else len(gzip.compress(data, 9))))
    for layer in ("batas", "area", "garis", "tempat"):
        answer = client.get(f"/api/v1/peta/{layer}/?wilayah=62.01.02" + ("&statistik=penduduk" if layer == "batas" else ""),
                            HTTP_ACCEPT_ENCODING="gzip")
        assert answer.status_code == 200
        rows.append((f"GeoJSON {layer}", len(answer.content)))
    total = sum(n for _n, n in rows)
    for name, n in rows:
        print(f"  {name:<40} {n / 1024:7.1f} KB")
    print(f"first load without tiles: {total / 1024:.1f} KB ({'within' if total < 300 * 1024 else 'OVER'} the 300 KB budget)")


if __name__ == "__main__":
    main()
