"""Benchmark: 50 village operators and the public at once, through `sidekel serve` (issue 16 item 5).

    .venv/bin/python bench/load.py                         # SQLite, 2 minutes, the 20,000-resident demo
    .venv/bin/python bench/load.py --seconds 20 --keep     # a short run; keep the demo ...
    .venv/bin/python bench/load.py --seconds 20 --reuse    # ... and use it again
    SIDEKEL_DATABASE_URL=postgres://postgres@127.0.0.1:5432/sidekel_bench .venv/bin/python bench/load.py

The demo kecamatan is built by bench/common.py's ``build_demo`` (its own data folder, or on
PostgreSQL its own database named by the URL plus the size). The bench adds --operators operator
accounts (each for Desa Rangda or Kelurahan Raja, in turn), each with residents and families of
its own to change, so that no edit is refused as out of date by another operator's edit.

Then `sidekel serve` (its default workers, 4 threads each, and its background worker) runs on a free port of
127.0.0.1 and, for --seconds, each operator is a thread with its own session (logged in through
the login form) that, after a think time of --think seconds on average, does one of: open the
resident list, search by name, open a resident, edit a resident (the edit form as the server
sends it, with the address changed), record a birth in a family. --public threads meanwhile
read the public portal pages and the statistics API, with --public-think seconds between.

Printed: the machine's load average during the run; per kind of request, the count, the answers
by status, latency p50 / p95 / max in ms, the p95 of the requests sent after the logins (the
first --ramp seconds are 50 argon2 logins on a 2-core machine), the same requests' p50 / p95 as
the server itself timed them (gunicorn's access log), and the budget of an earlier issue where one
exists (BUDGETS, judged on the client's p95: the stricter); the answers that said "database is
locked", and the server log's tracebacks; then every write the server confirmed (a redirect after
the form) is looked up in the database: an edit's value in the resident and in its audit row, a
birth's new resident.
Expected (the exit status): no 500 or unanswered request, no "database is locked", no traceback,
nothing missing. The budgets are reported, not enforced: on a shared machine they say more about
the neighbours than about Sidekel.
"""

import argparse
import datetime
import json
import os
import random
import re
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import build_demo, header, remove_demo  # noqa: E402
from httpbench import LOCKED, Client, Server, form_fields, percentile, shell  # noqa: E402

RANGDA, RAJA = "62.01.02.2010", "62.01.02.1007"
PASSWORD = "bench-load-kata-sandi-2026"
PUBLIC_PATHS = ["/", f"/desa/{RANGDA}/", f"/desa/{RAJA}/", "/berita/", "/data/", "/kecamatan/62.01.02/statistik/umur/", f"/desa/{RANGDA}/statistik/pendidikan/",
                "/api/v1/statistik/",
                "/api/v1/statistik/umur/?wilayah=62.01.02", "/api/v1/statistik/pendidikan/?wilayah=62.01.02",
                f"/api/v1/statistik/jenis-kelamin/?wilayah={RANGDA}", "/api/v1/wilayah/"]
SEARCHES = ["siti", "budi", "ahmad", "nur", "dewi", "agus", "sri", "rahmat"]

SETUP = """
import json
from sidekel.akun.models import User
from sidekel.akun.services import create_user
from sidekel.penduduk.models import Keluarga, Penduduk
from sidekel.wilayah.models import Desa
operators, n = [], {n}
for desa_kode in ("{rangda}", "{raja}"):
    desa = Desa.objects.get(kode=desa_kode)
    mine = [i for i in range(n) if ("{rangda}", "{raja}")[i % 2] == desa_kode]
    people = list(Penduduk.objects.filter(desa=desa, deleted_at__isnull=True, status_dasar=1).order_by("id")
                  .values_list("id", flat=True)[: len(mine) * 8])
    families = list(Keluarga.objects.filter(desa=desa).order_by("id").values_list("id", flat=True)[: len(mine) * 3])
    for j, i in enumerate(mine):
        username = f"bench.op{{i:02d}}"
        if not User.objects.filter(username=username).exists():
            create_user(username, role="operator", password="{password}", desa_kode=[desa_kode], validate=False)
        operators.append({{"username": username, "desa": desa_kode, "people": people[j::len(mine)],
                          "families": families[j::len(mine)]}})
print(json.dumps(sorted(operators, key=lambda o: o["username"])))
"""

