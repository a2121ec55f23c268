"""Benchmark: what the background worker costs (issue 14 item 2): idle, and from queue to start.

    .venv/bin/python bench/worker.py            # SQLite, the 20,000-resident demo (kept with --keep)
    SIDEKEL_DATABASE_URL=postgres://postgres@127.0.0.1:5432/sidekel_bench .venv/bin/python bench/worker.py

One `sidekel worker` process (django-tasks-db's worker, polling the queue table once a second):
- **idle**: its CPU time and resident memory over --idle seconds with nothing queued;
- **pick-up**: --jobs small jobs (an .xlsx export of one village's residents) queued one at a
  time as the web queues them; the time from `jobs.start` to the job marked running (the poll
  interval, then the claim), and from start to done.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, build_demo, header, remove_demo  # noqa: E402


def cpu_seconds(pid):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def measure(idle, count):
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from sidekel.core import jobs
    from sidekel.core.models import Job
    from sidekel.penduduk.exporter import EXPORT_KIND
    from sidekel.wilayah.models import Desa

    admin = get_user_model().objects.get(username="admin")
    desa = Desa.objects.managed().order_by("kode").first()
    worker = subprocess.Popen([sys.executable, "-m", "sidekel.cli", "worker", "--no-startup-delay", "-v", "0"])
    time.sleep(5)  # Django set up, the first poll made
    before = cpu_seconds(worker.pid)
    time.sleep(idle)
    idle_cpu = cpu_seconds(worker.pid) - before
    print(f"idle {idle:.0f} s: {idle_cpu:.2f} s of CPU ({100 * idle_cpu / idle:.2f} %), {rss_mb(worker.pid):.0f} MB resident")

    pickup, total = [], []
    for n in range(count):
        job = Job.objects.create(kind=EXPORT_KIND, desa=desa, user=admin, filename=f"bench-{n}.xlsx",
                                 stored_file=f"bench-{n}.xlsx", options={"desa": desa.kode, "template": "sidekel",
                                                                         "full": False})
        asked = time.time()
        jobs.start(job)
        while job.status in (Job.Status.QUEUED, Job.Status.RUNNING):
            time.sleep(0.02)
            job.refresh_from_db()
        pickup.append(job.started_at.timestamp() - asked)
        total.append(job.finished_at.timestamp() - asked)
        jobs.stored_path(job).unlink(missing_ok=True)
    print(f"{count} jobs ({desa.nama}, {job.result.get('rows', 0):,} residents each): queue to running "
          f"median {statistics.median(pickup) * 1000:.0f} ms, max {max(pickup) * 1000:.0f} ms; queue to done "
          f"median {statistics.median(total) * 1000:.0f} ms; worker {rss_mb(worker.pid):.0f} MB resident after")
    worker.terminate()
    worker.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--idle", type=float, default=30)
    parser.add_argument("--jobs", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="keep the demo for --reuse")
    parser.add_argument("--reuse", action="store_true", help="reuse a demo kept by an earlier run")
    parser.add_argument("--measure-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure_only:
        measure(args.idle, args.jobs)
        return
    header("The background worker: idle cost and pick-up time")
    env = build_demo(20_000, reuse=args.reuse)
    subprocess.run([sys.executable, __file__, "--measure-only", "--idle", str(args.idle), "--jobs", str(args.jobs)],
                   env={**env, "PYTHONPATH": str(ROOT)}, check=True)
    if not args.keep and not args.reuse:
        remove_demo(env)


if __name__ == "__main__":
    main()
