"""An attacker in the test suite (issue 13): collect every public answer about a generated kecamatan
and try to turn the figures back into people.

What a visitor without a login can get is collected through the public API (every category, the
village, each of its dusun/RW/RT, the kecamatan and the other villages, today and the last days of
past months); ``test_every_door_gives_the_same_answer`` checks that the portal's pages and the
open-data files say exactly the same, so attacking the API's answers is attacking all of them.
The attacks:

- a published count that equals a true count of 1 or 2 (the answer itself gives a person away);
- differencing: a unit's count worked out as the village less the other units, or a level less
  the levels below it;
- overlapping groups: "lansia 60+" less the five-year bands, "balita" against the band 0-4;
- a feasible-interval solver: linear programming (SciPy's HiGHS) over every published equality at
  once (rows add up to totals, men + women = total, RTs to RWs, dusun and the village, villages to
  the kecamatan, overlapping groups to their bands), each published count taken as the true
  count give or take the largest difference anywhere (an attacker who knows that bound exactly),
  finds the smallest and largest value each small count can have. A count of 1 or 2 whose
  smallest and largest possible values are equal is pinned: the test fails.
"""

import csv
import datetime
import html
import io
import random
import re
from collections import defaultdict

import pytest
from django.utils import timezone

from sidekel.penduduk.demo import DemoBuilder
from sidekel.penduduk.models import Penduduk
from sidekel.statistik import services
from sidekel.statistik.choices import AGE_GROUP_LIST, KATEGORI
from sidekel.statistik.publik import SENSITIVE, below_village
from sidekel.wilayah.models import Desa, Dusun, Rt, Rw

scipy_optimize = pytest.importorskip("scipy.optimize")
scipy_sparse = pytest.importorskip("scipy.sparse")

BELOW = 3
SEX = ("laki_laki", "perempuan")
TARGETS_PER_SYSTEM = 25  # small counts the solver tries per system of equations (all of them: too slow for CI)


def build_once():
    DemoBuilder(seed=21, today=timezone.localdate()).build(penduduk=3000)


@pytest.fixture
def attacker(once, client, settings):
    """A generated kecamatan (built once for the module) and an attacker with no login and no rate limit."""
    settings.SIDEKEL_API_RATE_PER_MINUTE = 0  # one attacker, many questions
    return Attacker(client, list(Desa.objects.managed().order_by("kode")))


def month_ends(count=2):
    day = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    out = []
    for _i in range(count):
        out.append(day)
        day = day.replace(day=1) - datetime.timedelta(days=1)
    return out


class Attacker:
    def __init__(self, client, villages):
        self.client = client
        self.villages = villages
        self.kecamatan_kode = villages[0].kecamatan.kode
        self.target = max(villages, key=lambda d: Rt.objects.filter(desa=d).count())
        self.rts = {rt.id: (rt.dusun_id, rt.rw_id) for rt in Rt.objects.filter(desa=self.target)}

    # --- what is published -------------------------------------------------------------------------

    def api(self, slug, kode, pada=None, level=None, unit_id=None):
        """{(code, column): published count or None (hidden)}, or None when the question is refused."""
        url = f"/api/v1/statistik/{slug}/?wilayah={kode}"
        if pada:
            url += f"&tanggal={pada.isoformat()}"
        if level:
            url += f"&{level}={unit_id}"
        response = self.client.get(url)
        if response.status_code != 200:
            assert response.status_code in (404, 422), url
            return None
        body = response.json()
        cells = {}
        # School participation answers with its rates (rows) and the published table they come from (tabel).
        for row in body.get("tabel", body["rows"]):
            for column in (*SEX, "jumlah"):
                cells[(row["kode"], column)] = row[column]
        for column in (*SEX, "jumlah"):
            if body["total"][column] is not None or slug != "kelompok-umur":
                cells[("__total__", column)] = body["total"][column]
        return cells

    def units(self):
        """[(level, id, [rt ids])] of the target village: every RT, RW and dusun."""
        out = [("rt", rt, [rt]) for rt in self.rts]
        out += [("rw", rw.id, [r for r, (_d, w) in self.rts.items() if w == rw.id]) for rw in Rw.objects.filter(desa=self.target)]
        out += [("dusun", d.id, [r for r, (du, _w) in self.rts.items() if du == d.id])
                for d in Dusun.objects.filter(desa=self.target)]
        return out

    # --- the truth (the officials' exact counting) -----------------------------------------------------

    @staticmethod
    def truth(slug, desa_ids, pada, unit=None):
        cells = defaultdict(int)
        for row in services.tabulate(desa_ids, slug, pada, unit):
            for column in (*SEX, "jumlah"):
                cells[(row.kode, column)] += getattr(row, column)
                cells[("__total__", column)] += getattr(row, column)
        return cells

    def rest_truth(self, slug):
        """Residents of the target village in no RT: {(code, sex): n} (the attacker may know them too)."""
        everyone = self.truth(slug, [self.target.id], timezone.localdate())
        in_rts = defaultdict(int)
        for rt in self.rts:
            for key, n in self.truth(slug, [self.target.id], timezone.localdate(), services.Unit("rt", rt)).items():
                in_rts[key] += n
        return {key: everyone[key] - in_rts.get(key, 0) for key in everyone}


