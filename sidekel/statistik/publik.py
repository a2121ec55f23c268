"""The one public read path: every figure a visitor without a login can get comes from here.

The portal's pages and charts, the open-data files (CSV, JSON, XLSX), the public API
(``/api/v1/statistik/``, ``/api/v1/wilayah/``, ``/api/v1/data/``) and every later public figure
call this module, and this module alone calls the disclosure-control engine
(``privacy.protect`` and ``privacy.mend``). So the same question gets the same answer at every
door. A public view says so with ``@public_figures("statistik.publik")`` (or "none" when it shows
no figures); the permission matrix's test walks every URL and fails on a public one that does not.

What is published (docs/privacy.md says the same to a reader):

- **Headline figures**: each village's living residents by sex and its families (KK). These are
  exact unless one of them is 1 or 2 (then drawn to 0 or 3 like any small count).
- **Kecamatan and village tables**, every category, families by size and monthly events: every
  small count drawn to 0 or 3, the largest counts of the row adjusted so that the table still
  adds up to the headline figures. The kecamatan's table is the sum of its villages' published
  tables.
- **Dusun/lingkungan, RW and RT** (today only): every category except the SENSITIVE ones (health
  data, religion, citizenship: never below the village), the overlapping age groups and the
  monthly events. The RTs' tables are drawn the same way and adjusted so that they add up both
  to the RT totals (drawn once, from the sex table, the same in every category) and to the
  village's published table; a dusun or RW is the sum of its RTs.
- **Dates**: today and the last day of any past month. Any other date is refused
  (``check_date``), so that no two public answers are one event apart.

Everything is cached under the data versions of the kecamatan's villages (an edit anywhere in the
kecamatan recomputes the drawing, not the counting: counts are cached per village).
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from sidekel.core import publicapi
from sidekel.core.versioned import cached, figure_versions, once_per_request, stored, versions_key
from sidekel.penduduk.choices import JenisKelamin, JenisPeristiwa, StatusDasar
from sidekel.penduduk.models import Penduduk
from sidekel.wilayah.models import Desa, Kecamatan, Rt
from sidekel.wilayah.services import KODE_PATTERN

from . import privacy, services
from .choices import AGE_BANDS, AGE_GROUP_LIST, DERIVED, KATEGORI

SENSITIVE = {"disabilitas", "golongan-darah", "kewarganegaraan", "agama"}
NOT_BELOW_VILLAGE = SENSITIVE | {"kelompok-umur", "peristiwa"}
SEX_COLUMNS = ("laki_laki", "perempuan", "jumlah")
L, P = JenisKelamin.LAKI_LAKI, JenisKelamin.PEREMPUAN
SEXES = {L: "laki_laki", P: "perempuan"}
REST = "sisa"  # residents of the village in no RT: a row of the drawing, never published
FAMILIES = "keluarga"
EVENTS = "peristiwa"

# A public view or API operation says where its figures come from (core.publicapi.public_figures);
# the permission matrix's test fails on a public route that does not.
PUBLIC_SOURCES = publicapi.PUBLIC_SOURCES
public_figures = publicapi.public_figures


@dataclass
class Tabel:
    """A published table: ``rows`` [{kode, label, <columns>...}], ``totals`` {column: n}."""

    columns: tuple
    rows: list
    totals: dict
    column_labels: dict = field(default_factory=dict)
    has_totals: bool = True  # overlapping groups have no meaningful total
    method: str = privacy.METHOD

    @property
    def shown_columns(self):
        """The columns as a page shows them: the total first, so a phone shows it beside each row's
        label without a swipe (downloads keep ``columns``)."""
        return tuple(sorted(self.columns, key=lambda c: c != "jumlah"))


# --- areas ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Area:
    """A public area: the kecamatan (with at least one served village) or a served village."""

    kode: str
    nama: str
    tingkat: str  # "kecamatan" or "desa"
    desa_ids: list
    desa: object  # the Desa, or None for the kecamatan
    kecamatan_id: int


def area(kode):
    """The Area with this Kemendagri code, or None (what the API and the open-data files answer for).
    Text not shaped as a region code is no area: no database is asked for it (PostgreSQL refuses a NUL)."""
    if not KODE_PATTERN.fullmatch(kode):
        return None
    if kode.count(".") == 3:
        desa = Desa.objects.managed().filter(kode=kode).first()
        return desa and Area(desa.kode, str(desa), "desa", [desa.id], desa, desa.kecamatan_id)
    kecamatan = Kecamatan.objects.filter(kode=kode).first()
    ids = list(Desa.objects.managed().filter(kecamatan=kecamatan).order_by("kode").values_list("id", flat=True)) \
        if kecamatan else []
    if not ids:
        return None
    return Area(kecamatan.kode, _("Kecamatan %(nama)s") % {"nama": kecamatan.nama}, "kecamatan", ids, None,
                kecamatan.id)


# --- dates ------------------------------------------------------------------------------------------

class DateNotPublished(ValueError):
    """A date the public may not ask for; the message names the allowed ones."""


def is_month_end(day):
    return (day + datetime.timedelta(days=1)).day == 1


def check_date(pada, unit=None):
    """``pada`` (None: today) if the public may ask for it, else DateNotPublished with a message."""
    today = timezone.localdate()
    if pada is None or pada == today:
        return today
    if pada > today:
        raise DateNotPublished(_("Figures exist up to today; choose today or the last day of an earlier month."))
    if unit is not None:
        raise DateNotPublished(_("Figures of a dusun, RW or RT are published for today only."))
    if not is_month_end(pada):
        last = today.replace(day=1) - datetime.timedelta(days=1)
        raise DateNotPublished(
            _("The public figures are for today or for the last day of a month (for example %(last)s or "
              "%(before)s), so that no two answers are one event apart; %(asked)s is neither.")
            % {"last": last.isoformat(), "before": (last.replace(day=1) - datetime.timedelta(days=1)).isoformat(),
               "asked": pada.isoformat()})
    return pada


# --- shapes ------------------------------------------------------------------------------------------

@dataclass
class Shape:
    """Rows and columns of a kind of table, and whether its columns are men, women and total."""

    rows: list  # [(kode, label)]
    columns: tuple
    by_sex: bool
    column_labels: dict = field(default_factory=dict)


def _months(pada, count=12):
    first = services.first_month(pada, count)
    months = []
    while first <= pada:
        months.append(first)
        first = (first + datetime.timedelta(days=32)).replace(day=1)
    return months


def shape(slug, pada=None):
    if slug == FAMILIES:
        rows = [(str(s), f"{s}+" if s == services.MAX_SIZE else str(s)) for s in range(1, services.MAX_SIZE + 1)]
        return Shape(rows, (FAMILIES,), False, {FAMILIES: _("Families")})
    if slug == EVENTS:
        rows = [(m.strftime("%Y-%m"), m.strftime("%m-%Y")) for m in _months(pada or timezone.localdate())]
        return Shape(rows, tuple(str(j) for j in services.EVENT_COLUMNS), False,
                     {str(j): JenisPeristiwa(j).label for j in services.EVENT_COLUMNS})
    kategori = KATEGORI[slug]
    rows = [(code, str(label)) for code, label in kategori.labels()] + [(services.NOT_FILLED, _("Not filled"))]
    return Shape(rows, SEX_COLUMNS, True, {"laki_laki": _("Men"), "perempuan": _("Women"), "jumlah": _("Total")})


def published_slugs():
    """Every table the public site and the open data publish: the categories, families, events."""
    return list(KATEGORI) + [FAMILIES, EVENTS]


def below_village(slug):
    """Is this table published for a dusun, RW or RT?"""
    return slug not in NOT_BELOW_VILLAGE


def _tabel(sh, cells, has_totals=True):
    """A Tabel from published cells {(kode, column): n} of the sheet's own columns; the "not filled"
    row only when its published count is not zero (its presence must not tell more than its number)."""
    rows = []
    for kode, label in sh.rows:
        values = {c: cells.get((kode, c), 0) for c in sh.columns}
        if kode == services.NOT_FILLED and sh.by_sex and not values["jumlah"]:
            continue
        rows.append({"kode": kode, "label": label, **values})
    totals = {c: sum(cells.get((kode, c), 0) for kode, _l in sh.rows) for c in sh.columns} if has_totals \
        else dict.fromkeys(sh.columns)
    return Tabel(sh.columns, rows, totals, sh.column_labels, has_totals)


def _with_jumlah(cells):
    """{(kode, sex column): n} completed with (kode, "jumlah")."""
    out = dict(cells)
    for kode in {k for k, _c in cells}:
        out[(kode, "jumlah")] = cells.get((kode, "laki_laki"), 0) + cells.get((kode, "perempuan"), 0)
    return out


# --- the kecamatan's villages ----------------------------------------------------------------------------

def _kecamatan_ids(kecamatan_id):
    return once_per_request(("publik-desa", kecamatan_id), lambda: list(
        Desa.objects.managed().filter(kecamatan_id=kecamatan_id).order_by("id").values_list("id", flat=True)))


def _kecamatan_of(desa_id):
    return once_per_request(("publik-kecamatan", desa_id), lambda: Desa.objects.filter(id=desa_id).values_list(
        "kecamatan_id", flat=True).first())


def _version(kecamatan_id):
    """(the kecamatan's village ids, a short key that changes whenever any of their figures change
    (``versioned.figure_versions``), the threshold or the day)."""
    ids = _kecamatan_ids(kecamatan_id)
    return ids, f"{privacy.threshold()}:{timezone.localdate().isoformat()}:{versions_key(figure_versions(ids))}"


def version_key(kecamatan_id):
    return _version(kecamatan_id)[1]


def _cached_for_kecamatan(kecamatan_id, name, compute):
    """compute(ids) for the kecamatan's villages, kept until any of their figures change (and for today only)."""
    ids, version = _version(kecamatan_id)
    return stored({0: version}, f"publik:{name}:{kecamatan_id}", lambda _owner: compute(ids))[0]


