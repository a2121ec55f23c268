"""The figures the public site and the open data publish: today's aggregates, small counts hidden.

Suppression rules (docs/architecture.md, "Public site"):

- The kecamatan and each village: every category is shown in full, except the SENSITIVE ones
  (disability and blood type are health data under UU 27/2022; citizenship and religion single
  out the one foreigner or the one family of a minority faith in a village). Those are
  suppressed at the village level and, linked with it, at the kecamatan level.
- Every dusun/lingkungan, RW and RT: every table is suppressed, always, linked with the other
  units and the village so that no hidden cell is "village minus the other RTs". Overlapping age
  groups (kelompok-umur) are not published below the village: they would undo the suppression
  of the five-year bands.
- In a suppressed table zeros are hidden too: "<3" means 0, 1 or 2. Otherwise "the village has 3,
  its three RTs each show <3" would say that each RT has exactly one.
- A unit's row totals (men, women, all) are the same in every category; they are decided once,
  from the sex table, so one category cannot give away what another hides.

A published table is ``Tabel``: rows as dicts with kode, label and the counts (None = hidden),
and the totals. Everything is cached per village data version, like services.py.
"""

import datetime
import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from sidekel.core.versioned import CACHE_SECONDS, data_versions
from sidekel.penduduk.choices import JenisKelamin, StatusDasar
from sidekel.penduduk.models import Penduduk, Peristiwa
from sidekel.wilayah.models import Desa, Rt

from . import services
from .choices import AGE_BANDS, KATEGORI
from .privacy import suppress_linked

SENSITIVE = {"disabilitas", "golongan-darah", "kewarganegaraan", "agama"}
NOT_BELOW_VILLAGE = {"kelompok-umur"}
SEX_COLUMNS = ("laki_laki", "perempuan", "jumlah")
TOTAL = "__total__"
L, P = JenisKelamin.LAKI_LAKI, JenisKelamin.PEREMPUAN
LEVELS = ("dusun", "rw", "rt")


@dataclass
class Tabel:
    """A published table: ``rows`` [{kode, label, <columns>...}], ``totals`` {column: n}; None = hidden."""

    columns: tuple
    rows: list
    totals: dict
    suppressed: bool = False
    column_labels: dict = field(default_factory=dict)
    has_totals: bool = True  # overlapping groups have no meaningful total

    @property
    def hidden_any(self):
        return any(r[c] is None for r in self.rows for c in self.columns) or None in self.totals.values()


def unit_categories():
    return [k for k in KATEGORI.values() if k.slug not in NOT_BELOW_VILLAGE]


# --- counting -----------------------------------------------------------------------------------

def _code(value):
    return services.NOT_FILLED if value in (None, services.NOT_FILLED) else str(value)


def _counts_by_rt(desa_id, kategori):
    """{rt_id or None: Counter((code, sex))} of today's living residents of one village."""
    pada = timezone.localdate()
    living = Penduduk.objects.filter(desa_id=desa_id, deleted_at__isnull=True, status_dasar=StatusDasar.HIDUP).order_by()
    group = kategori.field
    if kategori.kind == AGE_BANDS:
        living, group = living.annotate(kode=services._age_band_sql(pada)), "kode"
    result = defaultdict(Counter)
    for rt_id, code, sex, n in living.values_list("rt_id", group, "jenis_kelamin").annotate(n=Count("id")):
        result[rt_id][(_code(code), sex)] += n
    return dict(result)


def _families_by_rt(desa_id):
    """{rt_id: Counter(size: families)} today; a family counts in the RT of most of its members."""
    members = defaultdict(Counter)
    rows = Penduduk.objects.filter(desa_id=desa_id, deleted_at__isnull=True, status_dasar=StatusDasar.HIDUP,
                                   keluarga__isnull=False).order_by().values_list("keluarga_id", "rt_id").annotate(n=Count("id"))
    for keluarga_id, rt_id, n in rows:
        members[keluarga_id][rt_id] += n
    result = defaultdict(Counter)
    for per_rt in members.values():
        rt_id = per_rt.most_common(1)[0][0]
        result[rt_id][str(min(sum(per_rt.values()), services.MAX_SIZE))] += 1
    return dict(result)


def _months(count=12):
    """The first days of the last ``count`` months, oldest first, this month last."""
    month = timezone.localdate().replace(day=1)
    months = [month]
    for _i in range(count - 1):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
        months.insert(0, month)
    return months