def small(n):
    return 0 < n < BELOW


# --- the attacks ---------------------------------------------------------------------------------------

def test_no_published_count_equals_a_true_count_of_one_or_two(attacker):
    """Every category, every level, every allowed date: no small count is published as it is."""
    leaks, checked = [], 0
    today = timezone.localdate()
    for slug in KATEGORI:
        for pada in [today, *month_ends()]:
            areas = [(v.kode, [v.id]) for v in attacker.villages] + [(attacker.kecamatan_kode, [v.id for v in attacker.villages])]
            for kode, ids in areas:
                published = attacker.api(slug, kode, pada if pada != today else None)
                truth = attacker.truth(slug, ids, pada)
                for key, n in truth.items():
                    if small(n):
                        checked += 1
                        if published.get(key, 0) == n:
                            leaks.append((slug, pada, kode, key, n))
        if below_village(slug):
            for level, unit_id, _rts in attacker.units():
                published = attacker.api(slug, attacker.target.kode, None, level, unit_id)
                truth = attacker.truth(slug, [attacker.target.id], today, services.Unit(level, unit_id))
                for key, n in truth.items():
                    if small(n):
                        checked += 1
                        if published.get(key, 0) == n:
                            leaks.append((slug, level, unit_id, key, n))
        else:
            rt = next(iter(attacker.rts))
            assert attacker.api(slug, attacker.target.kode, None, "rt", rt) is None, slug  # refused
    assert checked > 500  # the generated kecamatan has plenty of small counts to protect
    assert leaks == []


def test_sensitive_categories_are_never_published_below_the_village(attacker):
    for slug in SENSITIVE | {"kelompok-umur"}:
        for level, unit_id, _rts in attacker.units()[:5]:
            assert attacker.api(slug, attacker.target.kode, None, level, unit_id) is None


def test_differencing_gives_back_the_published_count_never_the_true_one(attacker):
    """Village less every other RT (the attack that recovered 69 hidden cells) and dusun less
    its other RTs: the answer is the published count of the RT, which is never a true 1 or 2."""
    today = timezone.localdate()
    found = []
    for slug in ("pekerjaan", "umur", "pendidikan", "status-perkawinan"):
        village = attacker.api(slug, attacker.target.kode)
        rest = attacker.rest_truth(slug)  # the attacker is even told who lives in no RT
        per_rt = {rt: attacker.api(slug, attacker.target.kode, None, "rt", rt) for rt in attacker.rts}
        for rt, cells in per_rt.items():
            truth = attacker.truth(slug, [attacker.target.id], today, services.Unit("rt", rt))
            for key, n in truth.items():
                if not small(n) or key[0] == "__total__":
                    continue
                worked_out = village.get(key, 0) - rest.get(key, 0) - sum(
                    other.get(key, 0) or 0 for r, other in per_rt.items() if r != rt)
                if worked_out == n:
                    found.append((slug, rt, key, n))
    assert found == []


