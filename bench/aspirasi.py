"""Benchmark: the public list of citizens' reports and the tracking page, with 100,000 reports.

    .venv/bin/python bench/aspirasi.py                      # 100,000 reports, SQLite
    .venv/bin/python bench/aspirasi.py --reports 20000 --requests 100
    SIDEKEL_DATABASE_URL=postgres://postgres@127.0.0.1:5432/sidekel_bench_aspirasi .venv/bin/python bench/aspirasi.py

Builds, in a fresh data folder (or the PostgreSQL database named by the URL, dropped and created),
the demo kecamatan's villages (no residents) and --reports reports spread over them and the last
two years, 60 % verified (half of them public), each with its steps and, when handled, an answer
(bulk inserts, not timed). Then times, in this process through Django's test client (the whole
request: middleware, view, template; the stored public pages of core/pagecache.py are off, so
every request is computed), --requests requests of each page and prints p50 and p95 in ms.
Target (issue 17): the public list and the tracking page under 50 ms at p95 with 100,000 reports.
"""

import argparse
import datetime
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, django_in_fresh_folder, header  # noqa: E402

sys.path.insert(0, str(ROOT))  # this checkout's sidekel, whichever one the venv has installed

BATCH = 5000


def build(n, rng):
    from django.db import transaction
    from django.utils import timezone

    from sidekel.aspirasi import services
    from sidekel.aspirasi.choices import Jenis, Privasi, Status
    from sidekel.aspirasi.models import Aspirasi, Kategori, Riwayat, Tanggapan
    from sidekel.core.bulk import analyze
    from sidekel.wilayah.models import Desa
    from sidekel.wilayah.services import load_wilayah

    load_wilayah(kode="62.01.02", manage=True)
    villages = list(Desa.objects.managed())
    kategori = list(Kategori.objects.all())
    now = timezone.now()
    codes = set()
    for start in range(0, n, BATCH):
        reports, steps, answers = [], [], []
        with transaction.atomic():
            for i in range(start, min(n, start + BATCH)):
                code = services.new_code()
                while code in codes:
                    code = services.new_code()
                codes.add(code)
                desa = rng.choice(villages)
                created = now - datetime.timedelta(minutes=rng.randint(0, 2 * 365 * 24 * 60))
                handled = rng.random() < 0.6
                privasi = rng.choice(list(Privasi))
                status = rng.choice([Status.DIVERIFIKASI, Status.DITINDAKLANJUTI, Status.SELESAI]) if handled \
                    else Status.DITERIMA
                reports.append(Aspirasi(
                    kode_lacak=code, kecamatan_id=desa.kecamatan_id, desa=desa, jenis=rng.choice(list(Jenis)),
                    kategori=rng.choice(kategori), judul=f"Laporan nomor {i}", isi="Isi laporan warga. " * 20,
                    judul_publik=f"Laporan nomor {i}" if handled else "", isi_publik="Isi laporan. " * 20 if handled else "",
                    nama="Pelapor", kontak="0812", privasi=privasi, status=status, terverifikasi=handled,
                    publik=handled and privasi != Privasi.RAHASIA, created_at=created,
                    dijawab_pada=created + datetime.timedelta(days=2) if handled else None,
                    batas=(created + datetime.timedelta(days=7)).date()))
            Aspirasi.objects.bulk_create(reports, batch_size=1000)
            ids = dict(Aspirasi.objects.filter(kode_lacak__in=[r.kode_lacak for r in reports])
                       .values_list("kode_lacak", "id"))
            for r in reports:
                pk = ids[r.kode_lacak]
                steps.append(Riwayat(aspirasi_id=pk, desa_id=r.desa_id, status=Status.DITERIMA, waktu=r.created_at))
                if r.terverifikasi:
                    steps.append(Riwayat(aspirasi_id=pk, desa_id=r.desa_id, status=r.status, waktu=r.dijawab_pada))
                    answers.append(Tanggapan(aspirasi_id=pk, desa_id=r.desa_id, isi="Sudah kami tindak lanjuti.",
                                             waktu=r.dijawab_pada))
            Riwayat.objects.bulk_create(steps, batch_size=1000)
            Tanggapan.objects.bulk_create(answers, batch_size=1000)
    analyze(Aspirasi, Riwayat, Tanggapan)
    return sorted(codes), villages


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300, help="requests per page")
    args = parser.parse_args()
    django_in_fresh_folder("aspirasi", SIDEKEL_API_RATE_PER_MINUTE=0)
    from django.test import Client

    from sidekel.aspirasi.models import Aspirasi

    header(f"aspirasi: public list and tracking page, {args.reports:,} reports")
    rng = random.Random(17)
    start = time.perf_counter()
    codes, villages = build(args.reports, rng)
    print(f"built in {time.perf_counter() - start:.1f} s; public: {Aspirasi.objects.publik().count():,}", flush=True)
    from sidekel.core.paging import _encode

    public = list(Aspirasi.objects.publik().values_list("created_at", "id"))
    client = Client()
    urls = {
        "baseline: tracking form": lambda: "/aspirasi/lacak/",  # a near-empty page: this machine's floor
        "public list": lambda: "/aspirasi/",
        "public list, a village": lambda: f"/aspirasi/?desa={rng.choice(villages).kode}",
        "public list, a deep page": lambda: f"/aspirasi/?setelah={_encode(*rng.choice(public))}",
        "tracking page": lambda: f"/aspirasi/lacak/{rng.choice(codes)}/",
        "API: public list": lambda: "/api/v1/aspirasi/",
        "API: tracking": lambda: f"/api/v1/aspirasi/lacak/{rng.choice(codes)}/",
    }
    print(f"{'page':<28} {'p50 ms':>8} {'p95 ms':>8}")
    for label, url in urls.items():
        for _i in range(10):  # warm up
            client.get(url())
        times = []
        for _i in range(args.requests):
            path = url()
            began = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        print(f"{label:<28} {statistics.median(times):>8.1f} {p95:>8.1f}", flush=True)


if __name__ == "__main__":
    main()
