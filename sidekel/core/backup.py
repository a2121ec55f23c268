"""Backups that prove they restore (issue 16): `sidekel backup`, `sidekel backup --verify`, `sidekel restore`.

One format for both database engines: a logical dump, each table's rows as JSON lines (one JSON
list a row, in the column order the manifest names), read from a consistent snapshot of the
running system and written in primary-key order, so a SQLite installation restores into
PostgreSQL and back. The snapshot:

- SQLite: the online backup API (``sqlite3.Connection.backup``) copies the database file in one
  step while the site goes on writing (WAL: writers are not stopped), and the rows are read from
  that copy;
- PostgreSQL: one REPEATABLE READ, READ ONLY transaction sees the database as it was when it
  began, whatever commits meanwhile (what pg_dump itself does).

No engine-native dump is kept beside it: the logical restore is fast enough (bench/backup.py,
docs/benchmarks.md), and one restore path is the one that `--verify` proves.

The archive is a zip (random access: the manifest is written last and read first; each member
deflated; zip64 for members past 4 GB):

    manifest.json                 version, migrations applied per app, tables (columns, rows, sha256), files
    data/<app>.<model>.jsonl      one table's rows
    files/<path>                  the data folder's lasting files (see DATA_FILES_SKIPPED)

Encrypted archives (``.zip.enc``) are the zip cut in 1 MiB chunks, each sealed with AES-256-GCM
under a key derived from the passphrase with scrypt; a chunk's number and whether it is the last
are bound into it, so chunks cannot be reordered, dropped or cut off unnoticed. Memory stays at
one chunk whatever the archive's size.
"""

import datetime
import decimal
import base64
import copy
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import struct
import subprocess
import sys
import tempfile
import uuid
import zipfile
import zlib
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

import sidekel

FORMAT = 1
PREFIX = "sidekel-backup-"
NAME_RE = re.compile(r"^sidekel-backup-(\d{8})-(\d{6})(?:-\d+)?\.zip(?:\.enc)?$")
STATUS_FILE = "backup-status.json"
SNAPSHOT = "sidekel_backup_snapshot"
# What the apps declare (``derived`` and ``loaded_in_bulk`` below, from their models): the tables
# the database itself fills from others (by triggers), and how a table is best loaded in bulk.
DERIVED = set()
BULK_LOADERS = {}
# What of the data folder a backup leaves out: the database (dumped as rows), earlier backups,
# the uploads of jobs (spreadsheets in transit, removed after SIDEKEL_JOB_FILE_DAYS; the imported
# rows themselves are in the database), the page cache and collected static files (made again).
# Everything else is kept: the secret key (keyed privacy draws, sessions, signed links) and any
# lasting files an app stores there (e.g. media/).
DATA_FILES_SKIPPED = {"backups", "jobs", "cache", "static", STATUS_FILE}
# Tables a fresh `migrate` fills by itself: rows there do not make an installation "in use".
FILLED_BY_MIGRATE = {"django_content_type", "auth_permission", "core_dataversion", "django_migrations"}
CHUNK = 1 << 20
MAGIC = b"SIDEKEL-BACKUP-AESGCM-1\n"


def derived(label):
    """Declare ``"app.model"`` a table the database fills from others: not in archives, filled again on restore."""
    DERIVED.add(label)


def loaded_in_bulk(label, loader):
    """Declare how ``"app.model"`` is restored: ``loader(adding)``, a context manager inside the
    restore's transaction around the insert of ``adding`` rows (e.g. indexes built once at the end)."""
    BULK_LOADERS[label] = loader


class BackupError(Exception):
    """A backup or restore that cannot go on, with a message for the person running it."""


# ---------------------------------------------------------------------------------------------
# Encryption: AES-256-GCM in chunks, key from the passphrase by scrypt


def _key(passphrase, salt):
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return Scrypt(salt=salt, length=32, n=2**15, r=8, p=1).derive(passphrase.encode())


