"""Benchmark of issue 22: Sidekel at a kabupaten's scale, every figure measured from outside over
HTTP and printed beside its budget.

    .venv/bin/python bench/scale.py                               # 100,000 and 1,000,000 residents, SQLite
    .venv/bin/python bench/scale.py --sizes 100000 --keep         # one size; keep the demo ...
    .venv/bin/python bench/scale.py --sizes 100000 --reuse        # ... and measure it again, no build
    .venv/bin/python bench/scale.py --reuse --only lists statistik --requests 10
    SIDEKEL_DATABASE_URL=postgres://postgres@127.0.0.1:5432/sidekel_bench .venv/bin/python bench/scale.py
    SIDEKEL_DATABASE_URL=postgres://... .venv/bin/python bench/scale.py --databases sqlite postgresql
    .venv/bin/python bench/scale.py --sizes 100000 --reuse --alternate HEAD~1   # old and new code in turn
    SIDEKEL_DATABASE_URL=postgres://... .venv/bin/python bench/scale.py --databases sqlite postgresql --reuse --interleave

Each size's demo kecamatan is bench/common.py's (`sidekel demo --penduduk N` in
<temp dir>/sidekel-bench-list/n<N>, on PostgreSQL in the database named by SIDEKEL_DATABASE_URL plus
the size), shared with list_search.py, statistik.py and the other benchmarks through --keep and
--reuse. `sidekel serve` runs on a free port of 127.0.0.1 as in production: its default worker
processes (--workers), 4 threads each, and its background worker. One client at a time, a browser
over keep-alive HTTP (bench/httpbench.py: cookies, CSRF, gzip accepted), logged in through the
login form as the demo personas, sends one request after another. Unless said otherwise a figure
is --requests timed GETs after 3 warm-up ones, and its budget is held by the p95.

Groups (--only; all by default):

  lists         /penduduk/ for the operator of Desa Rangda and for the kecamatan admin: the first
                page, the page reached by following "next" 20 times, name search (a fragment of a
                random resident's name, a different one each request), NIK search (a random
                resident's full NIK), the same while being typed (the first 6 to 12 digits of
                the NIK, the first one or two letters of the fragment), a sex + age filter and a dusun or village filter with an
                education or occupation. Budget p95 <= 25 ms; PostgreSQL within 20 % of SQLite
                (printed when --databases has both).
  statistik     the officials' statistics pages, as the camat: the dashboard /statistik/, and the
                summary and every category page (/statistik/<kode>/<category>/) of Desa Rangda and
                of the kecamatan, today and on the last day of the month a year ago (each page
                once to warm up, then --requests requests spread over the pages, at least two
                each). Budget p95 <= 50 ms.
  domains       the officials' list pages and public pages of aspirasi, pendidikan, potensi, peta
                and surat (layanan). Budget p95 <= 50 ms.
  after-change  --changes times: the operator changes a resident of Desa Rangda through the edit
                form (address and occupation), then the first request of each of: the public home
                page, the village's public page, a public statistics page, the public statistics
                API, the officials' dashboard and a statistics page (with domains, also the public
                schools page, the public map and its boundary layer, the school participation API
                and the officials' education page); then another change and the same pages
                --settle seconds later, after the worker has had time to refresh what it keeps.
                Budget: every such first request under 300 ms (max).
  import        `sidekel import penduduk` of OpenSID-format .xlsx files (`sidekel export penduduk
                --template opensid` of whole villages of the demo, --import-rows rows, each file
                made from the smallest size at least that large) into a fresh installation, under
                wait4, --import-runs times each (a fresh installation every time): rows/s, held by
                the median (budget >= 10,000), and peak memory, by the largest (budget < 400 MB);
                the same file varies by a third from run to run on a 2-core machine; and the time
                `sidekel demo` took to build the demo when this run built it (budget at 1,000,000
                residents: < 240 s), "reused" otherwise. --skip-import leaves the imports out.

--alternate REV runs the code of commit REV (checked out with `git worktree add` in a temporary
folder, removed afterwards) and this tree's code in turn, --rounds times (old, new, old, new, ...),
each turn with its own `sidekel serve` on the same demo data (the database is migrated by this
tree's code), and prints per figure the p95 of each and the ratio new/old: on a shared machine a
change is judged by that ratio, not by one run's figures. The import group runs in this mode only
when --only names it; the demo build is never timed in it.

--interleave (with both databases and --reuse) measures the two databases in turn instead of one
after the other, --rounds times (SQLite, PostgreSQL, SQLite, ...), each turn with its own `sidekel
serve`, and pools each database's figures over its turns: the PostgreSQL / SQLite ratio then
compares figures taken over the same minutes, which on a shared machine can differ by half
between two runs made minutes apart.

Printed per size and database: a table group | figure | n | p50 | p95 | max | budget | held/missed,
the load average before and after each group, and what the server's log said (tracebacks). The
budgets are reported, not enforced: the exit status is 0 whatever they show.
"""

