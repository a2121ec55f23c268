"""`sidekel worker` yields the CPU to the web server: it runs at a lower priority (``--nice``)."""

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
