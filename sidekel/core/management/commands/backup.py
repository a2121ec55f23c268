"""`sidekel backup`: a consistent archive of the running system (core/backup.py, docs/operations.md)."""

import getpass
import os
import shutil
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from sidekel.core import backup

SERVICE = """[Unit]
Description=Sidekel backup
After=network.target postgresql.service

[Service]
Type=oneshot
WorkingDirectory={workdir}
{environment}ExecStart={python} -m sidekel.cli backup{args}
Nice=10
IOSchedulingClass=idle
"""

TIMER = """[Unit]
Description=Sidekel backup, every night

[Timer]
OnCalendar={calendar}
RandomizedDelaySec=15min
Persistent=true

[Install]
WantedBy=timers.target
"""


class Command(BaseCommand):
    help = ("Back up the database and the data folder into one archive (-o: a folder or a file name; default "
            "<data dir>/backups/); --verify ARCHIVE restores one into a scratch database and compares it; "
            "--install-timer writes a systemd timer that backs up every night.")

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="A folder (a new timestamped archive in it) or an archive's file name.")
        parser.add_argument("--verify", metavar="ARCHIVE", help="Restore ARCHIVE into a scratch database and compare it "
                                                                "with its manifest.")
        parser.add_argument("--encrypt", action="store_true",
                            help="Encrypt with a passphrase (asked for, unless given by --passphrase-file or "
                                 "SIDEKEL_BACKUP_PASSPHRASE, either of which encrypts by itself).")
        parser.add_argument("--passphrase-file", help="A file whose first line is the passphrase.")
        parser.add_argument("--keep-daily", type=int, default=7)
        parser.add_argument("--keep-weekly", type=int, default=4)
        parser.add_argument("--keep-monthly", type=int, default=6)
        parser.add_argument("--no-rotate", action="store_true", help="Keep every archive in the folder.")
        parser.add_argument("--copy-to", metavar="FOLDER", help="Also copy the archive to FOLDER (a USB disk, a share).")
        parser.add_argument("--install-timer", action="store_true",
                            help="Write sidekel-backup.service and .timer (systemd), or print a cron line.")
        parser.add_argument("--timer-dir", default="/etc/systemd/system", help="Where --install-timer writes.")
        parser.add_argument("--on-calendar", default="*-*-* 02:30", help="When the timer runs (systemd OnCalendar).")

    def handle(self, *args, **o):
        try:
            if o["install_timer"]:
                return self.install_timer(o)
            passphrase = backup.passphrase_from(o["passphrase_file"])
            if o["verify"]:
                return self.verify(o["verify"], passphrase)
            if o["encrypt"] and not passphrase:
                passphrase = self.ask_passphrase()
            return self.backup(o, passphrase)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:
            raise CommandError(_("Backup failed: %(e)s. Nothing was changed; earlier archives are intact.")
                               % {"e": exc}) from exc

    def ask_passphrase(self):
        if not sys.stdin.isatty():
            raise CommandError(_("--encrypt needs a passphrase: --passphrase-file or SIDEKEL_BACKUP_PASSPHRASE."))
        first = getpass.getpass(_("Passphrase: "))
        if len(first) < 8 or getpass.getpass(_("Again: ")) != first:
            raise CommandError(_("The passphrases differ or are shorter than 8 characters."))
        return first

    def backup(self, o, passphrase):
        path = backup.archive_path(o["output"])
        log = self.stdout.write if o["verbosity"] > 1 else (lambda text: None)
        path, manifest = backup.make_backup(path, passphrase, log=log)
        rows = sum(t["rows"] for t in manifest["tables"])
        self.stdout.write(_("Backup written: %(path)s (%(size).1f MB, %(rows)d rows, %(files)d files).")
                          % {"path": path, "size": path.stat().st_size / 1e6, "rows": rows,
                             "files": len(manifest["files"])})
        folder_given = not o["output"] or Path(o["output"]).resolve() == path.parent.resolve()
        copies = []
        if o["copy_to"]:
            try:
                copies.append(backup.copy_to(path, o["copy_to"]))
            except Exception as exc:
                if not backup.no_room(exc):
                    raise
                backup.record(path, manifest, copies=[])  # the archive itself is good
                raise CommandError(_("The backup was written (%(path)s), but the disk of %(folder)s is full "
                                     "(%(free)s left): no copy is there, nor a partial one. Free space there, then "
                                     "run the backup again.")
                                   % {"path": path, "folder": o["copy_to"], "free": backup.free_space(o["copy_to"])}) from exc
            self.stdout.write(_("Copied to %(path)s.") % {"path": copies[-1]})
        if folder_given and not o["no_rotate"]:
            for folder in [path.parent] + [c.parent for c in copies]:
                for old in backup.rotate(folder, o["keep_daily"], o["keep_weekly"], o["keep_monthly"]):
                    self.stdout.write(_("Removed old archive %(path)s.") % {"path": old})
        backup.record(path, manifest, copies=[str(c) for c in copies])

    def verify(self, archive, passphrase):
        manifest = backup.verify(archive, passphrase)
        rows = sum(t["rows"] for t in manifest["tables"])
        status = backup.read_status() or {}
        if status.get("archive") and Path(status["archive"]).resolve() == Path(archive).resolve():
            backup.record(Path(archive), manifest, copies=status.get("copies", []),
                          verified_at=timezone.now().isoformat())
        self.stdout.write(_("The archive is sound: %(tables)d tables, %(rows)d rows and %(files)d files restored "
                            "and compared with its manifest (Sidekel %(version)s, %(at)s).")
                          % {"tables": len(manifest["tables"]), "rows": rows, "files": len(manifest["files"]),
                             "version": manifest["sidekel_version"], "at": manifest["created_at"]})

    def install_timer(self, o):
        args = ""
        if o["output"]:
            args += f" -o {Path(o['output']).resolve()}"
        if o["copy_to"]:
            args += f" --copy-to {Path(o['copy_to']).resolve()}"
        if o["passphrase_file"]:
            args += f" --passphrase-file {Path(o['passphrase_file']).resolve()}"
        env = {"SIDEKEL_DATA_DIR": str(settings.DATA_DIR)}
        for name in ("SIDEKEL_DATABASE_URL", "SIDEKEL_SECRET_KEY", "SIDEKEL_ALLOWED_HOSTS"):
            if os.environ.get(name):
                env[name] = os.environ[name]
        cron = (f"30 2 * * * cd {Path.cwd()} && " + " ".join(f"{k}={v}" for k, v in env.items())
                + f" {sys.executable} -m sidekel.cli backup{args}")
        folder = Path(o["timer_dir"])
        if not (shutil.which("systemctl") and Path("/run/systemd/system").is_dir()) and o["timer_dir"] == "/etc/systemd/system":
            self.stdout.write(_("systemd is not running here. Add this line with `crontab -e` (every night at 02:30):"))
            self.stdout.write(cron)
            return
        folder.mkdir(parents=True, exist_ok=True)
        environment = "".join(f'Environment="{k}={v}"\n' for k, v in env.items())
        service = folder / "sidekel-backup.service"
        service.write_text(SERVICE.format(workdir=Path.cwd(), environment=environment, python=sys.executable, args=args))
        service.chmod(0o600)  # it may hold the database's password
        (folder / "sidekel-backup.timer").write_text(TIMER.format(calendar=o["on_calendar"]))
        self.stdout.write(_("Written: %(service)s and %(timer)s. Start the timer with:")
                          % {"service": service, "timer": folder / "sidekel-backup.timer"})
        self.stdout.write("  systemctl daemon-reload && systemctl enable --now sidekel-backup.timer")
        self.stdout.write(_("Without systemd, the same as a cron line:"))
        self.stdout.write(cron)