def _true_totals(ids, pada):
    """{desa_id: {"laki_laki", "perempuan", "keluarga"}}: the true headline counts on ``pada``."""
    sexes = services.counts_each(ids, "jenis-kelamin", pada)
    families = services.families_each(ids, pada)
    return {d: {"laki_laki": sum(n for (_c, s), n in sexes[d].items() if s == L),
                "perempuan": sum(n for (_c, s), n in sexes[d].items() if s == P),
                FAMILIES: families[d]["keluarga"]} for d in ids}


def _drawn_totals(true, salt):
    return {d: {c: privacy.rounded("total", d, c, n, salt) for c, n in counts.items()} for d, counts in true.items()}


def _village_cells(ids, slug, pada):
    """{desa_id: {(kode, column): true n}} of a table that is not derived from others."""
    if slug == FAMILIES:
        return {d: {(str(size), FAMILIES): n for size, n in f["ukuran"].items()}
                for d, f in services.families_each(ids, pada).items()}
    if slug == EVENTS:
        out = {}
        for d, events in services.events_each(ids, pada).items():
            cells = Counter()
            for month, jenis, _sex, n in events:
                cells[(month.strftime("%Y-%m"), str(jenis))] += n
            out[d] = dict(cells)
        return out
    return {d: {(code, SEXES[sex]): n for (code, sex), n in counts.items() if sex in SEXES}
            for d, counts in services.counts_each(ids, slug, pada).items()}


