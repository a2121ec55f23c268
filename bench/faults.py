"""Faults under load (issue 16 item 5): the web server killed during edits, the database cut or
restarted under load, the disk full during an import and during a backup.

    .venv/bin/python bench/faults.py                      # every fault the backend allows, SQLite
    .venv/bin/python bench/faults.py --only edit-kill
    SIDEKEL_DATABASE_URL=postgres://postgres@127.0.0.1:5432/sidekel_bench .venv/bin/python bench/faults.py

(The worker killed during an import is a test: sidekel/core/tests/test_worker_faults.py.)

edit-kill
    --writers operators edit residents of their own through the edit form of `sidekel serve
    --no-worker`; after --before seconds the server's whole process group is killed (-9). Then,
    for each resident, the edits sent are compared with the database: the resident holds the value
    of the last edit that has an audit row (or its first value if none has), every edit the server
    confirmed has its audit row, and no audit row is without its value (an edit is whole or
    absent). SQLite's integrity check must pass, and a restarted server must answer.

database-cut (PostgreSQL)
    The server reaches PostgreSQL through a TCP proxy (sidekel/core/tests/tcpproxy.py: 127.0.0.1:<port>
    to the server of SIDEKEL_DATABASE_URL). Operators and public readers load it; the proxy is cut
    (every connection dropped, new ones refused) for --cut seconds, then restored. Expected: while
    cut, only 503 "database unavailable" in Indonesian (or a stored public page), no 500, nothing
    unanswered; after, every kind of request answers again within a few seconds without restarting
    Sidekel, and no 503 once a kind has answered; every edit the server confirmed is in the
    database; no traceback in the server's log (one line per 503).

database-restart (PostgreSQL; as root)
    The same load and expectations, with a real PostgreSQL stopped (`pg_ctl stop -m fast`: every
    session ended by the server) for --cut seconds and started again: a throw-away cluster of this
    script's own (initdb in a temporary folder, a free port, a copy of the demo database), so that
    others using the machine's PostgreSQL are not disturbed.

disk-full-import (SQLite; as root, with a tmpfs)
    The data folder is copied to a tmpfs (`mount -t tmpfs -o size=...`) with little room left, and
    `sidekel import penduduk` writes a 40,000-row file into it. Expected: the command fails with the
    Indonesian "disk penuh" message, SQLite's integrity check passes, no resident was added.
    (Without root, the data folder cannot be made small: the fault is skipped and said so.)

disk-full-backup (as root, with a tmpfs)
    A first `sidekel backup`, copied onto a tmpfs with room for it and --backup-room KB more; then
    `sidekel backup -o <tmpfs>`. On SQLite also with the data folder on such a tmpfs (the database
    is copied there first). Expected: exit non-zero with the Indonesian "penuh" message naming the
    folder, no traceback, nothing new in the folder (not even a hidden partial file), no database
    copy left, the previous archive and the record of the last good backup unchanged, and
    `sidekel backup --verify` passes on the previous archive. (The quick version, with a file size
    limit, is a test: sidekel/core/tests/test_backup.py.)
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, build_demo, header, postgres_url, remove_demo  # noqa: E402
from httpbench import Client, Server, environment, form_fields, free_port, shell, sidekel  # noqa: E402

sys.path.insert(0, str(ROOT))
from sidekel.core.tests.tcpproxy import Proxy  # noqa: E402

RANGDA, RAJA = "62.01.02.2010", "62.01.02.1007"
PASSWORD = "bench-faults-kata-sandi-2026"

ACCOUNTS = """
import json
from sidekel.akun.models import User
from sidekel.akun.services import create_user
from sidekel.penduduk.models import Penduduk
from sidekel.wilayah.models import Desa
rangda = Desa.objects.get(kode="{rangda}")
people = list(Penduduk.objects.filter(desa=rangda, deleted_at__isnull=True, status_dasar=1).order_by("id")
              .values_list("id", "alamat")[: {n} * 5])
