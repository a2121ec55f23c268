"""Benchmark: a letter from submit to PDF, and the verification page (issue 21).

    .venv/bin/python bench/layanan.py                       # 20,000 residents, SQLite
    .venv/bin/python bench/layanan.py --penduduk 5000 --letters 50
    SIDEKEL_DATABASE_URL=postgres://postgres@127.0.0.1:5432/sidekel_bench_layanan .venv/bin/python bench/layanan.py

Builds, in a fresh data folder (or the PostgreSQL database named by the URL, dropped and created),
the demo kecamatan with --penduduk residents and its demo letters (not timed). Then, in this
process through Django's test client (middleware, view, template; the stored public pages off):

- **submit to PDF**, --letters times: the operator of Desa Rangda posts the draft form of an SKTM
  for a random living adult of the village, the kepala desa posts the signature (which numbers
  the letter), and the PDF is fetched; timed from the submit to the last byte of the PDF, each step
  also alone. Target: p95 under 300 ms.
- **verification page** ``/v/<token>/`` of random demo letters, its API answer and an unknown token,
  --requests times each. Target: p95 under 20 ms.
- a resident's **sign-in with NIK and PIN** (the right PIN, a wrong PIN, an unknown NIK: the same
  work), 30 times each, in turn: the password hasher (Argon2) is most of it.
"""

import argparse
import logging
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import django_in_fresh_folder, header  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's sidekel

RANGDA = "62.01.02.2010"


def percentiles(times):
    times = sorted(times)
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)], times[-1]


def row(label, times):
    p50, p95, top = percentiles(times)
    print(f"{label:<44} {p50:>8.1f} {p95:>8.1f} {top:>8.1f}", flush=True)


def timed(call):
    began = time.perf_counter()
    result = call()
    return result, (time.perf_counter() - began) * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--penduduk", type=int, default=20_000)
    parser.add_argument("--letters", type=int, default=200, help="letters from submit to PDF")
    parser.add_argument("--requests", type=int, default=500, help="requests of each verification page")
    args = parser.parse_args()
    django_in_fresh_folder("layanan", SIDEKEL_API_RATE_PER_MINUTE=0, SIDEKEL_LAYANAN_MASUK_PER_JAM=0,
                           SIDEKEL_LOGIN_ATTEMPTS=1000)
    from django.test import Client
    from django.utils import timezone

    from sidekel.akun.choices import Role
    from sidekel.akun.services import create_user
    from sidekel.layanan.demo import DEMO_PIN
    from sidekel.layanan.models import PinWarga, Surat
    from sidekel.penduduk.demo import DemoBuilder
    from sidekel.penduduk.models import Penduduk

    logging.getLogger("django.request").setLevel(logging.ERROR)  # the unknown tokens' 404s are the point
    header(f"layanan: submit to PDF and verification, demo of {args.penduduk:,} residents")
    start = time.perf_counter()
    DemoBuilder(seed=1).build(penduduk=args.penduduk)
    print(f"demo built in {time.perf_counter() - start:.1f} s; {Surat.objects.count():,} letters", flush=True)
    operator = create_user("op.bench", role=Role.OPERATOR, password="x", desa_kode=[RANGDA], validate=False)
    kades = create_user("kades.bench", role=Role.KEPALA_DESA, password="x", desa_kode=[RANGDA], validate=False)
    adult = timezone.localdate().replace(year=timezone.localdate().year - 18)
    people = list(Penduduk.objects.filter(desa__kode=RANGDA, status_dasar=1, deleted_at=None,
                                          tanggal_lahir__lte=adult).values_list("id", flat=True))
    rng = random.Random(21)
    op_client, kades_client = Client(), Client()
    op_client.force_login(operator)
    kades_client.force_login(kades)

    def one_letter():
        pid = rng.choice(people)
        made, t_submit = timed(lambda: op_client.post(f"/surat/buat/?desa={RANGDA}", {
            "penduduk": pid, "jenis": "sktm", "penghasilan": str(rng.randrange(400_000, 1_500_000, 50_000)),
            "keperluan": "Beasiswa sekolah"}))
        assert made.status_code == 302, made.status_code
        pk = int(made["Location"].strip("/").split("/")[-1])
        signed, t_sign = timed(lambda: kades_client.post(f"/surat/{pk}/tandatangani/"))
        assert signed.status_code == 302
        pdf, t_pdf = timed(lambda: op_client.get(f"/surat/{pk}/pdf/").content)
        assert pdf.startswith(b"%PDF")
        return t_submit, t_sign, t_pdf

    for _i in range(5):  # warm up
        one_letter()
    steps = [one_letter() for _i in range(args.letters)]
    print(f"{'measure (ms)':<44} {'p50':>8} {'p95':>8} {'max':>8}")
    row("submit to PDF (draft + sign + PDF)", [sum(s) for s in steps])
    row("  submit the draft form (POST)", [s[0] for s in steps])
    row("  sign (POST, numbers the letter)", [s[1] for s in steps])
    row("  the PDF (GET)", [s[2] for s in steps])

    tokens = list(Surat.objects.exclude(token=None).values_list("token", flat=True))
    anyone = Client()
    pages = {
        "verification page /v/<token>/": lambda: f"/v/{rng.choice(tokens)}/",
        "verification API /api/v1/verifikasi/<token>/": lambda: f"/api/v1/verifikasi/{rng.choice(tokens)}/",
        "verification page, unknown token (404)": lambda: f"/v/{rng.choice(tokens)[::-1]}x/",
    }
    for label, url in pages.items():
        for _i in range(20):
            anyone.get(url())
        row(label, [timed(lambda: anyone.get(url()))[1] for _i in range(args.requests)])

    resident = PinWarga.objects.select_related("penduduk").get().penduduk
    tries = {"sign-in, right NIK and PIN": (resident.nik, DEMO_PIN),
             "sign-in, wrong PIN": (resident.nik, "00000000"),
             "sign-in, unknown NIK": ("6201021203859999", DEMO_PIN)}
    times = {label: [] for label in tries}
    for _i in range(30):  # taken in turn, so that the machine's load weighs on the three alike
        for label, (nik, pin) in tries.items():
            answer, ms = timed(lambda: Client().post("/layanan/masuk/", {"nik": nik, "pin": pin}))
            assert answer.status_code in (200, 302), answer.status_code
            times[label].append(ms)
    for label, measured in times.items():
        row(label, measured)


if __name__ == "__main__":
    main()
