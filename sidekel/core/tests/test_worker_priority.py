"""`sidekel worker` yields the CPU to the web server: it runs at a lower priority (``--nice``); and
it is told at once when the web server that started it ends."""

import os

import pytest
from django.core.management import CommandError, call_command

from sidekel.core.management.commands.worker import NICE, lower_priority


def _priority_in_child(nice, start=0):
    """The priority a fresh process has after ``lower_priority(nice)``, having started at ``start``."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: no database, no test machinery, only the call
        try:
            os.setpriority(os.PRIO_PROCESS, 0, start)
            lower_priority(nice)
            os.write(write, str(os.getpriority(os.PRIO_PROCESS, 0)).encode())
        finally:
            os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    with os.fdopen(read) as answer:
        return int(answer.read())


def test_the_worker_runs_below_the_web_server():
    assert NICE > 0
    assert _priority_in_child(NICE) == NICE
    assert _priority_in_child(0) == 0


def test_a_process_already_nicer_stays_so():
    """Lowering one's number needs a privilege the worker does not have: it never tries."""
    assert _priority_in_child(5, start=15) == 15


@pytest.mark.parametrize("value", ["-1", "20", "lima"])
def test_a_priority_out_of_range_is_refused(value):
    with pytest.raises(CommandError, match="nice"):
        call_command("worker", "--nice", value)


def test_a_worker_started_by_a_web_server_is_told_to_stop_when_that_server_dies():
    """With --stop-with-parent the kernel sends the worker SIGTERM the moment its parent ends
    (``sigterm_when_parent_ends``), a SIGKILL of the server included: the job stops at its next
    progress point instead of when the worker's watch looks again."""
    import select
    import signal
    import time

    from sidekel.core.management.commands.worker import sigterm_when_parent_ends

    read, write = os.pipe()
    server = os.fork()
    if server == 0:  # the web server: starts the worker, then waits to be killed (each gone in 15 s anyway)
        worker = os.fork()
        if worker == 0:
            try:
                signal.signal(signal.SIGTERM, lambda *_: (os.write(write, b"SIGTERM"), os._exit(0)))
                os.write(write, b"set " if sigterm_when_parent_ends() else b"unset ")
                time.sleep(15)
            finally:
                os._exit(0)
        time.sleep(15)
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb", buffering=0) as said:
        assert said.read(4) == b"set "
        os.kill(server, signal.SIGKILL)
        os.waitpid(server, 0)
        assert select.select([said], [], [], 10)[0], "the worker was not told its parent ended"
        assert said.read(7) == b"SIGTERM"
