"""Background jobs: queued in the database, run by the `sidekel worker` process, cancellable.

An app declares the work of a kind of job once::

    @jobs.kind("import-penduduk", again=_("Import again."))
    def import_work(job, progress, cancelled):
        ...  # progress(phase, done, total); raise jobs.Cancelled when cancelled() says so
        return {...}  # the job's result

and starts one from a view with ``jobs.start(job)``: the job is stored as queued and a task naming
it goes on the queue of django-tasks' database backend (``settings.TASKS``). The worker
(``sidekel worker``, started by ``sidekel demo`` and ``sidekel serve``) takes it, marks it running
and runs its work. With ``SIDEKEL_JOBS_INLINE`` (tests) the work runs inside ``start``.

Every piece of work writes in database transactions of its own: if the worker dies (killed, out
of memory, the machine stops), the open transaction dies with it and nothing is half-written. The
job is then marked failed with "stopped before it finished; nothing was written" by whoever sees
first that its heartbeat stopped: a worker starting or idling, or a person opening the job's page.
A worker asked to stop (SIGTERM, Ctrl+C) makes the running work stop at its next progress point
and roll back, and marks the job failed with the same message: a restart never leaves a job
running forever, and never half an import.

Progress, the heartbeat and a cancel request live in small files beside the upload, because the
work's own transaction may hold SQLite's write lock until it ends.
"""

import contextlib
import json
import logging
import os
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import busy
from .audit import acting_for, request_meta
from .models import Job
from .spreadsheet import SpreadsheetError

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 2
STOPPING = threading.Event()  # set in the worker process when it is asked to stop


class Cancelled(Exception):
    """Raised inside a job's work when the user cancelled it; its transaction rolls back."""


@dataclass(frozen=True)
class Kind:
    work: object
    again: str  # what the user does after the job stopped: "Import again."
    # For a job that makes a file to download (a PDF, an export): ``may_download(user, job)``
    # raises PermissionDenied unless the user may still have it; the pages are core's "unduhan".
    may_download: object = None
    content_type: str = "application/octet-stream"


KINDS = {}


RUN_AGAIN = gettext_lazy("Run it again.")


def kind(name, *, again=RUN_AGAIN, may_download=None, content_type="application/octet-stream"):
    """Declare the work of the jobs of kind ``name``: ``work(job, progress, cancelled) -> dict``."""
    def register(work):
        KINDS[name] = Kind(work, again, may_download, content_type)
        return work
    return register


def download_kinds():
    return [name for name, k in KINDS.items() if k.may_download is not None]


def stopped_message(job):
    again = KINDS[job.kind].again if job.kind in KINDS else RUN_AGAIN
    return _("Stopped before it finished; nothing was written. %(again)s") % {"again": again}


# --- files beside the job -------------------------------------------------------------------------

def jobs_dir():
    path = Path(settings.DATA_DIR) / "jobs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def store_upload(uploaded):
    """Keep an uploaded file under the data folder; returns its stored name."""
    suffix = Path(uploaded.name).suffix.lower()[:8]
    name = f"{uuid.uuid4().hex}{suffix}"
    with (jobs_dir() / name).open("wb") as f:
        for chunk in uploaded.chunks():
            f.write(chunk)
    return name


def start_upload(kind, desa, user, uploaded, **options):
    """Keep an uploaded file and queue a job of ``kind`` on it (a check when ``dry_run``): the job."""
    job = Job.objects.create(kind=kind, desa=desa, user=user, filename=uploaded.name[:255],
                             stored_file=store_upload(uploaded), options=options)
    start(job)
    return job


def stored_path(job):
    return jobs_dir() / job.stored_file


def _progress_file(job_id):
    return jobs_dir() / f"{job_id}.progress.json"


def _cancel_file(job_id):
    return jobs_dir() / f"{job_id}.cancel"


def _alive_file(job_id):
    return jobs_dir() / f"{job_id}.alive"


WORKER_ALIVE = "worker.alive"
JOB_FILE_SUFFIXES = (".progress.json", ".cancel", ".alive")


def set_progress(job_id, phase, done, total):
    path = _progress_file(job_id)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"phase": phase, "done": done, "total": total}))
    tmp.replace(path)


def progress(job):
    try:
        return json.loads(_progress_file(job.id).read_text())
    except (OSError, ValueError):
        return {"phase": "start", "done": 0, "total": None}


def is_cancelled(job_id):
    return _cancel_file(job_id).exists() or STOPPING.is_set()


def _age(path):
    try:
        return time.time() - path.stat().st_mtime
    except FileNotFoundError:
        return None


def worker_alive():
    """Whether a worker process has shown a sign of life lately."""
    age = _age(jobs_dir() / WORKER_ALIVE)
    return age is not None and age < settings.SIDEKEL_JOB_STALE_SECONDS


