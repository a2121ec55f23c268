"""Every retention of the installation, applied by one command: `sidekel prune` (run it from cron
or a systemd timer, nightly).

Each kind of kept data registers a pruner here: core registers the change history, the access
log and the jobs' files; akun registers its failed logins and login throttle (akun/apps.py), and a
later app registers its own the same way (core imports no app). A pruner returns how many rows or
files it removed.

| what | kept for | setting |
| --- | --- | --- |
| change history (ObjectChange) | 10 years | SIDEKEL_CHANGE_LOG_DAYS |
| access log (AccessLog) | 2 years | SIDEKEL_ACCESS_LOG_DAYS |
| the files of finished jobs (uploads with full NIKs, book PDFs, downloads), the queue's finished tasks | 30 days | SIDEKEL_JOB_FILE_DAYS |
| failed logins, login throttle counts | 30 days; quiet counts a day | (akun) |
| photo files of citizens' reports left without a report (a failed send) | 1 day | (aspirasi) |
| a citizen's name and contact on a closed report | 1 year after closing | SIDEKEL_ASPIRASI_KONTAK_DAYS |
| files of village profiles' source documents left without a row (a failed upload; a removed one's file goes at once) | 1 day | (potensi) |
"""

import datetime
import time
from pathlib import Path

from django.conf import settings
from django.utils import timezone

PRUNERS = {}


def register(name, prune):
    """``prune()`` removes what is past its retention and returns how many it removed."""
    PRUNERS[name] = prune


def prune_all():
    """{name: removed} for every registered pruner, in the order they were registered."""
    return {name: prune() for name, prune in PRUNERS.items()}


def _audit_changes():
    from .audit import prune
    from .models import ObjectChange

    return prune(ObjectChange, settings.SIDEKEL_CHANGE_LOG_DAYS)


def _access_log():
    from .audit import prune
    from .models import AccessLog

    return prune(AccessLog, settings.SIDEKEL_ACCESS_LOG_DAYS)


def _job_files():
    """The files of jobs finished before the retention (the uploaded spreadsheet, which holds full NIKs,
    a book's PDF, progress files), and any other file in the jobs and temporary folders as old. The
    job's row stays (the village's list of imports), without its file."""
    from .jobs import JOB_FILE_SUFFIXES, jobs_dir
    from .models import Job

    days = settings.SIDEKEL_JOB_FILE_DAYS
    cutoff = timezone.now() - datetime.timedelta(days=days)
    active = (Job.Status.QUEUED, Job.Status.RUNNING)
    running = set(Job.objects.filter(status__in=active).values_list("stored_file", flat=True))
    recent = set(Job.objects.filter(created_at__gte=cutoff).values_list("stored_file", flat=True))
    removed = 0
    for job in Job.objects.filter(created_at__lt=cutoff).exclude(status__in=active).exclude(stored_file=""):
        if job.stored_file not in running | recent:
            removed += _unlink(jobs_dir() / job.stored_file)
        for suffix in JOB_FILE_SUFFIXES:
            removed += _unlink(jobs_dir() / f"{job.id}{suffix}")
        Job.objects.filter(pk=job.pk).update(stored_file="")
    oldest = time.time() - days * 86400
    for folder in (jobs_dir(), Path(settings.DATA_DIR) / "tmp"):
        for path in folder.glob("*") if folder.exists() else []:
            if path.is_file() and path.name not in running | recent and path.stat().st_mtime < oldest:
                removed += _unlink(path)
    return removed


def _task_queue():
    """The queue's own rows (django-tasks-db) of tasks finished before the jobs' retention: the
    job's row keeps what a person needs."""
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - datetime.timedelta(days=settings.SIDEKEL_JOB_FILE_DAYS)
    return DBTaskResult.objects.filter(finished_at__lt=cutoff).delete()[0]


def _unlink(path):
    try:
        path.unlink()
        return 1
    except FileNotFoundError:
        return 0


register("riwayat perubahan", _audit_changes)
register("log akses", _access_log)
register("berkas tugas", _job_files)
register("antrean tugas", _task_queue)
