import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sidekel.akun.choices import Role
from sidekel.akun.models import User
from sidekel.akun.services import create_user
from sidekel.penduduk.demo import KECAMATAN_DEMO, DemoBuilder, demo_exists, reset_demo

DEMO_PASSWORD = "sidekel-demo"
RAJA, RANGDA = "62.01.02.1007", "62.01.02.2010"
# (username, role, villages, what the persona is). Labels are translated when printed.
DEMO_ACCOUNTS = [
    ("admin", Role.ADMIN_KECAMATAN, [], gettext_noop("kecamatan administrator")),
    ("camat", Role.CAMAT, [], gettext_noop("camat: reads every village, changes nothing")),
    ("operator.raja", Role.OPERATOR, [RAJA], gettext_noop("operator of Kelurahan Raja")),
    ("operator.rangda", Role.OPERATOR, [RANGDA], gettext_noop("operator of Desa Rangda")),
    ("kades.rangda", Role.KEPALA_DESA, [RANGDA], gettext_noop("kepala desa of Rangda: reads and signs letters, does not edit")),
    ("lurah.raja", Role.KEPALA_DESA, [RAJA], gettext_noop("lurah of Raja: reads and signs letters, does not edit")),
]


class Command(BaseCommand):
    help = "Build the demo kecamatan (Arut Selatan, 62.01.02) with a synthetic population, then serve it."

    def add_arguments(self, parser):
        parser.add_argument("--penduduk", type=int, default=20000, help="Living residents to generate (default 20000).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed; the same seed gives the same data.")
        parser.add_argument("--no-serve", action="store_true", help="Build only; do not start the web server.")
        parser.add_argument("--reset", action="store_true", help="Delete the demo residents first and build again.")
        parser.add_argument("--addr", default="127.0.0.1:8000", help="Address to serve on (default 127.0.0.1:8000).")

    def handle(self, *args, penduduk, seed, no_serve, reset, addr, **options):
        call_command("migrate", verbosity=0)
        if demo_exists() and not reset:
            self.stdout.write(_("The demo kecamatan is already built; use --reset to build it again."))
        else:
            if reset:
                reset_demo()
            start = time.perf_counter()
            self.stdout.write(_("Building Kecamatan Arut Selatan (%(kode)s) with about %(n)s residents...")
                              % {"kode": KECAMATAN_DEMO, "n": f"{penduduk:,}"})
            built = DemoBuilder(seed=seed, stdout=self.stdout).build(penduduk=penduduk)
            self.stdout.write(_("Built %(n)s living residents in %(villages)d villages in %(seconds).1f s.")
                              % {"n": f"{sum(built.values()):,}", "villages": len(built), "seconds": time.perf_counter() - start})
        self.ensure_accounts()
        if not no_serve:
            from django.conf import settings

            from sidekel.core.jobs import spawn_worker

            # This demo server only: the demo admin and camat log in with the printed password
            # alone (they may still turn two-factor sign-in on in their profile). `sidekel serve`
            # and every other process keep it required.
            settings.SIDEKEL_TWO_FACTOR_REQUIRED = False
            self.stdout.write(_("Two-factor sign-in is optional on this demo server; `sidekel serve` requires it "
                                "of the admin and the camat, who set it up at their first login."))

            worker = spawn_worker()  # imports, PDFs and large exports run there
            try:
                call_command("runserver", addr, use_reloader=False)
            finally:
                worker.terminate()
                worker.wait(timeout=60)

    def ensure_accounts(self):
        """One demo account per persona, with the same password."""
        self.stdout.write("")
        self.stdout.write(_("Demo logins (change them before real use):"))
        for username, role, villages, label in DEMO_ACCOUNTS:
            if not User.objects.filter(username=username).exists():
                user = create_user(username, role=role, password=DEMO_PASSWORD, desa_kode=villages, validate=False)
                if role == Role.ADMIN_KECAMATAN:
                    User.objects.filter(pk=user.pk).update(is_superuser=True)
            self.stdout.write(f"  {username:<16} / {DEMO_PASSWORD}   {_(label)}")
        self.stdout.write("")
