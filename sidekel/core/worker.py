"""Running a generator in a second process, so a long job can use a second CPU core.

    with in_child("sidekel.penduduk.importer._row_batches_of_file", path, ...) as items:
        for item in items:
            ...  # the parent's share of the work, while the child computes the next items

The child is a new Python process (``python -m sidekel.core.worker``), not a fork: it inherits
nothing from the parent, which may be a web server with threads and open database connections.
It sets Django up from the same settings module, in the parent's language, with only the apps
the function needs (``apps_for``), calls the function named by its dotted path and sends each item
it yields back through a pipe, pickled. Items and arguments must pickle. A pipe holds little, so
the child never runs far ahead of the parent and memory stays small.

A caller that knows a job will come can start its children early (``started``): each sets Django
up while the caller does its own first work, and ``in_child`` then takes one of them instead of
starting its own. Unused ones are stopped when ``started``'s block ends.

The child must not touch the database: it is only for reading and computing. Leaving the
``with`` block for any reason (done, an exception, a cancelled job) stops the child. If the parent
is killed, the child's next send fails and it exits. An exception in the child is raised again in
the parent: a ``SpreadsheetError`` as itself (its message is for the user); anything else, or a
child that died, as ``ChildFailed`` (the child logs its traceback to standard error first).
"""

import contextvars
import logging
import os
import pickle
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from django.utils import translation

from .layers import LAYER
from .spreadsheet import SpreadsheetError

logger = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parents[2]  # the folder holding the sidekel package


class ChildFailed(Exception):
    """The child process raised an unexpected exception or ended without finishing."""


class _Child:
    """A child process started for ``target``: it sets Django up at once, then waits for its arguments."""

    def __init__(self, target):
        self.target = target
        read_fd, write_fd = os.pipe()
        env = dict(os.environ, DJANGO_SETTINGS_MODULE=os.environ.get("DJANGO_SETTINGS_MODULE", "sidekel.settings"),
                   PYTHONPATH=os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")])))
        try:
            self.process = subprocess.Popen([sys.executable, "-m", "sidekel.core.worker", str(write_fd), target],
                                            stdin=subprocess.PIPE, pass_fds=[write_fd], env=env)
        except BaseException:
            os.close(read_fd)
            raise
        finally:
            os.close(write_fd)  # the child has its own; with ours closed, a dead child means end of file here
        self.received = os.fdopen(read_fd, "rb")

    def run(self, args):
        try:
            with self.process.stdin:
                pickle.dump((translation.get_language(), args), self.process.stdin)
        except BrokenPipeError:
            pass  # the child died while it waited: _received says so
        return _received(self.received, self.process)

    def stop(self):
        self.received.close()
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        if self.process.stdin and not self.process.stdin.closed:
            try:
                self.process.stdin.close()
            except BrokenPipeError:
                pass


_ready = contextvars.ContextVar("sidekel_ready_children", default=())


@contextmanager
def started(target, count):
    """``count`` children for ``target`` started now, for the ``in_child`` calls inside this block."""
    children = []
    token = _ready.set(children)
    try:
        children.extend(_Child(target) for _ in range(count))
        yield
    finally:
        _ready.reset(token)
        for child in children:
            child.stop()


@contextmanager
def in_child(target, *args):
    """An iterator over what ``target(*args)`` yields, computed in a child process (one started
    already for ``target``, if there is one)."""
    ready = _ready.get()
    child = next((c for c in ready if c.target == target), None)
    if child is not None:
        ready.remove(child)
    else:
        child = _Child(target)
    try:
        yield child.run(args)
    finally:
        child.stop()


def _received(stream, process):
    while True:
        try:
            kind, value = pickle.load(stream)
        except (EOFError, pickle.UnpicklingError):  # nothing, or half an item: the child died
            raise ChildFailed(f"the child process ended without finishing (exit code {process.wait()})") from None
        if kind == "item":
            yield value
        elif kind == "done":
            return
        elif kind == "spreadsheet":
            raise SpreadsheetError(value)
        else:
            raise ChildFailed(value)


def apps_for(target, installed):
    """The installed apps a child running ``target`` (a dotted path) sets up: the framework's and
    ours of the target's layer and below (core.layers). An app's code imports nothing above its
    layer, so the apps above it are never needed; not loading them shortens the child's start.
    A target outside our apps: every app. (The audit log's models, in core, name akun's user and
    wilayah's village, so those always load.)"""
    ours = {app: app.split(".")[1] for app in installed if app.startswith("sidekel.")}
    own = next((label for app, label in ours.items() if target.startswith(app + ".")), None)
    if own not in LAYER:
        return list(installed)
    top = max(LAYER[own], LAYER["wilayah"])
    return [app for app in installed if app not in ours or LAYER.get(ours[app], len(LAYER)) <= top]


def _main(fd, target):
    """The child process: set Django up, wait for the arguments, run the function the parent named
    and send what it yields."""
    import django
    from django.conf import settings

    settings.INSTALLED_APPS = apps_for(target, settings.INSTALLED_APPS)
    django.setup()
    from django.utils.module_loading import import_string

    function = import_string(target)
    try:
        language, args = pickle.load(sys.stdin.buffer)
    except EOFError:
        os._exit(0)  # started ahead, never used: the parent closed our input
    translation.activate(language)
    out = os.fdopen(fd, "wb")

    def send(kind, value):
        pickle.dump((kind, value), out, pickle.HIGHEST_PROTOCOL)
        out.flush()

    try:
        for item in function(*args):
            send("item", item)
        send("done", None)
    except BrokenPipeError:
        os._exit(0)  # the parent stopped listening (it finished early, or was killed)
    except SpreadsheetError as exc:
        send("spreadsheet", str(exc))
    except Exception as exc:
        logger.exception("%s failed in the child process", target)
        send("error", f"{type(exc).__name__}: {exc}")
    out.close()


if __name__ == "__main__":
    _main(int(sys.argv[1]), sys.argv[2])