out = []
for i in range({n}):
    username = f"fault.op{{i:02d}}"
    if not User.objects.filter(username=username).exists():
        create_user(username, role="operator", password="{password}", desa_kode=["{rangda}"], validate=False)
    out.append({{"username": username, "people": people[i::{n}]}})
print(json.dumps(out))
"""

EDIT_STATE = """
import json
from sidekel.core.models import ObjectChange
from sidekel.penduduk.models import Penduduk
ids = json.loads({ids!r})
values = dict(Penduduk.objects.filter(pk__in=ids).values_list("pk", "alamat"))
audit = {{}}
for change in ObjectChange.objects.filter(content_type__model="penduduk", object_id__in=ids).order_by("id"):
    if isinstance(change.after, dict) and "alamat" in change.after:
        audit.setdefault(str(change.object_id), []).append(change.after["alamat"])
print(json.dumps({{"values": {{str(k): v for k, v in values.items()}}, "audit": audit}}))
"""


def result(name, ok, details):
    print(f"{'PASS' if ok else 'FAIL'} {name}: {details}", flush=True)
    return ok


def integrity(env):
    if postgres_url(env):
        return "ok (PostgreSQL)"
    return shell(env, "import json\nfrom django.db import connection\nc = connection.cursor()\n"
                      "c.execute('PRAGMA integrity_check')\nprint(json.dumps(c.fetchone()[0]))")


# --- the web server killed during edits --------------------------------------------------------------

def edit_kill(env, args):
    people = shell(env, ACCOUNTS.format(n=args.writers, rangda=RANGDA, password=PASSWORD))
    originals = {str(pk): alamat for me in people for pk, alamat in me["people"]}
    run = f"{time.time():.0f}"[-6:]  # this run's edits apart from an earlier run's on a reused demo
    server = Server(env, workers=2)
    sent = defaultdict(list)  # resident -> [(value, confirmed)] in the order sent
    lock = threading.Lock()
    stop = threading.Event()
    statuses = Counter()

    def writer(me, index):
        client = Client(server.port, timeout=120)
        try:
            client.login(me["username"], PASSWORD)
        except OSError:
            statuses["login failed"] += 1
            return
        n = 0
        while not stop.is_set():
            pk = me["people"][n % len(me["people"])][0]
            n += 1
            try:
                page = client.get(f"/penduduk/{pk}/ubah/")
                fields = form_fields(page.text, "alamat") if page.status == 200 else None
                if not fields:
                    continue
                value = f"Jl. Gangguan {run}-{index}-{n}"
                fields.update(alamat=value, reason="bench faults")
                with lock:
                    sent[str(pk)].append([value, False])
                response = client.post(f"/penduduk/{pk}/ubah/", fields)
                statuses[response.status] += 1
                if response.status == 302:
                    with lock:
                        sent[str(pk)][-1][1] = True
            except OSError:
                statuses["no answer"] += 1
                return  # the server is gone

    threads = [threading.Thread(target=writer, args=(me, i)) for i, me in enumerate(people)]
    for thread in threads:
        thread.start()
    # The kill comes once every writer has had an edit confirmed (logins are slow on a busy machine)
    # and then --before seconds more of edits.
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and sum(c for edits in list(sent.values()) for _, c in edits) < len(people):
        time.sleep(0.2)
    time.sleep(args.before)
    server.kill(signal.SIGKILL)
    stop.set()
    for thread in threads:
        thread.join(30)
    state = shell(env, EDIT_STATE.format(ids=json.dumps([int(k) for k in originals])))
    problems = []
    for pk, edits in sent.items():
        audited = state["audit"].get(pk, [])
        mine = [value for value, _ in edits]
        stray = [a for a in audited if a.startswith(f"Jl. Gangguan {run}-") and a not in mine]
        last = max((i for i, (value, _) in enumerate(edits) if value in audited), default=None)
        expected = edits[last][0] if last is not None else originals[pk]
        if state["values"].get(pk) != expected:
            problems.append(f"resident {pk}: holds {state['values'].get(pk)!r}, its audit says {expected!r}")
        lost = [value for value, confirmed in edits if confirmed and value not in audited]
        if lost or stray:
            problems.append(f"resident {pk}: confirmed without audit {lost}, audit without edit {stray}")
    confirmed = sum(c for edits in sent.values() for _, c in edits)
    unconfirmed = sum(not c for edits in sent.values() for _, c in edits)
    check = integrity(env)
    again = Server(env, workers=1)
    alive = Client(again.port).get("/healthz").status
    again.stop()
    return result("edit-kill", not problems and check.startswith("ok") and alive == 200,
                  f"{confirmed} edits confirmed, {unconfirmed} in flight when killed (-9 after {args.before:g} s); "
                  f"answers {dict(statuses)}; {len(problems)} residents not whole-or-absent {problems[:3]}; "
                  f"integrity {check}; restarted server /healthz {alive}")


# --- PostgreSQL cut and restored under load ----------------------------------------------------------

class ProxyCut:
    """PostgreSQL reached through a TCP proxy that is cut (every connection dropped, new ones refused)
    and restored: the shared server itself is not touched."""

    name = "database-cut"

    def __init__(self, env):
        url = postgres_url(env)
        head, name = url.rsplit("/", 1)
        user_host = head.split("//", 1)[1]
        user, host = user_host.rsplit("@", 1) if "@" in user_host else ("", user_host)
        target_host, _, target_port = host.partition(":")
        self.proxy = Proxy((target_host or "127.0.0.1", int(target_port or 5432)))
        self.env = {**env, "SIDEKEL_DATABASE_URL": f"postgres://{user + '@' if user else ''}127.0.0.1:{self.proxy.port}/{name}"}

    def down(self):
        self.proxy.cut()

    def up(self):
        self.proxy.restore()

    def close(self):
        self.proxy.cut()


class PrivateCluster:
    """A real PostgreSQL restart: a throw-away cluster of this script's own (initdb in a temporary
    folder, a free port of 127.0.0.1, run as the postgres user) holding a copy of the demo database
    (pg_dump | pg_restore), stopped with `pg_ctl stop -m fast` (every session ended with "terminating
    connection due to administrator command") and started again. Other users of the machine's
    PostgreSQL server are not disturbed."""

    name = "database-restart"
    BIN = Path("/usr/lib/postgresql")

    @classmethod
    def unavailable(cls):
        if os.geteuid() != 0:
            return "needs root (to run a cluster as the postgres user)"
        if not cls._bin("pg_ctl") or not shutil.which("runuser"):
            return "no PostgreSQL server programs (pg_ctl, initdb) or runuser"
        return None

    @classmethod
    def _bin(cls, program):
        found = sorted(cls.BIN.glob(f"*/bin/{program}"), key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0)
        return str(found[-1]) if found else None

    def __init__(self, env):
        self.folder = Path(tempfile.mkdtemp(prefix="sidekel-pgrestart-"))
        self.data = self.folder / "data"
        shutil.chown(self.folder, "postgres", "postgres")
        self.port = free_port()
        self.as_postgres(self._bin("initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust", "--no-sync")
        self.up()
        source = postgres_url(env)
        name = source.rsplit("/", 1)[1]
        url = f"postgres://postgres@127.0.0.1:{self.port}/{name}"
        subprocess.run(["psql", f"postgres://postgres@127.0.0.1:{self.port}/postgres", "-qc", f'CREATE DATABASE "{name}"'],
                       check=True, capture_output=True)
        dump = subprocess.Popen(["pg_dump", "-Fc", source], stdout=subprocess.PIPE)
        subprocess.run(["pg_restore", "--no-owner", "-d", url], stdin=dump.stdout, check=True, capture_output=True)
        dump.wait()
        self.env = {**env, "SIDEKEL_DATABASE_URL": url}

    def as_postgres(self, *command):
        subprocess.run(["runuser", "-u", "postgres", "--", *command], check=True, capture_output=True, cwd="/")

    def pg_ctl(self, *args):
        self.as_postgres(self._bin("pg_ctl"), "-D", str(self.data), "-w", *args)

    def down(self):
        self.pg_ctl("stop", "-m", "fast")

    def up(self):
        self.pg_ctl("start", "-l", str(self.folder / "log"), "-o",
                    f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off")

    def close(self):
        try:
            self.pg_ctl("stop", "-m", "immediate")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.folder, ignore_errors=True)


def database_cut(env, args):
    if not postgres_url(env):
        return result("database-cut", True, "skipped: needs PostgreSQL (SIDEKEL_DATABASE_URL)")
    return database_outage(env, args, ProxyCut)


def database_restart(env, args):
    if not postgres_url(env):
        return result("database-restart", True, "skipped: needs PostgreSQL (SIDEKEL_DATABASE_URL)")
    if PrivateCluster.unavailable():
        return result("database-restart", True, "skipped: " + PrivateCluster.unavailable())
    return database_outage(env, args, PrivateCluster)


def database_outage(env, args, kind):
    people = shell(env, ACCOUNTS.format(n=args.writers, rangda=RANGDA, password=PASSWORD))
    fault = kind(env)
    try:
        return _database_outage(fault, people, args)
    finally:
        fault.close()


def _database_outage(fault, people, args):
    server = Server(fault.env, workers=2)
    phase = ["before"]
    by_phase = defaultdict(Counter)
    first_ok_after = {}
    examples = {}
    confirmed = {}
    lock = threading.Lock()
    stop = threading.Event()
    restored_at = [None]
    relapses = [0]

    def note(kind, status, text=""):
        with lock:
            by_phase[phase[0]][(kind, status)] += 1
            if status >= 500 and (phase[0], status) not in examples:
                examples[(phase[0], status)] = " ".join(text.split())[:200]
            if phase[0] == "after" and status < 500 and kind not in first_ok_after:
                first_ok_after[kind] = time.monotonic() - restored_at[0]
            elif phase[0] == "after" and status >= 500 and kind in first_ok_after:
                relapses[0] += 1

    logged_in = []

    def operator(me, index):
        client = Client(server.port, timeout=60)
        try:
            client.login(me["username"], PASSWORD)
        except OSError:
            with lock:
                by_phase[phase[0]][("login failed", 0)] += 1
            return
        with lock:
            logged_in.append(index)
        n = 0
        while not stop.is_set():
            pk = me["people"][n % len(me["people"])][0]
            n += 1
            kind = "open"
            try:
                page = client.get(f"/penduduk/{pk}/")
                note("open", page.status, page.text)
                kind = "edit form"
                page = client.get(f"/penduduk/{pk}/ubah/")
                note("edit form", page.status, page.text)
                fields = form_fields(page.text, "alamat") if page.status == 200 else None
                if fields:
                    value = f"Jl. Putus {index}-{n}"
                    fields.update(alamat=value, reason="bench faults")
                    kind = "edit save"
                    response = client.post(f"/penduduk/{pk}/ubah/", fields)
                    note("edit save", response.status, response.text)
                    if response.status == 302:
                        with lock:
                            confirmed[str(pk)] = value
            except OSError as exc:
                with lock:
                    by_phase[phase[0]][("no answer", f"{type(exc).__name__} {kind}")] += 1
            time.sleep(0.2)

    def reader(index):
        client = Client(server.port, timeout=20)
        paths = ["/", f"/desa/{RANGDA}/", "/api/v1/statistik/umur/?wilayah=62.01.02", "/api/v1/wilayah/", "/masuk/"]
        n = 0
        while not stop.is_set():
            path = paths[n % len(paths)]
            n += 1
            try:
                response = client.get(path)
                note("public api" if path.startswith("/api/") else "public page", response.status, response.text)
            except OSError as exc:
                with lock:
                    by_phase[phase[0]][("no answer", f"{type(exc).__name__} {path}")] += 1
            time.sleep(0.1)

    threads = [threading.Thread(target=operator, args=(me, i)) for i, me in enumerate(people)]
    threads += [threading.Thread(target=reader, args=(i,)) for i in range(3)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 300  # logins are slow on a busy machine: the cut comes after them
    while len(logged_in) < len(people) and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(args.before)
    phase[0] = "cut"
    fault.down()
    time.sleep(args.cut)
    fault.up()
    restored_at[0] = time.monotonic()
    phase[0] = "after"
    time.sleep(args.after)
    stop.set()
    for thread in threads:
        thread.join(30)
    log = server.log_text()
    server.stop()
    for word in ("database unavailable", "Traceback", "WORKER TIMEOUT", "Error handling request"):
        print(f"  server log lines with {word!r}: {sum(word in line for line in log.splitlines())}")
    for line in log.splitlines():
        if "Error handling request" in line or "WORKER TIMEOUT" in line:
            print("  " + line[:300])
    state = shell(fault.env, EDIT_STATE.format(ids=json.dumps([int(k) for k in confirmed])))
    lost = [pk for pk, value in confirmed.items() if state["values"].get(pk) != value]
    five_hundreds = {p: sum(n for (k, s), n in c.items() if s == 500) for p, c in by_phase.items()}
    no_answer = {p: sum(n for (k, s), n in c.items() if k == "no answer") for p, c in by_phase.items()}
    after_errors = sum(n for (k, s), n in by_phase["after"].items() if isinstance(s, int) and s >= 500)
    recovered = {"open", "edit save", "public page", "public api"} <= set(first_ok_after)
    for p in ("before", "cut", "after"):
        print(f"  {p}: " + ", ".join(f"{k} {s}: {n}" for (k, s), n in sorted(by_phase[p].items(), key=str)))
    for (p, s), text in examples.items():
        print(f"  first {s} while {p}: {text}")
    print("  seconds after the restore to the first good answer: "
          + ", ".join(f"{k} {v:.1f}" for k, v in sorted(first_ok_after.items())))
    print(f"  503s after the database was back: {after_errors}, of them after that kind's first good answer: "
          f"{relapses[0]}")
    tracebacks = sum("Traceback" in line for line in log.splitlines())
    ok = (not any(five_hundreds.values()) and not any(no_answer.values()) and recovered and not lost
          and not relapses[0] and not tracebacks)
    return result(fault.name, ok, f"database down {args.cut:g} s under load; 500s {five_hundreds}; no answer {no_answer}; "
                                  f"recovered without restart: {recovered}; 503 after recovery {relapses[0]}; "
                                  f"tracebacks in the server's log {tracebacks}; confirmed edits {len(confirmed)}, "
                                  f"missing {len(lost)}")


# --- the disk full during an import ------------------------------------------------------------------

def disk_full_import(env, args):
    """Once per --headroom: little room fills during the check (the rows ready to write are spooled
    in the data folder), more room during the write into the database."""
    return all([_disk_full_import(env, args, kb) for kb in args.headroom])


def _disk_full_import(env, args, headroom):
    if postgres_url(env):
        return result("disk-full-import", True, "skipped on PostgreSQL: its disk is the shared server's")
    if os.geteuid() != 0:
        return result("disk-full-import", True, "skipped: mounting a small tmpfs needs root")
    source = Path(env["SIDEKEL_DATA_DIR"])
    subprocess.run(sidekel("shell", "--no-imports", "-c",
                           "from django.db import connection; connection.cursor().execute('PRAGMA wal_checkpoint(TRUNCATE)')"),
                   env=environment(env), check=True, capture_output=True)
    # The database and the secret key are what an import needs (static files and the page cache stay behind).
    needed = [source / "sidekel.sqlite3", source / "secret_key"]
    used = sum(-(-f.stat().st_size // 4096) * 4096 for f in needed if f.exists())  # tmpfs counts whole pages
    work = Path(tempfile.mkdtemp(prefix="sidekel-diskfull-"))
    mount = work / "data"
    mount.mkdir()
    size = used + headroom * 1024
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)], check=True)
    try:
        for item in needed:
            if item.exists():
                shutil.copy2(item, mount / item.name)
        (mount / "jobs").mkdir(exist_ok=True)
        small = {**env, "SIDEKEL_DATA_DIR": str(mount)}
        csv = work / "besar.csv"
        subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
                        "from sidekel.penduduk.tests.files import HEADERS, many_families, write_csv\n"
                        f"write_csv({str(csv)!r}, HEADERS, many_families(10_000))"], check=True)
        count = "import json\nfrom sidekel.penduduk.models import Penduduk\nprint(json.dumps(Penduduk.objects.count()))"
        before = shell(small, count)
        free = shutil.disk_usage(mount).free
        done = subprocess.run(sidekel("import", "penduduk", str(csv), "--desa", RANGDA), env=environment(small),
                              capture_output=True, text=True, timeout=900)
        message = (done.stderr.strip().splitlines() or [""])[-1]
        after = shell(small, count)
        check = integrity(small)
        clear = "disk server penuh" in message.lower() and "Traceback" not in done.stderr
        return result("disk-full-import", done.returncode != 0 and clear and after == before and check == "ok",
                      f"{free // 1024} KB free for a 40,000-row import: exit {done.returncode}, message {message!r}; "
                      f"residents {before} -> {after}; integrity {check}")
    finally:
        subprocess.run(["umount", str(mount)], check=False)
        shutil.rmtree(work, ignore_errors=True)


# --- the disk full during a backup ------------------------------------------------------------------

def _tmpfs(size):
    """A folder on a new tmpfs of ``size`` bytes; (folder, unmount)."""
    work = Path(tempfile.mkdtemp(prefix="sidekel-diskfull-"))
    mount = work / "disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)], check=True)

    def unmount():
        subprocess.run(["umount", str(mount)], check=False)
        shutil.rmtree(work, ignore_errors=True)
    return mount, unmount


def _pages(size):
    return -(-size // 4096) * 4096


def disk_full_backup(env, args):
    """`sidekel backup` into a folder whose disk has room for the previous archive and --backup-room
    KB more; on SQLite also with the data folder's disk full (the database is copied there first).
    Expected: exit non-zero, the Indonesian "penuh" message naming the folder, no traceback, nothing
    new in the folder (not even a hidden partial file), no database copy left in the data folder, the
    record of the last good backup unchanged, the previous archive byte for byte the same and
    `sidekel backup --verify` passes on it."""
    if os.geteuid() != 0:
        return result("disk-full-backup", True, "skipped: mounting a small tmpfs needs root")
    outcomes = []
    folder = tempfile.mkdtemp(prefix="sidekel-backups-")
    first = subprocess.run(sidekel("backup", "-o", folder, "--no-rotate"), env=environment(env), capture_output=True,
                           text=True, timeout=900)
    if first.returncode:
        return result("disk-full-backup", False, f"the first backup failed: {first.stderr[-500:]}")
    previous = Path(re.search(r"(/\S+\.zip)", first.stdout).group(1))
    try:
        mount, unmount = _tmpfs(_pages(previous.stat().st_size) + args.backup_room * 1024)
        try:
            shutil.copy2(previous, mount / previous.name)
            outcomes.append(_backup_refused(env, mount / previous.name, ["-o", str(mount)], mount, "archive folder"))
        finally:
            unmount()
        if not postgres_url(env):
            outcomes.append(_backup_into_full_data_folder(env, previous, args))
    finally:
        shutil.rmtree(previous.parent, ignore_errors=True)
    return all(outcomes)


def _backup_refused(env, previous, options, full, where):
    data = Path(env["SIDEKEL_DATA_DIR"])
    status = data / "backup-status.json"
    before = previous.read_bytes()
    recorded = status.read_text() if status.exists() else None
    listing = sorted(p.name for p in previous.parent.iterdir())
    free = shutil.disk_usage(full).free
    start = time.monotonic()
    done = subprocess.run(sidekel("backup", *options), env=environment(env), capture_output=True, text=True, timeout=900)
    seconds = time.monotonic() - start
    message = (done.stderr.strip().splitlines() or [""])[-1]
    clear = "penuh" in message and str(full) in message and "Traceback" not in done.stderr
    left = sorted(p.name for p in previous.parent.iterdir())
    copies = [p.name for p in data.glob(".snapshot-*")]
    unchanged = previous.read_bytes() == before and (status.read_text() if status.exists() else None) == recorded
    verified = subprocess.run(sidekel("backup", "--verify", str(previous)), env=environment(env), capture_output=True,
                              text=True, timeout=900)
    ok = done.returncode != 0 and clear and left == listing and not copies and unchanged and verified.returncode == 0
    return result(f"disk-full-backup ({where})", ok,
                  f"{free // 1024} KB free: exit {done.returncode} after {seconds:.1f} s, message {message!r}; "
                  f"folder before {listing}, after {left}; database copies left {copies}; previous archive and "
                  f"record unchanged {unchanged}; previous archive verifies: "
                  f"{verified.returncode == 0} {(verified.stdout or verified.stderr).strip().splitlines()[-1:]}")


def _backup_into_full_data_folder(env, previous, args):
    source = Path(env["SIDEKEL_DATA_DIR"])
    subprocess.run(sidekel("shell", "--no-imports", "-c",
                           "from django.db import connection; connection.cursor().execute('PRAGMA wal_checkpoint(TRUNCATE)')"),
                   env=environment(env), check=True, capture_output=True)
    needed = [source / "sidekel.sqlite3", source / "secret_key"]
    used = sum(_pages(f.stat().st_size) for f in needed)
    mount, unmount = _tmpfs(used + args.backup_room * 1024)
    try:
        for item in needed:
            shutil.copy2(item, mount / item.name)
        small = {**env, "SIDEKEL_DATA_DIR": str(mount)}
        folder = Path(tempfile.mkdtemp(prefix="sidekel-backups-"))
        try:
            shutil.copy2(previous, folder / previous.name)
            ok = _backup_refused(small, folder / previous.name, ["-o", str(folder)], mount, "data folder")
            check = integrity(small)
            return result("disk-full-backup (data folder): database", check == "ok", f"integrity {check}") and ok
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    finally:
        unmount()


FAULTS = {"edit-kill": edit_kill, "database-cut": database_cut, "database-restart": database_restart,
          "disk-full-import": disk_full_import, "disk-full-backup": disk_full_backup}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=list(FAULTS), action="append", help="run only this fault (repeatable)")
    parser.add_argument("--size", type=int, default=2_000, help="residents of the demo")
    parser.add_argument("--writers", type=int, default=8, help="operators editing at once")
    parser.add_argument("--before", type=float, default=5, help="seconds of load before the fault")
    parser.add_argument("--cut", type=float, default=8, help="seconds the database stays cut")
    parser.add_argument("--after", type=float, default=10, help="seconds of load after the database is back")
    parser.add_argument("--headroom", type=int, nargs="+", default=[1024, 12288],
                        help="KB left free on the small disk, one import each (default: 1 MB, 12 MB)")
    parser.add_argument("--backup-room", type=int, default=64,
                        help="KB free beside the previous archive (or the database) for the disk-full backup")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()
    header("Faults: " + ", ".join(args.only or FAULTS))
    env = build_demo(args.size, reuse=args.reuse)
    outcomes = [FAULTS[name](env, args) for name in (args.only or FAULTS)]
    if not args.keep and not args.reuse:
        remove_demo(env)
    sys.exit(0 if all(outcomes) else 1)


if __name__ == "__main__":
    main()
