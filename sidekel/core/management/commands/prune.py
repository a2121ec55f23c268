from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from sidekel.core.retention import prune_all


class Command(BaseCommand):
    help = ("Apply every retention setting: change history, access log, job files (uploads with full NIKs), "
            "failed logins. Run it nightly (cron or a systemd timer).")

    def handle(self, *args, **options):
        for name, removed in prune_all().items():
            self.stdout.write(_("%(name)s: %(n)d removed") % {"name": name, "n": removed})