import argparse
import contextlib
import datetime
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import DEMO_DIR, ROOT, demo, drop_postgres, environment, header, postgres_url, remove_demo, sidekel  # noqa: E402
from httpbench import Client, Server, filled_form, percentile, shell  # noqa: E402
from import_export import import_timed, installation  # noqa: E402
from list_search import DEEP_PAGES, WARMUP, deep_page_url  # noqa: E402

BENCH = Path(__file__).resolve().parent
KECAMATAN, RANGDA = "62.01.02", "62.01.02.2010"
PASSWORD = "sidekel-demo"  # the demo personas' (sidekel demo)
BROWSER = {"Accept-Encoding": "gzip"}
GROUPS = ["lists", "statistik", "domains", "after-change", "import"]


@dataclass(frozen=True)
class Budget:
    stat: str  # the figure of a series held to it: "p95", "max", or "value" (one measurement)
    op: str  # "<=", "<" or ">="
    limit: float
    unit: str

    def text(self):
        return f"{'' if self.stat == 'value' else self.stat + ' '}{self.op} {self.limit:,g} {self.unit}"

    def held(self, value):
        return {"<=": value <= self.limit, "<": value < self.limit, ">=": value >= self.limit}[self.op]


LIST = Budget("p95", "<=", 25, "ms")
PAGE = Budget("p95", "<=", 50, "ms")
AFTER_CHANGE = Budget("max", "<=", 300, "ms")
IMPORT_SPEED = Budget("p50", ">=", 10_000, "rows/s")  # the median of --import-runs
IMPORT_MEMORY = Budget("value", "<", 400, "MB")
DEMO_BUILD = Budget("value", "<", 240, "s")  # at 1,000,000 residents
POSTGRES_RATIO = Budget("value", "<=", 1.2, "x SQLite")  # for the lists


@dataclass
class Figure:
    group: str
    name: str
    budget: Budget | None
    values: list = field(default_factory=list)
    failures: Counter = field(default_factory=Counter)  # what answered instead of 200, and how often
    note: str = ""
    empty: str = "not measured"  # the verdict when there is no value

    def stat(self, which):
        if not self.values:
            return None
        if which in ("p50", "p95"):
            return percentile(self.values, int(which[1:]) / 100)
        return max(self.values)  # "max", and "value" (one measurement)

    def verdict(self):
        if not self.values:
            return self.empty
        if self.budget is None:
            return ""
        return "held" if self.budget.held(self.stat(self.budget.stat)) else "**missed**"


class Results:
    """The figures of one size, database and code, in the order they were first measured."""

    def __init__(self):
        self.figures = {}
        self.loads = []  # (group, load average before, after)
        self.log = Counter()  # what the servers' logs said: "tracebacks", "locked"

    def figure(self, group, name, budget=None):
        key = (group, name)
        if key not in self.figures:
            self.figures[key] = Figure(group, name, budget)
        return self.figures[key]

    def add(self, group, name, budget, value):
        self.figure(group, name, budget).values.append(value)


def number(value):
    if value is None:
        return "—"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"


def describe(figure):
    notes = [figure.note] if figure.note else []
    notes += [f"{n} answered {status}" for status, n in sorted(figure.failures.items(), key=str)]
    return figure.name + (f" ({'; '.join(notes)})" if notes else "")


def table(results):
    lines = ["| group | figure | n | p50 | p95 | max | budget | held/missed |",
             "| --- | --- | ---: | ---: | ---: | ---: | --- | --- |"]
    for f in results.figures.values():
        lines.append(f"| {f.group} | {describe(f)} | {len(f.values)} | {number(f.stat('p50'))} | {number(f.stat('p95'))} "
                     f"| {number(f.stat('max'))} | {f.budget.text() if f.budget else '—'} | {f.verdict()} |")
    return "\n".join(lines)