def _whole_band_groups():
    """[(code, [band codes])] of the overlapping age groups made of whole five-year bands."""
    starts = [int(code) for code, _l in KATEGORI["umur"].labels()]
    groups = []
    for code, _label, youngest, oldest in AGE_GROUP_LIST:
        if youngest in starts and (oldest is None or oldest + 1 in starts):
            groups.append((code, [str(b) for b in starts if b >= youngest and (oldest is None or b + 4 <= oldest)]))
    return groups


def _kelompok_umur(kecamatan_id, ids, pada, salt=0):
    """Overlapping age groups: those made of whole five-year bands are the sums of the published
    bands (so the two tables agree, and the bands' drawing already kept these sums from giving a
    small count away); the school ages are drawn on their own, with no total to meet."""
    bands = _level(kecamatan_id, "umur", pada)
    if not bands:
        return None
    whole = dict(_whole_band_groups())
    true = _village_cells(ids, "kelompok-umur", pada)
    published = {}
    for d in ids:
        cells = {}
        for code, _label, _youngest, _oldest in AGE_GROUP_LIST:
            for column in SEXES.values():
                if code in whole:
                    cells[(code, column)] = sum(bands["desa"][d].get((b, column), 0) for b in whole[code])
                else:
                    cells[(code, column)] = privacy.rounded(f"kelompok-umur|{column}", d, code,
                                                            true[d].get((code, column), 0), salt)
        published[d] = _with_jumlah(cells)
    return published, {d: _with_jumlah(cells) for d, cells in true.items()}


def _reader_sums(row_groups, code_groups, columns, key=lambda row, code, column: (row, code, column)):
    """The sums a reader can make of published tables, as tuples of cell keys: for every group of
    rows (a village, the kecamatan's villages, an RT, RW or dusun) and every group of codes (a code,
    an age group made of bands), each column alone and, with two columns, men + women together."""
    sums = []
    for rows in row_groups:
        for codes in code_groups:
            sums += [tuple(key(r, k, c) for r in rows for k in codes) for c in columns]
            if len(columns) == 2:
                sums.append(tuple(key(r, k, c) for r in rows for k in codes for c in columns))
    return sums


def _column_totals(cells, columns):
    """{column: the sum of ``cells`` ({(code, column): n}) in that column}."""
    return {c: sum(n for (_k, col), n in cells.items() if col == c) for c in columns}


def _moves_within_rows(published, codes):
    """Changes that keep each village's row total: a unit moved between two codes of one village,
    tried from the largest counts first."""
    def moves(cells):
        for d, code, column in cells:
            others = sorted((c for c in codes if c != code), key=lambda c: -published.get((d, c, column), 0))
            for delta in (-1, +1, -2, +2):
                for other in others:
                    yield [((d, code, column), delta), ((d, other, column), -delta)]
    return moves


def _draw_villages(kecamatan_id, ids, slug, pada, salt):
    """(published {desa_id: cells}, true {desa_id: cells}) of one table for every village, or None."""
    true_totals = _true_totals(ids, pada)
    totals = _drawn_totals(true_totals, salt)
    sh = shape(slug, pada)
    codes = [kode for kode, _l in sh.rows]
    if slug == "jenis-kelamin":
        def table(t):
            return _with_jumlah({(str(L), "laki_laki"): t["laki_laki"], (str(P), "perempuan"): t["perempuan"]})
        return {d: table(t) for d, t in totals.items()}, {d: table(t) for d, t in true_totals.items()}
    if slug == "kelompok-umur":
        return _kelompok_umur(kecamatan_id, ids, pada, salt)
    true = _village_cells(ids, slug, pada)
    if sh.by_sex:  # one drawing per sex, each village's row adding up to its published total
        columns = list(SEXES.values())
        sheets = [(column, {d: totals[d][column] for d in ids}) for column in columns]
    else:  # families add up to the published number of families; events have no total to meet
        columns = list(sh.columns)
        targets = {d: totals[d][FAMILIES] for d in ids} if slug == FAMILIES else None
        sheets = [(column, targets) for column in columns]
    flat = {}
    for column, targets in sheets:
        cells = {(d, code): true[d].get((code, column), 0) for d in ids for code in codes}
        drawn = privacy.protect(cells, ids, codes, f"{slug}|{column}", row_targets=targets, salt=salt)
        if drawn is None:
            return None
        flat.update({(d, code, column): n for (d, code), n in drawn.items()})
    true_flat = {(d, code, column): true[d].get((code, column), 0) for d in ids for code in codes for column in columns}
    code_groups = [[code] for code in codes] + [members for _g, members in
                                                 (_whole_band_groups() if slug == "umur" else ())]
    sums = _reader_sums([[d] for d in ids] + [ids], code_groups, columns)
    if not privacy.mend(flat, true_flat, sums, _moves_within_rows(flat, codes)):
        return None
    published = {d: {} for d in ids}
    for (d, code, column), n in flat.items():
        published[d][(code, column)] = n
    if sh.by_sex:
        published = {d: _with_jumlah(cells) for d, cells in published.items()}
        true = {d: _with_jumlah(cells) for d, cells in true.items()}
    return published, true


