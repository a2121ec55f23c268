"""Benchmark: the village profiles (potensi wilayah) at 20 villages x 5 years x the whole catalogue.

    .venv/bin/python bench/potensi.py                    # SQLite, demo of 4,000 residents
    SIDEKEL_DATABASE_URL=postgres://postgres@127.0.0.1:5432/sidekel_bench_potensi .venv/bin/python bench/potensi.py

Builds the demo kecamatan in a fresh data folder (not timed), then gives each of its 20 villages
an approved profile for each of the last 5 years with a value for every indicator of the
catalogue (bulk insert, not timed). Then times, through Django's test client in this process:
the camat's comparison of all villages on one indicator (a different indicator each request),
and a village's public page with its approved profile (anonymous, a different village each
request; the public page store is cleared before each request, so every answer is computed).
Target (issue 19): p95 under 50 ms for both.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import SIDEKEL, fresh_postgres, header, postgres_url  # noqa: E402

YEARS = 5
# The project's own command, or this checkout's package when its .venv lives elsewhere (a worktree).
CMD = [SIDEKEL] if Path(SIDEKEL).exists() else [sys.executable, "-m", "sidekel"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--penduduk", type=int, default=4000, help="residents of the demo kecamatan")
    parser.add_argument("--requests", type=int, default=200, help="requests per screen")
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="sidekel-bench-potensi-")
    os.environ["SIDEKEL_DATA_DIR"] = data_dir
    os.environ["SIDEKEL_API_RATE_PER_MINUTE"] = "0"  # every request comes from this one address
    if postgres_url():
        fresh_postgres(os.environ["SIDEKEL_DATABASE_URL"])
    root = Path(__file__).resolve().parent.parent
    subprocess.run([*CMD, "migrate", "-v0"], check=True, cwd=root)
    subprocess.run([*CMD, "demo", "--no-serve", "--penduduk", str(args.penduduk)], check=True,
                   stdout=subprocess.DEVNULL, cwd=root)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sidekel.settings")
    sys.path.insert(0, str(root))  # this checkout's package
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.test import Client
    from django.utils import timezone

    from sidekel.akun.choices import Role
    from sidekel.akun.services import create_user
    from sidekel.core import pagecache
    from sidekel.core.approval import Status
    from sidekel.statistik import publik
    from sidekel.core.audit import record_change
    from sidekel.potensi.choices import Tipe
    from sidekel.potensi.demo import reset_profiles
    from sidekel.potensi.models import Indikator, Nilai, Profil
    from sidekel.wilayah.models import Desa

    settings.ALLOWED_HOSTS = ["*"]
    settings.SIDEKEL_PAGE_CACHE = True  # as `sidekel serve` runs
    settings.SIDEKEL_TWO_FACTOR_REQUIRED = False  # the camat's session is forced, not signed in
    header("village profiles (potensi)")
    villages = list(Desa.objects.managed().order_by("kode"))
    indicators = list(Indikator.objects.aktif())
    reset_profiles([d.id for d in villages])
    this_year = timezone.localdate().year
    start = time.perf_counter()
    for n, desa in enumerate(villages):
        for year in range(this_year - YEARS, this_year):
            p = Profil.objects.create(desa=desa, tahun=year, status=Status.DISETUJUI, diputuskan_pada=timezone.now())
            rows = []
            for i in indicators:
                if i.tipe == Tipe.ANGKA:
                    rows.append(Nilai(profil=p, desa=desa, indikator=i, angka=(n * 7 + year + i.id) % 97))
                elif i.tipe == Tipe.YA_TIDAK:
                    rows.append(Nilai(profil=p, desa=desa, indikator=i, teks="ya"))
                elif i.tipe == Tipe.PILIHAN:
                    rows.append(Nilai(profil=p, desa=desa, indikator=i, teks=i.pilihan[0]))
                else:
                    rows.append(Nilai(profil=p, desa=desa, indikator=i, teks=f"Objek {n}"))
            Nilai.objects.bulk_create(rows)
            record_change(p, None, reason="bench")
    print(f"{len(villages)} villages x {YEARS} years x {len(indicators)} indicators = "
          f"{Nilai.objects.count():,} values ({time.perf_counter() - start:.1f} s to write)", flush=True)

    camat = create_user("bench-camat", role=Role.CAMAT, password="x", validate=False)
    official, public = Client(), Client()
    official.force_login(camat)

    def measure(label, client, paths, before=None):
        times = []
        for path in paths:
            if before:
                before()
            t = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        times.sort()
        p95 = times[int(0.95 * (len(times) - 1))]
        print(f"| {label} | {len(times)} | {statistics.median(times):.1f} | {p95:.1f} | {times[-1]:.1f} |", flush=True)

    year = this_year - 1
    numeric = [i for i in indicators if i.tipe == Tipe.ANGKA]
    print("| screen | requests | p50 ms | p95 ms | max ms |\n| --- | --- | --- | --- | --- |")
    measure("camat: all villages on one indicator (table)", official,
            [f"/potensi/banding/?indikator={numeric[k % len(numeric)].kode}&tahun={year}" for k in range(args.requests)])
    measure("camat: the same as JSON (map-ready)", official,
            [f"/potensi/banding/?indikator={numeric[k % len(numeric)].kode}&tahun={year}&format=json"
             for k in range(args.requests)])
    for d in villages:  # one visit each first: the population figures are then in their per-village cache
        public.get(f"/desa/{d.kode}/")
    measure("public village page with its profile (page store cleared)", public,
            [f"/desa/{villages[k % len(villages)].kode}/" for k in range(args.requests)], before=pagecache.STORE.clear)
    measure("public village page with its profile (stored answers)", public,
            [f"/desa/{villages[k % len(villages)].kode}/" for k in range(args.requests)])
    measure("public API: a village's approved values, every year (nothing cached)", public,
            [f"/api/v1/potensi/?wilayah={villages[k % len(villages)].kode}" for k in range(args.requests)],
            before=lambda: (cache.clear(), pagecache.STORE.clear()))
    times = []
    for k in range(args.requests):
        cache.clear()
        t = time.perf_counter()
        publik.potensi_profile(villages[k % len(villages)].id)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    print(f"| publik.potensi_profile alone, nothing cached | {len(times)} | {statistics.median(times):.1f} | "
          f"{times[int(0.95 * (len(times) - 1))]:.1f} | {times[-1]:.1f} |")


if __name__ == "__main__":
    main()
