import sys
import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils.translation import gettext as _

from sidekel.core.busy import disk_full_message, is_disk_full
from sidekel.core.spreadsheet import SpreadsheetError
from sidekel.core.files import csv_writer
from sidekel.penduduk.importer import SKIP, UPDATE, described, finding_rows, import_penduduk, kind_label, summarize
from sidekel.wilayah.models import Desa


class Command(BaseCommand):
    # Django's system checks look at the code and settings, which `sidekel serve` and `migrate`
    # check anyway; run before every import, they only made it start later.
    requires_system_checks = []
    help = ("Import a population file: `import penduduk FILE --desa KODE [--dry-run] [--format auto|sidekel|opensid] "
            "[--report FINDINGS.csv]`.")

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
        p.add_argument("--problems", type=int, default=20,
                       help="How many findings to print after the summary by kind (default 20).")
        p.add_argument("--report", help="Write every finding to this CSV file (row, column, status, kind, finding).")

    def handle(self, *args, what, file, desa, dry_run, format, existing, sheet, problems, report=None, **options):
        report_path = report
        if report_path and Path(report_path).resolve() == Path(file).resolve():
            raise CommandError(_("The report file cannot be the file being imported."))
        village = Desa.objects.managed().filter(kode=desa).first()
        if village is None:
            raise CommandError(_("Village %(kode)s is not served by this installation.") % {"kode": desa})
        start = time.perf_counter()
        try:
            report = import_penduduk(file, village, fmt=format, existing=existing, dry_run=dry_run, sheet=sheet,
                                     progress=self.progress)
        except (SpreadsheetError, OSError, DatabaseError) as exc:
            if is_disk_full(exc):
                raise CommandError(disk_full_message()) from exc
            if isinstance(exc, DatabaseError):
                raise
            raise CommandError(str(exc)) from exc
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        sys.stderr.write("\n")
        findings = [p.as_dict() for p in report.problems]
        self.print_kinds(findings)
        for problem in report.problems[:problems]:
            self.stdout.write(("  ! " if problem.error else "  ~ ") + str(problem))
        if len(report.problems) > problems:
            self.stdout.write(_("  ... and %(n)d more.") % {"n": len(report.problems) - problems})
        if report_path:
            try:
                with open(report_path, "w", encoding="utf-8-sig", newline="") as f:
                    csv_writer(f).writerows(finding_rows(findings, lambda p: described(p, lambda desa_id: True)))
            except OSError as exc:
                raise CommandError(_("The report could not be written: %(error)s") % {"error": exc}) from exc
            self.stdout.write(_("Every finding (%(n)d) is in %(file)s.") % {"n": len(findings), "file": report_path})
        self.stdout.write(report.summary())
        self.stdout.write(
            (_("Nothing was written (dry run).") if dry_run else
             _("Imported in %(seconds).1f s.") % {"seconds": time.perf_counter() - start}) if dry_run or report.committed
            else _("Nothing was written: no row could be imported."))
        if report.refused:
            sys.exit(1)

    def print_kinds(self, findings):
        """The findings by kind, largest first: "878 rows: KK number of another village: rows 2, 3, ..."."""
        for group in summarize(findings):
            rows = ", ".join(str(r) for r in group["examples"]) + (", ..." if group["rows"] > len(group["examples"]) else "")
            self.stdout.write(_("%(mark)s %(n)d rows: %(kind)s (%(status)s): rows %(rows)s") % {
                "mark": "!" if group["error"] else "~", "n": group["rows"], "kind": kind_label(group["kind"]),
                "status": _("refused") if group["error"] else _("warning"), "rows": rows})

    def progress(self, phase, done, total):
        label = _("checking") if phase == "check" else _("writing")
        bar = ""
        if total:
            filled = int(30 * done / total)
            bar = "[" + "#" * filled + "." * (30 - filled) + f"] {done * 100 // total:3d}% "
        sys.stderr.write(f"\r{label}: {bar}{done:,} ")
        sys.stderr.flush()