def _kecamatan_sum(per_village):
    return _sum(per_village, per_village)


def _villages_level(kecamatan_id, ids, slug, pada):
    """{"desa": {desa_id: cells}, "kecamatan": cells} published, or None when no drawing keeps the rules."""
    for salt in range(privacy.ATTEMPTS):
        drawn = _draw_villages(kecamatan_id, ids, slug, pada, salt)
        if drawn is None:
            continue
        published, true = drawn
        kec_published, kec_true = _kecamatan_sum(published), _kecamatan_sum(true)
        village_leaks = any(privacy.leaks(true[d], published[d]) for d in ids)
        if not village_leaks and not privacy.leaks(kec_true, kec_published):
            return {"desa": published, "kecamatan": kec_published, "salt": salt}
    return None


def _level(kecamatan_id, slug, pada):
    """The village level of a table for a kecamatan on a date (cached), or {} if it cannot be drawn."""
    return _cached_for_kecamatan(kecamatan_id, f"{slug}:{pada.isoformat()}",
                                 lambda ids: _villages_level(kecamatan_id, ids, slug, pada) or {})


def headline(desa_ids):
    """{desa_id: {"laki_laki", "perempuan", "jumlah", "keluarga"}} today, as published."""
    result = {}
    today = timezone.localdate()
    by_kecamatan = defaultdict(list)
    for desa_id, kecamatan_id in Desa.objects.filter(id__in=desa_ids).values_list("id", "kecamatan_id"):
        by_kecamatan[kecamatan_id].append(desa_id)
    for kecamatan_id, wanted in by_kecamatan.items():
        level = _level(kecamatan_id, "jenis-kelamin", today)
        families = _level(kecamatan_id, FAMILIES, today)
        for d in wanted:
            cells = level.get("desa", {}).get(d, {})
            men, women = cells.get((str(L), "laki_laki"), 0), cells.get((str(P), "perempuan"), 0)
            result[d] = {"laki_laki": men, "perempuan": women, "jumlah": men + women,
                         "keluarga": sum(families.get("desa", {}).get(d, {}).values())}
    return result


def village_table(desa_id, slug, unit=None, pada=None):
    """The published table of a village, or of one of its units (services.Unit); None if not published."""
    if slug not in published_slugs():
        return None
    pada = pada or timezone.localdate()
    kecamatan_id = _kecamatan_of(desa_id)
    if unit is not None:
        if not below_village(slug) or pada != timezone.localdate():
            return None
        return _unit_tables(kecamatan_id, desa_id, slug).get((unit.level, unit.id))
    level = _level(kecamatan_id, slug, pada)
    if not level:
        return None
    return _tabel(shape(slug, pada), level["desa"][desa_id], has_totals=slug != "kelompok-umur")


def village_tables(kecamatan_id, slug, pada=None):
    """{desa_id: published Tabel} of every village of a kecamatan at once ({} if not published)."""
    if slug not in published_slugs():
        return {}
    pada = pada or timezone.localdate()
    level = _level(kecamatan_id, slug, pada)
    sh = shape(slug, pada)
    return {d: _tabel(sh, cells, has_totals=slug != "kelompok-umur") for d, cells in level.get("desa", {}).items()}


def kecamatan_table(kecamatan_id, slug, pada=None):
    """The kecamatan's table: the sum of its villages' published tables; None if not published."""
    if slug not in published_slugs():
        return None
    pada = pada or timezone.localdate()
    level = _level(kecamatan_id, slug, pada)
    if not level:
        return None
    return _tabel(shape(slug, pada), level["kecamatan"], has_totals=slug != "kelompok-umur")


# --- dusun, RW and RT ---------------------------------------------------------------------------------

def _rt_places(desa_id):
    """{rt_id: (dusun_id, rw_id)} of one village."""
    return {rt: (dusun, rw) for rt, dusun, rw in Rt.objects.filter(desa_id=desa_id).values_list("id", "dusun_id", "rw_id")}


def _living(desa_id):
    return Penduduk.objects.filter(desa_id=desa_id, deleted_at__isnull=True, status_dasar=StatusDasar.HIDUP).order_by()