def ratio(new, old):
    return new / old if new is not None and old else None


def comparison(old, new, labels=("old", "new"), budgets=None):
    """Per figure of both: the p95 of each (a single measurement: its value) and new / old, and the
    same of the p50, which a loaded machine disturbs less. With ``budgets`` (group -> Budget),
    those groups' p95 ratios are held to them and the others to nothing; without, the budget is
    the figure's own, on the new one."""
    a, b = labels
    lines = [f"| group | figure | p95 {a} | p95 {b} | {b} / {a} | p50 {a} | p50 {b} | {b} / {a} (p50) | budget | held/missed |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |"]
    for key, f in new.figures.items():
        before = old.figures.get(key)
        cells, ratios = [], []
        for which in ("p95", "p50"):
            x, y = (before.stat(which) if before else None), f.stat(which)
            ratios.append(ratio(y, x))
            cells += [number(x), number(y), "—" if ratios[-1] is None else f"{ratios[-1]:.2f}"]
        if budgets is not None:
            budget = budgets.get(f.group)
            verdict = "" if ratios[0] is None or budget is None else "held" if budget.held(ratios[0]) else "**missed**"
        else:
            budget, verdict = f.budget, f.verdict()
        lines.append(f"| {f.group} | {describe(f)} | {' | '.join(cells)} | {budget.text() if budget else '—'} | {verdict} |")
    return "\n".join(lines)


def load_average():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


# --- what is asked for: the URLs ---------------------------------------------------------------

def month_end_a_year_ago(today):
    return datetime.date(today.year - 1, today.month, 1) - datetime.timedelta(days=1)


def repeat(items, total):
    return [items[i % len(items)] for i in range(total)]


def list_pages(facts, persona, total, deep):
    """name -> the paths of /penduduk/ to request (warm-ups first) for ``persona``."""
    sample = facts["personas"][persona]
    other = ("dusun + occupation", f"/penduduk/?dusun={facts['dusun']}&pekerjaan=9") \
        if persona == "operator.rangda" else ("village + education", f"/penduduk/?desa={RANGDA}&pendidikan=5")
    return {
        "list, first page": ["/penduduk/"] * total,
        f"list, page {DEEP_PAGES + 1} (next link)": [deep] * total,
        "name search": ["/penduduk/?" + urlencode({"q": q}) for q in repeat(sample["names"], total)],
        "NIK search": ["/penduduk/?" + urlencode({"q": nik}) for nik in repeat(sample["niks"], total)],
        # The list asks again while a search is typed: the first 6, 8, 10 or 12 digits of a NIK,
        # the first one or two letters of a name.
        "NIK being typed": ["/penduduk/?" + urlencode({"q": nik[:6 + 2 * (i % 4)]})
                            for i, nik in enumerate(repeat(sample["niks"], total))],
        "name being typed": ["/penduduk/?" + urlencode({"q": name[:1 + i % 2]})
                             for i, name in enumerate(repeat(sample["names"], total))],
        "filter sex + age 17-25": ["/penduduk/?jk=2&umur_min=17&umur_max=25"] * total,
        f"filter {other[0]}": [other[1]] * total,
    }


def statistik_pages(facts, kode, query=""):
    """The summary and every category page of the area ``kode``."""
    return [f"/statistik/{kode}/{query}"] + [f"/statistik/{kode}/{slug}/{query}" for slug in facts["kategori"]]