def test_overlapping_age_groups_do_not_undo_the_bands(attacker):
    """"Lansia 60+" and "produktif 15-64" less the five-year bands, for every village and the kecamatan."""
    today = timezone.localdate()
    found = []
    starts = [int(code) for code, _l in KATEGORI["umur"].labels()]
    for village in attacker.villages:
        groups = attacker.api("kelompok-umur", village.kode)
        bands = attacker.api("umur", village.kode)
        truth = attacker.truth("umur", [village.id], today)
        for code, _label, youngest, oldest in AGE_GROUP_LIST:
            made_of = [b for b in starts if b >= youngest and (oldest is None or b + 4 <= oldest)]
            if youngest not in starts or not (oldest is None or oldest + 1 in starts):
                continue
            for column in (*SEX, "jumlah"):
                published_sum = sum(bands.get((str(b), column), 0) for b in made_of)
                assert groups[(code, column)] == published_sum, (village, code)  # the two tables agree
                for b in made_of:  # one band worked out as the group less the others
                    n = truth[(str(b), column)]
                    worked_out = groups[(code, column)] - (published_sum - bands.get((str(b), column), 0))
                    if small(n) and worked_out == n:
                        found.append((village.kode, code, b, column))
    assert found == []


def test_no_small_count_can_be_pinned_by_linear_programming(attacker):
    """Every published equality at once, for the target village's RTs, RWs, dusun, the village, the
    other villages and the kecamatan, one category at a time (today), and the villages and the
    kecamatan on the last days of past months."""
    systems = []
    for slug in KATEGORI:
        if below_village(slug):
            systems.append(_system_today(attacker, slug))
        systems.append(_system_villages(attacker, slug, month_ends(1)[0]))
    pinned, tried = [], 0
    for system in systems:
        result = system.attack()
        pinned += result[0]
        tried += result[1]
    assert tried > 200
    assert pinned == []


class System:
    """Linear expressions over non-negative unknowns (true counts), each with what was published."""

    def __init__(self, name):
        self.name = name
        self.variables = {}
        self.published = []  # (expression {var: coef}, published value or None, true value)

    def var(self, key):
        return self.variables.setdefault(key, len(self.variables))

    def add(self, expression, published, true):
        self.published.append(({self.var(k): c for k, c in expression.items()}, published, true))

    def attack(self):
        """([pinned small counts], number tried)."""
        numeric = [(e, p, t) for e, p, t in self.published if p is not None]
        bound = max((abs(p - t) for _e, p, t in numeric), default=0)
        n = len(self.variables)
        rows, upper = [], []
        equalities, equal_to = [], []
        for expression, p, _t in numeric:
            if bound == 0:
                equalities.append(expression)
                equal_to.append(p)
            else:
                rows.append(expression)
                upper.append(p + bound)
                rows.append({k: -c for k, c in expression.items()})
                upper.append(-(p - bound))

        def matrix(expressions):
            m = scipy_sparse.lil_matrix((len(expressions), n))
            for i, expression in enumerate(expressions):
                for k, c in expression.items():
                    m[i, k] = c
            return m.tocsr()

        a_ub, a_eq = (matrix(rows), upper) if rows else (None, None), (matrix(equalities), equal_to) if equalities else (None, None)
        targets = [(e, p, t) for e, p, t in self.published if small(t)]
        random.Random(self.name).shuffle(targets)
        hidden = [x for x in targets if x[1] is None]
        targets = hidden + [x for x in targets if x[1] is not None][:TARGETS_PER_SYSTEM]
        pinned = []
        for expression, p, t in targets:
            c = [0.0] * n
            for k, coef in expression.items():
                c[k] = coef
            low = scipy_optimize.linprog(c, A_ub=a_ub[0], b_ub=a_ub[1], A_eq=a_eq[0], b_eq=a_eq[1],
                                         bounds=(0, None), method="highs")
            high = scipy_optimize.linprog([-v for v in c], A_ub=a_ub[0], b_ub=a_ub[1], A_eq=a_eq[0], b_eq=a_eq[1],
                                          bounds=(0, None), method="highs")
            assert low.status == 0 and high.status == 0, (self.name, "the true counts are a solution")
            if -high.fun - low.fun < 0.5:
                pinned.append((self.name, expression, p, t, low.fun))
        return pinned, len(targets)