class EncryptingWriter(io.RawIOBase):
    """A write-only, unseekable file that seals what is written to ``raw`` chunk by chunk."""

    def __init__(self, raw, passphrase):
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        self.raw, self.buffer, self.number = raw, bytearray(), 0
        salt, self.prefix = os.urandom(16), os.urandom(4)
        self.aead = AESGCM(_key(passphrase, salt))
        raw.write(MAGIC + salt + self.prefix)

    def writable(self):
        return True

    def write(self, data):
        self.buffer += data
        while len(self.buffer) > CHUNK:
            self._seal(bytes(self.buffer[:CHUNK]), last=False)
            del self.buffer[:CHUNK]
        return len(data)

    def _seal(self, chunk, last):
        nonce = self.prefix + struct.pack(">Q", self.number)
        sealed = self.aead.encrypt(nonce, chunk, struct.pack(">Q?", self.number, last))
        self.raw.write(struct.pack(">I", len(sealed)) + sealed)
        self.number += 1

    def close(self):
        if not self.closed:
            self._seal(bytes(self.buffer), last=True)
            self.buffer.clear()
        super().close()


def is_encrypted(path):
    with open(path, "rb") as f:
        return f.read(len(MAGIC)) == MAGIC


def decrypt(path, passphrase, out):
    """Write the zip that the encrypted archive ``path`` holds to the open file ``out``."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    with open(path, "rb") as f:
        head = f.read(len(MAGIC) + 20)
        if len(head) < len(MAGIC) + 20 or not head.startswith(MAGIC):
            raise BackupError(_("The archive is damaged: its encryption header is unreadable."))
        salt, prefix = head[len(MAGIC):len(MAGIC) + 16], head[len(MAGIC) + 16:]
        aead = AESGCM(_key(passphrase, salt))
        number = 0
        while True:
            size = f.read(4)
            if len(size) < 4:
                raise BackupError(_("The archive is damaged: it ends before its last part."))
            sealed = f.read(struct.unpack(">I", size)[0])
            nonce = prefix + struct.pack(">Q", number)
            for last in (False, True):
                try:
                    chunk = aead.decrypt(nonce, sealed, struct.pack(">Q?", number, last))
                    break
                except InvalidTag:
                    continue
            else:
                if number == 0:
                    raise BackupError(_("Wrong passphrase, or the archive is damaged."))
                raise BackupError(_("The archive is damaged (part %(n)d does not decrypt).") % {"n": number + 1})
            out.write(chunk)
            number += 1
            if last:
                if f.read(1):
                    raise BackupError(_("The archive is damaged: data after its last part."))
                return


def passphrase_from(options_passphrase_file=None, env=os.environ):
    """The passphrase from a file (its first line) or SIDEKEL_BACKUP_PASSPHRASE; None if neither."""
    if options_passphrase_file:
        try:
            text = Path(options_passphrase_file).read_text().splitlines()
        except OSError as exc:
            raise BackupError(_("Cannot read the passphrase file: %(e)s") % {"e": exc}) from exc
        if not text or not text[0]:
            raise BackupError(_("The passphrase file is empty."))
        return text[0]
    return env.get("SIDEKEL_BACKUP_PASSPHRASE") or None


# ---------------------------------------------------------------------------------------------
# The database's tables, from the migration state it is at


def migration_state(conn):
    """{app: [migration names applied]} of the database behind ``conn``."""
    state = {}
    for app, name in sorted(MigrationRecorder(conn).applied_migrations()):
        state.setdefault(app, []).append(name)
    return state


def _historical_apps(conn):
    """The models as the database's applied migrations made them (not as the code is now)."""
    return MigrationExecutor(conn)._create_project_state(with_applied_migrations=True).apps


def _label(model):
    return f"{model._meta.app_label}.{model._meta.model_name}"


