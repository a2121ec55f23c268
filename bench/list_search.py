"""Benchmark: server time of the operator resident list (/penduduk/); print p50, p95 and max.

    .venv/bin/python bench/list_search.py                    # 100,000 and 1,000,000 on SQLite
    .venv/bin/python bench/list_search.py --sizes 20000      # one size
    .venv/bin/python bench/list_search.py --keep             # keep the demo databases afterwards ...
    .venv/bin/python bench/list_search.py --reuse            # ... and measure them again, no build
    .venv/bin/python bench/list_search.py --reuse --explain  # also SQL and plan of query types over target
    SIDEKEL_DATABASE_URL=postgres://postgres@127.0.0.1:5432/sidekel_bench .venv/bin/python bench/list_search.py

Each size is built with `sidekel demo --no-serve --penduduk N` in its own data folder under
<temp dir>/sidekel-bench-list/ (on PostgreSQL, in its own database: the URL's name plus the size,
e.g. sidekel_bench_100000, dropped and created again). The folders and databases are removed at
the end unless --keep is given; --reuse measures what an earlier --keep run left, building only
the sizes that are missing.

The measuring runs in a fresh process per size, in Django's test client (no web server, no
network), logged in as two demo personas: "operator.rangda" (one village) and "admin" (all 20
villages of the kecamatan). For each persona it times GET /penduduk/ for

    list     the first page of the default list (living residents, sorted by name)
    deep     the page reached by following the "next" (setelah) link 20 times
             (the last page, on a list shorter than that)
    name     q= a 4-6 letter fragment of the first or last name of a random resident in scope
    nik      q= the full 16-digit NIK of a random resident in scope

with 3 warm-up requests, then --requests timed requests (time.perf_counter around client.get;
each name or NIK request searches for a different resident). "rows" is the median number of
residents the page says it found; a count over the page's cap shows as cap + 1 (10,001).
Target: p95 under 50 ms at 100,000 residents and under 100 ms at 1,000,000. Nothing is
asserted; any answer other than 200 stops the run.
"""

import argparse
import math
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import DEMO_DIR, ROOT, build_demo as build, header, remove_demo as remove  # noqa: E402

PYTHON = ROOT / ".venv" / "bin" / "python"
PERSONAS = ["operator.rangda", "admin"]
WARMUP = 3
DEEP_PAGES = 20


def target_ms(size):
    return 50 if size <= 100_000 else 100


# --- measuring (child process, one per size) ---------------------------------------------------

class NotOK(Exception):
    pass


def get(client, url):
    """GET ``url``; return (milliseconds, response). Anything but 200 stops the benchmark."""
    start = time.perf_counter()
    response = client.get(url)
    ms = (time.perf_counter() - start) * 1000
    if response.status_code != 200:
        raise NotOK(f"GET {url} answered {response.status_code}, expected 200")
    return ms, response


def rows_found(response):
    """The number in "N residents found" at the top of the result (0 if the page has none).

    The page caps its count ("More than 10,000 residents found"); that is returned as cap + 1.
    """
    match = re.search(r'id="jumlah">([^<]*)<', response.content.decode())
    if match is None:
        return 0
    text = match.group(1).strip()
    number = int(re.sub(r"\D", "", re.search(r"\d[\d.,]*", text).group()))
    return number if text[0].isdigit() else number + 1


def next_link(response):
    """The cursor of the page's "next" link, or None on the last page."""
    match = re.search(r"setelah=([\w-]+)", response.content.decode())
    return match.group(1) if match else None


def deep_page_url(client):
    """The URL of the list page reached by clicking "next" DEEP_PAGES times from the first
    (or of the last page, when the list is shorter)."""
    url = "/penduduk/"
    for _ in range(DEEP_PAGES):
        _, response = get(client, url)
        cursor = next_link(response)
        if cursor is None:
            break
        url = f"/penduduk/?setelah={cursor}"
    return url


def sample_residents(user, count, rng):
    """``count`` random living residents the user can see, as (nama, nik)."""
    from sidekel.penduduk.models import Penduduk

    in_scope = Penduduk.objects.for_user(user).hidup().exclude(nik=None)
    ids = list(in_scope.order_by("id").values_list("id", flat=True))
    chosen = rng.sample(ids, count)  # ordered by id, so both back ends get the same sample
    return list(in_scope.filter(id__in=chosen).order_by("id").values_list("nama", "nik"))


def name_fragment(nama, rng):
    """4 to 6 letters from the first or last name, as an operator would type part of a name."""
    words = [w for w in nama.split() if len(w) >= 4] or [nama]
    word = rng.choice([words[0], words[-1]])
    length = min(len(word), rng.randint(4, 6))
    start = rng.randint(0, len(word) - length)
    return word[start:start + length].lower()