def _rt_cells(desa_id, slug, rts):
    """{rt_id or REST: {(kode, column): true n}} today, a maintained figure of the village (core.versioned)."""
    key = f"rt:{slug}:{timezone.localdate().isoformat()}"
    return cached([desa_id], key, lambda d: _count_rt_cells(d, slug, rts), maintained=True)[desa_id]


def rt_slugs_asked(desa_id):
    """The tables whose RT counts of the village were asked for today (the worker makes them again
    after a change; read once a round, for its figures and then for its drawings)."""
    from sidekel.core.models import StoredFigure

    prefix, suffix = "rt:", f":{timezone.localdate().isoformat()}"

    def read():
        keys = StoredFigure.objects.filter(owner=desa_id, key__startswith=prefix, key__endswith=suffix).values_list(
            "key", flat=True)
        return [key[len(prefix):-len(suffix)] for key in keys]

    return once_per_request(("rt-asked", desa_id, suffix), read)


def _count_rt_cells(desa_id, slug, rts):
    result = defaultdict(Counter)
    if slug == FAMILIES:
        members = defaultdict(Counter)
        for keluarga_id, rt_id, n in _living(desa_id).filter(keluarga__isnull=False).values_list(
                "keluarga_id", "rt_id").annotate(n=Count("id")):
            members[keluarga_id][rt_id] += n
        for per_rt in members.values():  # a family counts in the RT of most of its members
            rt_id = per_rt.most_common(1)[0][0]
            size = str(min(sum(per_rt.values()), services.MAX_SIZE))
            result[rt_id if rt_id in rts else REST][(size, FAMILIES)] += 1
        return result
    kategori = KATEGORI[slug]
    living, group = _living(desa_id), kategori.field
    if kategori.kind == AGE_BANDS:
        living, group = living.annotate(kode=services._age_band_sql(timezone.localdate())), "kode"
    elif kategori.kind in DERIVED:
        living, group = living.annotate(kode=services.kode_sql(kategori, timezone.localdate())), "kode"
    for rt_id, code, sex, n in living.values_list("rt_id", group, "jenis_kelamin").annotate(n=Count("id")):
        if sex in SEXES:
            code = services.NOT_FILLED if code in (None, services.NOT_FILLED) else str(code)
            result[rt_id if rt_id in rts else REST][(code, SEXES[sex])] += n
    return result


def _draw_units(desa_id, slug, village_cells, salt):
    """{rt_id: published cells} and {rt_id: true cells}, or None when the drawing cannot meet the rules."""
    rts = _rt_places(desa_id)
    rt_ids = sorted(rts)
    if not rt_ids:
        return {}, {}, rts
    sh = shape(slug)
    codes = [kode for kode, _l in sh.rows]
    columns = list(SEXES.values()) if sh.by_sex else [FAMILIES]
    true = _rt_cells(desa_id, slug, rts)
    # The RT totals: drawn once per village from the sex table (families: from the families table),
    # the same in every category, adding up to the village's published total less the rest.
    total_slug = FAMILIES if slug == FAMILIES else "jenis-kelamin"
    total_true = _rt_cells(desa_id, total_slug, rts) if total_slug != slug else true
    rt_totals = {(r, c): n for r in rt_ids for c, n in _column_totals(total_true.get(r, {}), columns).items()}
    rest_totals = _column_totals(total_true.get(REST, {}), columns)
    village_totals = _column_totals(village_cells, columns)
    drawn_totals = privacy.protect(rt_totals, rt_ids, columns, f"{total_slug}|rt-total",
                                   column_targets={c: village_totals[c] - rest_totals[c] for c in columns}, salt=salt)
    if drawn_totals is None:
        return None
    units = _units_of(rts)
    total_sums = _reader_sums(units.values(), [[None]], columns, key=lambda r, _k, c: (r, c))
    if not privacy.mend(drawn_totals, rt_totals, total_sums, _moves_within_columns(drawn_totals, rt_ids)):
        return None
    published = defaultdict(dict)
    for column in columns:
        rest = {kode: true.get(REST, {}).get((kode, column), 0) for kode in codes}
        row_targets = {r: drawn_totals[(r, column)] for r in rt_ids}
        # The residents in no RT are kept as they are where the village's published counts allow it
        # (then the RTs plus them add up to the village exactly); else they are drawn too.
        drawn = None
        if all(village_cells.get((kode, column), 0) >= rest[kode] for kode in codes):
            cells = {(r, kode): true.get(r, {}).get((kode, column), 0) for r in rt_ids for kode in codes}
            drawn = privacy.protect(cells, rt_ids, codes, f"{slug}|{column}|rt", row_targets=row_targets,
                                    column_targets={kode: village_cells.get((kode, column), 0) - rest[kode]
                                                    for kode in codes}, salt=salt)
        if drawn is None:
            rows = rt_ids + [REST]
            cells = {(r, kode): true.get(r, {}).get((kode, column), 0) for r in rows for kode in codes}
            drawn = privacy.protect(cells, rows, codes, f"{slug}|{column}|rt", row_targets={
                **row_targets, REST: rest_totals[column]},
                column_targets={kode: village_cells.get((kode, column), 0) for kode in codes}, salt=salt)
        if drawn is None:
            return None
        for (r, kode), n in drawn.items():
            if r != REST:
                published[r][(kode, column)] = n
    # The sums a reader makes of the units' tables (each unit's cells, men + women) keep no small
    # count as it is: mended by 2x2 cycles, which keep every RT total and every village count.
    flat = {(r, kode, column): published[r].get((kode, column), 0) for r in rt_ids for kode in codes for column in columns}
    true_flat = {(r, kode, column): true.get(r, {}).get((kode, column), 0) for r in rt_ids for kode in codes
                 for column in columns}
    sums = _reader_sums(units.values(), [[kode] for kode in codes], columns)
    if not privacy.mend(flat, true_flat, sums, _cycles(flat, rt_ids, codes)):
        return None
    for (r, kode, column), n in flat.items():
        published[r][(kode, column)] = n
    rows = rt_ids + [REST]
    if sh.by_sex:
        return ({r: _with_jumlah(c) for r, c in published.items()},
                {r: _with_jumlah(dict(true.get(r, {}))) for r in rows}, rts)
    return dict(published), {r: dict(true.get(r, {})) for r in rows}, rts