def domain_pages(facts):
    """(name, persona or None for the public, path) of the new domains' pages."""
    return [
        ("aspirasi: officials' list", "admin", "/petugas/aspirasi/"),
        ("aspirasi: public list", None, "/aspirasi/"),
        ("aspirasi: public API list", None, "/api/v1/aspirasi/"),
        ("pendidikan: officials' school list", "admin", "/petugas/sekolah/"),
        ("pendidikan: kecamatan education page", "admin", f"/petugas/pendidikan/{KECAMATAN}/"),
        ("pendidikan: a village's children out of school", "admin", f"/petugas/pendidikan/{RANGDA}/tidak-sekolah/"),
        ("pendidikan: public village schools page", None, f"/desa/{RANGDA}/sekolah/"),
        ("pendidikan: public schools API", None, f"/api/v1/sekolah/?wilayah={KECAMATAN}"),
        ("potensi: officials' overview", "admin", "/potensi/"),
        ("potensi: a village's profiles", "admin", f"/potensi/{RANGDA}/"),
        ("potensi: villages compared", "admin", f"/potensi/banding/?indikator={facts['indikator']}&tahun={facts['tahun']}"),
        ("potensi: public API", None, f"/api/v1/potensi/?wilayah={RANGDA}"),
        ("peta: officials' maps", "admin", "/petugas/peta/"),
        ("peta: operator's village map", "operator.rangda", f"/petugas/peta/{RANGDA}/"),
        ("peta: operator's village map data", "operator.rangda", f"/petugas/peta/{RANGDA}/data.geojson"),
        ("peta: public kecamatan map", None, f"/peta/{KECAMATAN}/"),
        ("peta: public boundary layer with population", None, f"/api/v1/peta/batas/?wilayah={KECAMATAN}&statistik=penduduk"),
        ("surat: operator's letters", "operator.rangda", "/surat/"),
        ("surat: kecamatan admin's letters", "admin", "/surat/"),
        ("surat: a village's agenda", "operator.rangda", f"/surat/agenda/{RANGDA}/"),
        ("surat: public residents' page", None, "/layanan/"),
        ("surat: public verification page", None, f"/v/{facts['token']}/"),
    ]


def after_change_pages(groups):
    """(group, name, persona or None, path) of the pages timed first after a change."""
    pages = []
    if "after-change" in groups:
        pages += [
            ("after-change", "public home /", None, "/"),
            ("after-change", "public village page", None, f"/desa/{RANGDA}/"),
            ("after-change", "public statistics page", None, f"/desa/{RANGDA}/statistik/pekerjaan/"),
            ("after-change", "public statistics API", None, f"/api/v1/statistik/pekerjaan/?wilayah={KECAMATAN}"),
            ("after-change", "officials' dashboard", "camat", "/statistik/"),
            ("after-change", "officials' statistics page", "camat", f"/statistik/{KECAMATAN}/pekerjaan/"),
        ]
    if "domains" in groups:
        pages += [
            ("domains", "public village schools page", None, f"/desa/{RANGDA}/sekolah/"),
            ("domains", "public kecamatan map", None, f"/peta/{KECAMATAN}/"),
            ("domains", "public boundary layer with population", None,
             f"/api/v1/peta/batas/?wilayah={KECAMATAN}&statistik=penduduk"),
            ("domains", "school participation API", None, f"/api/v1/statistik/partisipasi-sekolah/?wilayah={KECAMATAN}"),
            ("domains", "officials' education page", "admin", f"/petugas/pendidikan/{KECAMATAN}/"),
        ]
    return pages


# What the run needs to know of the demo, asked once in `sidekel shell` (this tree's code).
FACTS = """
import datetime, json, random, sys
sys.path.insert(0, {bench!r})
from list_search import name_fragment, sample_residents
from django.db.models import Count
from django.utils import timezone
from sidekel.akun.models import User
from sidekel.layanan.models import Surat
from sidekel.penduduk.models import Penduduk
from sidekel.potensi.choices import Tipe
from sidekel.potensi.models import Indikator
from sidekel.statistik.choices import KATEGORI
from sidekel.wilayah.models import Desa, Dusun
rng = random.Random({seed})
facts = {{"kategori": list(KATEGORI), "personas": {{}}}}
for username in ("operator.rangda", "admin"):
    found = sample_residents(User.objects.get(username=username), {count}, rng)
    facts["personas"][username] = {{"names": [name_fragment(nama, rng) for nama, _ in found],
                                    "niks": [nik for _, nik in found]}}
rangda = Desa.objects.get(kode="{rangda}")
facts["dusun"] = Dusun.objects.filter(desa=rangda).order_by("id").values_list("id", flat=True).first()
adult = timezone.localdate() - datetime.timedelta(days=25 * 366)
facts["editable"] = list(Penduduk.objects.filter(desa=rangda, status_dasar=1, deleted_at__isnull=True,
                                                 tanggal_lahir__lt=adult).order_by("-id").values_list("id", flat=True)[:{edits}])
facts["villages"] = dict(Penduduk.objects.filter(desa__in=Desa.objects.managed(), deleted_at__isnull=True)
                         .values_list("desa__kode").annotate(n=Count("id")).order_by("desa__kode"))
facts["token"] = Surat.objects.exclude(token=None).order_by("id").values_list("token", flat=True).first()
facts["indikator"] = Indikator.objects.aktif().filter(tipe=Tipe.ANGKA).values_list("kode", flat=True).first()
facts["tahun"] = timezone.localdate().year - 2
print(json.dumps(facts))
"""


