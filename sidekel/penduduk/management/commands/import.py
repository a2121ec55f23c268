import sys
import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from sidekel.core.spreadsheet import SpreadsheetError
from sidekel.penduduk.importer import SKIP, UPDATE, import_penduduk
from sidekel.wilayah.models import Desa


class Command(BaseCommand):
    help = "Import a population file: `import penduduk FILE --desa KODE [--dry-run] [--format auto|sidekel|opensid]`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        p = sub.add_parser("penduduk", help="Residents from .xlsx, .xls, .ods or .csv.")
        p.add_argument("file")
        p.add_argument("--desa", required=True, help="Village code, e.g. 62.01.02.2010.")
        p.add_argument("--dry-run", action="store_true", help="Check only; write nothing.")
        p.add_argument("--format", default="auto", choices=["auto", "sidekel", "opensid"])
        p.add_argument("--existing", default=SKIP, choices=[SKIP, UPDATE],
                       help="What a NIK already registered in the village means (default: skip the row).")
        p.add_argument("--sheet", help="Sheet name (default: the first data sheet).")
        p.add_argument("--problems", type=int, default=50, help="How many problems to print (default 50).")

    def handle(self, *args, what, file, desa, dry_run, format, existing, sheet, problems, **options):
        village = Desa.objects.managed().filter(kode=desa).first()
        if village is None:
            raise CommandError(_("Village %(kode)s is not served by this installation.") % {"kode": desa})
        start = time.perf_counter()
        try:
            report = import_penduduk(file, village, fmt=format, existing=existing, dry_run=dry_run, sheet=sheet,
                                     progress=self.progress)
        except (SpreadsheetError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        sys.stderr.write("\n")
        for problem in report.problems[:problems]:
            self.stdout.write(("  ! " if problem.error else "  ~ ") + str(problem))
        if len(report.problems) > problems:
            self.stdout.write(_("  ... and %(n)d more.") % {"n": len(report.problems) - problems})
        self.stdout.write(report.summary())
        self.stdout.write(
            (_("Nothing was written (dry run).") if dry_run else
             _("Imported in %(seconds).1f s.") % {"seconds": time.perf_counter() - start}) if dry_run or report.committed
            else _("Nothing was written: no row could be imported."))
        if report.refused:
            sys.exit(1)

    def progress(self, phase, done, total):
        label = _("checking") if phase == "check" else _("writing")
        bar = ""
        if total:
            filled = int(30 * done / total)
            bar = "[" + "#" * filled + "." * (30 - filled) + f"] {done * 100 // total:3d}% "
        sys.stderr.write(f"\r{label}: {bar}{done:,} ")
        sys.stderr.flush()