def tables(apps):
    """The models whose rows a backup holds, each after the models it points to."""
    models = [m for m in apps.get_models(include_auto_created=True)
              if m._meta.managed and not m._meta.proxy and _label(m) not in DERIVED]
    by_label = {_label(m): m for m in models}
    ordered, seen = [], set()

    def visit(model, path=()):
        label = _label(model)
        if label in seen or label in path:
            return
        for field in model._meta.concrete_fields:
            target = getattr(field, "related_model", None)
            if field.is_relation and target is not None and _label(target) in by_label and target is not model:
                visit(by_label[_label(target)], path + (label,))
        seen.add(label)
        ordered.append(model)

    for model in sorted(models, key=_label):
        visit(model)
    return ordered


def _encode(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, datetime.timedelta):
        from django.utils.duration import duration_iso_string

        return duration_iso_string(value)
    if isinstance(value, bytes | memoryview | bytearray):
        return base64.b64encode(bytes(value)).decode()
    raise TypeError(f"cannot store {type(value).__name__}")


TEXT_TYPES = {"DateTimeField", "DateField", "TimeField", "DecimalField", "UUIDField", "DurationField", "BinaryField"}


# ---------------------------------------------------------------------------------------------
# Backup


@contextmanager
def snapshot(workdir):
    """A connection alias that reads the database as it was at one moment, while the site writes on."""
    base = connections.databases["default"]
    cfg = copy.deepcopy(base)
    copy_path = None
    try:
        if base["ENGINE"] == "django.db.backends.sqlite3":
            Path(workdir).mkdir(parents=True, exist_ok=True)
            fd, copy_path = tempfile.mkstemp(prefix=".snapshot-", suffix=".sqlite3", dir=workdir)
            os.close(fd)
            os.chmod(copy_path, 0o600)
            source = sqlite3.connect(base["NAME"], timeout=30)
            try:
                target = sqlite3.connect(copy_path)
                try:
                    with target:
                        source.backup(target)  # pages=-1: one step, under one read transaction
                finally:
                    target.close()
            finally:
                source.close()
            cfg.update(NAME=copy_path, CONN_MAX_AGE=0)
            cfg["OPTIONS"] = {}
        else:
            from psycopg import IsolationLevel

            cfg["OPTIONS"] = {**cfg.get("OPTIONS", {}), "isolation_level": IsolationLevel.REPEATABLE_READ}
            cfg["CONN_MAX_AGE"] = 0
    except BaseException:
        _remove_snapshot(copy_path)  # a copy cut short (a full disk) is not left to fill it further
        raise
    connections.databases[SNAPSHOT] = cfg
    try:
        with transaction.atomic(using=SNAPSHOT):
            if cfg["ENGINE"] != "django.db.backends.sqlite3":
                with connections[SNAPSHOT].cursor() as cursor:
                    cursor.execute("SET TRANSACTION READ ONLY")
            yield connections[SNAPSHOT]
    finally:
        connections[SNAPSHOT].close()
        del connections[SNAPSHOT]
        del connections.databases[SNAPSHOT]
        _remove_snapshot(copy_path)


def _remove_snapshot(copy_path):
    if copy_path:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(copy_path + suffix).unlink(missing_ok=True)


class _HashingWriter:
    """Counts and hashes what goes through to a zip member."""

    def __init__(self, out):
        self.out, self.sha, self.size = out, hashlib.sha256(), 0

    def write(self, data):
        self.sha.update(data)
        self.size += len(data)
        self.out.write(data)


def _data_files(data_dir, skip):
    """(relative path, absolute path) of the data folder's files a backup keeps: all but
    DATA_FILES_SKIPPED, the database's files and the archives themselves (``skip``: folders and files)."""
    data_dir = Path(data_dir).resolve()
    if not data_dir.is_dir():
        return
    skip = [Path(s).resolve() for s in skip]
    for path in sorted(data_dir.rglob("*")):
        rel = path.relative_to(data_dir)
        if not path.is_file() or path.is_symlink() or rel.parts[0] in DATA_FILES_SKIPPED:
            continue
        if any(path == s or (s != data_dir and s in path.parents) for s in skip):
            continue
        if NAME_RE.match(path.name) or path.name.startswith((".snapshot-", f".{PREFIX}")):
            continue
        yield rel.as_posix(), path