# --- measuring ---------------------------------------------------------------------------------

class Session:
    """One `sidekel serve` (with its worker) of one checkout on one demo, its clients (one per
    persona, logged in once; None is the public), and the figures they take."""

    def __init__(self, env, root, args, results):
        self.server = Server(env, workers=args.workers, worker=True, root=root)
        self.results = results
        self.clients = {}

    def client(self, persona=None):
        if persona not in self.clients:
            client = Client(self.server.port, headers=BROWSER)
            if persona:
                client.login(persona, PASSWORD)
            self.clients[persona] = client
        return self.clients[persona]

    def timed(self, group, name, budget, persona, path):
        """GET ``path`` once and keep its time in ms (or what answered instead of 200); return the time."""
        figure = self.results.figure(group, name, budget)
        start = time.perf_counter()
        try:
            response = self.client(persona).get(path)
        except OSError as exc:
            figure.failures[f"nothing ({type(exc).__name__})"] += 1
            return None
        ms = (time.perf_counter() - start) * 1000
        if response.status != 200:
            figure.failures[response.status] += 1
            return None
        figure.values.append(ms)
        return ms

    def series(self, group, name, budget, persona, paths, warmup=WARMUP):
        """GET every path in turn, the first ``warmup`` untimed; return (path, ms) of the timed ones."""
        client = self.client(persona)
        for path in paths[:warmup]:
            try:
                client.get(path)
            except OSError:
                pass
        return [(path, self.timed(group, name, budget, persona, path)) for path in paths[warmup:]]

    def stop(self):
        for client in self.clients.values():
            client.close()
        log = self.server.log_text()
        self.results.log["tracebacks"] += log.count("Traceback")
        self.results.log["worker timeouts"] += log.count("WORKER TIMEOUT")
        self.server.stop()


def measure_lists(session, facts, n):
    for persona, label in (("operator.rangda", "operator"), ("admin", "kecamatan admin")):
        deep = deep_page_url(session.client(persona))  # list_search's: "next" followed 20 times
        for name, paths in list_pages(facts, persona, WARMUP + n, deep).items():
            session.series("lists", f"{label}: {name}", LIST, persona, paths)


def measure_statistik(session, facts, n, today):
    session.series("statistik", "dashboard /statistik/", PAGE, "camat", ["/statistik/"] * (WARMUP + n))
    past = month_end_a_year_ago(today)
    for area, kode in (("Desa Rangda", RANGDA), ("the kecamatan", KECAMATAN)):
        for when, query in (("today", ""), (f"on {past:%d-%m-%Y}", f"?tanggal={past:%d-%m-%Y}")):
            pages = statistik_pages(facts, kode, query)
            name = f"{area}, summary + {len(pages) - 1} category pages, {when}"
            timed = session.series("statistik", name, PAGE, "camat", pages + repeat(pages, max(n, 2 * len(pages))),
                                   warmup=len(pages))
            slowest = max((t, p) for p, t in timed if t is not None) if any(t for _, t in timed) else None
            if slowest:
                page = slowest[1].split("?")[0].split("/")[3] or "summary"
                session.results.figure("statistik", name).note = f"slowest: {page} {slowest[0]:.0f} ms"


def measure_domains(session, facts, n):
    for name, persona, path in domain_pages(facts):
        session.series("domains", name, PAGE, persona, [path] * (WARMUP + n))


def measure_after_change(session, facts, groups, changes, settle):
    pages = after_change_pages(groups)
    for _, _, persona, path in pages:  # every page seen once: what follows is a change, not a first visit
        session.client(persona).get(path)
    operator = session.client("operator.rangda")
    residents = iter(facts["editable"])
    for i in range(changes):
        for later in (0, settle):
            when = "right after a change" if not later else f"{later:g} s after a change"
            edit_one(session, operator, residents, i)
            time.sleep(later)
            for group, name, persona, path in pages:
                session.timed(group, f"first request {when}: {name}", AFTER_CHANGE, persona, path)


