from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from sidekel.penduduk.exporter import export_penduduk
from sidekel.penduduk.models import Penduduk
from sidekel.wilayah.models import Desa


class Command(BaseCommand):
    help = "Export residents: `export penduduk --desa KODE --format xlsx|csv [--template sidekel|opensid] -o FILE`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        p = sub.add_parser("penduduk")
        p.add_argument("--desa", nargs="*", default=[], help="Village codes (default: every village served).")
        p.add_argument("--format", default="xlsx", choices=["xlsx", "csv"])
        p.add_argument("--template", default="sidekel", choices=["sidekel", "opensid"])
        p.add_argument("--masked", action="store_true", help="Mask NIK and KK numbers (for sharing).")
        p.add_argument("-o", "--output", required=True)

    def handle(self, *args, what, desa, format, template, masked, output, **options):
        villages = Desa.objects.managed()
        if desa:
            villages = villages.filter(kode__in=desa)
            unknown = set(desa) - set(villages.values_list("kode", flat=True))
            if unknown:
                raise CommandError(_("Village %(kode)s is not served by this installation.") % {"kode": ", ".join(sorted(unknown))})
        qs = Penduduk.objects.filter(desa__in=villages, deleted_at__isnull=True)
        export_penduduk(qs, output, kind=format, template=template, full_identity=not masked)
        self.stdout.write(_("%(n)d residents written to %(file)s.") % {"n": qs.count(), "file": output})
