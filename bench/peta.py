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
- **a village coloured by dusun** (`/api/v1/peta/batas/?wilayah=62.01.02.2010&tingkat=dusun&
  statistik=pendidikan:5`): cold and warm p50/p95 like the above;
- **the public map page's first load without tiles**: the bytes a browser receives for the page
  (gzip), its CSS and JS (as WhiteNoise serves them: gzip) and the four GeoJSON layers it fetches
  (gzip), with the budget 300 KB; the same for a village's page by dusun (five layers);
- **an import of map data as a job** (``--places``, default 500 points inside a village): the check
  job and the import job it leads to, run as the worker runs them (inline here), in seconds.
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
    parser.add_argument("--places", type=int, default=500)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="sidekel-bench-peta-")
    os.environ["SIDEKEL_DATA_DIR"] = folder
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sidekel.settings")
    os.environ["SIDEKEL_PAGE_CACHE"] = "0"
    os.environ["SIDEKEL_API_RATE_PER_MINUTE"] = "0"
    os.environ["SIDEKEL_MAP_TILES"] = "off"
    import django

    django.setup()
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
    timed(client, "boundary layer + choropleth", "/api/v1/peta/batas/?wilayah=62.01.02&statistik=pendidikan:5",
          args.rounds)
    timed(client, "village by dusun + choropleth",
          "/api/v1/peta/batas/?wilayah=62.01.02.2010&tingkat=dusun&statistik=pendidikan:5", args.rounds)

    first_load(client, "/peta/62.01.02/", [f"/api/v1/peta/{layer}/?wilayah=62.01.02" for layer in ("area", "garis", "tempat")]
               + ["/api/v1/peta/batas/?wilayah=62.01.02&statistik=penduduk"])
    village = "/api/v1/peta/{}/?wilayah=62.01.02.2010"
    first_load(client, "/peta/62.01.02.2010/?tingkat=dusun&statistik=pendidikan:5",
               [village.format(layer) for layer in ("area", "garis", "tempat")]
               + [village.format("batas") + "&statistik=pendidikan:5",
                  village.format("batas") + "&statistik=pendidikan:5&tingkat=dusun"])
    import_job(args.places)


def timed(client, label, url, rounds):
    start = time.perf_counter()
    response = client.get(url)
    cold = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, response.status_code
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    print(f"{label}: cold {cold:.0f} ms; warm p50 {statistics.median(times):.1f} ms, "
          f"p95 {p95:.1f} ms over {rounds} ({'within' if p95 < 50 else 'OVER'} the 50 ms budget); "
          f"{len(response.content):,} bytes, {len(gzip.compress(response.content)):,} gzipped")


def first_load(client, page_url, layers):
    from django.contrib.staticfiles import finders

    rows = []
    page = client.get(page_url, HTTP_ACCEPT_ENCODING="gzip")
    assert page.status_code == 200
    rows.append((f"page {page_url} (HTML)", len(page.content)))
    for name in STATIC:
        data = Path(finders.find(name)).read_bytes()
        rows.append((f"static {name}", len(data) if name.endswith(".png") else len(gzip.compress(data, 9))))
    for url in layers:
        answer = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert answer.status_code == 200, url
        rows.append((f"GeoJSON {url.split('/')[4]}{' dusun' if 'tingkat=dusun' in url else ''}", len(answer.content)))
    total = sum(n for _n, n in rows)
    for name, n in rows:
        print(f"  {name[:60]:<60} {n / 1024:7.1f} KB")
    print(f"first load of {page_url} without tiles: {total / 1024:.1f} KB "
          f"({'within' if total < 300 * 1024 else 'OVER'} the 300 KB budget)")


def import_job(places):
    """``places`` points inside Desa Rangda as a GeoJSON file: the check job, then the import job."""
    import json
    import random

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import override_settings
    from shapely.geometry import Point

    from sidekel.core import jobs
    from sidekel.core.models import Job
    from sidekel.peta import services
    from sidekel.wilayah.models import Desa

    desa = Desa.objects.get(kode="62.01.02.2010")
    boundary = services.boundary_of(desa.id)
    rng, points = random.Random(1), []
    west, south, east, north = boundary.bounds
    while len(points) < places:
        point = Point(rng.uniform(west, east), rng.uniform(south, north))
        if boundary.contains(point):
            points.append([round(point.x, 6), round(point.y, 6)])
    data = json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"nama": f"Tempat {i}", "kategori": "lainnya"},
         "geometry": {"type": "Point", "coordinates": p}} for i, p in enumerate(points)]}).encode()
    stored = jobs.store_upload(SimpleUploadedFile("tempat.geojson", data))
    with override_settings(SIDEKEL_JOBS_INLINE=True):
        for dry_run in (True, False):
            job = Job.objects.create(kind=services.IMPORT_JOB, desa=desa, user=None, filename="tempat.geojson",
                                     stored_file=stored, options={"lapisan": "tempat", "publik": True, "dry_run": dry_run})
            start = time.perf_counter()
            job = jobs.start(job)
            seconds = time.perf_counter() - start
            assert job.status == Job.Status.DONE and job.result["ok"], (job.status, job.message)
            print(f"import job, {places} places ({len(data) / 1024:.0f} KB GeoJSON), "
                  f"{'check' if dry_run else 'check and write'}: {seconds:.2f} s ({job.result['saved']} written)")


if __name__ == "__main__":
    main()