def edit_one(session, operator, residents, i):
    """The operator edits the next resident through the form (address and occupation) and saves;
    the save's time is kept. Residents the form refuses are passed over."""
    figure = session.results.figure("after-change", "the operator's edit, saved (the change)")
    for pk in residents:
        path = f"/penduduk/{pk}/ubah/"
        fields = filled_form(operator, path, "alamat", {"alamat": f"Jl. Skala {i} {time.time():.0f}",
                                                        "pekerjaan": str(8 + i % 2), "reason": "bench scale"})
        if fields is None:
            figure.failures["no edit form"] += 1
            continue
        start = time.perf_counter()
        response = operator.post(path, fields)
        if response.status == 302:
            figure.values.append((time.perf_counter() - start) * 1000)
            return
        figure.failures[response.status] += 1
    raise RuntimeError("no resident left that the edit form accepts")


def measure_all(env, root, args, groups, facts, results):
    """The HTTP groups, with one server of the checkout at ``root``."""
    today = datetime.date.today()
    if args.alternate:
        # The figures cached in files by the other code's server are not this code's: each turn
        # starts from an empty cache (the warm-up requests fill it).
        shutil.rmtree(Path(env["SIDEKEL_DATA_DIR"]) / "cache", ignore_errors=True)
    session = Session(env, root, args, results)
    try:
        steps = [("lists", lambda: measure_lists(session, facts, args.requests)),
                 ("statistik", lambda: measure_statistik(session, facts, args.requests, today)),
                 ("domains", lambda: measure_domains(session, facts, args.requests))]
        if "after-change" in groups or "domains" in groups:
            steps.append(("after-change", lambda: measure_after_change(session, facts, groups, args.changes, args.settle)))
        for group, step in steps:
            if group in groups or group == "after-change":
                before = load_average()
                step()
                results.loads.append((group, before, load_average()))
    finally:
        session.stop()


# --- import and the demo build -----------------------------------------------------------------

