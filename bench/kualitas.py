"""Benchmark: server time of the data-quality pages on an existing demo database.

    SIDEKEL_DATA_DIR=/tmp/demo .venv/bin/sidekel demo --no-serve --penduduk 1000000
    SIDEKEL_DATA_DIR=/tmp/demo .venv/bin/python bench/kualitas.py

Measures, in Django's test client as the kecamatan admin, for the largest village:
the findings page with no snapshot today (computes and stores it), again (snapshot fresh: only
the list of one check), each check's list, and /desa/ with no snapshots (computes all villages)
and again. Prints seconds; asserts nothing.
"""

import os
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sidekel.settings")


def main():
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models import Count
    from django.test import Client

    from sidekel.akun.models import User
    from sidekel.penduduk import kualitas
    from sidekel.penduduk.models import Penduduk
    from sidekel.wilayah.models import Desa, KualitasHarian

    call_command("migrate", verbosity=0)
    desa_id, n = (Penduduk.objects.filter(status_dasar=1).values_list("desa_id").annotate(n=Count("id"))
                  .order_by("-n").first())
    desa = Desa.objects.get(pk=desa_id)
    total = Penduduk.objects.filter(status_dasar=1).count()
    print(f"# largest village {desa} ({desa.kode}): {n:,} living residents; kecamatan {total:,}")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="admin"))

    def timed(label, path):
        start = time.perf_counter()
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        print(f"{label:<40} {time.perf_counter() - start:6.2f} s")

    KualitasHarian.objects.all().delete()
    timed("findings page, no snapshot yet", f"/desa/{desa.kode}/kualitas/")
    timed("findings page, snapshot fresh", f"/desa/{desa.kode}/kualitas/")
    for kind in kualitas.KINDS:
        timed(f"  list: {kind.code}", f"/desa/{desa.kode}/kualitas/?jenis={kind.code}")
    KualitasHarian.objects.all().delete()
    timed("/desa/ (all villages), no snapshot yet", "/desa/")
    timed("/desa/ again", "/desa/")


if __name__ == "__main__":
    main()
