"""Population figures for a village, a dusun/RW/RT or the whole kecamatan, on any date.

How a figure is computed:

1. Today's residents (``status_dasar`` = hidup) of one village are grouped by the category
   and sex in one query.
2. For a past date, every population event after that date is undone: a birth or move in after
   the date takes the person out of the count, a death or move out puts them back
   (architecture rule 3). Whoever was born after the date is left out, event or not (imported
   records carry no events). Age is always age on the chosen date; the other fields are the
   resident's current values (a change of occupation is not an event).
3. A village's figures are cached under the version of its data (the id of its newest
   audited change), so they are never stale: any edit, event or import makes a new version.
   Larger areas add up their villages' figures, so an edit in one village recomputes only
   that village.

Everything counted here is an aggregate; nothing that names a person leaves this module.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, CharField, Count, Q, Value, When
from django.db.models.functions import Cast
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from sidekel.core.versioned import cached
from sidekel.penduduk.choices import (
    BERSEKOLAH,
    PERUBAHAN_JUMLAH,
    TIDAK_BERSEKOLAH,
    JenisKelamin,
    JenisPeristiwa,
    PendidikanSedang,
    StatusDasar,
)
from sidekel.penduduk.models import Penduduk, Peristiwa, umur_pada
from sidekel.wilayah.models import Rt

from .choices import (
    ADULT_AGE,
    AGE_BANDS,
    AGE_GROUP_LIST,
    AGE_GROUPS,
    APS_GROUPS,
    BAND_YEARS,
    DERIVED,
    IN_SCHOOL,
    KATEGORI,
    NOT_IN_SCHOOL,
    OLDEST_BAND,
    OTHER_AGES,
    SCHOOL_AGES,
    YOUNGER,
)

L, P = JenisKelamin.LAKI_LAKI, JenisKelamin.PEREMPUAN
NOT_FILLED = ""


@dataclass
class Baris:
    """One row of a statistics table."""

    kode: str
    label: str
    laki_laki: int = 0
    perempuan: int = 0

    @property
    def jumlah(self):
        return self.laki_laki + self.perempuan

    def as_dict(self):
        return {"kode": self.kode, "label": self.label, "laki_laki": self.laki_laki, "perempuan": self.perempuan,
                "jumlah": self.jumlah}


@dataclass(frozen=True)
class Unit:
    """Part of a village: ``level`` is "dusun", "rw" or "rt", ``id`` that row's id."""

    level: str
    id: int


def years_before(day, years):
    """The same calendar day ``years`` earlier (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


# --- one village -------------------------------------------------------------------------------

def _counted(desa_id):
    """The village's residents that figures count: all but records deleted as entered by mistake."""
    return Penduduk.objects.filter(desa_id=desa_id, deleted_at__isnull=True)


def _later_events(desa_id, pada):
    return Peristiwa.objects.berlaku().filter(desa_id=desa_id, tanggal__gt=pada, penduduk__deleted_at__isnull=True)


def _unit_key(unit):
    return f"{unit.level}{unit.id}" if unit else ""


def _unit_filter(unit):
    if unit is None:
        return Q()
    return {"dusun": Q(rt__dusun_id=unit.id), "rw": Q(rt__rw_id=unit.id), "rt": Q(rt_id=unit.id)}[unit.level]


def _rt_places(desa_id, unit):
    """{rt id: (dusun id, rw id)} of the village, which _in_unit needs when figures are for a unit."""
    if unit is None:
        return {}
    return {rt: (dusun, rw) for rt, dusun, rw in Rt.objects.filter(desa_id=desa_id).values_list("id", "dusun_id", "rw_id")}


def _in_unit(rt_id, unit, rts):
    if unit is None:
        return True
    if rt_id is None:
        return False
    dusun_id, rw_id = rts.get(rt_id, (None, None))
    return {"dusun": dusun_id, "rw": rw_id, "rt": rt_id}[unit.level] == unit.id


def _age_band_sql(pada):
    """The age band on ``pada`` as an SQL expression, for tables grouped by something else too
    (RT). Made from the ranges count_born_between counts: the youngest band first, each band
    taking whoever was born after its lower bound."""
    bands = [(code, after) for (code, sex), (_sex, after, _until) in _birth_ranges(AGE_BANDS, pada).items() if sex == L]
    whens = [When(tanggal_lahir__gt=after, then=Value(code)) for code, after in bands if after is not None]
    return Case(*whens, default=Value(bands[-1][0]))