@contextlib.contextmanager
def heartbeat(*names):
    """Touch the files ``names`` (in the jobs folder) every few seconds until the block ends."""
    paths = [jobs_dir() / name for name in names]
    done = threading.Event()

    def beat():
        while True:
            for path in paths:
                path.touch()
            if done.wait(HEARTBEAT_SECONDS):
                return

    thread = threading.Thread(target=beat, name="sidekel-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


# --- starting, running, stopping ------------------------------------------------------------------

def spawn_worker(env=None):
    """Start `sidekel worker` as a child that stops when this process ends (killed or not): what
    `sidekel demo` and `sidekel serve` run beside the web server."""
    return subprocess.Popen([sys.executable, "-m", "sidekel.cli", "worker", "--stop-with-parent", str(os.getpid())],
                            env=env)


def start(job):
    """Queue ``job`` for the worker (run it now with SIDEKEL_JOBS_INLINE). The job keeps who asked
    from which address and request (``options``), for its audit records."""
    if job.kind not in KINDS:
        raise ValueError(f"no work is declared for jobs of kind {job.kind!r}")
    meta = request_meta()
    if meta["ip"] or meta["request_id"]:
        job.options = {**job.options, "ip": meta["ip"], "request_id": str(meta["request_id"] or "")}
    job.status = Job.Status.QUEUED
    job.save(update_fields=["options", "status"])
    if settings.SIDEKEL_JOBS_INLINE:
        run(job.pk)
    else:
        from .tasks import run_job

        run_job.enqueue(job.pk)
    job.refresh_from_db()
    return job


def import_checked(check, user, **options):
    """Start the import of a finished check (a dry run) on the same stored file: (job, True). One
    check, one import: the check's row is locked while its import is recorded on it, so a second
    click (or a second tab) gets the first import back, (that job, False), and nothing twice."""
    from django.db import transaction

    with transaction.atomic():
        check = Job.objects.select_for_update().get(pk=check.pk)
        earlier = Job.objects.filter(pk=check.options.get("imported_as")).first()
        if earlier is not None and (earlier.active or earlier.status == Job.Status.DONE):
            return earlier, False
        job = Job.objects.create(kind=check.kind, desa=check.desa, user=user, filename=check.filename,
                                 stored_file=check.stored_file,
                                 options={**check.options, "dry_run": False, "check": check.pk, **options})
        check.options = {**check.options, "imported_as": job.pk}
        check.save(update_fields=["options"])
    return start(job), True


def run(job_id):
    """Run a queued job: claim it (a job cancelled while queued is left alone), run its work with a
    heartbeat, store its result or its failure. Called by the worker through ``tasks.run_job``."""
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=timezone.now())
    if not claimed:
        return
    job = Job.objects.get(pk=job_id)
    status, message, result = Job.Status.FAILED, "", {}
    try:
        with heartbeat(_alive_file(job.id).name), acting_for(job.options.get("ip"), job.options.get("request_id")):
            result = KINDS[job.kind].work(
                job, lambda phase, done, total: set_progress(job.id, phase, done, total),
                lambda: is_cancelled(job.id))
        status = Job.Status.DONE
    except Cancelled:
        if STOPPING.is_set():
            message = stopped_message(job)
        else:
            status = Job.Status.CANCELLED
    except SpreadsheetError as exc:
        message = str(exc)
    except ValidationError as exc:
        message = " ".join(exc.messages)
    except Exception as exc:  # shown to the user as a failed job, never a 500; the details go to the log
        logger.exception("job %s failed", job.id)
        if busy.is_disk_full(exc):
            message = busy.disk_full_message()
        else:
            message = _("An unexpected error stopped the job; nothing was changed. "
                        "Tell the kecamatan administrator (job %(id)d).") % {"id": job.id}
    except BaseException:  # the worker is made to exit (a second Ctrl+C): the work was rolled back
        _finish(job.id, Job.Status.RUNNING, Job.Status.FAILED, message=stopped_message(job))
        raise
    _finish(job.id, Job.Status.RUNNING, status, message=message, result=result)


def _finish(job_id, was, status, **fields):
    """Move a job from ``was`` to ``status``; False when it had already moved (someone else ended it)."""
    return bool(Job.objects.filter(pk=job_id, status=was).update(status=status, finished_at=timezone.now(), **fields))


def cancel(job):
    """Cancel a job: a queued one at once; a running one at its next progress point (its work rolls
    back); one whose worker is gone is marked failed. Returns the job as it now stands."""
    if job.status in (Job.Status.QUEUED, Job.Status.RUNNING):
        if not (job.status == Job.Status.QUEUED and _finish(job.pk, Job.Status.QUEUED, Job.Status.CANCELLED)) \
                and not fail_if_abandoned(job):
            _cancel_file(job.pk).touch()  # running, or taken by the worker just now
    job.refresh_from_db()
    return job


def _abandoned(job):
    if job.status != Job.Status.RUNNING:
        return False
    age = _age(_alive_file(job.pk))
    if age is None:  # no heartbeat yet: the worker has just taken it, or died at once
        age = (timezone.now() - (job.started_at or job.created_at)).total_seconds()
    return age > settings.SIDEKEL_JOB_STALE_SECONDS


def fail_if_abandoned(job):
    """Mark a running job whose worker stopped beating failed; True if it was. A job page calls it,
    so the person waiting learns at once. A busy database (SQLite while an import writes) is left
    for the next look."""
    if not _abandoned(job):
        return False
    try:
        return _finish(job.pk, Job.Status.RUNNING, Job.Status.FAILED, message=stopped_message(job))
    except DatabaseError:
        return False


def fail_abandoned():
    """Every running job whose worker is gone, marked failed; returns how many."""
    return sum(fail_if_abandoned(job) for job in Job.objects.filter(status=Job.Status.RUNNING))


def waits_for_nobody(job):
    """A queued job and no worker running: the page says so, rather than wait forever."""
    return job.status == Job.Status.QUEUED and not settings.SIDEKEL_JOBS_INLINE and not worker_alive()


def refreshed(job):
    """The job as a page shows it: an abandoned one is failed with its message."""
    if fail_if_abandoned(job):
        job.refresh_from_db()
    return job
