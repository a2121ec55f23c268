from django.core.management.base import BaseCommand, CommandError

from sidekel.panduan import guide
from sidekel.panduan import pdf as output


class Command(BaseCommand):
    help = "The operator's guide: check that every screenshot it names exists; with --pdf OUT, print it to a PDF."

    def add_arguments(self, parser):
        parser.add_argument("--pdf", metavar="OUT", help="Write the guide as a PDF to this file.")

    def handle(self, *args, pdf=None, **options):
        missing = guide.missing_images()
        if missing:
            raise CommandError(f"Screenshots missing from {guide.IMAGES}: {', '.join(missing)} "
                               "(take them with: make docs)")
        if pdf:
            pages = output.write(pdf)
            self.stdout.write(f"{pdf}: {pages} pages")
        self.stdout.write(f"{len(guide.sections())} sections, version {guide.version()}")