def _age_band(born, pada):
    if born is None:
        return NOT_FILLED
    # Someone born after ``pada`` falls in the first band, as in the query; their birth is undone.
    return str(min(max(umur_pada(born, pada), 0) // BAND_YEARS * BAND_YEARS, OLDEST_BAND))


def _group_q(pada, youngest, oldest):
    q = Q(tanggal_lahir__lte=years_before(pada, youngest))
    if oldest is not None:
        q &= Q(tanggal_lahir__gt=years_before(pada, oldest + 1))
    return q


def _groups_of(born, pada):
    if born is None:
        return []
    age = umur_pada(born, pada)
    return [code for code, _label, lo, hi in AGE_GROUP_LIST if age >= lo and (hi is None or age <= hi)]


def _birth_ranges(kind, pada):
    """{(code, sex): (sex, born after, born on or before)} (None: open) for the kinds of category
    that only need sex and date of birth: age bands, age groups and sex itself, youngest first."""
    if kind == AGE_BANDS:
        ages = [(str(a), a, a + BAND_YEARS - 1) for a in range(0, OLDEST_BAND, BAND_YEARS)] + [
            (str(OLDEST_BAND), OLDEST_BAND, None)]
    elif kind == AGE_GROUPS:
        ages = [(code, lo, hi) for code, _label, lo, hi in AGE_GROUP_LIST]
    else:
        return {(str(sex), sex): (sex, None, None) for sex in (L, P)}
    ranges = {}
    for code, youngest, oldest in ages:
        after = None if oldest is None else years_before(pada, oldest + 1)
        # The youngest band also takes anyone whose birth date lies after the day (as it did before).
        until = None if kind == AGE_BANDS and youngest == 0 else years_before(pada, youngest)
        for sex in (L, P):
            ranges[(code, sex)] = (sex, after, until)
    return ranges


def count_born_between(queryset, ranges):
    """Counter {key: people in ``queryset`` of the sex born in the range ranges[key]}, in one query.

    Each range is counted from the statistics index (village, status, deleted, sex, date of birth)
    by a seek and a short scan: the 32 age bands of a 100,000-resident village cost a few
    milliseconds, where testing every resident's date against every band cost about a hundred.
    """
    sql, params = queryset.order_by().values("jenis_kelamin", "tanggal_lahir").query.sql_with_params()
    date = connection.ops.adapt_datefield_value
    parts, all_params = [], []
    for sex, after, until in ranges.values():
        conditions, values = ["jenis_kelamin = %s"], [sex]
        if after is not None:
            conditions.append("tanggal_lahir > %s")
            values.append(date(after))
        if until is not None:
            conditions.append("tanggal_lahir <= %s")
            values.append(date(until))
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS living WHERE {' AND '.join(conditions)})")
        all_params += [*params, *values]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), all_params)
        return Counter(dict(zip(ranges, cursor.fetchone())))


def count_village(desa_id, kategori, pada, unit=None):
    """{(code, sex): people} of one village (or one of its units) on the day ``pada``."""
    living = _counted(desa_id).filter(status_dasar=StatusDasar.HIDUP).filter(_unit_filter(unit)).order_by()
    past = pada < timezone.localdate()
    if past:  # nobody born after the date was there, whatever their records say
        living = living.exclude(tanggal_lahir__gt=pada)
    if kategori.kind in (AGE_BANDS, AGE_GROUPS) or kategori.field == "jenis_kelamin":
        counts = count_born_between(living, _birth_ranges(kategori.kind, pada))
    elif kategori.kind == SCHOOL_AGES:
        counts = _count_school_ages(living, kategori, pada)
    elif kategori.kind in DERIVED:
        counts = Counter()
        for code, sex, n in living.annotate(kode=kode_sql(kategori, pada)).values_list(
                "kode", "jenis_kelamin").annotate(n=Count("*")):
            counts[(code, sex)] += n
    else:
        counts = Counter()
        # COUNT(*), not COUNT(id): PostgreSQL can then count from the statistics index alone.
        for code, sex, n in living.values_list(kategori.field, "jenis_kelamin").annotate(n=Count("*")):
            counts[(NOT_FILLED if code in (None, NOT_FILLED) else str(code), sex)] += n
    if past:
        _undo_later_events(counts, desa_id, kategori, pada, unit)
    return +counts  # drops zero and negative entries (these cannot occur with consistent events)