def _moves_within_columns(published, rows):
    """Changes that keep each column's total: a unit moved between two RTs, largest counts first."""
    def moves(cells):
        members = {r for r, _c in cells}
        for r, column in cells:
            others = sorted((o for o in rows if o not in members) or (o for o in rows if o != r),
                            key=lambda o: -published.get((o, column), 0))
            for delta in (-1, +1, -2, +2):
                for other in others:
                    yield [((r, column), delta), ((other, column), -delta)]
    return moves


def _cycles(published, rows, codes):
    """2x2 cycles (RT r, code k) +d, (r, other code) -d, (other RT, k) -d, (other RT, other code) +d:
    every RT total and every column (the village's counts) stays as it is; largest counts first."""
    def moves(cells):
        members = {r for r, _k, _c in cells}
        outside = [o for o in rows if o not in members]
        for r, code, column in cells:
            others = outside or [o for o in rows if o != r]
            others = sorted(others, key=lambda o: -published.get((o, code, column), 0))[:12]
            codes_by_size = sorted((k for k in codes if k != code), key=lambda k: -published.get((r, k, column), 0))[:12]
            for delta in (-1, +1, -2, +2):
                for other in others:
                    for k in codes_by_size:
                        yield [((r, code, column), delta), ((r, k, column), -delta),
                               ((other, code, column), -delta), ((other, k, column), delta)]
    return moves


def _units_of(rts):
    """{unit: [rt ids]} for every RT, RW and dusun of a village."""
    units = defaultdict(list)
    for rt_id, (dusun_id, rw_id) in rts.items():
        units[("rt", rt_id)].append(rt_id)
        if rw_id:
            units[("rw", rw_id)].append(rt_id)
        if dusun_id:
            units[("dusun", dusun_id)].append(rt_id)
    return units


def _sum(cells_by_rt, rt_ids):
    total = Counter()
    for r in rt_ids:
        total.update(cells_by_rt.get(r, {}))
    return dict(total)


def _compute_units(desa_id, slug, village_cells):
    """{unit key: published cells} of a village's dusun, RW and RT; {} if it cannot be drawn."""
    for salt in range(privacy.ATTEMPTS):
        drawn = _draw_units(desa_id, slug, village_cells, salt)
        if drawn is None:
            continue
        published, true, rts = drawn
        units = _units_of(rts)
        result, leaked = {}, False
        for unit, rt_ids in units.items():
            unit_published, unit_true = _sum(published, rt_ids), _sum(true, rt_ids)
            columns = {column for _k, column in unit_true} | {column for _k, column in unit_published}
            if privacy.leaks(unit_true, unit_published) or privacy.leaks(
                    _column_totals(unit_true, columns), _column_totals(unit_published, columns)):
                leaked = True
                break
            result[unit] = unit_published
        if not leaked:
            return result
    return {}


def _unit_tables(kecamatan_id, desa_id, slug):
    """{unit: Tabel} of a village's dusun, RW and RT today. Kept under what the drawing depends on:
    the village's figures (its RT counts) and its published cells of the table, so that a change in
    another village of the kecamatan draws them again only if it moved this village's published cells."""
    today = timezone.localdate()
    level = _level(kecamatan_id, slug, today)
    if not level:
        return {}
    cells = level["desa"][desa_id]
    version = f"{privacy.threshold()}:{today.isoformat()}:{figure_versions([desa_id])[desa_id]}:{versions_key(cells)}"

    def compute(_owner):
        sh = shape(slug)
        return {unit: _tabel(sh, unit_cells) for unit, unit_cells in _compute_units(desa_id, slug, cells).items()}

    return stored({0: version}, f"publik:unit:{slug}:{desa_id}", compute)[0]


# --- school participation -------------------------------------------------------------------------------

PARTISIPASI = "partisipasi-sekolah"


def partisipasi(tabel):
    """School participation rows (services.partisipasi_rows) from the published table of the category
    "partisipasi-sekolah" (village_table, kecamatan_table): the rates are those of the published
    counts, so a rate never tells more than the table it comes from. [] when not published."""
    if tabel is None:
        return []
    cells = {(row["kode"], sex): row[column] for row in tabel.rows for sex, column in SEXES.items()}
    return services.partisipasi_rows(lambda code, sex: cells.get((code, sex), 0))