def _events_by_rt(desa_id):
    """{rt_id: Counter(("yyyy-mm", jenis))} for the last 12 months."""
    first = _months()[0]
    rows = (Peristiwa.objects.filter(desa_id=desa_id, tanggal__gte=first, tanggal__lte=timezone.localdate(),
                                     jenis__in=services.EVENT_COLUMNS, penduduk__deleted_at__isnull=True)
            .order_by().values_list("rt_id", "penduduk__rt_id", "tanggal", "jenis"))
    result = defaultdict(Counter)
    for rt_id, person_rt, tanggal, jenis in rows:
        result[rt_id or person_rt][(tanggal.strftime("%Y-%m"), str(jenis))] += 1
    return dict(result)


# --- table shapes ---------------------------------------------------------------------------------

@dataclass
class Shape:
    """Rows and columns of a kind of table, and whether a row's columns add up (men + women = all)."""

    rows: list  # [(kode, label)]
    columns: tuple
    row_sum: bool
    column_labels: dict = field(default_factory=dict)


def shape(slug):
    if slug == "keluarga":
        rows = [(str(s), f"{s}+" if s == services.MAX_SIZE else str(s)) for s in range(1, services.MAX_SIZE + 1)]
        return Shape(rows, ("keluarga",), False, {"keluarga": _("Families")})
    if slug == "peristiwa":
        from sidekel.penduduk.choices import JenisPeristiwa

        rows = [(m.strftime("%Y-%m"), m.strftime("%m-%Y")) for m in _months()]
        return Shape(rows, tuple(str(j) for j in services.EVENT_COLUMNS), False,
                     {str(j): JenisPeristiwa(j).label for j in services.EVENT_COLUMNS})
    kategori = KATEGORI[slug]
    rows = [(code, str(label)) for code, label in kategori.labels()] + [(services.NOT_FILLED, _("Not filled"))]
    return Shape(rows, SEX_COLUMNS, True, {"laki_laki": _("Men"), "perempuan": _("Women"), "jumlah": _("Total")})


def _cells(slug, counter, sh):
    """{(row, column): n} with a TOTAL row, from a Counter of (code, sex) or (row, column)."""
    cells = {}
    for kode, _label in sh.rows:
        if sh.row_sum:
            men, women = counter.get((kode, L), 0), counter.get((kode, P), 0)
            cells[(kode, "laki_laki")], cells[(kode, "perempuan")], cells[(kode, "jumlah")] = men, women, men + women
        elif slug == "keluarga":
            cells[(kode, "keluarga")] = counter.get(kode, 0)
        else:
            for column in sh.columns:
                cells[(kode, column)] = counter.get((kode, column), 0)
    for column in sh.columns:
        cells[(TOTAL, column)] = sum(cells[(kode, column)] for kode, _l in sh.rows)
    return cells


def _add(a, b):
    out = Counter(a)
    out.update(b)
    return out


def _table(sh, unit_cells, hidden=frozenset(), unit=None, suppressed=False):
    """A Tabel from one unit's cells; the "not filled" row only when it holds someone."""
    rows = []
    for kode, label in sh.rows:
        if kode == services.NOT_FILLED and sh.row_sum and not unit_cells[(kode, "jumlah")]:
            continue
        rows.append({"kode": kode, "label": label, **{c: None if (unit, kode, c) in hidden else unit_cells[(kode, c)]
                                                      for c in sh.columns}})
    totals = {c: None if (unit, TOTAL, c) in hidden else unit_cells[(TOTAL, c)] for c in sh.columns}
    return Tabel(sh.columns, rows, totals, suppressed, sh.column_labels)


# --- one village's hierarchy ----------------------------------------------------------------------

def _village_units(desa_id):
    """{("rt", id): (dusun_id, rw_id)} and the unit keys of each level."""
    return {rt_id: (dusun_id, rw_id)
            for rt_id, dusun_id, rw_id in Rt.objects.filter(desa_id=desa_id).values_list("id", "dusun_id", "rw_id")}


def _raw(desa_id, slug):
    if slug == "keluarga":
        return _families_by_rt(desa_id)
    if slug == "peristiwa":
        return _events_by_rt(desa_id)
    return _counts_by_rt(desa_id, KATEGORI[slug])


