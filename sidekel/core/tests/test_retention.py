"""`sidekel prune`: one command applies every retention (issue 14 item 2)."""

import datetime
import io
import os
import time

from django.core.management import call_command
from django.utils import timezone

from sidekel.akun.models import FailedLogin
from sidekel.core import jobs
from sidekel.core.models import AccessLog, Job


def test_prune_applies_every_retention(rangda, settings):
    settings.SIDEKEL_JOB_FILE_DAYS = 30
    long_ago = timezone.now() - datetime.timedelta(days=40)
    folder = jobs.jobs_dir()
    (folder / "lama.xlsx").write_text("NIK lengkap")
    (folder / "baru.xlsx").write_text("NIK lengkap")
    old = Job.objects.create(kind="import-penduduk", desa=rangda, filename="lama.xlsx", stored_file="lama.xlsx",
                             status=Job.Status.DONE)
    Job.objects.filter(pk=old.pk).update(created_at=long_ago)
    (folder / f"{old.pk}.progress.json").write_text("{}")
    new = Job.objects.create(kind="import-penduduk", desa=rangda, filename="baru.xlsx", stored_file="baru.xlsx",
                             status=Job.Status.DONE)
    stray = folder / "buku-lama.pdf"
    stray.write_text("%PDF")
    os.utime(stray, (time.time() - 40 * 86400,) * 2)
    FailedLogin.objects.create(username="admin", ip="10.0.0.1")
    FailedLogin.objects.update(at=long_ago)
    AccessLog.objects.create(action=AccessLog.Action.VIEW, detail="lama")
    AccessLog.objects.update(at=timezone.now() - datetime.timedelta(days=settings.SIDEKEL_ACCESS_LOG_DAYS + 1))

    out = io.StringIO()
    call_command("prune", stdout=out)
    report = out.getvalue()
    assert "berkas tugas: 3 dihapus" in report and "login gagal: 1 dihapus" in report and "log akses: 1 dihapus" in report
    assert not (folder / "lama.xlsx").exists() and not stray.exists()
    assert not (folder / f"{old.pk}.progress.json").exists()
    assert (folder / "baru.xlsx").exists()  # a recent job keeps its file
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.stored_file == "" and new.stored_file == "baru.xlsx"
    assert not FailedLogin.objects.exists() and not AccessLog.objects.exists()