def _undo_later_events(counts, desa_id, kategori, pada, unit):
    """Take out who arrived after ``pada`` and put back who left after it."""
    field = kategori.field or "tanggal_lahir"
    later = _later_events(desa_id, pada).values_list(
        "jenis", "rt_id", "penduduk__rt_id", "penduduk__jenis_kelamin", "penduduk__tanggal_lahir", f"penduduk__{field}")
    rts = _rt_places(desa_id, unit)
    for jenis, event_rt, person_rt, sex, born, value in later:
        if (born and born > pada) or not _in_unit(event_rt or person_rt, unit, rts):
            continue  # born after the date: never counted then, see count_village
        undo = -PERUBAHAN_JUMLAH[jenis]
        if kategori.kind == AGE_GROUPS:
            codes = _groups_of(born, pada)
        elif kategori.kind in DERIVED:
            codes = [kode_of(kategori, born, value, pada)]
        elif kategori.kind == AGE_BANDS:
            codes = [_age_band(born, pada)]
        else:
            codes = [NOT_FILLED if value is None else str(value)]
        for code in codes:
            counts[(code, sex)] += undo


# --- categories made of the age and a field (school participation, adults' education) -----------

def _born_in(pada, youngest, oldest):
    """Q of whoever is ``youngest`` to ``oldest`` (None: no limit) years old on ``pada``."""
    q = Q(tanggal_lahir__lte=years_before(pada, youngest))
    if oldest is not None:
        q &= Q(tanggal_lahir__gt=years_before(pada, oldest + 1))
    return q


def kode_sql(kategori, pada):
    """The row code of a DERIVED category as an SQL expression (the same rule as ``kode_of``)."""
    if kategori.kind == SCHOOL_AGES:
        whens = []
        for code, youngest, oldest in APS_GROUPS:
            born = _born_in(pada, youngest, oldest)
            whens.append(When(born & Q(pendidikan_sedang__in=BERSEKOLAH), then=Value(f"{code}.{IN_SCHOOL}")))
            whens.append(When(born, then=Value(f"{code}.{NOT_IN_SCHOOL}")))
        return Case(*whens, default=Value(OTHER_AGES), output_field=CharField())
    field = kategori.field
    return Case(When(tanggal_lahir__gt=years_before(pada, ADULT_AGE), then=Value(YOUNGER)),
                When(**{f"{field}__isnull": True}, then=Value(NOT_FILLED)),
                default=Cast(field, CharField()), output_field=CharField())


def kode_of(kategori, born, value, pada):
    """The row code of a DERIVED category for one person (born, value of the field) on ``pada``."""
    age = umur_pada(born, pada) if born else None
    if kategori.kind == SCHOOL_AGES:
        for code, youngest, oldest in APS_GROUPS:
            if age is not None and youngest <= age <= oldest:
                return f"{code}.{IN_SCHOOL if value in BERSEKOLAH else NOT_IN_SCHOOL}"
        return OTHER_AGES
    if age is not None and age < ADULT_AGE:
        return YOUNGER
    return NOT_FILLED if value is None else str(value)


def _count_school_ages(living, kategori, pada):
    """School participation counts: only the school ages are grouped (a narrow range of the
    statistics index); the other ages are everyone by sex less them."""
    window = _born_in(pada, APS_GROUPS[0][1], APS_GROUPS[-1][2])
    counts = Counter()
    for code, sex, n in living.filter(window).annotate(kode=kode_sql(kategori, pada)).values_list(
            "kode", "jenis_kelamin").annotate(n=Count("*")):
        counts[(code, sex)] += n
    everyone = count_born_between(living, _birth_ranges(None, pada))
    for (_code, sex), n in everyone.items():
        counts[(OTHER_AGES, sex)] += n - sum(m for (c, s), m in counts.items() if s == sex and c != OTHER_AGES)
    return counts


def partisipasi_rows(count):
    """School participation rows from ``count(code, sex)`` (true or published counts):
    [{"kode": "7-12", "label", "penduduk", "bersekolah", "aps", "laki_laki": {...}, "perempuan": {...}}].
    ``aps`` is the percentage in school, one decimal, None when nobody is of that age."""
    def part(sexes):
        bersekolah = sum(count(f"{code}.{IN_SCHOOL}", sex) for sex in sexes)
        penduduk = bersekolah + sum(count(f"{code}.{NOT_IN_SCHOOL}", sex) for sex in sexes)
        return {"penduduk": penduduk, "bersekolah": bersekolah,
                "aps": round(100 * bersekolah / penduduk, 1) if penduduk else None}

    rows = []
    for code, youngest, oldest in APS_GROUPS:
        rows.append({"kode": code, "label": _("Aged %(young)d-%(old)d") % {"young": youngest, "old": oldest},
                     **part((L, P)), "laki_laki": part((L,)), "perempuan": part((P,))})
    return rows


