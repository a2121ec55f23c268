"""`sidekel worker`: the process that runs background jobs (imports, PDFs, large exports).

    sidekel worker                  # runs until stopped (Ctrl+C, SIGTERM from systemd)

It is django-tasks-db's worker (``db_worker``) with three things of Sidekel's:

- at start-up, and every few seconds while idle, jobs whose worker died (their heartbeat
  stopped) are marked failed, "stopped before it finished; nothing was written";
- a stop request (SIGTERM, SIGINT) makes the running job's work stop at its next progress point
  and roll back, then the job is marked failed with the same message and the worker exits: a
  restart takes seconds, not the rest of a long import;
- it touches ``<data dir>/jobs/worker.alive`` while it lives, so a job page can tell a person that
  no worker is running;
- a thread of its own makes the figures of every village changed since they were last made
  (``core.versioned.refresh``, every second), so that no page has to; a village that keeps
  changing is made at most once in ``SIDEKEL_FIGURES_REST_SECONDS``;
- it runs at a lower CPU priority than the web server (``--nice``, default 10): on a server of two
  cores, the figures made after every edit would otherwise take the CPU from the pages people
  wait for. The figures are made a little later under load; nothing else changes.

``sidekel demo`` and ``sidekel serve`` start one; under systemd run it as its own unit
(``docs/deploy.md``). One worker is enough for a kecamatan, and the right number on SQLite, where
one job writes at a time anyway.
"""

import logging
import os
import signal
import sys
import threading
import time

from django.conf import settings
from django.db import close_old_connections, connections
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker

from sidekel.core import jobs, versioned

CHECK_SECONDS = 5
FIGURES_SECONDS = 1
FIGURES_BACKOFF_SECONDS = 60  # the longest wait after a failed refresh (a busy or restarting database)
NICE = 10
logger = logging.getLogger(__name__)


class SidekelWorker(Worker):
    parent = None  # with --stop-with-parent: the process whose end stops this worker

    def shutdown(self, signum, frame):
        jobs.STOPPING.set()  # the running work stops at its next progress point and rolls back
        super().shutdown(signum, frame)

    def run(self):
        jobs.fail_abandoned()
        close_old_connections()
        done = threading.Event()
        watcher = threading.Thread(target=self._watch, args=(done,), name="sidekel-worker-watch", daemon=True)
        figures = threading.Thread(target=self._figures, args=(done,), name="sidekel-worker-figures", daemon=True)
        with jobs.heartbeat(jobs.WORKER_ALIVE):
            watcher.start()
            figures.start()
            try:
                super().run()
            finally:
                done.set()
                watcher.join()
                figures.join()

    def _figures(self, done):
        """Keep the villages' figures up to date (core.versioned.refresh); after a failure wait
        longer each time, up to FIGURES_BACKOFF_SECONDS, rather than redo the work every second."""
        wait = FIGURES_SECONDS
        while not done.wait(wait):
            try:
                versioned.refresh(rest=settings.SIDEKEL_FIGURES_REST_SECONDS)
                wait = FIGURES_SECONDS
            except Exception:
                logger.warning("figures not made this time; trying again in %d s", wait, exc_info=True)
                wait = min(wait * 2, FIGURES_BACKOFF_SECONDS)
                try:  # the public pages still show what else changed (news, profiles), with the figures made before
                    versioned.publish()
                except Exception:  # the database itself is out of reach: next time
                    pass
            finally:
                connections.close_all()  # this thread's own

    def _watch(self, done):
        """Stop when the parent is gone (with --stop-with-parent); while no job runs here, mark the
        jobs of dead workers failed (a second worker's, or this one's before a restart)."""
        checked = time.monotonic()
        while not done.wait(1):
            if self.parent and os.getppid() != self.parent:  # the web server is gone: stop as on SIGTERM
                if not jobs.STOPPING.is_set():  # unless the kernel said so already (sigterm_when_parent_ends)
                    os.kill(os.getpid(), signal.SIGTERM)
                return
            if not self.running_task and time.monotonic() - checked >= CHECK_SECONDS:
                checked = time.monotonic()
                try:
                    jobs.fail_abandoned()
                except Exception:  # a busy or restarting database: next time
                    pass
                finally:
                    connections.close_all()  # this thread's own


PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def sigterm_when_parent_ends():
    """On Linux, have the kernel send this process SIGTERM the moment its parent ends
    (``prctl(PR_SET_PDEATHSIG)``): a worker whose web server was killed stops its job at the next
    progress point, not up to a second later when ``_watch`` looks. Elsewhere, or if the call
    fails, ``_watch`` alone does it. Whether it was set."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        return ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM) == 0
    except (OSError, AttributeError):
        return False


def lower_priority(nice):
    """Run this process at least at ``nice`` (0-19; a higher number yields the CPU to others).
    Called before any thread starts: on Linux each thread has its own priority, and new threads
    inherit their creator's. Raising one's own number needs no privilege; lowering it does, so a
    process already nicer than asked stays as it is."""
    if nice > os.getpriority(os.PRIO_PROCESS, 0):
        os.setpriority(os.PRIO_PROCESS, 0, min(nice, 19))


class Command(DbWorkerCommand):
    help = "Run Sidekel's background jobs (imports, PDFs, large exports) until stopped."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--stop-with-parent", type=int, metavar="PID",
                            help="Stop when the process PID (the web server that started this worker) ends.")
        parser.add_argument("--nice", type=int, default=NICE, choices=range(20), metavar="0-19",
                            help=f"CPU priority below the web server's (default {NICE}; 0: the same).")

    def handle(self, *, stop_with_parent, nice, verbosity, queue_name, interval, batch, backend_name, startup_delay, max_tasks, worker_id,
               exclude_queues, **options):
        lower_priority(nice)
        self.configure_logging(verbosity)
        worker = SidekelWorker(
            queue_names=queue_name.split(","), interval=interval, batch=batch, backend_name=backend_name,
            startup_delay=startup_delay, max_tasks=max_tasks, worker_id=worker_id,
            excluded_queue_names=exclude_queues.split(",") if exclude_queues else [])
        worker.parent = stop_with_parent
        worker.configure_signals()
        if stop_with_parent:
            sigterm_when_parent_ends()  # after the handlers: the signal must stop the job, not kill the process
        worker.run()