CHECK = """
import json
from sidekel.core.models import ObjectChange
from sidekel.penduduk.models import Penduduk
edits, births = json.loads({edits!r}), json.loads({births!r})
saved = dict(Penduduk.objects.filter(pk__in=[int(k) for k in edits]).values_list("pk", "alamat"))
edits_missing = [pk for pk, value in edits.items() if saved.get(int(pk)) != value]
audited = set()
for change in ObjectChange.objects.filter(content_type__model="penduduk", object_id__in=[int(k) for k in edits]):
    if isinstance(change.after, dict) and change.after.get("alamat") in edits.values():
        audited.add(str(change.object_id))
audit_missing = [pk for pk in edits if pk not in audited]
born = set(Penduduk.objects.filter(nama__in=births).values_list("nama", flat=True))
print(json.dumps({{"edits": len(edits), "edits_missing": edits_missing, "audit_missing": audit_missing,
                  "births": len(births), "births_missing": [b for b in births if b not in born]}}))
"""


# The latency budgets of earlier issues (p95, ms), measured there on a quiet machine with one kind of
# request at a time: issue 3 (the resident list and a name search: 50 ms of server time at 100,000
# residents), issue 6 (public pages and the statistics API: 50 ms at 500 requests/s). Issue 22's
# tighter goals (25 ms lists at 1,000,000) are its own bench's. Other kinds have no budget of their
# own; they are printed for what they are.
BUDGETS = {"operator list": 50, "operator search": 50, "public page": 50, "public api": 50}


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.steady_from = None  # monotonic time after the logins (set by run)
        self.latency = defaultdict(list)  # kind -> [seconds] of every answer
        self.steady = defaultdict(list)  # kind -> [seconds] of the answers to requests sent after the logins
        self.paths = defaultdict(list)  # public path -> [seconds] after the logins
        self.statuses = defaultdict(Counter)  # kind -> {status: n}
        self.locked = 0
        self.examples = {}  # (kind, status) -> the first answer's text
        self.edits = {}  # resident id -> the address an edit saved (the last one confirmed)
        self.births = []  # names of babies whose birth the server confirmed

    def add(self, kind, seconds, response=None, error=None):
        status = response.status if response is not None else f"no answer ({type(error).__name__})"
        with self.lock:
            self.latency[kind].append(seconds)
            if self.steady_from is not None and time.monotonic() - seconds >= self.steady_from:
                self.steady[kind].append(seconds)
            self.statuses[kind][status] += 1
            if response is not None and (response.status >= 500 or LOCKED.search(response.text)):
                self.locked += bool(LOCKED.search(response.text))
                self.examples.setdefault((kind, status), response.text[:400])
            elif response is None:
                self.examples.setdefault((kind, status), str(error)[:400])


def timed(tally, kind, call, ok=(200, 302)):
    start = time.perf_counter()
    try:
        response = call()
    except OSError as exc:
        tally.add(kind, time.perf_counter() - start, error=exc)
        return None
    tally.add(kind, time.perf_counter() - start, response)
    if response.status not in ok:
        tally.examples.setdefault((kind, response.status), response.text[:400])
    return response


def operator(port, me, deadline, think, tally, seed, delay):
    rng = random.Random(seed)
    time.sleep(delay)  # the office opens: people log in over the first seconds, not all at once
    client = Client(port)
    if timed(tally, "operator login", lambda: client.login(me["username"], PASSWORD)) is None:
        return
    n = 0
    while time.monotonic() < deadline:
        time.sleep(rng.expovariate(1 / think) if think else 0)
        if time.monotonic() >= deadline:
            break
        n += 1
        action = rng.choices(["list", "search", "open", "edit", "event"], weights=[25, 25, 25, 15, 10])[0]
        pk = rng.choice(me["people"])
        if action == "list":
            timed(tally, "operator list", lambda: client.get(f"/penduduk/?desa={me['desa']}&halaman={rng.randint(1, 5)}"))
        elif action == "search":
            timed(tally, "operator search", lambda: client.get(f"/penduduk/?q={rng.choice(SEARCHES)}"))
        elif action == "open":
            timed(tally, "operator open", lambda: client.get(f"/penduduk/{pk}/"))
        elif action == "edit":
            page = timed(tally, "operator edit form", lambda: client.get(f"/penduduk/{pk}/ubah/"))
            fields = page is not None and page.status == 200 and form_fields(page.text, "alamat")
            if not fields:
                continue
            value = f"Jl. Beban {me['username']} {n}"
            fields.update(alamat=value, reason="bench load")
            response = timed(tally, "operator edit save", lambda: client.post(f"/penduduk/{pk}/ubah/", fields))
            if response is not None and response.status == 302:
                with tally.lock:
                    tally.edits[str(pk)] = value
        else:
            family = rng.choice(me["families"])
            name = f"Bayi {me['username'].replace('.', ' ')} {n}"
            response = timed(tally, "operator birth", lambda: client.post(f"/keluarga/{family}/kelahiran/", {
                "nama": name, "jenis_kelamin": rng.choice([1, 2]),
                "tanggal_lahir": datetime.date.today().strftime("%d-%m-%Y"), "tempat_lahir": "Pangkalan Bun",
                "nik": "", "alasan_koreksi": ""}))
            if response is not None and response.status == 302:
                with tally.lock:
                    tally.births.append(name)
    client.close()