def opensid_file(env, size, rows, facts, keep_for_reuse):
    """An OpenSID-format .xlsx of about ``rows`` residents exported from whole villages of this
    demo (all of it when it has fewer), kept beside the demos; its path."""
    backend = "postgresql" if postgres_url(env) else "sqlite"
    path = DEMO_DIR / f"opensid-{backend}-n{size}-{rows}.xlsx"
    if keep_for_reuse and path.exists():
        return path
    villages = villages_for(facts["villages"], rows)
    subprocess.run(sidekel("export", "penduduk", "--template", "opensid", "--format", "xlsx", "-o", str(path),
                           "--desa", *villages), env=environment(env), cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return path


def villages_for(counts, rows):
    """Villages ({kode: residents}) holding at least ``rows`` residents together, and not many more:
    the largest that fit under ``rows``, then the smallest that reaches it (every village when they
    hold fewer)."""
    chosen, total = [], 0
    for kode, count in sorted(counts.items(), key=lambda item: -item[1]):
        if total + count <= rows:
            chosen.append(kode)
            total += count
    rest = sorted((count, kode) for kode, count in counts.items() if kode not in chosen)
    while total < rows and rest:
        count, kode = next(((c, k) for c, k in rest if total + c >= rows), rest[-1])
        rest.remove((count, kode))
        chosen.append(kode)
        total += count
    return sorted(chosen)


def measure_import(env, size, rows_list, facts, args, results, root=ROOT):
    for rows in rows_list:
        if rows > size:
            results.figure("import", f"import of {rows:,} OpenSID rows", IMPORT_SPEED).empty = \
                f"not measured: no demo of {rows:,} residents in --sizes"
            continue
        path = opensid_file(env, size, rows, facts, args.reuse or args.keep)
        before = load_average()
        try:
            for _run in range(args.import_runs):
                found, seconds, peak = import_once(path, rows, root)
                name = f"import of {found:,} OpenSID rows (.xlsx, n{size // 1000}k demo)"
                results.add("import", f"{name}: speed", IMPORT_SPEED, found / seconds)
                speed = results.figure("import", f"{name}: speed")  # with --interleave, every turn's too
                speed.note = ", ".join(f"{found / rate:.1f}" for rate in speed.values) + " s"
                results.add("import", f"{name}: peak memory", IMPORT_MEMORY, peak)
        finally:
            if not (args.keep or args.reuse):
                path.unlink(missing_ok=True)
        results.loads.append((f"import {rows:,}", before, load_average()))


def import_once(path, rows, root):
    """One timed import of ``path`` into a fresh installation, removed afterwards: (rows, s, MB)."""
    work = Path(tempfile.mkdtemp(prefix="sidekel-bench-scale-"))
    target = None
    try:
        target = installation(f"import{rows}", work, root)
        return import_timed(path, target, root)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if target is not None and postgres_url(target):
            drop_postgres(target["SIDEKEL_DATABASE_URL"])


def note_demo_build(results, size, built):
    figure = results.figure("import", f"demo build, {size:,} residents (s)", DEMO_BUILD if size >= 1_000_000 else None)
    if built is None:
        figure.empty = "reused"
    else:
        figure.values.append(built[0])
        figure.note = f"peak {built[1]:.0f} MB"


# --- one size on one database ------------------------------------------------------------------

@contextlib.contextmanager
def database(kind, url):
    """os.environ set for ``kind`` (sqlite, or postgresql at ``url``), as every helper reads it."""
    saved = os.environ.pop("SIDEKEL_DATABASE_URL", None)
    if kind == "postgresql":
        os.environ["SIDEKEL_DATABASE_URL"] = url
    try:
        yield
    finally:
        os.environ.pop("SIDEKEL_DATABASE_URL", None)
        if saved is not None:
            os.environ["SIDEKEL_DATABASE_URL"] = saved


def import_rows_for(size, sizes, rows_list):
    """The import files made from this size's demo: each measured at the smallest size at least as
    large; those larger than every size, at the largest (where they say so)."""
    return [r for r in rows_list if min((s for s in sizes if s >= r), default=max(sizes)) == size]


def run_size(size, args, groups, old_root, into=None):
    """Measure one size on the database os.environ names; return {code label: Results} (the figures
    added to ``into``'s, an earlier turn's return, when given)."""
    env, built = demo(size, reuse=args.reuse)
    try:
        facts = shell(env, FACTS.format(bench=str(BENCH), seed=args.seed, count=WARMUP + args.requests,
                                        rangda=RANGDA, edits=2 * args.changes + 20))
        http = [g for g in groups if g != "import"]
        rows = [] if "import" not in groups or args.skip_import else import_rows_for(size, args.sizes, args.import_rows)
        if old_root is None:
            results = into["this tree"] if into else Results()
            if http:
                measure_all(env, ROOT, args, http, facts, results)
            if "import" in groups:
                measure_import(env, size, rows, facts, args, results)
                note_demo_build(results, size, built)
            return {"this tree": results}
        runs = {"old": Results(), "new": Results()}
        for turn in range(args.rounds):
            for label, root in (("old", old_root), ("new", ROOT)):
                print(f"# round {turn + 1} of {args.rounds}: {label} code, load average {load_average()}", flush=True)
                if http:
                    measure_all(env, root, args, http, facts, runs[label])
                if rows:
                    measure_import(env, size, rows, facts, args, runs[label], root)
        return runs
    finally:
        if not (args.keep or args.reuse):
            remove_demo(env)


def report(size, kind, runs):
    print(f"\n## {size:,} residents, {'PostgreSQL' if kind == 'postgresql' else 'SQLite'}\n", flush=True)
    if set(runs) == {"old", "new"}:
        print(comparison(runs["old"], runs["new"]))
        print(f"\nnew: {footnote(runs['new'])}")
        print(f"old: {footnote(runs['old'])}")
        print("\nnew code alone:\n")
    results = runs.get("new") or runs["this tree"]
    print(table(results))
    print(f"\n{footnote(results)}", flush=True)


def footnote(results):
    loads = "; ".join(f"{group} {before.split()[0]} -> {after.split()[0]}" for group, before, after in results.loads)
    logs = ", ".join(f"{n} {what}" for what, n in results.log.items()) or "nothing"
    return f"load average (1 min) before -> after each group: {loads or '—'}. Server logs: {logs}."


# --- the old code, for --alternate -------------------------------------------------------------

@contextlib.contextmanager
def checkout(rev):
    """Commit ``rev`` of this repository in a temporary folder (a git worktree), removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="sidekel-bench-old-")) / "tree"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(folder), rev], check=True,
                   capture_output=True)
    try:
        yield folder
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(folder)], check=False,
                       capture_output=True)
        shutil.rmtree(folder.parent, ignore_errors=True)


def describe_code(rev=None):
    git = ["git", "-C", str(ROOT)]
    sha = subprocess.run(git + ["rev-parse", "--short", rev or "HEAD"], capture_output=True, text=True).stdout.strip()
    if rev:
        return f"{rev} = {sha}"
    dirty = subprocess.run(git + ["status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True).stdout
    return f"this tree, HEAD {sha}{' with uncommitted changes' if dirty.strip() else ''}"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--databases", nargs="+", choices=["sqlite", "postgresql"],
                        help="default: postgresql when SIDEKEL_DATABASE_URL is set, else sqlite; both for their ratio")
    parser.add_argument("--only", nargs="+", choices=GROUPS, help="these groups only (default: all; "
                        "with --alternate all but import)")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per figure (default 30)")
    parser.add_argument("--changes", type=int, default=5, help="changes in the after-change group (default 5)")
    parser.add_argument("--settle", type=float, default=5, help="seconds after a change for the second look (default 5)")
    parser.add_argument("--import-rows", type=int, nargs="+", default=[20_000, 100_000, 1_000_000],
                        help="rows of the OpenSID files to import (default 20000 100000 1000000)")
    parser.add_argument("--skip-import", action="store_true", help="no imports (long); the demo build is still reported")
    parser.add_argument("--alternate", nargs="?", const="HEAD~1", metavar="REV",
                        help="run commit REV (default HEAD~1) and this tree in turn, and print new/old per figure")
    parser.add_argument("--import-runs", type=int, default=1, metavar="N",
                        help="imports of each file, each into a fresh installation (default 1)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="turns of each code with --alternate, of each database with --interleave (default 3)")
    parser.add_argument("--interleave", action="store_true",
                        help="both databases in turn, --rounds times, each one's figures pooled (needs --reuse)")
    parser.add_argument("--workers", type=int, help="gunicorn worker processes (default: sidekel serve's, 2 x cores)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the demo and of the samples")
    parser.add_argument("--keep", action="store_true", help=f"keep the demos ({DEMO_DIR}) and the import files")
    parser.add_argument("--reuse", action="store_true", help="measure the demos an earlier --keep run left")
    args = parser.parse_args()
    url = postgres_url()
    kinds = args.databases or (["postgresql"] if url else ["sqlite"])
    if "postgresql" in kinds and not url:
        parser.error("--databases postgresql needs SIDEKEL_DATABASE_URL=postgres://.../<name>")
    groups = args.only or [g for g in GROUPS if not (args.alternate and g == "import")]
    if args.alternate:
        args.rounds = max(3, args.rounds)
    if args.interleave and (len(kinds) < 2 or args.alternate or not args.reuse):
        parser.error("--interleave measures both --databases, kept by an earlier --keep run (--reuse), without --alternate")
    turns = args.rounds if args.interleave else 1

    with contextlib.ExitStack() as stack:
        old_root = stack.enter_context(checkout(args.alternate)) if args.alternate else None
        done = {}
        for size in args.sizes:
            for turn in range(turns):
                for kind in kinds:
                    with database(kind, url):
                        if turn == 0:
                            header(f"Issue 22 at {size:,} residents over HTTP (bench/scale.py): {', '.join(groups)}")
                            print(f"# code: {describe_code()}" + (f"; old: {describe_code(args.alternate)}, "
                                                                  f"{args.rounds} rounds old/new" if old_root else "")
                                  + (f"; {turns} turns of each database, pooled" if turns > 1 else "")
                                  + f"; {args.requests} timed requests per figure; load average before: {load_average()}",
                                  flush=True)
                        else:
                            print(f"# turn {turn + 1} of {turns}: {kind}, load average {load_average()}", flush=True)
                        done[size, kind] = run_size(size, args, groups, old_root, into=done.get((size, kind)))
                        if turn == turns - 1:
                            report(size, kind, done[size, kind])
                            print(f"\nload average after: {load_average()}", flush=True)
        for size in args.sizes:
            if (size, "sqlite") in done and (size, "postgresql") in done:
                print(f"\n## {size:,} residents: PostgreSQL / SQLite (p95; budget for the lists: within 20 %)\n")
                last = {kind: (done[size, kind].get("new") or done[size, kind]["this tree"]) for kind in kinds}
                print(comparison(last["sqlite"], last["postgresql"], labels=("SQLite", "PostgreSQL"),
                                 budgets={"lists": POSTGRES_RATIO}), flush=True)


if __name__ == "__main__":
    main()