def query_urls(client, user, requests, rng):
    """For each query type, the URLs to request: WARMUP warm-ups first, then ``requests`` timed."""
    from urllib.parse import urlencode

    total = WARMUP + requests
    residents = sample_residents(user, total, rng)
    deep = deep_page_url(client)
    return {
        "list": ["/penduduk/"] * total,
        "deep": [deep] * total,
        "name": ["/penduduk/?" + urlencode({"q": name_fragment(nama, rng)}) for nama, _ in residents],
        "nik": ["/penduduk/?" + urlencode({"q": nik}) for _, nik in residents],
    }


def explain(client, url):
    """Print the SQL of one request to ``url`` with each statement's time, then the slowest
    SELECT in full with its query plan (EXPLAIN QUERY PLAN, or EXPLAIN ANALYZE on PostgreSQL)."""
    from django.db import connection

    statements = []  # (milliseconds, sql, params, sql with the params filled in)

    def timed(execute, sql, params, many, context):
        start = time.perf_counter()
        result = execute(sql, params, many, context)
        ms = (time.perf_counter() - start) * 1000
        statements.append((ms, sql, params, connection.ops.last_executed_query(context["cursor"], sql, params)))
        return result

    with connection.execute_wrapper(timed):
        request_ms, _ = get(client, url)
    sql_ms = sum(ms for ms, *_ in statements)
    print(f"#   GET {url}: {request_ms:.1f} ms, of which {len(statements)} SQL statements {sql_ms:.1f} ms")
    for ms, _, _, text in statements:
        print(f"#   {ms:8.2f} ms  {text[:150]}")
    selects = [statement for statement in statements if statement[1].startswith("SELECT")]
    ms, sql, params, text = max(selects, key=lambda statement: statement[0])
    print(f"#   slowest SELECT ({ms:.2f} ms): {text}")
    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS) "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql, params)
        for row in cursor.fetchall():
            print("#     " + " | ".join(str(column) for column in row))


def measure(size, requests, seed, show_sql):
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    rng = random.Random(seed)
    for username in PERSONAS:
        user = get_user_model().objects.get(username=username)
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        for query, urls in query_urls(client, user, requests, rng).items():
            for url in urls[:WARMUP]:
                get(client, url)
            times, found = [], []
            for url in urls[WARMUP:]:
                ms, response = get(client, url)
                times.append(ms)
                found.append(rows_found(response))
            slowest_url = urls[WARMUP + times.index(max(times))]
            ordered = sorted(times)
            p95 = ordered[math.ceil(0.95 * len(ordered)) - 1]  # nearest rank
            print(f"{size:>10,} {username:<16} {query:<6} {statistics.median(ordered):>8.1f} {p95:>8.1f} "
                  f"{ordered[-1]:>8.1f} {statistics.median(found):>9,.0f}", flush=True)
            if show_sql and p95 >= target_ms(size):
                explain(client, slowest_url)


# --- command line ------------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=1, help="seed of the demo data and of the sample")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per query type (default 30)")
    parser.add_argument("--reuse", action="store_true", help="measure the databases an earlier --keep run left")
    parser.add_argument("--keep", action="store_true", help=f"keep the data folders ({DEMO_DIR}) and databases")
    parser.add_argument("--explain", action="store_true", help="print SQL and plan of query types over target")
    parser.add_argument("--measure-size", type=int, help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()

    if args.measure_size:
        try:
            measure(args.measure_size, args.requests, args.seed, args.explain)
        except NotOK as exc:
            sys.exit(f"list_search: {exc}")
        return

    header("resident list /penduduk/ server time")
    print(f"# target: p95 < 50 ms at 100,000 residents, < 100 ms at 1,000,000; "
          f"{WARMUP} warm-up + {args.requests} timed requests per row", flush=True)
    envs = [build(size, args.seed, args.reuse) for size in args.sizes]
    print(f"{'residents':>10} {'persona':<16} {'query':<6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'rows':>9}",
          flush=True)
    failed = False
    for size, env in zip(args.sizes, envs):
        command = [PYTHON, __file__, "--measure-size", str(size), "--requests", str(args.requests),
                   "--seed", str(args.seed)] + (["--explain"] if args.explain else [])
        if subprocess.run(command, env=env).returncode != 0:
            failed = True
            break
    if not args.keep:
        for env in envs:
            remove(env)
    if failed:
        sys.exit("list_search: measuring failed (see above)")


if __name__ == "__main__":
    main()