def visitor(port, deadline, think, tally, seed):
    rng = random.Random(seed)
    client = Client(port)
    while time.monotonic() < deadline:
        path = rng.choice(PUBLIC_PATHS)
        start = time.monotonic()
        timed(tally, "public api" if path.startswith("/api/") else "public page", lambda: client.get(path), ok=(200,))
        if tally.steady_from is not None and start >= tally.steady_from:
            with tally.lock:
                tally.paths[path].append(time.monotonic() - start)
        time.sleep(rng.expovariate(1 / think) if think else 0)
    client.close()


# The kind of request each line of the server's access log is (method, path, query), for its own time.
SERVER_KINDS = [
    ("operator list", re.compile(r"GET /penduduk/ \?desa=")),
    ("operator search", re.compile(r"GET /penduduk/ \?q=")),
    ("operator open", re.compile(r"GET /penduduk/\d+/ ")),
    ("operator edit form", re.compile(r"GET /penduduk/\d+/ubah/ ")),
    ("operator edit save", re.compile(r"POST /penduduk/\d+/ubah/ ")),
    ("operator birth", re.compile(r"POST /keluarga/\d+/kelahiran/ ")),
    ("public api", re.compile(r"GET /api/")),
]
PUBLIC_PAGES = re.compile("GET (" + "|".join(re.escape(p) for p in PUBLIC_PATHS if not p.startswith("/api/")) + ") ")
ACCESS_LINE = re.compile(r"^\[(?P<at>[^\]]+)\] (?P<request>.*) (?P<micros>\d+)$")


def server_times(access_log, steady_from_wall):
    """{kind: [seconds]} of the requests the server began after the logins, as gunicorn timed them
    (from the moment one of its threads took the request to the end of the answer): the server's
    own time, without the client's or the wait for a free thread."""
    times = defaultdict(list)
    for line in Path(access_log).read_text(encoding="utf-8", errors="replace").splitlines():
        match = ACCESS_LINE.match(line.strip())
        if not match:
            continue
        at = datetime.datetime.strptime(match["at"], "%d/%b/%Y:%H:%M:%S %z").timestamp()
        if at < steady_from_wall:
            continue
        request = match["request"]
        kind = next((k for k, pattern in SERVER_KINDS if pattern.match(request)), None)
        if kind is None and PUBLIC_PAGES.match(request):
            kind = "public page"
        if kind:
            times[kind].append(int(match["micros"]) / 1e6)
    return times