def partisipasi(desa_ids, pada=None, unit=None):
    """School participation of the villages together (or of one village's unit) on ``pada``."""
    total = Counter()
    for counts in counts_each(desa_ids, "partisipasi-sekolah", pada or timezone.localdate(), unit).values():
        total.update(counts)
    return partisipasi_rows(lambda code, sex: total[(code, sex)])


def partisipasi_each(desa_ids, pada=None):
    """{desa_id: school participation rows} of every village separately (the dashboard's column)."""
    each = counts_each(desa_ids, "partisipasi-sekolah", pada or timezone.localdate())
    return {d: partisipasi_rows(lambda code, sex, c=counts: c[(code, sex)]) for d, counts in each.items()}


def tidak_sekolah(desa_id, pada=None):
    """The living residents of one village aged 7-18 on ``pada`` recorded as not in school (a queryset
    of today's records: the out-of-school list of the pendidikan app and its count here)."""
    pada = pada or timezone.localdate()
    return _counted(desa_id).filter(status_dasar=StatusDasar.HIDUP, pendidikan_sedang__in=TIDAK_BERSEKOLAH).filter(
        _born_in(pada, 7, 18))


def tidak_sekolah_each(desa_ids):
    """{desa_id: children aged 7-18 out of school today}, cached per village's data version."""
    today = timezone.localdate()
    return cached(desa_ids, f"tidak-sekolah:{today.isoformat()}", lambda d: tidak_sekolah(d, today).count(), maintained=True)


def melek_huruf(desa_ids, pada=None):
    """Literacy of residents aged 15 and over on ``pada`` where recorded: {"tercatat": residents whose
    reading is recorded (a script in dapat_membaca_huruf, or "cannot read and write"), "buta_huruf":
    those who cannot, "persen": their share, one decimal}. Today's records (a past date only moves the ages)."""
    pada = pada or timezone.localdate()

    def one(desa_id):
        people = _counted(desa_id).filter(status_dasar=StatusDasar.HIDUP).filter(_born_in(pada, 15, None))
        cannot = Q(pendidikan_sedang=PendidikanSedang.TIDAK_DAPAT_MEMBACA)
        return {"tercatat": people.filter(cannot | ~Q(dapat_membaca_huruf="")).count(),
                "buta_huruf": people.filter(cannot).count()}

    found = cached(desa_ids, f"melek-huruf:{pada.isoformat()}", one, maintained=True)
    tercatat = sum(f["tercatat"] for f in found.values())
    buta = sum(f["buta_huruf"] for f in found.values())
    return {"tercatat": tercatat, "buta_huruf": buta, "persen": round(100 * buta / tercatat, 1) if tercatat else None}


# --- any area ----------------------------------------------------------------------------------

def counts_each(desa_ids, slug, pada, unit=None):
    """{desa_id: count_village(...)} of category ``slug``, cached: the one place its cache key is made,
    so the dashboard, the summary and the category pages share each village's entry."""
    kategori = KATEGORI[slug]
    key = f"{slug}:{pada.isoformat()}:{_unit_key(unit)}"
    return cached(desa_ids, key, lambda desa_id: count_village(desa_id, kategori, pada, unit), maintained=True)


def tabulate_each(desa_ids, slug, pada=None):
    """{desa_id: rows of ``slug``} for every village separately (the dashboard's small charts)."""
    counts = counts_each(desa_ids, slug, pada or timezone.localdate())
    return {desa_id: _rows(KATEGORI[slug], total) for desa_id, total in counts.items()}


def _rows(kategori, total):
    rows = [Baris(code, str(label), total[(code, L)], total[(code, P)]) for code, label in kategori.labels()]
    if total[(NOT_FILLED, L)] or total[(NOT_FILLED, P)]:
        rows.append(Baris(NOT_FILLED, _("Not filled"), total[(NOT_FILLED, L)], total[(NOT_FILLED, P)]))
    return rows