def archive_path(output, now=None):
    """The archive ``-o`` names: a new timestamped file in a folder, or the file itself."""
    now = timezone.localtime(now or timezone.now())
    output = Path(output) if output else Path(settings.DATA_DIR) / "backups"
    if output.is_dir() or str(output).endswith(os.sep) or not output.suffix:
        output.mkdir(parents=True, exist_ok=True)
        name = f"{PREFIX}{now:%Y%m%d-%H%M%S}"
        path, n = output / f"{name}.zip", 1
        while path.exists() or path.with_name(path.name + ".enc").exists():
            n += 1
            path = output / f"{name}-{n}.zip"
        return path
    output.parent.mkdir(parents=True, exist_ok=True)
    return output


STALE = datetime.timedelta(days=1)


def remove_leftovers(folders, now=None):
    """Remove what a backup killed half-way (power cut, kill -9) left behind more than a day ago:
    hidden partial archives and database copies, which nothing else would ever remove and which
    are what fills a disk. A backup running now is younger than that."""
    limit = (now or timezone.now()).timestamp() - STALE.total_seconds()
    removed = []
    for folder in folders:
        folder = Path(folder)
        if not folder.is_dir():
            continue
        for item in folder.iterdir():
            leftover = (item.name.startswith(f".{PREFIX}") and item.name.endswith(".partial")) or \
                item.name.startswith(".snapshot-")
            if leftover and item.is_file() and item.stat().st_mtime < limit:
                item.unlink(missing_ok=True)
                removed.append(item)
    return removed


def no_room(exc):
    """Did writing fail for want of room (a full disk, a size limit)? SQLite says "database or disk
    is full" for ENOSPC but only "disk I/O error" (a failed write) for a size limit (EFBIG)."""
    from sidekel.core.busy import is_disk_full

    while exc is not None:
        if is_disk_full(exc) or getattr(exc, "sqlite_errorname", "") in ("SQLITE_FULL", "SQLITE_IOERR_WRITE"):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def free_space(folder):
    """The room left on the disk of ``folder``, as a person reads it."""
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        free = 0
    return f"{free / 1e6:.1f} MB" if free >= 1e6 else f"{free // 1000} KB"


def no_room_message(folder):
    return _("No room to write the backup: the disk of %(folder)s is full (%(free)s left) or takes no larger file "
             "(a USB disk formatted FAT32 takes none over 4 GB). Nothing was written and no partial archive is left; "
             "earlier archives are intact. Free space there (old archives, old files) or back up to another disk "
             "with -o, then run the backup again.") % {
        "folder": folder, "free": free_space(folder)}


