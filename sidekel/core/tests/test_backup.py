"""Backups that prove they restore (issue 16 items 1 and 2), on real installations in real processes.

A demo kecamatan is built by `sidekel demo` on the engine under test (a SQLite file, or a fresh
PostgreSQL database when the suite runs on PostgreSQL). It is backed up while another process
edits residents, restored into a fresh installation on the *other* engine, and the snapshot is
checked for consistency; then, quiet, backed up again and restored over the first restore
(--force: refused without it, a backup of the replaced database first), and every export of
residents and every public open-data file must be byte for byte those of the original.
`--verify` passes on a sound archive and fails, saying so, on one with a byte flipped.
"""

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from sidekel.core import backup

PG = "postgres://postgres@127.0.0.1:5432"


def _run(env, *args, ok=True, timeout=300):
    done = subprocess.run([sys.executable, "-m", "sidekel.cli", *args], env=env, capture_output=True, text=True,
                          timeout=timeout)
    if ok:
        assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    return done


def _shell(env, code):
    return _run(env, "shell", "--no-imports", "-c", code).stdout


def _fresh_postgres(name):
    """A new empty PostgreSQL database; (url, drop) or skip when no server answers."""
    import psycopg

    db = django_settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.postgresql":
        host, port, user = db["HOST"] or "127.0.0.1", db["PORT"] or 5432, db["USER"]
    else:
        host, port, user = "127.0.0.1", 5432, "postgres"
    try:
        admin = psycopg.connect(host=host, port=port, user=user, dbname="postgres", autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        pytest.skip("no PostgreSQL server at 127.0.0.1:5432 for the other engine")
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.execute(f'CREATE DATABASE "{name}"')

    def drop():
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
    return f"postgres://{user}@{host}:{port}/{name}", drop


def _installation(folder, engine, drops):
    env = dict(os.environ, SIDEKEL_DATA_DIR=str(folder), DJANGO_SETTINGS_MODULE="sidekel.settings")
    for name in ("SIDEKEL_JOBS_INLINE", "SIDEKEL_BACKUP_PASSPHRASE", "SIDEKEL_TEST_DATABASE_NAME"):
        env.pop(name, None)
    if engine == "postgresql":
        url, drop = _fresh_postgres(f"sidekel_backup_{os.getpid()}_{folder.name}")
        env["SIDEKEL_DATABASE_URL"] = url
        drops.append(drop)
    else:
        env.pop("SIDEKEL_DATABASE_URL", None)
    return env


@pytest.fixture(scope="module")
def installations(tmp_path_factory):
    """(source env, target env): the demo on the engine under test, and an empty one on the other."""
    here = "postgresql" if django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql") else "sqlite"
    other = "sqlite" if here == "postgresql" else "postgresql"
    root = tmp_path_factory.mktemp("backup")
    drops = []
    source = _installation(root / "asal", here, drops)
    target = _installation(root / "tujuan", other, drops)
    _run(source, "demo", "--no-serve", "--penduduk", "500")
    (root / "asal" / "media").mkdir()
    (root / "asal" / "media" / "logo.png").write_bytes(bytes(range(256)) * 4)  # a lasting file an app might keep
    (root / "asal" / "jobs").mkdir(exist_ok=True)
    (root / "asal" / "jobs" / "upload.csv").write_text("nik\n")  # transient: not in the archive
    yield source, target, root
    for drop in drops:
        drop()


EDITOR = """
import pathlib
from django.db import transaction
from sidekel.penduduk.models import Penduduk
ids = list(Penduduk.objects.order_by("pk").values_list("pk", flat=True))
ready, stop = pathlib.Path({ready!r}), pathlib.Path({stop!r})
k = 0
while not stop.exists() and 2 * k + 3 < len(ids):
    k += 1
    with transaction.atomic():  # one edit: two residents renamed together
        Penduduk.objects.filter(pk__in=ids[2 * k:2 * k + 2]).update(nama=f"SUNTING {{k:05d}}")
    if k == 20:
        ready.touch()
print(k)
"""

EXPORTS = """
import pathlib
from django.core.management import call_command
from sidekel.portal import opendata
out = pathlib.Path({folder!r})
out.mkdir(parents=True, exist_ok=True)
for fmt in ("csv", "xlsx"):
    for template in ("sidekel", "opensid"):
        for masked in (False, True):
            name = out / f"penduduk-{{template}}-{{'masked' if masked else 'full'}}.{{fmt}}"
            call_command("export", "penduduk", "--format", fmt, "--template", template, "-o", str(name),
                         *(["--masked"] if masked else []))
for ds in opendata.datasets():
    for kode, _name, desa in opendata.organisations():
        if ds.kecamatan_only and desa is not None:
            continue
        for fmt in ("csv", "json"):
            (out / f"data-{{ds.slug}}-{{kode}}.{{fmt}}").write_bytes(opendata.response(ds, kode, fmt).content)
"""


def _exports(env, folder):
    _shell(env, EXPORTS.format(folder=str(folder)))
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _counts(env):
    return json.loads(_shell(env, """
import json
from sidekel.penduduk.models import NameIndex, Penduduk
print(json.dumps({"penduduk": Penduduk.objects.count(), "nameindex": NameIndex.objects.count(),
                  "search": NameIndex.objects.matching("SUNTING").count()}))
""").strip().splitlines()[-1])


def test_backed_up_while_edited_restored_on_the_other_engine_and_exported_identically(installations):
    source, target, root = installations

    # 1. A backup while another process edits residents, two at a time.
    ready, stop = root / "editor.ready", root / "editor.stop"
    editor = subprocess.Popen([sys.executable, "-m", "sidekel.cli", "shell", "--no-imports", "-c",
                               EDITOR.format(ready=str(ready), stop=str(stop))],
                              env=source, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        end = time.monotonic() + 120
        while not ready.exists():
            assert editor.poll() is None, editor.stderr.read()[-3000:]
            assert time.monotonic() < end, "the editor never started"
            time.sleep(0.05)
        done = _run(source, "backup", "-o", str(root / "arsip"))
    finally:
        stop.touch()
        out, err = editor.communicate(timeout=60)
    assert editor.returncode == 0, err[-3000:]
    edits = int(out.strip().splitlines()[-1])
    archive = Path(re.search(r"(/\S+\.zip)", done.stdout).group(1))
    assert archive.parent == root / "arsip" and backup.NAME_RE.match(archive.name)

    # The archive holds the lasting files and the secret key, not the database file or job uploads.
    import zipfile

    with zipfile.ZipFile(archive) as zf:
        names = set(zf.namelist())
        manifest = json.loads(zf.read("manifest.json"))
    assert {"files/secret_key", "files/media/logo.png", "data/penduduk.penduduk.jsonl"} <= names
    assert not any(n.startswith(("files/jobs", "files/sidekel.sqlite3")) for n in names)
    assert manifest["migrations"]["penduduk"] and manifest["sidekel_version"]
    assert "penduduk.nameindex" not in {t["model"] for t in manifest["tables"]}  # the triggers fill it again

    # 2. Restored into the fresh installation on the other engine, every table of more than 100
    # rows loaded as a big one is (indexes and foreign keys dropped and built again at the end).
    _shell(target, f"""
import sidekel.core.bulk
from django.core.management import call_command
sidekel.core.bulk.REBUILD_INDEXES_FROM = 100  # 10,000 rows otherwise: a demo of 40,000 residents
call_command("restore", {str(archive)!r})
""")
    assert (Path(target["SIDEKEL_DATA_DIR"]) / "secret_key").read_text() == \
        (Path(source["SIDEKEL_DATA_DIR"]) / "secret_key").read_text()
    assert (Path(target["SIDEKEL_DATA_DIR"]) / "media" / "logo.png").read_bytes() == bytes(range(256)) * 4

    # One consistent moment: edits 1..K each renamed both its residents, none after K.
    renamed = json.loads(_shell(target, """
import json
from sidekel.penduduk.models import Penduduk
print(json.dumps(list(Penduduk.objects.filter(nama__startswith="SUNTING ").values_list("nama", flat=True))))
""").strip().splitlines()[-1])
    numbers = sorted(int(n.split()[1]) for n in renamed)
    snapshot_edits = max(numbers, default=0)
    assert snapshot_edits >= 20 and numbers == sorted(list(range(1, snapshot_edits + 1)) * 2)
    assert snapshot_edits <= edits
    counts = _counts(target)
    assert counts["penduduk"] == counts["nameindex"] == next(
        t["rows"] for t in manifest["tables"] if t["model"] == "penduduk.penduduk")
    assert counts["search"] == 2 * snapshot_edits  # the name search (FTS5 / pg_trgm) knows the restored names

    # 3. Quiet now: a second backup, restored over the first restore.
    done = _run(source, "backup", "-o", str(root / "arsip" / "tenang.zip"))
    quiet = root / "arsip" / "tenang.zip"
    refused = _run(target, "restore", str(quiet), ok=False)
    assert refused.returncode != 0 and "--force" in refused.stderr and "akun_user" in refused.stderr
    before = set((Path(target["SIDEKEL_DATA_DIR"]) / "backups").glob("*.zip")) \
        if (Path(target["SIDEKEL_DATA_DIR"]) / "backups").exists() else set()
    forced = _run(target, "restore", str(quiet), "--force")
    saved = set((Path(target["SIDEKEL_DATA_DIR"]) / "backups").glob("*.zip")) - before
    assert len(saved) == 1 and str(saved.pop()) in forced.stdout  # the replaced database was backed up first

    # Every export of residents and every open-data file, byte for byte.
    original = _exports(source, root / "ekspor-asal")
    restored = _exports(target, root / "ekspor-tujuan")
    assert len(original) >= 8 + 4 and original.keys() == restored.keys()
    differing = [name for name in original if original[name] != restored[name]]
    assert differing == []
    assert any(b"SUNTING" in content for content in original.values())

    # 4. --verify: a sound archive passes; one with a byte flipped fails with a clear message.
    checked = _run(source, "backup", "--verify", str(quiet))
    assert f"{len(manifest['tables'])} " in checked.stdout
    damaged = root / "rusak.zip"
    data = bytearray(quiet.read_bytes())
    with zipfile.ZipFile(quiet) as zf:
        info = zf.getinfo("data/penduduk.penduduk.jsonl")
    data[info.header_offset + 30 + len(info.filename) + info.compress_size // 2] ^= 0x01
    damaged.write_bytes(bytes(data))
    failed = _run(source, "backup", "--verify", str(damaged), ok=False)
    assert failed.returncode != 0
    assert "rusak" in failed.stderr or "damaged" in failed.stderr
    assert "Traceback" not in failed.stderr


def _listing(folder):
    return sorted(p.name for p in Path(folder).iterdir())


def test_a_full_disk_during_a_backup_leaves_no_archive_and_the_previous_one_intact(installations):
    """The disk fills while `sidekel backup` writes: it says so in Indonesian (which folder, how much
    room is left), exits non-zero without a traceback, leaves nothing under an archive's name nor
    any hidden partial file or database copy, and the previous archive and the record of the last
    good backup are untouched; the previous archive still verifies.

    Everywhere: a file size limit (RLIMIT_FSIZE, EFBIG) smaller than the archive. On SQLite the
    database is copied into the data folder first, so it is that copy that cannot be written; on
    PostgreSQL the archive itself. As root, also a real full disk (a small tmpfs, ENOSPC) as the
    archive's folder and as the folder of --copy-to."""
    import resource
    import shutil

    source, _target, root = installations
    data = Path(source["SIDEKEL_DATA_DIR"])
    folder = root / "penuh"
    done = _run(source, "backup", "-o", str(folder), "--no-rotate")
    previous = Path(re.search(r"(/\S+\.zip)", done.stdout).group(1))
    before, status = previous.read_bytes(), (data / backup.STATUS_FILE).read_text()
    sqlite = "SIDEKEL_DATABASE_URL" not in source
    limit = len(before) // 2

    def limited():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    def check_refused(done, full_folder):
        assert done.returncode != 0 and "Traceback" not in done.stderr, done.stderr[-3000:]
        assert "disk" in done.stderr and "penuh" in done.stderr and str(full_folder) in done.stderr, done.stderr
        assert _listing(folder) == [previous.name] and previous.read_bytes() == before
        assert not list(data.glob(".snapshot-*")) and (data / backup.STATUS_FILE).read_text() == status

    refused = subprocess.run([sys.executable, "-m", "sidekel.cli", "backup", "-o", str(folder)], env=source,
                             capture_output=True, text=True, timeout=300, preexec_fn=limited)
    check_refused(refused, data if sqlite else folder)

    mount = root / "tmpfs"
    mount.mkdir()
    mounted = os.geteuid() == 0 and subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={len(before) + 64 * 1024}", "tmpfs", str(mount)],
        capture_output=True).returncode == 0
    if mounted:
        try:
            shutil.copy2(previous, mount / previous.name)
            folder = mount  # check_refused now looks there
            check_refused(_run(source, "backup", "-o", str(mount), ok=False), mount)
            copied = _run(source, "backup", "-o", str(root / "lega"), "--copy-to", str(mount), ok=False)
            written = Path(re.search(r"\((/\S+\.zip)\)", copied.stderr).group(1))
            assert copied.returncode != 0 and "Traceback" not in copied.stderr and str(mount) in copied.stderr
            assert _listing(mount) == [previous.name] and written.exists()
            assert json.loads((data / backup.STATUS_FILE).read_text())["archive"] == str(written)
        finally:
            subprocess.run(["umount", str(mount)], check=False)
    _run(source, "backup", "--verify", str(previous))


def _apps():
    from django.apps import apps

    return apps


def test_an_encrypted_archive_needs_its_passphrase_and_verifies(installations):
    source, _target, root = installations
    env = dict(source, SIDEKEL_BACKUP_PASSPHRASE="kunci rahasia kecamatan")
    done = _run(env, "backup", "-o", str(root / "terkunci"), "--no-rotate")
    archive = Path(re.search(r"(/\S+\.zip\.enc)", done.stdout).group(1))
    assert archive.read_bytes().startswith(backup.MAGIC)
    assert b"manifest.json" not in archive.read_bytes()
    checked = _run(env, "backup", "--verify", str(archive))
    assert str(len(backup.tables(_apps()))) in checked.stdout
    wrong = _run(dict(source, SIDEKEL_BACKUP_PASSPHRASE="salah"), "backup", "--verify", str(archive), ok=False)
    assert wrong.returncode != 0 and ("passphrase" in wrong.stderr.lower() or "frasa" in wrong.stderr.lower())
    missing = _run(source, "backup", "--verify", str(archive), ok=False)
    assert missing.returncode != 0 and "SIDEKEL_BACKUP_PASSPHRASE" in missing.stderr


def test_the_timer_files_and_the_record_of_the_last_backup(installations, tmp_path):
    source, _target, root = installations
    _run(source, "backup", "--install-timer", "--timer-dir", str(tmp_path), "--copy-to", str(root / "usb"))
    service = (tmp_path / "sidekel-backup.service").read_text()
    assert f"SIDEKEL_DATA_DIR={source['SIDEKEL_DATA_DIR']}" in service
    assert "-m sidekel.cli backup --copy-to" in service
    assert "OnCalendar=*-*-* 02:30" in (tmp_path / "sidekel-backup.timer").read_text()

    done = _run(source, "backup", "--copy-to", str(root / "usb"))
    status = json.loads((Path(source["SIDEKEL_DATA_DIR"]) / backup.STATUS_FILE).read_text())
    archive = Path(status["archive"])
    assert archive.parent == Path(source["SIDEKEL_DATA_DIR"]) / "backups" and str(archive) in done.stdout
    assert (root / "usb" / archive.name).read_bytes() == archive.read_bytes()
    assert "verified_at" not in status
    _run(source, "backup", "--verify", str(archive))
    status = json.loads((Path(source["SIDEKEL_DATA_DIR"]) / backup.STATUS_FILE).read_text())
    assert status["archive"] == str(archive) and status["verified_at"]  # the admin's page says "checked"
