from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from sidekel.peta import formats, services
from sidekel.peta.choices import Lapisan
from sidekel.peta.views import fitur_features
from sidekel.statistik import publik as statistik_publik
from sidekel.wilayah.models import Desa


class Command(BaseCommand):
    help = ("Map data: `peta import FILE --desa KODE --lapisan batas|dusun|rw|rt|tempat|garis|area [--dry-run]`, "
            "`peta export --wilayah KODE -o FILE.geojson|FILE.kml`.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        p = sub.add_parser("import")
        p.add_argument("file")
        p.add_argument("--desa", required=True)
        p.add_argument("--lapisan", required=True, choices=[v for v, _l in Lapisan.choices])
        p.add_argument("--dry-run", action="store_true", help="Check every feature; save nothing.")
        p.add_argument("--private", action="store_true", help="Not on the public map.")
        e = sub.add_parser("export")
        e.add_argument("--wilayah", required=True, help="A village's or the kecamatan's code.")
        e.add_argument("-o", "--output", required=True)

    def handle(self, *args, what, **options):
        if what == "import":
            return self.do_import(**options)
        return self.do_export(**options)

    def do_import(self, file, desa, lapisan, dry_run, private, **options):
        village = Desa.objects.managed().filter(kode=desa).first()
        if village is None:
            raise CommandError(_("Village %(kode)s is not served by this installation.") % {"kode": desa})
        try:
            laporan = services.impor(village, file, lapisan, user=None, dry_run=dry_run, publik=not private)
        except formats.FormatError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{laporan.kind}, {len(laporan.rows)} fitur, {laporan.projection}")
        for row in laporan.refused:
            self.stdout.write(f"  #{row.nomor} {row.nama or '-'}: {' '.join(str(e) for e in row.errors)}")
        if laporan.refused:
            raise CommandError(_("%(n)d features refused; nothing was saved.") % {"n": len(laporan.refused)})
        if dry_run:
            self.stdout.write(_("Dry run: every feature can be imported; nothing was saved."))
        else:
            self.stdout.write(_("%(n)d shapes imported.") % {"n": laporan.saved})

    def do_export(self, wilayah, output, **options):
        area = statistik_publik.area(wilayah)
        if area is None:
            raise CommandError(_("No village or kecamatan served here has the code %(kode)s.") % {"kode": wilayah})
        features = fitur_features(area.desa_ids)
        text = formats.to_kml(features, area.nama) if output.lower().endswith(".kml") else formats.to_geojson(features)
        Path(output).write_text(text, encoding="utf-8")
        self.stdout.write(_("%(n)d shapes written to %(file)s.") % {"n": len(features), "file": output})
