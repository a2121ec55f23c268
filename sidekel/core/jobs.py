"""Background jobs: a thread in the web process, its progress in a file, cancellable.

A job's work runs in one database transaction of its own; if the process dies, the transaction
dies with it and the database is as before. ``run_inline`` runs the same work in the caller's
thread (the command line, tests).
"""

import json
import logging
import threading
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import acting_for, request_meta
from .models import Job
from .spreadsheet import SpreadsheetError

logger = logging.getLogger(__name__)


class Cancelled(Exception):
    """Raised inside a job's work when the user cancelled it; its transaction rolls back."""


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


def stored_path(job):
    return jobs_dir() / job.stored_file


def _progress_file(job_id):
    return jobs_dir() / f"{job_id}.progress.json"


def _cancel_file(job_id):
    return jobs_dir() / f"{job_id}.cancel"


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


def request_cancel(job):
    _cancel_file(job.id).touch()


def is_cancelled(job_id):
    return _cancel_file(job_id).exists()


def run_inline(job, work):
    """Run ``work(job, progress, cancelled)``; store its result (a dict) or its failure on the job.
    What the work audits carries the address and request id of the request that started the job."""
    try:
        with acting_for(job.options.get("ip"), job.options.get("request_id")):
            job.result = work(job, lambda phase, done, total: set_progress(job.id, phase, done, total),
                              lambda: is_cancelled(job.id))
        job.status = Job.Status.DONE
    except Cancelled:
        job.status = Job.Status.CANCELLED
    except SpreadsheetError as exc:
        job.status, job.message = Job.Status.FAILED, str(exc)
    except ValidationError as exc:
        job.status, job.message = Job.Status.FAILED, " ".join(exc.messages)
    except Exception:  # shown to the user as a failed job, never a 500; the details go to the log
        logger.exception("job %s failed", job.id)
        job.status = Job.Status.FAILED
        job.message = _("An unexpected error stopped the job; nothing was changed. "
                        "Tell the kecamatan administrator (job %(id)d).") % {"id": job.id}
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "result", "message", "finished_at"])
    return job


def start(job, work):
    """Run the job in a background thread of this process (inline with SIDEKEL_JOBS_INLINE). The job
    keeps who asked from which address and request (``options``), for its audit records."""
    meta = request_meta()
    if meta["ip"] or meta["request_id"]:
        job.options = {**job.options, "ip": meta["ip"], "request_id": str(meta["request_id"] or "")}
        job.save(update_fields=["options"])
    if settings.SIDEKEL_JOBS_INLINE:
        return run_inline(job, work)

    def target():
        try:
            run_inline(job, work)
        finally:
            connections.close_all()  # this thread's own connections; nothing else will close them

    thread = threading.Thread(target=target, name=f"sidekel-job-{job.id}", daemon=True)
    thread.start()
    return thread