def _hierarchy(desa_id, slug, sh, root=("desa",)):
    """(values, relations, unit cells) of one village and its units, keys (unit, row, column)."""
    rts = _village_units(desa_id)
    by_rt = _raw(desa_id, slug)
    units = defaultdict(Counter)
    for rt_id, counter in by_rt.items():
        units[root] = _add(units[root], counter)
        if rt_id is None or rt_id not in rts:
            continue
        dusun_id, rw_id = rts[rt_id]
        units[("rt", rt_id)] = _add(units[("rt", rt_id)], counter)
        if dusun_id:
            units[("dusun", dusun_id)] = _add(units[("dusun", dusun_id)], counter)
        if rw_id:
            units[("rw", rw_id)] = _add(units[("rw", rw_id)], counter)
    # Every unit is published, empty or not (an empty RT shows zeros).
    for rt_id, (dusun_id, rw_id) in rts.items():
        units.setdefault(("rt", rt_id), Counter())
        if dusun_id:
            units.setdefault(("dusun", dusun_id), Counter())
        if rw_id:
            units.setdefault(("rw", rw_id), Counter())
    units.setdefault(root, Counter())
    cells = {unit: _cells(slug, counter, sh) for unit, counter in units.items()}
    # Which units sum to which: the village to each level; a dusun to its RWs and RTs; an RW to its RTs.
    children = defaultdict(set)
    for rt_id, (dusun_id, rw_id) in rts.items():
        children[(root, "rt")].add(("rt", rt_id))
        if rw_id:
            children[(root, "rw")].add(("rw", rw_id))
            children[(("rw", rw_id), "rt")].add(("rt", rt_id))
        if dusun_id:
            children[(root, "dusun")].add(("dusun", dusun_id))
            children[(("dusun", dusun_id), "rt")].add(("rt", rt_id))
            if rw_id:
                children[(("dusun", dusun_id), "rw")].add(("rw", rw_id))
    return cells, children


def _relations(cells, children, sh, ordered_rows=True):
    """Values and relations over every cell of ``cells`` ({unit: {(row, col): n}})."""
    values, relations = {}, []
    for unit, unit_cells in cells.items():
        for (row, column), n in unit_cells.items():
            values[(unit, row, column)] = n
        rows = [kode for kode, _l in sh.rows] + [TOTAL]
        if sh.row_sum:
            for row in rows:
                relations.append(((unit, row, "jumlah"), [(unit, row, "laki_laki"), (unit, row, "perempuan")]))
        if ordered_rows:
            for column in sh.columns:
                relations.append(((unit, TOTAL, column), [(unit, kode, column) for kode, _l in sh.rows]))
    for (parent, _level), kids in children.items():
        kids = sorted(kids)
        for (row, column) in cells[parent]:
            rest = cells[parent][(row, column)] - sum(cells[k][(row, column)] for k in kids)
            remainder = ("sisa", parent, _level)
            values[(remainder, row, column)] = rest  # people with no unit of this level: known, never hidden
            relations.append(((parent, row, column), [(k, row, column) for k in kids] + [(remainder, row, column)]))
    return values, relations


def _versions_key(desa_ids):
    versions = data_versions(desa_ids)
    text = ",".join(f"{i}:{versions[i]}" for i in sorted(versions))
    return hashlib.sha1(text.encode()).hexdigest()[:16] + timezone.localdate().isoformat()


def _unit_totals_fixed(desa_id):
    """Per unit, the cells of the sex table's TOTAL row after suppression: {(unit, TOTAL, c): hidden?}."""
    result = services.cached([desa_id], "publik:totals:" + timezone.localdate().isoformat(),
                             lambda d: _compute_village(d, "jenis-kelamin", with_totals=False)[1])[desa_id]
    return result


def _compute_village(desa_id, slug, with_totals=True):
    """({unit: Tabel} of a village and its units, {(unit, TOTAL, c): hidden}) for a non-sensitive category."""
    sh = shape(slug)
    cells, children = _hierarchy(desa_id, slug, sh)
    values, relations = _relations(cells, children, sh)
    fixed = {k for k in values if k[0] == ("desa",) or k[0][0] == "sisa"}
    preset = set()
    if with_totals and sh.row_sum:
        # The same unit totals in every category: shown or hidden as in the sex table.
        decided = _unit_totals_fixed(desa_id)
        preset = {k for k, h in decided.items() if h}
        fixed |= set(decided)
    hidden = suppress_linked(values, relations, fixed=fixed, hidden=preset, hide_zeros=True)
    tables = {unit: _table(sh, unit_cells, hidden, unit, suppressed=unit != ("desa",)) for unit, unit_cells in cells.items()}
    totals = {(unit, TOTAL, c): (unit, TOTAL, c) in hidden for unit in cells for c in sh.columns}
    return tables, totals


def village_tables(desa_id, slug):
    """{unit: Tabel} of one village (unit ("desa",)) and its dusun/RW/RT (("rt", id)...)."""
    if slug in SENSITIVE:
        desa = Desa.objects.only("kecamatan_id").get(pk=desa_id)
        return _sensitive(desa.kecamatan_id, slug)["desa"][desa_id]
    if slug in NOT_BELOW_VILLAGE:
        return {("desa",): _overlapping(services.tabulate([desa_id], slug))}
    return services.cached([desa_id], f"publik:{slug}:{timezone.localdate().isoformat()}",
                           lambda d: _compute_village(d, slug)[0])[desa_id]