def _add_table(system, cells_published, truth, unknowns):
    """Every cell of a published table as an expression: ``unknowns(code, sex)`` gives the sum of
    variables that make the cell (one sex); jumlah is men + women; the total row is every code."""
    codes = {code for code, _c in truth if code != "__total__"} | {code for code, _c in cells_published if code != "__total__"}
    for code in codes | {"__total__"}:
        for column in (*SEX, "jumlah"):
            expression = defaultdict(int)
            for sex in SEX if column == "jumlah" else (column,):
                for c in (codes if code == "__total__" else [code]):
                    for key in unknowns(c, sex):
                        expression[key] += 1
            if code == "__total__" and ("__total__", column) not in cells_published:
                continue  # a table without a total (overlapping groups)
            system.add(expression, cells_published.get((code, column), 0), truth.get((code, column), 0))


def _system_today(attacker, slug):
    today = timezone.localdate()
    system = System(f"{slug} today")
    target = attacker.target
    rts = list(attacker.rts)

    def in_rts(rt_ids):
        return lambda code, sex: [("x", r, code, sex) for r in rt_ids]

    everywhere = rts + ["rest"]
    for level, unit_id, rt_ids in attacker.units():
        published = attacker.api(slug, target.kode, None, level, unit_id)
        _add_table(system, published, attacker.truth(slug, [target.id], today, services.Unit(level, unit_id)),
                   in_rts(rt_ids))
    _add_village_and_kecamatan(attacker, system, slug, None, in_rts(everywhere))
    return system


def _system_villages(attacker, slug, pada):
    system = System(f"{slug} {pada}")
    _add_village_and_kecamatan(attacker, system, slug, pada, lambda code, sex: [("v", code, sex)])
    return system


def _add_village_and_kecamatan(attacker, system, slug, pada, target_unknowns):
    day = pada or timezone.localdate()
    others = [v for v in attacker.villages if v.id != attacker.target.id]

    def village_unknowns(village):
        if village.id == attacker.target.id:
            return target_unknowns
        return lambda code, sex: [("w", village.id, code, sex)]

    tables = [("umur", "umur")] if slug == "umur" else [(slug, slug)]
    for table, _s in tables:
        for village in [attacker.target, *others]:
            _add_table(system, attacker.api(table, village.kode, pada),
                       attacker.truth(table, [village.id], day), village_unknowns(village))

        def everyone(code, sex):
            keys = []
            for village in [attacker.target, *others]:
                keys += village_unknowns(village)(code, sex)
            return keys

        _add_table(system, attacker.api(table, attacker.kecamatan_kode, pada),
                   attacker.truth(table, [v.id for v in attacker.villages], day), everyone)
    if slug == "umur":  # the overlapping groups made of whole bands: another view of the same unknowns
        starts = [int(code) for code, _l in KATEGORI["umur"].labels()]
        for village in [attacker.target, *others]:
            groups = attacker.api("kelompok-umur", village.kode, pada)
            truth = attacker.truth("kelompok-umur", [village.id], day)
            for code, _label, youngest, oldest in AGE_GROUP_LIST:
                if youngest not in starts or not (oldest is None or oldest + 1 in starts):
                    continue
                made_of = [str(b) for b in starts if b >= youngest and (oldest is None or b + 4 <= oldest)]
                for column in SEX:
                    expression = defaultdict(int)
                    for band in made_of:
                        for key in village_unknowns(village)(band, column):
                            expression[key] += 1
                    system.add(expression, groups[(code, column)], truth[(code, column)])