def make_backup(path, passphrase=None, log=lambda text: None):
    """Write the archive at ``path`` (``.enc`` added when encrypted); return (path, manifest).

    It is written under a hidden name (``.<name>.partial``) and renamed when whole and synced to the
    disk, so an archive that stopped half-way (a full disk, a kill) is never found under an
    archive's name; on an error the partial file is removed, and a full disk is said as such
    (BackupError, naming the folder that is full: the archive's, or for SQLite the data folder
    where the database is copied first)."""
    path = Path(path)
    if passphrase and not path.name.endswith(".enc"):
        path = path.with_name(path.name + ".enc")
    partial = path.with_name(f".{path.name}.partial")
    remove_leftovers([path.parent, settings.DATA_DIR])
    db = connections.databases["default"]
    skip = [path.parent]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        skip += [Path(db["NAME"] + suffix) for suffix in ("", "-wal", "-shm", "-journal")]
    manifest = {"format": FORMAT, "sidekel_version": sidekel.__version__,
                "created_at": timezone.now().isoformat(), "engine": connection.vendor,
                "encrypted": bool(passphrase), "tables": [], "files": []}
    writing = path.parent
    try:
        # Only its owner reads an archive: it holds every resident's record and the secret key.
        with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as raw:
            sink = EncryptingWriter(raw, passphrase) if passphrase else raw
            with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
                writing = Path(settings.DATA_DIR)  # SQLite: the database is copied there first
                with snapshot(settings.DATA_DIR) as conn:
                    writing = path.parent
                    manifest["migrations"] = migration_state(conn)
                    for model in tables(_historical_apps(conn)):
                        manifest["tables"].append(_dump_table(zf, conn, model))
                        log(f"{_label(model)}: {manifest['tables'][-1]['rows']}")
                for rel, file in _data_files(settings.DATA_DIR, skip):
                    member = f"files/{rel}"
                    with open(file, "rb") as src, _member(zf, member) as dst:
                        out = _HashingWriter(dst)
                        shutil.copyfileobj(src, out, CHUNK)
                    manifest["files"].append({"path": rel, "member": member, "size": out.size,
                                              "sha256": out.sha.hexdigest()})
                zf.writestr("manifest.json", json.dumps(manifest, indent=1, ensure_ascii=False))
            if passphrase:
                sink.close()
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, path)
    except BaseException as exc:
        partial.unlink(missing_ok=True)
        if isinstance(exc, Exception) and no_room(exc):
            raise BackupError(no_room_message(writing)) from exc
        raise
    return path, manifest