METHOD = privacy.METHOD
threshold = privacy.threshold


def note():
    """What every public table, file and answer says about its small counts (one text for all doors)."""
    below = privacy.threshold()
    return _("Small counts are never published as they are: each count from 1 to %(max)d is moved to 0 or "
             "%(below)d, and other counts of the same table are adjusted so that every table still adds up, so a "
             "published count below %(below)d is never the true one. A village's number of residents by sex and "
             "its number of families are exact (unless they are below %(below)d themselves). Figures of a dusun, "
             "RW or RT are for today only; religion, citizenship, blood type and disability are published for "
             "villages and the kecamatan only. More: /privasi/.") % {"max": below - 1, "below": below}


def short_note():
    """The one-sentence version for the top of a public table."""
    below = privacy.threshold()
    return _("Small counts are disguised: a count from 1 to %(max)d is never shown as it is, and other counts are "
             "adjusted so that the table adds up.") % {"max": below - 1}


# --- saran dan masukan (aspirasi) -----------------------------------------------------------------------

ASPIRASI_MONTHS = 12


@dataclass
class AspirasiBulan:
    """One area's citizens' reports of one month, as published."""

    bulan: datetime.date  # the first day of the month
    counts: dict  # {"jumlah", each Jenis value, each category slug: drawn count}
    median_hari: float | None  # median calendar days to the first answer; None below the threshold
    persen_tepat_waktu: int | None  # share answered within the follow-up deadline; None below the threshold


def _aspirasi_rows(desa_ids, kecamatan_id, since):
    """The reports that count: received since ``since`` in these villages (and, for the kecamatan,
    those addressed to it), not hidden spam and not merged duplicates."""
    from django.db.models import Q

    from sidekel.aspirasi.models import Aspirasi

    where = Q(desa_id__in=desa_ids)
    if kecamatan_id is not None:
        where |= Q(desa__isnull=True, kecamatan_id=kecamatan_id)
    return (Aspirasi.objects.filter(where, created_at__gte=since, disembunyikan=False, digabung_ke__isnull=True)
            .values_list("created_at", "jenis", "kategori__slug", "dijawab_pada", "desa_id"))


def aspirasi_monthly(area_kode, months=ASPIRASI_MONTHS):
    """[AspirasiBulan] of the last ``months`` months (oldest first) of a village or the kecamatan
    (its villages' reports and those addressed to the kecamatan), or None for an unknown area.

    Every count from 1 to threshold-1 is drawn to 0 or the threshold (privacy.rounded, keyed by
    area, month and column); "jumlah" is the sum of the drawn counts by kind. The median days to a
    first answer and the share answered on time are published only for a month with at least
    threshold answered (or due) reports: with fewer they would tell one person's case."""
    from sidekel.aspirasi.choices import Jenis
    from sidekel.aspirasi.models import Kategori
    from sidekel.aspirasi.services import limits, working_days_after

    found = area(area_kode)
    if found is None:
        return None
    today = timezone.localdate()
    first_months = _months(today, months)
    since = timezone.make_aware(datetime.datetime.combine(first_months[0], datetime.time()))
    rows = list(_aspirasi_rows(found.desa_ids, found.kecamatan_id if found.desa is None else None, since))
    slugs = list(Kategori.objects.values_list("slug", flat=True))
    days = limits()["tindak_lanjut"]
    from sidekel.aspirasi.models import HariLibur

    holidays = set(HariLibur.objects.filter(tanggal__gte=first_months[0]).values_list("tanggal", flat=True))
    by_month = defaultdict(list)
    for created, jenis, slug, answered, desa_id in rows:
        local = timezone.localtime(created)
        by_month[local.date().replace(day=1)].append((local, jenis, slug, answered, desa_id))
    # Counts are drawn per village (and, for the kecamatan, for the reports addressed to it), and a
    # kecamatan's count is the sum of those drawings: what the kecamatan publishes adds up with
    # what its villages publish, so no difference between them tells a small count.
    codes = dict(Desa.objects.filter(id__in=found.desa_ids).values_list("id", "kode"))
    below = privacy.threshold()
    out = []
    for month in first_months:
        reports = [r[:4] for r in by_month.get(month, [])]
        counts = dict.fromkeys([*Jenis.values, *slugs], 0)
        for unit in {desa_id for *_r, desa_id in by_month.get(month, [])}:
            true = Counter()
            for _c, j, s, _a, desa_id in by_month[month]:
                if desa_id == unit:
                    true.update((j, s))
            key = f"aspirasi:{codes.get(unit) or str(found.kecamatan_id) + ':kecamatan'}"
            for code in counts:
                counts[code] += privacy.rounded(key, month.isoformat(), code, true.get(code, 0))
        counts["jumlah"] = sum(counts[j] for j in Jenis.values)
        waits = sorted((timezone.localtime(a).date() - c.date()).days for c, _j, _s, a in reports if a)
        median = None
        if len(waits) >= below:
            middle = len(waits) // 2
            median = waits[middle] if len(waits) % 2 else (waits[middle - 1] + waits[middle]) / 2
        due = [(a, working_days_after(c.date(), days, holidays)) for c, _j, _s, a in reports]
        judged = [(a, d) for a, d in due if a or d < today]  # answered, or past its deadline
        on_time = None
        if len(judged) >= below:
            on_time = round(100 * sum(1 for a, d in judged if a and timezone.localtime(a).date() <= d) / len(judged))
        out.append(AspirasiBulan(month, counts, median, on_time))
    return out