# --- the same answer at every door -------------------------------------------------------------------

CELL = re.compile(r'<td class="num(?: total)?">(?:<b>)?([^<]*)(?:</b>)?</td>')
SHOWN = ("jumlah", "laki_laki", "perempuan")  # the page shows the total first


def _page_numbers(content):
    return [int(v.replace(".", "")) for v in CELL.findall(html.unescape(content))]


def test_every_door_gives_the_same_answer(attacker):
    """The portal's page, its CSV, XLSX-free JSON file and the API: the same numbers for the same question."""
    client = attacker.client
    target = attacker.target
    rt = next(iter(attacker.rts))
    for slug in ("disabilitas", "pekerjaan", "umur", "agama"):
        api = client.get(f"/api/v1/statistik/{slug}/?wilayah={target.kode}").json()
        api_numbers = [row[c] for row in api["rows"] for c in SHOWN]
        api_numbers += [api["total"][c] for c in SHOWN]
        page = client.get(f"/desa/{target.kode}/statistik/{slug}/").content.decode()
        assert _page_numbers(page) == api_numbers, slug
        text = client.get(f"/data/penduduk-{slug}/{target.kode}.csv").content.decode("utf-8")
        records = list(csv.DictReader(io.StringIO(text.split("\r\n\r\n")[0])))
        assert [(r["kode"], int(r["laki_laki"]), int(r["perempuan"])) for r in records] == \
            [(r["kode"], r["laki_laki"], r["perempuan"]) for r in api["rows"]]
        kecamatan = client.get(f"/api/v1/statistik/{slug}/?wilayah={attacker.kecamatan_kode}").json()
        page = client.get(f"/kecamatan/{attacker.kecamatan_kode}/statistik/{slug}/").content.decode()
        assert _page_numbers(page)[-3:] == [kecamatan["total"][c] for c in SHOWN]
    unit_api = client.get(f"/api/v1/statistik/pekerjaan/?wilayah={target.kode}&rt={rt}").json()
    unit_page = client.get(f"/desa/{target.kode}/statistik/pekerjaan/?bagian=rt-{rt}").content.decode()
    assert _page_numbers(unit_page) == [row[c] for row in unit_api["rows"] for c in SHOWN] + \
        [unit_api["total"][c] for c in SHOWN]
    # The headline figures: the village list of the API, the home page and the village's sex table.
    wilayah = {d["kode"]: d for d in client.get("/api/v1/wilayah/").json()}
    sexes = client.get(f"/api/v1/statistik/jenis-kelamin/?wilayah={target.kode}").json()["total"]
    assert wilayah[target.kode]["jumlah_penduduk"] == sexes["jumlah"]
    living = Penduduk.objects.filter(desa=target, status_dasar=1, deleted_at__isnull=True).count()
    assert sexes["jumlah"] == living  # a village's population is exact


def test_the_solver_pins_what_suppression_alone_leaves_open():
    """The attacker works: a village of 3 whose RT A is hidden ("<3") and RT B shown as 2 gives RT A
    away as 1 (the differencing that recovered 69 hidden cells from the old API); drawn, it cannot."""
    system = System("suppressed")
    system.add({("a",): 1, ("b",): 1}, 3, 3)  # the village, exact
    system.add({("a",): 1}, None, 1)  # RT A hidden
    system.add({("b",): 1}, 2, 2)  # RT B shown
    pinned, tried = system.attack()
    assert tried == 2  # RT A, and RT B (published as it is: pinned too)
    assert sorted((tuple(e), round(low)) for _n, e, _p, _t, low in pinned) == [((0,), 1), ((1,), 2)]
    # The same village drawn: RT A published 0, RT B 3 (adds up): nothing can be pinned.
    drawn = System("drawn")
    drawn.add({("a",): 1, ("b",): 1}, 3, 3)
    drawn.add({("a",): 1}, 0, 1)
    drawn.add({("b",): 1}, 3, 2)
    assert drawn.attack() == ([], 2)
