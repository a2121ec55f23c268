"""Benchmark: public pages and the statistics API under load, through `sidekel serve` (gunicorn).

    .venv/bin/python bench/portal_load.py                        # 1,000,000 residents, SQLite
    .venv/bin/python bench/portal_load.py --sizes 100000 --keep  # keep the demo database ...
    .venv/bin/python bench/portal_load.py --sizes 100000 --reuse # ... and measure it again, no build
    .venv/bin/python bench/portal_load.py --reuse --urls / /desa/62.01.02.2010/ /api/v1/statistik/umur/?wilayah=62.01.02
    .venv/bin/python bench/portal_load.py --data-dir /tmp/copy-of-a-demo  # a data folder built elsewhere (SQLite)
    SIDEKEL_DATABASE_URL=postgres://postgres@127.0.0.1:5432/sidekel_bench .venv/bin/python bench/portal_load.py

Each size is built with `sidekel demo --no-serve --penduduk N` in its own data folder under
<temp dir>/sidekel-bench-list/ (on PostgreSQL, in the database named by the URL plus the size),
shared with bench/list_search.py and bench/statistik.py (bench/common.py); the folders and
databases are removed at the end unless --keep.

Then `sidekel serve` (defaults: 2 x cores gunicorn workers, 4 threads each) runs on a free port of
127.0.0.1, with the API rate limit off (SIDEKEL_API_RATE_PER_MINUTE=0: all load comes from one
address, which the limit would otherwise refuse after 120 requests). For each URL, wrk
(`apt-get install wrk`) first warms the server for --warmup seconds (every worker process fills
its own cache), then loads it for --duration seconds with --connections keep-alive connections,
and the script prints requests per second, latency p50/p95/p99 and the errors (connection
errors, timeouts and answers other than 2xx/3xx). wrk runs on the same machine over loopback,
so it takes part of the same cores. Target (issue 6): at least 500 requests/s, p95 under 50 ms
and no errors on a 2-core machine.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import DEMO_DIR, SIDEKEL, build_demo as build, header, remove_demo as remove  # noqa: E402

DEFAULT_URLS = ["/", "/api/v1/statistik/pekerjaan/?wilayah=62.01.02.2010", "/api/v1/statistik/umur/?wilayah=62.01.02"]

# wrk prints its own report; this script adds one JSON line with what we need (p95 included).
WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format(
    'JSON {"requests": %d, "duration_us": %d, "p50": %d, "p95": %d, "p99": %d, "max": %d, '
    .. '"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.status, summary.errors.timeout))
end
"""


# --- server and load ---------------------------------------------------------------------------

def free_port():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(env, port, workers, threads):
    env = dict(env, SIDEKEL_API_RATE_PER_MINUTE="0")
    command = [SIDEKEL, "serve", "--bind", f"127.0.0.1:{port}", "--threads", str(threads)]
    if workers:
        command += ["--workers", str(workers)]
    log = open(Path(env["SIDEKEL_DATA_DIR"]) / "serve.log", "w")
    proc = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"portal_load: sidekel serve stopped; see {log.name}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
                if response.status == 200:
                    return proc
        except OSError:
            time.sleep(0.5)
    stop_server(proc)
    sys.exit("portal_load: sidekel serve did not answer /healthz within 300 s")


def stop_server(proc):
    import signal

    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=60)


def wrk(url, seconds, connections, threads, script):
    """Run wrk once against ``url``; return the JSON figures its done() hook printed."""
    result = subprocess.run(["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "5s",
                             "-H", "Accept-Encoding: gzip", "-s", script, url],
                            check=True, capture_output=True, text=True)
    line = next(line for line in result.stdout.splitlines() if line.startswith("JSON "))
    return json.loads(line[5:])


def load_average():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def measure(size, env, args, script):
    port = free_port()
    proc = start_server(env, port, args.workers, args.server_threads)
    failed = False
    try:
        for path in args.urls:
            url = f"http://127.0.0.1:{port}{path}"
            with urllib.request.urlopen(url, timeout=120) as response:  # also checks that it answers 200
                if response.status != 200:
                    sys.exit(f"portal_load: GET {path} answered {response.status}")
            wrk(url, args.warmup, args.connections, args.wrk_threads, script)
            load_before = load_average()
            r = wrk(url, args.duration, args.connections, args.wrk_threads, script)
            rps = r["requests"] / (r["duration_us"] / 1e6)
            errors = r["connect"] + r["read"] + r["write"] + r["timeout"] + r["status"]
            ok = rps >= 500 and r["p95"] / 1000 < 50 and errors == 0
            failed |= not ok
            print(f"{size:>10,} {path:<55} {rps:>8.0f} {r['p50'] / 1000:>7.1f} {r['p95'] / 1000:>7.1f} "
                  f"{r['p99'] / 1000:>7.1f} {errors:>6} {'yes' if ok else 'NO':>6}   {load_before}", flush=True)
    finally:
        stop_server(proc)
    return not failed


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--urls", nargs="+", default=DEFAULT_URLS, help="paths to load, one after the other")
    parser.add_argument("--duration", type=int, default=20, help="seconds of load per URL (default 20)")
    parser.add_argument("--warmup", type=int, default=5, help="seconds of unmeasured load first (default 5)")
    parser.add_argument("--connections", type=int, default=16, help="open connections (default 16)")
    parser.add_argument("--wrk-threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--workers", type=int, help="gunicorn worker processes (default: sidekel serve's, 2 x cores)")
    parser.add_argument("--server-threads", type=int, default=4, help="threads per worker (default 4)")
    parser.add_argument("--reuse", action="store_true", help="measure the databases an earlier --keep run left")
    parser.add_argument("--keep", action="store_true", help=f"keep the data folders ({DEMO_DIR}) and databases")
    parser.add_argument("--data-dir", type=Path,
                        help="measure this SQLite data folder (migrated first, never removed) instead of building")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("portal_load: needs wrk (Debian: apt-get install -y wrk)")

    header("public pages and API under load, sidekel serve + wrk over loopback")
    print(f"# load average before: {load_average()}; wrk -t{args.wrk_threads} -c{args.connections}, "
          f"{args.warmup} s warm-up + {args.duration} s per URL; server: {args.workers or 2 * os.cpu_count()} "
          f"workers x {args.server_threads} threads; target >= 500 req/s, p95 < 50 ms, 0 errors", flush=True)
    if args.data_dir:
        env = dict(os.environ, SIDEKEL_DATA_DIR=str(args.data_dir.resolve()), DJANGO_SETTINGS_MODULE="sidekel.settings")
        env.pop("SIDEKEL_DATABASE_URL", None)
        subprocess.run([SIDEKEL, "migrate", "-v0"], env=env, check=True)
        args.keep, args.sizes, envs = True, [0], [env]
        print(f"# data folder {args.data_dir} (residents column: 0)", flush=True)
    else:
        envs = [build(size, args.seed, args.reuse) for size in args.sizes]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(WRK_SCRIPT)
    print(f"{'residents':>10} {'url':<55} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6} "
          f"{'target':>6}   load average (1, 5, 15 min) before", flush=True)
    all_ok = True
    try:
        for size, env in zip(args.sizes, envs):
            all_ok &= measure(size, env, args, f.name)
    finally:
        os.unlink(f.name)
        if not args.keep:
            for env in envs:
                remove(env)
            if DEMO_DIR.exists() and not any(DEMO_DIR.iterdir()):
                DEMO_DIR.rmdir()
    print(f"# load average after: {load_average()}; target {'met' if all_ok else 'NOT met'}", flush=True)


if __name__ == "__main__":
    main()
