"""`sidekel restore ARCHIVE`: an archive of `sidekel backup` into an empty installation, on either engine."""

import os

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils.translation import gettext as _

from sidekel.core import backup


class Command(BaseCommand):
    help = ("Restore an archive of `sidekel backup` into the database SIDEKEL_DATABASE_URL names (SQLite or "
            "PostgreSQL, whichever the archive came from) and the data folder; refuses a database in use "
            "unless --force, which backs it up first.")

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--force", action="store_true",
                            help="Replace a database in use (it is backed up to <data dir>/backups/ first).")
        parser.add_argument("--passphrase-file", help="A file whose first line is the passphrase.")
        parser.add_argument("--no-files", action="store_true", help="Restore the database only, not the data folder's files.")

    def handle(self, *args, archive, force, passphrase_file, no_files, verbosity, **options):
        log = self.stdout.write if verbosity > 1 else (lambda text: None)
        try:
            passphrase = backup.passphrase_from(passphrase_file)
            with backup.opened(archive, passphrase):
                pass  # readable, with a manifest, before anything is touched
            used = backup.in_use()
            if used:
                if not force:
                    raise CommandError(_("This database is in use (%(tables)s hold data): a restore would replace it. "
                                         "Restore into an empty database, or add --force (it backs this one up first).")
                                       % {"tables": ", ".join(used[:5]) + (", ..." if len(used) > 5 else "")})
                path, _manifest = backup.make_backup(backup.archive_path(None))
                self.stdout.write(_("Backed up the database being replaced first: %(path)s") % {"path": path})
            manifest = backup.restore(archive, passphrase, restore_files=not no_files, log=log)
            call_command("migrate", verbosity=max(0, verbosity - 1), interactive=False)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        except (OSError, DatabaseError) as exc:
            raise CommandError(_("Restore failed: %(e)s") % {"e": exc}) from exc
        rows = sum(t["rows"] for t in manifest["tables"])
        if verbosity:
            self.stdout.write(_("Restored %(rows)d rows of %(tables)d tables and %(files)d files from %(archive)s "
                                "(Sidekel %(version)s, %(at)s).")
                              % {"rows": rows, "tables": len(manifest["tables"]),
                                 "files": 0 if no_files else len(manifest["files"]), "archive": archive,
                                 "version": manifest["sidekel_version"], "at": manifest["created_at"]})
            if os.environ.get("SIDEKEL_SECRET_KEY") and not no_files:
                self.stdout.write(_("Note: SIDEKEL_SECRET_KEY is set, so the restored secret_key file is not used: "
                                    "set it to the old installation's key."))