def run(env, args):
    operators = shell(env, SETUP.format(n=args.operators, rangda=RANGDA, raja=RAJA, password=PASSWORD))
    handle, access_log = tempfile.mkstemp(prefix="sidekel-load-access-", suffix=".log")
    os.close(handle)  # gunicorn writes it
    # gunicorn's access log: the request's time (to the second), method, path, query, duration in µs
    env = dict(env, GUNICORN_CMD_ARGS=f"--access-logfile {access_log} --access-logformat "
                                      "'%(t)s %(m)s %(U)s ?%(q)s %(D)s'")
    server = Server(env, workers=args.workers, threads=args.threads, worker=True)  # as in production: figures kept by the worker
    tally = Tally()
    try:
        # The clock starts before the logins: logging in (argon2) is part of the load.
        deadline = time.monotonic() + args.seconds
        tally.steady_from = time.monotonic() + args.ramp + 5
        steady_from_wall = time.time() + args.ramp + 5
        threads = [threading.Thread(target=operator, args=(server.port, me, deadline, args.think, tally, i,
                                                           args.ramp * i / len(operators)))
                   for i, me in enumerate(operators)]
        threads += [threading.Thread(target=visitor, args=(server.port, deadline, args.public_think, tally, 1000 + i))
                    for i in range(args.public)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        loads = []
        while any(thread.is_alive() for thread in threads) and time.monotonic() < deadline + 120:
            loads.append(os.getloadavg()[0])
            time.sleep(1)
        for thread in threads:
            thread.join(max(0, deadline - time.monotonic()) + 1)
        elapsed = time.monotonic() - started
        log = server.log_text()
    finally:
        server.stop()
    tally.loads = loads
    tally.log = log
    tally.server = server_times(access_log, steady_from_wall)
    os.unlink(access_log)
    return tally, elapsed


def report(tally, elapsed):
    total = sum(sum(c.values()) for c in tally.statuses.values())
    loads = tally.loads or [0]
    print(f"{total:,} requests in {elapsed:.0f} s ({total / elapsed:.0f}/s); machine load average (1 min) during "
          f"the run: min {min(loads):.1f}, mean {sum(loads) / len(loads):.1f}, max {max(loads):.1f} "
          f"on {os.cpu_count()} cores")
    print("p95 after the logins: of the requests sent once every operator had logged in (ramp + 5 s).")
    print("server p95: the same requests after the logins as the server timed them (gunicorn's access log:")
    print("from the moment one of its threads took the request), without the client and the wait for a thread.")
    print("| kind | requests | answers by status | p50 ms | p95 ms | max ms | p95 after the logins | server p50 / p95 "
          "| budget p95 |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for kind in sorted(tally.latency):
        times = [t * 1000 for t in tally.latency[kind]]
        steady = [t * 1000 for t in tally.steady.get(kind, [])]
        statuses = ", ".join(f"{s}: {n:,}" for s, n in sorted(tally.statuses[kind].items(), key=str))
        budget = BUDGETS.get(kind)
        verdict = "" if budget is None else f"{budget} ({'held' if steady and percentile(steady, 0.95) <= budget else 'missed'})"
        served = tally.server.get(kind)
        server = f"{percentile(served, 0.5) * 1000:.0f} / {percentile(served, 0.95) * 1000:.0f}" if served else ""
        print(f"| {kind} | {len(times):,} | {statuses} | {percentile(times, 0.5):.0f} | {percentile(times, 0.95):.0f} "
              f"| {max(times):.0f} | {percentile(steady, 0.95):.0f} ({len(steady):,}) | {server} | {verdict} |")
    server_errors = sum(n for c in tally.statuses.values() for s, n in c.items() if not isinstance(s, int) or s >= 500)
    lines = tally.log.splitlines()
    print(f"answers 5xx or none: {server_errors}; \"database is locked\": {tally.locked}; in the server's log: "
          f"{sum('Traceback' in line for line in lines)} tracebacks, "
          f"{sum(bool(LOCKED.search(line)) for line in lines)} lines saying the database is locked, "
          f"{sum('WORKER TIMEOUT' in line for line in lines)} worker timeouts")
    for (kind, status), text in list(tally.examples.items())[:8]:
        print(f"  first {status} of {kind}: {' '.join(text.split())[:300]}")
    print("public paths after the logins, p50 / p95 / max ms (a page is stored until the data changes; "
          "every edit or birth changes it): " + "; ".join(
              f"{path} {percentile(t, 0.5) * 1000:.0f} / {percentile(t, 0.95) * 1000:.0f} / {max(t) * 1000:.0f}"
              for path, t in sorted(tally.paths.items())))
    for line in [line for line in lines if "Error" in line or "Traceback" in line][:5]:
        print("  server log: " + line[:300])
    return server_errors + sum("Traceback" in line or bool(LOCKED.search(line)) for line in lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--operators", type=int, default=50)
    parser.add_argument("--public", type=int, default=10, help="threads reading public pages and the API")
    parser.add_argument("--think", type=float, default=5.0,
                        help="mean seconds an operator reads or types between requests (exponential)")
    parser.add_argument("--public-think", type=float, default=0.5, help="mean seconds between a public reader's requests")
    parser.add_argument("--ramp", type=float, default=10, help="seconds over which the operators log in")
    parser.add_argument("--size", type=int, default=20_000, help="residents of the demo")
    parser.add_argument("--workers", type=int, help="gunicorn worker processes (default: sidekel serve's)")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker process (default: sidekel serve's, 4)")
    parser.add_argument("--keep", action="store_true", help="keep the demo for --reuse")
    parser.add_argument("--reuse", action="store_true", help="reuse a demo kept by an earlier run")
    args = parser.parse_args()
    header(f"{args.operators} operators and {args.public} public readers for {args.seconds:g} s, "
           f"{args.size:,}-resident demo")
    env = build_demo(args.size, reuse=args.reuse)
    tally, elapsed = run(env, args)
    server_errors = report(tally, elapsed)
    check = shell(env, CHECK.format(edits=json.dumps(tally.edits), births=json.dumps(tally.births)))
    print(f"writes confirmed: {check['edits']} residents edited, each checked for its last confirmed value "
          f"({len(check['edits_missing'])} missing, {len(check['audit_missing'])} without their audit row), "
          f"{check['births']} births ({len(check['births_missing'])} missing)")
    if not args.keep and not args.reuse:
        remove_demo(env)
    failed = server_errors or tally.locked or check["edits_missing"] or check["audit_missing"] or check["births_missing"]
    print(json.dumps({"ok": not failed}))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
