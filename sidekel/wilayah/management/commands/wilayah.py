import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from sidekel.wilayah.services import load_wilayah


class Command(BaseCommand):
    help = "Region tree (Kemendagri codes). `wilayah load [--kode 62.01.02] [--manage]`"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="Load all of Indonesia, or one region and its ancestors.")
        load.add_argument("--kode", help="Dotted region code, e.g. 62.01.02 (default: all of Indonesia).")
        load.add_argument(
            "--manage",
            action="store_true",
            help="Mark the villages under --kode as served by this installation.",
        )

    def handle(self, *args, action, kode=None, manage=False, **options):
        start = time.perf_counter()
        try:
            counts = load_wilayah(kode=kode, manage=manage)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        seconds = time.perf_counter() - start
        self.stdout.write(
            _(
                "Regions loaded in %(seconds).1f s: %(provinsi)d provinces, %(kabupaten)d regencies/cities, "
                "%(kecamatan)d districts, %(desa)d villages."
            )
            % {"seconds": seconds, **counts}
        )
        if manage:
            self.stdout.write(_("%(managed)d villages are served by this installation.") % counts)