def tabulate(desa_ids, slug, pada=None, unit=None):
    """The rows of category ``slug`` for the villages ``desa_ids`` (summed) on ``pada`` (default today).

    Every code of the category has a row, in the code list's order, zero or not; a last row
    "not filled" appears when someone has no value.
    """
    total = Counter()
    for counts in counts_each(desa_ids, slug, pada or timezone.localdate(), unit).values():
        total.update(counts)
    return _rows(KATEGORI[slug], total)


def summary(desa_ids, pada=None):
    """Headline figures per village on ``pada``: people by sex and broad age, families, this year's change.

    {desa_id: {"laki_laki", "perempuan", "jumlah", "anak" (0-14), "produktif" (15-64), "lansia" (65+),
    "keluarga", "rasio_jk", "rasio_anak" (% of people aged 0-14), "rasio_ketergantungan",
    "awal_tahun", "pertumbuhan" (% since 1 January)}}
    """
    pada = pada or timezone.localdate()
    return cached(desa_ids, f"ringkasan:{pada.isoformat()}", lambda desa_id: _summary(desa_id, pada), maintained=True)


def _summary(desa_id, pada):
    # The same cache entry as tabulate_each(..., "umur"): the dashboard needs both, computed once.
    bands = counts_each([desa_id], "umur", pada)[desa_id]
    sexes = Counter()
    anak = produktif = lansia = 0
    for (band, sex), n in bands.items():
        sexes[sex] += n
        if band == NOT_FILLED:
            continue
        if int(band) < 15:
            anak += n
        elif int(band) < 65:
            produktif += n
        else:
            lansia += n
    jumlah = sexes[L] + sexes[P]
    start = datetime.date(pada.year - 1, 12, 31)
    awal = sum(count_village(desa_id, KATEGORI["jenis-kelamin"], start).values())
    # The same cache entry as keluarga(): the area overview shows the family sizes.
    families = families_each([desa_id], pada)[desa_id]
    return with_ratios({
        "laki_laki": sexes[L], "perempuan": sexes[P], "jumlah": jumlah, "anak": anak, "produktif": produktif,
        "lansia": lansia, "keluarga": families["keluarga"], "awal_tahun": awal,
    })


SUMMED = ("laki_laki", "perempuan", "jumlah", "anak", "produktif", "lansia", "keluarga", "awal_tahun")


def with_ratios(counts):
    """``counts`` (the SUMMED figures of a village or of villages added up) with the ratios derived from them."""
    def percent(part, whole, digits=1):
        return round(100 * part / whole, digits) if whole else None

    return {**counts,
            "rasio_jk": percent(counts["laki_laki"], counts["perempuan"]),
            "rasio_anak": percent(counts["anak"], counts["jumlah"]),
            "rasio_ketergantungan": percent(counts["anak"] + counts["lansia"], counts["produktif"]),
            "pertumbuhan": percent(counts["jumlah"] - counts["awal_tahun"], counts["awal_tahun"], 2)}


def summary_total(figures):
    """The summary of villages together: their counts added up, the ratios of the sums."""
    return with_ratios({k: sum(f[k] for f in figures) for k in SUMMED})


# --- families ----------------------------------------------------------------------------------

MAX_SIZE = 7  # families of 7 or more people share the last row


def keluarga_village(desa_id, pada, unit=None):
    """Families of one village on ``pada``: how many, and how many have 1, 2, ... 7+ members present."""
    present = _counted(desa_id).filter(status_dasar=StatusDasar.HIDUP, keluarga__isnull=False).filter(
        _unit_filter(unit)).exclude(tanggal_lahir__gt=pada).order_by()
    if pada >= timezone.localdate():  # today: the database counts the sizes; a few rows come back
        members = _families_of_each_size(present)
    else:
        members = Counter(dict(present.values_list("keluarga_id").annotate(n=Count("*"))))
        rts = _rt_places(desa_id, unit)
        for jenis, keluarga_id, event_rt, person_rt in _later_events(desa_id, pada).exclude(
                penduduk__tanggal_lahir__gt=pada).values_list("jenis", "penduduk__keluarga_id", "rt_id", "penduduk__rt_id"):
            if keluarga_id is not None and _in_unit(event_rt or person_rt, unit, rts):
                members[keluarga_id] -= PERUBAHAN_JUMLAH[jenis]
        members = Counter(n for n in members.values() if n > 0)
    sizes = Counter()
    for n, families in members.items():
        sizes[min(n, MAX_SIZE)] += families
    return {"keluarga": sum(sizes.values()), "anggota": sum(n * families for n, families in members.items()),
            "ukuran": {size: sizes[size] for size in range(1, MAX_SIZE + 1)}}


