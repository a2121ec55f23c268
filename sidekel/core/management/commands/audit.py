from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from sidekel.core.audit import prune
from sidekel.core.models import AccessLog, ObjectChange


class Command(BaseCommand):
    help = "Audit logs. `audit prune` deletes entries older than the retention settings, in batches."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("prune", help="Delete log entries past their retention period.")
        p.add_argument("--batch", type=int, default=5000)

    def handle(self, *args, action, batch, **options):
        changes = prune(ObjectChange, settings.SIDEKEL_CHANGE_LOG_DAYS, batch)
        access = prune(AccessLog, settings.SIDEKEL_ACCESS_LOG_DAYS, batch)
        self.stdout.write(_("Pruned %(changes)d change records (older than %(cdays)d days) and %(access)d access records "
                            "(older than %(adays)d days).") % {
            "changes": changes, "cdays": settings.SIDEKEL_CHANGE_LOG_DAYS,
            "access": access, "adays": settings.SIDEKEL_ACCESS_LOG_DAYS})