def _member(zf, name):
    info = zipfile.ZipInfo(name, date_time=timezone.localtime().timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    return zf.open(info, "w", force_zip64=True)


def _dump_table(zf, conn, model):
    columns = [f.attname for f in model._meta.concrete_fields]
    member = f"data/{_label(model)}.jsonl"
    rows = 0
    with _member(zf, member) as dst:
        out = _HashingWriter(dst)
        buffer = []
        query = model._base_manager.using(conn.alias).order_by("pk").values_list(*columns)
        for row in query.iterator(chunk_size=5000):
            buffer.append(json.dumps(row, default=_encode, ensure_ascii=False, separators=(",", ":")))
            rows += 1
            if len(buffer) >= 2000:
                out.write(("\n".join(buffer) + "\n").encode())
                buffer.clear()
        if buffer:
            out.write(("\n".join(buffer) + "\n").encode())
    return {"model": _label(model), "table": model._meta.db_table, "columns": columns, "rows": rows,
            "member": member, "sha256": out.sha.hexdigest()}


# ---------------------------------------------------------------------------------------------
# Rotation, copies, the record of the last good backup


def rotate(folder, keep_daily=7, keep_weekly=4, keep_monthly=6, now=None):
    """Remove the folder's Sidekel archives beyond the newest of each of the last ``keep_daily``
    days, ``keep_weekly`` ISO weeks and ``keep_monthly`` months that have one; return those removed."""
    found = []
    for path in Path(folder).iterdir():
        match = NAME_RE.match(path.name)
        if match and path.is_file():
            found.append((match.group(1) + match.group(2), path))
    found.sort(reverse=True)
    keep = set()
    for count, period in ((keep_daily, lambda s: s[:8]), (keep_weekly, _week), (keep_monthly, lambda s: s[:6])):
        periods = []
        for stamp, path in found:
            key = period(stamp)
            if key not in periods:
                if len(periods) >= count:
                    break
                periods.append(key)
                keep.add(path)
    if found:
        keep.add(found[0][1])  # the newest, whatever the settings
    removed = [path for _stamp, path in found if path not in keep]
    for path in removed:
        path.unlink()
    return removed


def _week(stamp):
    year, week, _day = datetime.date(int(stamp[:4]), int(stamp[4:6]), int(stamp[6:8])).isocalendar()
    return f"{year}-{week:02d}"


def copy_to(path, folder):
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / path.name
    partial = folder / f".{path.name}.partial"
    try:
        with open(path, "rb") as src, os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as dst:
            shutil.copyfileobj(src, dst, CHUNK)
            dst.flush()
            os.fsync(dst.fileno())
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target


def record(path, manifest, **extra):
    """Note the last good backup in the data folder (read by the admin's home page)."""
    status = {"archive": str(path), "created_at": manifest["created_at"], "size": Path(path).stat().st_size,
              "encrypted": manifest["encrypted"], "rows": sum(t["rows"] for t in manifest["tables"]), **extra}
    target = Path(settings.DATA_DIR) / STATUS_FILE
    partial = target.with_name(target.name + ".partial")
    partial.write_text(json.dumps(status, indent=1))
    os.replace(partial, target)


def read_status():
    try:
        return json.loads((Path(settings.DATA_DIR) / STATUS_FILE).read_text())
    except (OSError, ValueError):
        return None


STALE_AFTER = datetime.timedelta(days=2)


def last_backup():
    """{"at": datetime, "archive": path, "stale": bool} of the last good backup, or None."""
    status = read_status()
    if not status:
        return None
    try:
        at = datetime.datetime.fromisoformat(status["created_at"])
    except (KeyError, TypeError, ValueError):
        return None
    return {"at": at, "archive": status.get("archive", ""), "stale": timezone.now() - at > STALE_AFTER,
            "verified": status.get("verified_at")}


# ---------------------------------------------------------------------------------------------
# Reading an archive


@contextmanager
def opened(path, passphrase=None):
    """The archive's ZipFile and manifest (decrypted to a temporary file first when encrypted)."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(_("No archive at %(path)s.") % {"path": path})
    temp = None
    try:
        if is_encrypted(path):
            if not passphrase:
                raise BackupError(_("The archive is encrypted: give its passphrase (--passphrase-file or "
                                    "SIDEKEL_BACKUP_PASSPHRASE)."))
            temp = tempfile.TemporaryFile(dir=path.parent if os.access(path.parent, os.W_OK) else None)
            decrypt(path, passphrase, temp)
            temp.seek(0)
            source = temp
        else:
            source = path
        try:
            with zipfile.ZipFile(source) as zf:
                manifest = json.loads(zf.read("manifest.json"))
                if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
                    raise BackupError(_("Not a Sidekel archive of a format this version reads."))
                yield zf, manifest
        except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, OSError) as exc:
            raise BackupError(_("The archive is damaged or not a Sidekel archive (%(e)s).") % {"e": exc}) from exc
    finally:
        if temp:
            temp.close()


def read_member(zf, entry):
    """Yield the lines of a data member, then check its checksum; BackupError if it differs."""
    sha = hashlib.sha256()
    count = 0
    with zf.open(entry["member"]) as f:
        for line in f:
            sha.update(line)
            count += 1
            yield line
    if sha.hexdigest() != entry["sha256"] or count != entry["rows"]:
        raise BackupError(_("The archive is damaged: %(member)s does not match its checksum.") % {"member": entry["member"]})


def check_members(zf, manifest, data=True, files=True):
    """Read every member the manifest names and compare its checksum: BackupError on the first
    that differs or does not read (before anything is written anywhere)."""
    entries = (manifest["tables"] if data else []) + (manifest["files"] if files else [])
    for entry in entries:
        sha = hashlib.sha256()
        try:
            with zf.open(entry["member"]) as f:
                while block := f.read(CHUNK):
                    sha.update(block)
        except (zipfile.BadZipFile, zlib.error, EOFError, KeyError) as exc:
            raise BackupError(_("The archive is damaged: %(member)s is unreadable (%(e)s).")
                              % {"member": entry["member"], "e": exc}) from exc
        if sha.hexdigest() != entry["sha256"]:
            raise BackupError(_("The archive is damaged: %(member)s does not match its checksum.") % {"member": entry["member"]})


# ---------------------------------------------------------------------------------------------
# Restore


def in_use():
    """The tables of the default database that hold rows a fresh `migrate` would not have made."""
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor)
    qn = connection.ops.quote_name
    used = []
    with connection.cursor() as cursor:
        for name in names:
            if name in FILLED_BY_MIGRATE or name.startswith(("sqlite_", "penduduk_word_fts")):
                continue
            cursor.execute(f"SELECT 1 FROM {qn(name)} LIMIT 1")
            if cursor.fetchone():
                used.append(name)
    return used


def wipe():
    """Drop every table, trigger and trigger function of the default database: an empty database."""
    connection.close()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA foreign_keys = OFF")
            cursor.execute("SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view', 'trigger') "
                           "AND name NOT LIKE 'sqlite_%'")
            objects = cursor.fetchall()
            for kind, name in sorted(objects, key=lambda o: o[0] != "trigger"):
                cursor.execute(f'DROP {kind.upper()} IF EXISTS "{name}"')
            cursor.execute("PRAGMA foreign_keys = ON")
        else:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
            for (name,) in cursor.fetchall():
                cursor.execute(f'DROP TABLE IF EXISTS "{name}" CASCADE')
            cursor.execute("SELECT p.oid::regprocedure FROM pg_proc p WHERE p.pronamespace = current_schema()::regnamespace "
                           "AND p.prorettype = 'trigger'::regtype")
            for (name,) in cursor.fetchall():
                cursor.execute(f"DROP FUNCTION IF EXISTS {name} CASCADE")
    connection.close()


def _targets(loader, applied):
    """The last migration of each app that the archive's database had applied."""
    nodes = {(app, name) for app, names in applied.items() for name in names}
    unknown = sorted(nodes - set(loader.graph.nodes))
    if unknown:
        raise BackupError(_("The archive comes from a newer Sidekel (migration %(m)s is unknown here): "
                            "upgrade Sidekel first.") % {"m": ".".join(unknown[0])})
    targets = []
    for node in sorted(nodes):
        children = loader.graph.node_map[node].children
        if not any(child in nodes for child in children if child[0] == node[0]):
            targets.append(node)
    return targets


def _converters(model, columns):
    fields = {f.attname: f for f in model._meta.concrete_fields}
    missing = [c for c in columns if c not in fields]
    if missing:
        raise BackupError(_("The archive's table %(t)s has columns this schema lacks: %(c)s.")
                          % {"t": model._meta.db_table, "c": ", ".join(missing)})
    return [(i, fields[c].to_python) for i, c in enumerate(columns) if fields[c].get_internal_type() in TEXT_TYPES]


def _rows(lines, converters):
    for line in lines:
        row = json.loads(line)
        for i, to_python in converters:
            if row[i] is not None:
                row[i] = to_python(row[i])
        yield row


def restore(path, passphrase=None, restore_files=True, log=lambda text: None):
    """Load the archive into the default database, which ``in_use()`` found empty; return the manifest."""
    from sidekel.core.bulk import REBUILD_INDEXES_FROM, analyze, indexes_built_after_insert, insert_values

    with opened(path, passphrase) as (zf, manifest):
        check_members(zf, manifest, files=restore_files)  # a damaged archive leaves the database as it was
        wipe()
        executor = MigrationExecutor(connection)
        targets = _targets(executor.loader, manifest["migrations"])
        log(_("Preparing the tables as the archive's version had them..."))
        executor.migrate(targets)
        apps = executor.loader.project_state(targets).apps
        models = {}
        for entry in manifest["tables"]:
            app_label, model_name = entry["model"].split(".")
            try:
                models[entry["model"]] = apps.get_model(app_label, model_name)
            except LookupError as exc:
                raise BackupError(_("The archive's table %(t)s is unknown here.") % {"t": entry["model"]}) from exc
        loaded = [models[e["model"]] for e in manifest["tables"]]
        qn = connection.ops.quote_name
        with transaction.atomic():
            with connection.cursor() as cursor:
                # Rows the migrations themselves made (e.g. the data version) give way to the archive's.
                for model in reversed(loaded):
                    cursor.execute(f"DELETE FROM {qn(model._meta.db_table)}")
            for entry in manifest["tables"]:
                model = models[entry["model"]]
                rows = _rows(read_member(zf, entry), _converters(model, entry["columns"]))
                bulk = entry["model"] in BULK_LOADERS or entry["rows"] >= REBUILD_INDEXES_FROM
                if bulk and connection.vendor == "postgresql":
                    # Dropping a foreign key (to add it again at the end) needs the table it points
                    # to free of pending trigger events: the checks of the rows loaded so far, which
                    # PostgreSQL defers to the commit. Run them now (the commit would anyway).
                    with connection.cursor() as cursor:
                        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                if entry["model"] in BULK_LOADERS:
                    with BULK_LOADERS[entry["model"]](entry["rows"]):
                        insert_values(model, entry["columns"], rows)
                elif entry["rows"] >= REBUILD_INDEXES_FROM:
                    with indexes_built_after_insert(model, entry["rows"]):
                        insert_values(model, entry["columns"], rows)
                else:
                    insert_values(model, entry["columns"], rows)
                log(f"{entry['model']}: {entry['rows']}")
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), loaded):
                    cursor.execute(sql)
                for entry in manifest["tables"]:
                    cursor.execute(f"SELECT COUNT(*) FROM {qn(entry['table'])}")
                    count = cursor.fetchone()[0]
                    if count != entry["rows"]:
                        raise BackupError(_("Table %(t)s has %(n)d rows after the restore, the archive %(m)d.")
                                          % {"t": entry["table"], "n": count, "m": entry["rows"]})
        analyze(*loaded)
        if restore_files:
            _restore_files(zf, manifest)
    return manifest


