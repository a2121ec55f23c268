import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from sidekel.wilayah.models import Desa
from sidekel.penduduk.progress import record_quality


class Command(BaseCommand):
    help = "Data quality. `kualitas hitung [--desa KODE]`: store today's score of every village (for cron)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        hitung = sub.add_parser("hitung", help="Compute and store today's quality score of the villages.")
        hitung.add_argument("--desa", action="append", help="Only this village code (repeatable).")

    def handle(self, *args, action, desa=None, **options):
        villages = Desa.objects.managed().order_by("kode")
        if desa:
            villages = villages.filter(kode__in=desa)
            if not villages.exists():
                raise CommandError(_("No served village has the code %(kode)s.") % {"kode": ", ".join(desa)})
        start = time.perf_counter()
        by_id = {d.id: d for d in villages}
        rows = record_quality(list(by_id))
        for desa_id, row in sorted(rows.items(), key=lambda item: by_id[item[0]].kode):
            score = "-" if row.skor is None else f"{row.skor:.1f}"
            self.stdout.write(f"{by_id[desa_id].kode} {by_id[desa_id]}: {score}")
        self.stdout.write(_("Quality of %(n)d villages stored in %(seconds).1f s.")
                          % {"n": len(rows), "seconds": time.perf_counter() - start})
