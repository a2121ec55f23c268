"""Benchmark: the population books of the largest village of the demo kecamatan.

    .venv/bin/python bench/buku.py                       # demo of 150,000 residents, SQLite
    .venv/bin/python bench/buku.py --penduduk 100000
    SIDEKEL_DATABASE_URL=postgres://postgres@127.0.0.1:5432/sidekel_bench_buku .venv/bin/python bench/buku.py

Builds the demo kecamatan in a fresh data folder (not timed), takes its largest village, and
times in this process: B.1 as PDF on A4 and F4, B.5 as PDF, B.1 as .xlsx, the B.3 count of last
month and the kecamatan's recap of all villages. Peak memory is this process's maximum.
Target (issue 5): the B.1 PDF of a village of 10,000+ residents in under 20 seconds.
"""

import argparse
import datetime
import io
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import SIDEKEL, fresh_postgres, header, postgres_url  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--penduduk", type=int, default=150_000, help="residents of the demo kecamatan")
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="sidekel-bench-buku-")
    os.environ["SIDEKEL_DATA_DIR"] = data_dir
    if postgres_url():
        fresh_postgres(os.environ["SIDEKEL_DATABASE_URL"])
    subprocess.run([SIDEKEL, "migrate", "-v0"], check=True)
    subprocess.run([SIDEKEL, "demo", "--no-serve", "--penduduk", str(args.penduduk)], check=True, stdout=subprocess.DEVNULL)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sidekel.settings")
    import django

    django.setup()
    from django.db.models import Count

    from sidekel.buku import output
    from sidekel.buku.rekap import hitung_rekap
    from sidekel.penduduk.models import Penduduk
    from sidekel.wilayah.models import Desa

    header("population books")
    biggest = (Penduduk.objects.filter(status_dasar=1).values("desa_id").annotate(n=Count("id")).order_by("-n").first())
    desa = Desa.objects.get(pk=biggest["desa_id"])
    print(f"village: {desa} with {biggest['n']:,} living residents (demo of {args.penduduk:,})")
    last = datetime.date.today().replace(day=1) - datetime.timedelta(days=1)

    def timed(label, work):
        start = time.perf_counter()
        result = work()
        seconds = time.perf_counter() - start
        print(f"{label:<34} {seconds:>7.2f} s  {result}", flush=True)

    def pdf(kode, kertas):
        buffer = io.BytesIO()
        pages = output.write_pdf(kode, desa, buffer, kertas=kertas)
        return f"{pages} pages, {len(buffer.getvalue()) / 2**20:.1f} MB"

    def xlsx():
        target = Path(data_dir) / "b1.xlsx"
        output.write_xlsx("b1", desa, target)
        return f"{target.stat().st_size / 2**20:.1f} MB"

    timed("B.1 Buku Induk, PDF A4", lambda: pdf("b1", "A4"))
    timed("B.1 Buku Induk, PDF F4", lambda: pdf("b1", "F4"))
    timed("B.5 Buku KTP dan KK, PDF A4", lambda: pdf("b5", "A4"))
    timed("B.1 Buku Induk, .xlsx", xlsx)
    timed(f"B.3 count of {last:%m-%Y}", lambda: f"{hitung_rekap(desa, last.year, last.month)['jumlah']['kolom'][29]:,} at the end")
    villages = list(Desa.objects.managed().order_by("kode"))
    timed(f"kecamatan recap, {len(villages)} villages", lambda: f"{sum(r['kolom'][29] for r in output.kecamatan_rekap(villages, last.year, last.month)[0]):,} residents")
    print(f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