def _restore_files(zf, manifest):
    data_dir = Path(settings.DATA_DIR).resolve()
    for entry in manifest["files"]:
        target = (data_dir / entry["path"]).resolve()
        if data_dir not in target.parents:
            raise BackupError(_("The archive names a file outside the data folder: %(p)s.") % {"p": entry["path"]})
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.partial")
        with zf.open(entry["member"]) as src, open(partial, "wb") as dst:
            shutil.copyfileobj(src, dst, CHUNK)
        if entry["path"] == "secret_key":
            partial.chmod(0o600)
        os.replace(partial, target)


def verify(path, passphrase=None):
    """Restore the archive into a scratch SQLite database in a temporary folder (another process)
    and compare it with its manifest; return the manifest, or raise BackupError saying what is wrong."""
    with opened(path, passphrase) as (zf, manifest):
        check_members(zf, manifest)
    with tempfile.TemporaryDirectory(prefix="sidekel-verify-") as scratch:
        env = dict(os.environ, SIDEKEL_DATA_DIR=scratch, SIDEKEL_DATABASE_URL=f"sqlite:///{scratch}/verify.sqlite3",
                   DJANGO_SETTINGS_MODULE="sidekel.settings")
        env.pop("SIDEKEL_TEST_DATABASE_NAME", None)
        if passphrase:
            env["SIDEKEL_BACKUP_PASSPHRASE"] = passphrase
        done = subprocess.run([sys.executable, "-m", "sidekel.cli", "restore", str(Path(path).resolve()), "--no-files",
                               "--verbosity", "0"], env=env, capture_output=True, text=True)
        if done.returncode != 0:
            lines = [line for line in done.stderr.strip().splitlines() if line.strip()]
            raise BackupError(lines[-1].removeprefix("CommandError: ") if lines else _("The trial restore failed."))
    return manifest