def aspirasi_summary(desa_ids, months=ASPIRASI_MONTHS):
    """{desa_id: {"jumlah", "median_hari", "persen_tepat_waktu"}} over the last ``months`` months:
    the sum of the published monthly counts, and the monthly medians and shares averaged over the
    months that publish them (None if none does). A maintained figure of each village (core.versioned)."""
    key = f"aspirasi:{months}:{timezone.localdate().isoformat()}"
    return cached(desa_ids, key, lambda desa_id: _aspirasi_summary_village(desa_id, months), maintained=True)


def _aspirasi_summary_village(desa_id, months):
    monthly = aspirasi_monthly(Desa.objects.values_list("kode", flat=True).get(id=desa_id), months) or []
    medians = [m.median_hari for m in monthly if m.median_hari is not None]
    shares = [m.persen_tepat_waktu for m in monthly if m.persen_tepat_waktu is not None]
    return {"jumlah": sum(m.counts["jumlah"] for m in monthly),
            "median_hari": round(sum(medians) / len(medians), 1) if medians else None,
            "persen_tepat_waktu": round(sum(shares) / len(shares)) if shares else None}
# --- potensi wilayah (the yearly village profile) ------------------------------------------------
# Values a village typed about itself (land, institutions, facilities), not counts of people.
# The rules: a value is public only once the kecamatan has approved the village's profile of
# that year (a draft, a submitted or a returned profile gives nothing, and a reopened one gives
# nothing until approved again); only served villages; only past and current years. The rows
# come from the potensi app's reader, registered in its AppConfig.ready (statistik does not import
# potensi: the layers of docs/architecture.md); every row is checked here again.

APPROVED = "disetujui"
_POTENSI_READERS = []


def register_potensi_reader(reader):
    """``reader(desa_id)`` -> [{"tahun", "status", "kode", "kelompok", "subkelompok", "nama",
    "satuan", "tipe", "nilai", "urutan"}] of the village's approved profiles."""
    if reader not in _POTENSI_READERS:
        _POTENSI_READERS.append(reader)


def _potensi_village(desa_id):
    year = timezone.localdate().year
    rows = []
    for reader in _POTENSI_READERS:
        rows += [r for r in reader(desa_id) if r["status"] == APPROVED and r["tahun"] <= year]
    return sorted(rows, key=lambda r: (-r["tahun"], r["urutan"], r["kode"]))


def potensi_values(desa_ids, tahun=None, kelompok=None, kode=None):
    """{desa_id: [row]} of the villages' approved values (all years, or ``tahun``), cached per village."""
    ids = list(Desa.objects.managed().filter(id__in=desa_ids).values_list("id", flat=True))
    found = cached(ids, "potensi", _potensi_village)
    return {desa_id: [r for r in rows if (tahun is None or r["tahun"] == tahun)
                      and (kelompok is None or r["kelompok"] == kelompok) and (kode is None or r["kode"] == kode)]
            for desa_id, rows in found.items()}


def potensi_years(desa_id):
    """The years with an approved profile of the village, newest first."""
    return sorted({r["tahun"] for r in potensi_values([desa_id]).get(desa_id, [])}, reverse=True)


def potensi_profile(desa_id, tahun=None):
    """(year, [(kelompok, [(subkelompok, [row])])]) of the village's newest approved profile (or of
    ``tahun``); (None, []) when it has none. For the village's public page."""
    rows = potensi_values([desa_id]).get(desa_id, [])
    years = {r["tahun"] for r in rows}
    if tahun is None:
        tahun = max(years, default=None)
    if tahun not in years:
        return None, []
    groups = {}
    for r in rows:
        if r["tahun"] == tahun:
            groups.setdefault(r["kelompok"], {}).setdefault(r["subkelompok"], []).append(r)
    return tahun, [(k, list(subs.items())) for k, subs in groups.items()]


# --- what the worker keeps up to date (core.versioned.maintain, registered in apps.py) -----------

def make_village(desa_id):
    """Make again the village's public figures that are not counts of residents (reports), and its
    RT counts of the tables asked for today."""
    aspirasi_summary([desa_id])
    rts = _rt_places(desa_id)
    for slug in rt_slugs_asked(desa_id):
        _rt_cells(desa_id, slug, rts)


def make_drawings(desa_ids):
    """Draw again today's published tables of the kecamatans of ``desa_ids`` (their figures have
    just moved on), and those of the villages' dusun, RW and RT asked for today, so that the next
    visitor reads them."""
    today = timezone.localdate()
    villages = dict(Desa.objects.filter(id__in=desa_ids).values_list("id", "kecamatan_id"))
    for kecamatan_id in set(villages.values()):
        for slug in published_slugs():
            _level(kecamatan_id, slug, today)
    for desa_id, kecamatan_id in villages.items():  # the dusun, RW and RT tables asked for today
        for slug in rt_slugs_asked(desa_id):
            if below_village(slug):
                _unit_tables(kecamatan_id, desa_id, slug)