def _families_of_each_size(present):
    """Counter {members: families} of the residents ``present``, grouped twice in the database."""
    sql, params = present.values("keluarga_id").annotate(n=Count("*")).values("n").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT n, COUNT(*) FROM ({sql}) AS families GROUP BY n", params)
        return Counter(dict(cursor.fetchall()))


def families_each(desa_ids, pada, unit=None):
    """{desa_id: keluarga_village(...)}, cached under the one key the summary and keluarga() share."""
    key = f"keluarga:{pada.isoformat()}:{_unit_key(unit)}"
    return cached(desa_ids, key, lambda desa_id: keluarga_village(desa_id, pada, unit), maintained=True)


def keluarga(desa_ids, pada=None, unit=None):
    """Families of the villages together: rows of (members, families) and the totals."""
    sizes, total, anggota = Counter(), 0, 0
    for figures in families_each(desa_ids, pada or timezone.localdate(), unit).values():
        sizes.update(figures["ukuran"])
        total += figures["keluarga"]
        anggota += figures["anggota"]
    rows = [Baris(str(size), f"{size}+" if size == MAX_SIZE else str(size), 0, 0) for size in range(1, MAX_SIZE + 1)]
    return {"keluarga": total, "anggota": anggota, "rata_rata": round(anggota / total, 2) if total else None,
            "ukuran": [(row.label, sizes[int(row.kode)]) for row in rows]}


# --- events per month --------------------------------------------------------------------------

EVENT_COLUMNS = [JenisPeristiwa.LAHIR, JenisPeristiwa.MATI, JenisPeristiwa.PINDAH_DATANG, JenisPeristiwa.PINDAH_KELUAR]


def peristiwa_per_bulan(desa_ids, pada=None, months=12, unit=None):
    """Births, deaths, moves in and out per month, for the ``months`` months up to ``pada``.

    [(first day of the month, {jenis: {sex: n}})], oldest month first.
    """
    pada = pada or timezone.localdate()
    first = first_month(pada, months)
    per_month = defaultdict(lambda: defaultdict(Counter))
    for events in events_each(desa_ids, pada, months, unit).values():
        for month, jenis, sex, n in events:
            per_month[month][jenis][sex] += n
    result, month = [], first
    while month <= pada:
        result.append((month, {jenis: dict(per_month[month][jenis]) for jenis in EVENT_COLUMNS}))
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return result


def first_month(pada, months=12):
    """The first day of the oldest of the ``months`` months up to ``pada``."""
    first = pada.replace(day=1)
    for _i in range(months - 1):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return first


def events_each(desa_ids, pada, months=12, unit=None):
    """{desa_id: [(first day of month, jenis, sex, n)]} of the ``months`` months up to ``pada``, cached."""
    first = first_month(pada, months)
    key = f"peristiwa:{first.isoformat()}:{pada.isoformat()}:{_unit_key(unit)}"
    return cached(desa_ids, key, lambda desa_id: _events(desa_id, first, pada, unit), maintained=True)


def _events(desa_id, first, last, unit):
    events = Peristiwa.objects.berlaku().filter(desa_id=desa_id, tanggal__range=(first, last), jenis__in=EVENT_COLUMNS,
                                      penduduk__deleted_at__isnull=True)
    if unit is not None:
        field = {"dusun": "rt__dusun_id", "rw": "rt__rw_id", "rt": "rt_id"}[unit.level]
        events = events.filter(**{field: unit.id})
    rows = events.annotate(bulan=TruncMonth("tanggal")).order_by().values_list(
        "bulan", "jenis", "penduduk__jenis_kelamin").annotate(n=Count("id"))
    return [(_as_date(month), jenis, sex, n) for month, jenis, sex, n in rows]


def _as_date(value):
    return value.date() if isinstance(value, datetime.datetime) else value


# --- what the worker keeps up to date (core.versioned.maintain, registered in apps.py) -----------

def make_today(desa_id):
    """Make (and store) today's figures of one village that the officials' pages and the public
    drawings read: every category, the summary, families, the last 12 months' events, the
    out-of-school count and literacy."""
    today = timezone.localdate()
    for slug in KATEGORI:
        counts_each([desa_id], slug, today)
    summary([desa_id], today)
    events_each([desa_id], today)
    tidak_sekolah_each([desa_id])
    melek_huruf([desa_id], today)