def _sensitive(kecamatan_id, slug):
    """A sensitive category for a whole kecamatan at once: {"kecamatan": Tabel, "desa": {id: {unit: Tabel}}}."""
    ids = list(Desa.objects.managed().filter(kecamatan_id=kecamatan_id).order_by("id").values_list("id", flat=True))
    key = f"statistik:publik:{slug}:{kecamatan_id}:{_versions_key(ids)}"
    found = cache.get(key)
    if found is None:
        found = _compute_sensitive(ids, slug)
        cache.set(key, found, CACHE_SECONDS)
    return found


def _compute_sensitive(ids, slug):
    sh = shape(slug)
    all_cells, all_children, preset = {}, {}, set()
    kec = ("kecamatan",)
    kec_counter = Counter()
    for desa_id in ids:
        root = ("desa", desa_id)
        cells, children = _hierarchy(desa_id, slug, sh, root=root)
        all_cells.update(cells)
        all_children.update(children)
        decided = _unit_totals_fixed(desa_id)  # keys use ("desa",) for the village itself
        for (unit, row, column), is_hidden in decided.items():
            unit = root if unit == ("desa",) else unit
            preset.add(((unit, row, column), is_hidden))
        for key, n in cells[root].items():
            kec_counter[key] += n
    all_cells[kec] = {(k, c): kec_counter.get((k, c), 0) for k in [k for k, _l in sh.rows] + [TOTAL] for c in sh.columns}
    all_children[(kec, "desa")] = {("desa", d) for d in ids}
    values, relations = _relations(all_cells, all_children, sh)
    fixed = {k for k in values if k[0][0] == "sisa" or (k[0] == kec and k[1] == TOTAL)}
    fixed |= {k for k, h in preset if not h} | {(("desa", d), TOTAL, c) for d in ids for c in sh.columns}
    hidden = suppress_linked(values, relations, fixed=fixed, hidden={k for k, h in preset if h}, hide_zeros=True)
    result = {"kecamatan": _table(sh, all_cells[kec], hidden, kec, suppressed=True), "desa": {}}
    for desa_id in ids:
        tables = {}
        for unit, unit_cells in all_cells.items():
            if unit == ("desa", desa_id):
                tables[("desa",)] = _table(sh, unit_cells, hidden, unit, suppressed=True)
        for unit in _units_of(all_children, ("desa", desa_id)):
            tables[unit] = _table(sh, all_cells[unit], hidden, unit, suppressed=True)
        result["desa"][desa_id] = tables
    return result


def _units_of(children, root):
    return {kid for (parent, _level), kids in children.items() if parent == root for kid in kids}


def _overlapping(rows):
    """A table of overlapping groups (kelompok-umur): shown in full, without totals."""
    sh = shape("jenis-kelamin")
    return Tabel(sh.columns, [r.as_dict() for r in rows], dict.fromkeys(sh.columns), False, sh.column_labels, False)


def kecamatan_table(desa_ids, slug, kecamatan_id=None):
    """The kecamatan's table: the villages' full tables added up; suppressed for SENSITIVE categories."""
    if slug in SENSITIVE:
        return _sensitive(kecamatan_id, slug)["kecamatan"]
    if slug in NOT_BELOW_VILLAGE:
        return _overlapping(services.tabulate(list(desa_ids), slug))
    sh = shape(slug)
    total = Counter()
    for desa_id in desa_ids:
        table = village_tables(desa_id, slug)[("desa",)]
        for row in table.rows:
            for c in sh.columns:
                total[(row["kode"], c)] += row[c]
    cells = {(k, c): total[(k, c)] for k, _l in sh.rows for c in sh.columns}
    for c in sh.columns:
        cells[(TOTAL, c)] = sum(cells[(k, c)] for k, _l in sh.rows)
    return _table(sh, cells)


def village_table(desa_id, slug, unit=None):
    """The village's table, or the table of one of its units (services.Unit); None if not published."""
    tables = village_tables(desa_id, slug)
    if unit is None:
        return tables[("desa",)]
    if slug in NOT_BELOW_VILLAGE:
        return None
    return tables.get((unit.level, unit.id))


def published_slugs():
    """Every table the public site and the open data publish: the categories, families, events."""
    return list(KATEGORI) + ["keluarga", "peristiwa"]
