"""The parts of backups that need no second installation: the admin's home page telling the last
good backup, rotation, and the chunked encryption (tampering, truncation, wrong passphrase)."""

import datetime
import io
import json
import os
import tracemalloc

import pytest
from django.conf import settings
from django.utils import timezone

from sidekel.akun.choices import Role
from sidekel.akun.services import create_user
from sidekel.core import backup


def _record(at):
    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    (settings.DATA_DIR / backup.STATUS_FILE).write_text(json.dumps(
        {"archive": "/srv/cadangan/x.zip", "created_at": at.isoformat(), "size": 1, "encrypted": False, "rows": 1}))


@pytest.mark.django_db
def test_the_admin_home_page_shows_the_last_backup_and_warns_after_two_days(client, rangda, raja):
    admin = create_user("admin", role=Role.ADMIN_KECAMATAN, password="x", validate=False)
    operator = create_user("op", role=Role.OPERATOR, password="x", desa_kode=[rangda.kode, raja.kode], validate=False)
    client.force_login(admin)
    page = client.get("/petugas/", follow=True).content.decode()
    assert 'id="cadangan"' in page and 'class="msg warning"' in page  # none yet

    fresh = timezone.now() - datetime.timedelta(hours=5)
    _record(fresh)
    page = client.get("/petugas/", follow=True).content.decode()
    assert timezone.localtime(fresh).strftime("%d-%m-%Y %H:%M") in page
    assert 'class="muted" id="cadangan"' in page

    old = timezone.now() - datetime.timedelta(days=2, hours=1)
    _record(old)
    page = client.get("/petugas/", follow=True).content.decode()
    assert 'class="msg warning" id="cadangan"' in page and timezone.localtime(old).strftime("%d-%m-%Y %H:%M") in page

    client.force_login(operator)  # an operator of two villages lands on the same list, without it
    page = client.get("/petugas/", follow=True).content.decode()
    assert "Rangda" in page and 'id="cadangan"' not in page


def test_rotation_keeps_the_newest_of_each_day_week_and_month(tmp_path):
    start = datetime.datetime(2026, 1, 1, 2, 30)
    for day in range(120):  # two archives a day for four months
        for hour in (2, 14):
            at = start + datetime.timedelta(days=day, hours=hour - 2)
            (tmp_path / f"sidekel-backup-{at:%Y%m%d-%H%M%S}.zip").write_bytes(b"x")
    (tmp_path / "catatan.txt").write_text("not an archive")
    removed = backup.rotate(tmp_path, keep_daily=7, keep_weekly=4, keep_monthly=3)
    kept = sorted(p.name for p in tmp_path.glob("sidekel-backup-*"))
    assert len(removed) + len(kept) == 240 and (tmp_path / "catatan.txt").exists()
    days = {name[15:23] for name in kept}
    # Each kept archive is its day's last (14:30); the last 7 days, then weekly and monthly ones.
    assert all(name.endswith("-143000.zip") for name in kept) and len(kept) == len(days)
    # The last day is Thursday 30 April: daily 24-30 April; weekly, the Sundays ending the two ISO
    # weeks before (19 and 12 April; 26 April is a daily one); monthly, the last of March and February.
    daily = {f"202604{d}" for d in range(24, 31)}
    assert days == daily | {"20260419", "20260412", "20260331", "20260228"}


def _sealed(data, passphrase="rahasia desa"):
    out = io.BytesIO()
    writer = backup.EncryptingWriter(out, passphrase)
    for i in range(0, len(data), 70_000):
        writer.write(data[i:i + 70_000])
    writer.close()
    return out.getvalue()


def test_what_a_killed_backup_left_is_removed_by_the_next_one_after_a_day(tmp_path):
    now = timezone.now()
    day_old = (now - datetime.timedelta(days=1, minutes=1)).timestamp()
    old_partial = tmp_path / ".sidekel-backup-20261101-023000.zip.partial"
    old_copy = tmp_path / ".snapshot-abcd1234.sqlite3"
    running = tmp_path / ".sidekel-backup-20261102-023000.zip.partial"  # a backup still writing
    archive = tmp_path / "sidekel-backup-20261101-023000.zip"
    other = tmp_path / ".catatan.partial"  # not a backup's
    for item in (old_partial, old_copy, running, archive, other):
        item.write_bytes(b"x")
    for item in (old_partial, old_copy, archive, other):
        os.utime(item, (day_old, day_old))
    assert sorted(backup.remove_leftovers([tmp_path, tmp_path / "tidak-ada"], now=now)) == [old_partial, old_copy]
    assert running.exists() and archive.exists() and other.exists()


def test_encryption_in_chunks_round_trips_and_stays_flat_in_memory(tmp_path):
    data = os.urandom(5 * backup.CHUNK + 123)
    path = tmp_path / "a.zip.enc"
    tracemalloc.start()
    with open(path, "wb") as raw:
        writer = backup.EncryptingWriter(raw, "rahasia desa")
        for _ in range(20):  # 20 x 5 MiB through one writer
            writer.write(data)
        writer.close()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 8 * backup.CHUNK + 2 * len(data)  # a few chunks, not the 100 MiB written
    out = io.BytesIO()
    backup.decrypt(path, "rahasia desa", out)
    assert out.getvalue() == data * 20


@pytest.mark.parametrize("damage", ["flip", "cut", "drop-last", "wrong-passphrase"])
def test_a_damaged_or_wrongly_opened_encrypted_archive_is_refused(tmp_path, damage):
    sealed = bytearray(_sealed(os.urandom(3 * backup.CHUNK)))
    passphrase = "rahasia desa"
    if damage == "flip":
        sealed[len(sealed) // 2] ^= 1
    elif damage == "cut":
        sealed = sealed[: len(sealed) - 100]
    elif damage == "drop-last":
        sealed = sealed[: len(sealed) - (16 + 4)]  # the empty last chunk: 4 bytes of length, 16 of tag
    else:
        passphrase = "salah"
    path = tmp_path / "x.enc"
    path.write_bytes(bytes(sealed))
    with pytest.raises(backup.BackupError):
        backup.decrypt(path, passphrase, io.BytesIO())


@pytest.mark.browser
def test_the_backup_warning_on_a_laptop_and_a_phone(open_page, transactional_db, rangda, raja):
    from sidekel.conftest import LAPTOP, PHONE, login, screenshot

    create_user("admin.kec", role=Role.ADMIN_KECAMATAN, password="sandi-admin-2026", validate=False)
    _record(timezone.now() - datetime.timedelta(days=3))
    for viewport, name in ((LAPTOP, "laptop"), (PHONE, "ponsel")):
        page = open_page(viewport)
        login(page, "admin.kec", "sandi-admin-2026")
        warning = page.locator("#cadangan")
        assert warning.is_visible() and "lebih dari 2 hari" in warning.inner_text()
        box = warning.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]  # nothing cut off at 360 px
        screenshot(page, f"cadangan-peringatan-{name}")
