"""Data quality: findings an operator can work down, and the quality score of a village.

Every check is one ORM query over the living (status dasar Hidup), not deleted residents of the
villages asked for; nothing is computed row by row in Python, so a check costs one indexed scan
of a village however large it is. A check is either

- an **error** (``error=True``): the data is certainly wrong or lacks a key, and the resident
  counts against the village's score; or
- a **warning**: the data may be right but a person should look (a NIK whose date or sex
  disagrees with the record is legal, standards.md §2; two people can share a name and a birth
  date).

**Quality score** of a village = 100 x (living residents with no error finding) / (living
residents), rounded to one decimal; ``None`` for a village with no residents. A family error
(no head, two heads) counts against every living member of that family.

A duplicate NIK is not a check: the database refuses it (unique index on ``Penduduk.nik``).
An empty NIK is one (``nik-kosong``).

The checks are SQL, for speed, but the rules are not written here: each check mirrors rules of
``rules.py`` (or ``core/nik.py``) and takes their limits from there; ``describe`` explains a
finding with the rule's own message, and the tests compare the SQL with the rules on a generated
population. Which check mirrors which rule:

- ``nik-salah``, ``nik-tidak-cocok``: ``core.nik.parse_nik`` and ``nik_warnings``;
- ``tanggal-mustahil``: ``rules.birth_date``, ``rules.life_dates``, ``rules.event_date``;
- ``umur-peran``: ``rules.role_age`` and ``rules.parent_age`` (an Anak and the family's head);
- ``tanpa-kk``: ``rules.family_missing`` (a living resident in no family);
- ``kk-tanpa-kepala``, ``kk-kepala-ganda``: ``rules.second_head`` (the database refuses a second
  living head too) and a family's need of a head.

``rules.marriage_age`` and ``rules.family_number`` have no check here yet: they are applied
whenever a resident is saved or imported.
"""

import datetime
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import BooleanField, CharField, Count, Exists, F, Func, IntegerField, OuterRef, Q
from django.db.models.functions import Cast, Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sidekel.core.nik import nik_warnings, parse_nik, province_codes

from . import rules
from .choices import HubunganKeluarga, StatusDasar
from .models import Keluarga, NameKey, Penduduk, Peristiwa, umur_pada

EARLIEST_BIRTH = rules.EARLIEST_BIRTH
SCHOOL_AGES = (7, 18)  # inclusive: wajib belajar 12 tahun, SD to SLTA
MIN_AGE_HEAD_OR_SPOUSE = rules.MIN_AGE_HEAD_OR_SPOUSE
MIN_GAP_CHILD_HEAD = rules.MIN_PARENT_GAP  # years between the head's birth and a child's
HEAD_OR_SPOUSE = tuple(sorted(rules.HEAD_OR_SPOUSE))


@dataclass(frozen=True)
class Kind:
    code: str  # in URLs: ?jenis=nik-salah
    label: object  # lazy translation
    advice: object  # what the operator should do
    error: bool
    target: str = "penduduk"  # or "keluarga": the row links to the family page


KINDS = [
    Kind("nik-salah", gettext_lazy("Invalid NIK"),
         gettext_lazy("The NIK breaks a rule every NIK follows. Check it against the KK or KTP and correct it."), True),
    Kind("nik-kosong", gettext_lazy("No NIK"),
         gettext_lazy("Enter the NIK from the KK. A newborn gets one when the KK is updated."), True),
    Kind("kk-tanpa-kepala", gettext_lazy("Family without a head"),
         gettext_lazy("Open the family and choose its head (Kepala Keluarga)."), True, "keluarga"),
    Kind("kk-kepala-ganda", gettext_lazy("Family with two heads"),
         gettext_lazy("Open the family and keep one head; give the other their real relationship."), True, "keluarga"),
    Kind("tanpa-kk", gettext_lazy("No family (KK)"),
         gettext_lazy("A living resident in no family. Open the resident and use 'New KK' or 'Put into a KK'."), True),
    Kind("tanpa-rt", gettext_lazy("No RT"),
         gettext_lazy("Choose the resident's RT on the edit page."), True),
    Kind("tanggal-mustahil", gettext_lazy("Impossible date"),
         gettext_lazy("A date is in the future, a birth date before 1900, or a date before the birth date. "
                      "Correct the date."), True),
    Kind("nik-tidak-cocok", gettext_lazy("NIK disagrees with birth date or sex"),
         gettext_lazy("Check the birth date and sex against the KK. If the record is right, leave it: "
                      "a NIK never changes after a correction."), False),
    Kind("ganda", gettext_lazy("Possible duplicate person"),
         gettext_lazy("Same name and birth date as another resident of the kecamatan. If it is the same person, "
                      "delete the extra record."), False),
    Kind("umur-peran", gettext_lazy("Age does not fit the role in the family"),
         gettext_lazy("A head or spouse younger than 15, or a child fewer than 10 years younger than the head. "
                      "Check the birth dates and the relationships."), False),
    Kind("sekolah-kosong", gettext_lazy("School age without schooling status"),
         gettext_lazy("A resident aged 7-18 whose current schooling is empty. Fill it in (it may be "
                      "'Tidak Sedang Sekolah')."), False),
]
BY_CODE = {k.code: k for k in KINDS}
# Checks other apps add (an app above penduduk registers its own in its AppConfig.ready; penduduk
# imports none of them): {code: (findings(desa_ids, today) -> queryset, describe(rows) -> {pk: text})}.
# They are warnings of families or residents that the page lists like the others.
EXTRA = {}


def register_check(kind, findings_of, describe_rows):
    """Add a check: ``kind`` (a warning: ``error=False``), its findings and its row descriptions."""
    if kind.error:
        raise ValueError("a registered check is a warning: the score counts only penduduk's own errors")
    if kind.code not in BY_CODE:
        KINDS.append(kind)
        BY_CODE[kind.code] = kind
    EXTRA[kind.code] = (findings_of, describe_rows)


def _years_before(day, years):
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def living(desa_ids):
    """Living, not deleted residents of these villages: what every check looks at."""
    return Penduduk.objects.filter(desa_id__in=list(desa_ids), status_dasar=StatusDasar.HIDUP, deleted_at__isnull=True)


# --- per-row conditions (Q on Penduduk) ------------------------------------------------------------

def _has_nik():
    return Q(nik__isnull=False) & ~Q(nik="")


class SixteenDigits(Func):
    """True when the text is exactly 16 digits, in the database's own SQL (no Python per row)."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra):  # PostgreSQL
        return self.as_sql_template(compiler, connection, "(%(expressions)s ~ '^[0-9]{16}$')")

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql_template(
            compiler, connection, "(LENGTH(%(expressions)s) = 16 AND %(expressions)s NOT GLOB '*[^0-9]*')")

    def as_sql_template(self, compiler, connection, template):
        return super().as_sql(compiler, connection, template=template)


def _nik_valid():
    """The hard NIK rules of core/nik.py, as SQL on the annotations of ``_nik_parts``."""
    return (Q(nik_digits=True) & Q(nik_prov__in=sorted(province_codes()))
            & Q(nik_month__gte="01", nik_month__lte="12") & ~Q(nik_serial="0000")
            & (Q(nik_day__gte="01", nik_day__lte="31") | Q(nik_day__gte="41", nik_day__lte="71")))


def _nik_parts(qs):
    """The NIK's parts and the birth date's, as text: DDMMYY of the NIK against YYYY-MM-DD."""
    lahir = Cast("tanggal_lahir", CharField())
    return qs.annotate(nik_digits=SixteenDigits("nik"), nik_prov=Substr("nik", 1, 2), nik_day=Substr("nik", 7, 2),
                       nik_month=Substr("nik", 9, 2), nik_year=Substr("nik", 11, 2), nik_serial=Substr("nik", 13, 4),
                       lahir_day=Substr(lahir, 9, 2), lahir_month=Substr(lahir, 6, 2), lahir_year=Substr(lahir, 3, 2))


def _years_later(field, years):
    """The date ``years`` after ``field`` as ``YYYY-MM-DD`` text, in plain SQL on both databases
    (29 February gives a 29 February text, which still compares right)."""
    text = Cast(field, CharField())
    return Concat(Cast(Cast(Substr(text, 1, 4), IntegerField()) + years, CharField()), Substr(text, 5, 6),
                  output_field=CharField())


def _q_nik_mismatch():
    """A valid NIK whose birth date (DDMMYY, +40 for women) or sex disagrees with the record."""
    woman_by_nik = Q(nik_day__gte="41")
    man_day_differs = ~woman_by_nik & ~Q(nik_day=F("lahir_day"))
    woman_day_differs = woman_by_nik & ~Q(nik_day_number=Cast("lahir_day", IntegerField()) + 40)
    return _has_nik() & _nik_valid() & (
        (woman_by_nik & ~Q(jenis_kelamin=2)) | (~woman_by_nik & Q(jenis_kelamin=2))
        | man_day_differs | woman_day_differs | ~Q(nik_month=F("lahir_month")) | ~Q(nik_year=F("lahir_year"))
    ), {"nik_day_number": Cast("nik_day", IntegerField())}


def _q_impossible_dates(desa_ids, today):
    """rules.birth_date, rules.life_dates and rules.event_date, as SQL."""
    impossible_events = Peristiwa.objects.berlaku().filter(
        Q(tanggal__lt=F("penduduk__tanggal_lahir")) | Q(tanggal__gt=today), desa_id__in=list(desa_ids)).values("penduduk_id")
    life_dates = [Q(**{f"{name}__lt": F("tanggal_lahir")}) | Q(**{f"{name}__gt": today}) for name in rules.LIFE_DATES]
    return (Q(tanggal_lahir__gt=today) | Q(tanggal_lahir__lt=EARLIEST_BIRTH) | reduce(or_, life_dates)
            | Q(id__in=impossible_events))


def _q_school_age_without_schooling(today):
    youngest, oldest = SCHOOL_AGES
    born_after = _years_before(today, oldest + 1)  # 18 until the 19th birthday
    born_by = _years_before(today, youngest)
    return Q(pendidikan_sedang__isnull=True, tanggal_lahir__gt=born_after, tanggal_lahir__lte=born_by)


def _q_role_age(desa_ids, today):
    """rules.role_age and rules.parent_age (an Anak and the living head of the family), as SQL."""
    too_young = Q(hubungan_keluarga__in=HEAD_OR_SPOUSE, tanggal_lahir__gt=_years_before(today, MIN_AGE_HEAD_OR_SPOUSE),
                  tanggal_lahir__lte=today)  # a birth in the future is an impossible date, not an age
    # A child born fewer than 12 years after the living head of the same family.
    children = (living(desa_ids).filter(hubungan_keluarga=HubunganKeluarga.ANAK,
                                        keluarga__anggota__hubungan_keluarga=HubunganKeluarga.KEPALA_KELUARGA,
                                        keluarga__anggota__status_dasar=StatusDasar.HIDUP,
                                        keluarga__anggota__deleted_at__isnull=True)
                .annotate(lahir=Cast("tanggal_lahir", CharField()),
                          batas=_years_later("keluarga__anggota__tanggal_lahir", MIN_GAP_CHILD_HEAD))
                .filter(lahir__lt=F("batas"))
                .values("id"))
    return too_young | Q(id__in=children)


def name_key(nama):
    """Python's twin of ``NameKey``."""
    return nama.lower().replace(" ", "")


def _same_kecamatan(desa_ids):
    """The ids of the served villages in the kecamatan(s) of these villages."""
    from sidekel.wilayah.models import Desa

    kecamatan_ids = Desa.objects.filter(id__in=list(desa_ids)).values("kecamatan_id")
    return list(Desa.objects.managed().filter(kecamatan_id__in=kecamatan_ids).values_list("id", flat=True))


def _q_duplicate(desa_ids):
    """Same name (case and spaces ignored) and birth date as another living resident of the kecamatan.

    One seek of the index ``penduduk_by_lahir_nama`` per resident checked."""
    other = (living(_same_kecamatan(desa_ids)).annotate(kunci=NameKey("nama"))
             .filter(tanggal_lahir=OuterRef("tanggal_lahir"), kunci=NameKey(OuterRef("nama")))
             .exclude(id=OuterRef("id")))
    return Q(Exists(other))


def _families_by_heads(desa_ids, wrong):
    """Families of these villages with living members whose number of living heads is ``wrong``."""
    alive = Q(anggota__status_dasar=StatusDasar.HIDUP, anggota__deleted_at__isnull=True)
    return (Keluarga.objects.filter(desa_id__in=list(desa_ids))
            .annotate(hidup=Count("anggota", filter=alive),
                      kepala=Count("anggota", filter=alive & Q(anggota__hubungan_keluarga=HubunganKeluarga.KEPALA_KELUARGA)))
            .filter(hidup__gt=0).filter(wrong))


def resident_condition(code, desa_ids, today):
    """(Q on the residents of ``_nik_parts(living(desa_ids))``, annotations it needs) for a check."""
    if code == "nik-salah":
        return _has_nik() & ~_nik_valid(), {}
    if code == "nik-kosong":
        return ~_has_nik(), {}
    if code == "nik-tidak-cocok":
        return _q_nik_mismatch()
    if code == "tanpa-kk":
        return Q(keluarga__isnull=True), {}
    if code == "tanpa-rt":
        return Q(rt__isnull=True), {}
    if code == "tanggal-mustahil":
        return _q_impossible_dates(desa_ids, today), {}
    if code == "sekolah-kosong":
        return _q_school_age_without_schooling(today), {}
    if code == "umur-peran":
        return _q_role_age(desa_ids, today), {}
    if code == "ganda":
        return _q_duplicate(desa_ids), {}
    if code in ("kk-tanpa-kepala", "kk-kepala-ganda"):
        return Q(keluarga_id__in=findings(code, desa_ids, today).values("id")), {}
    raise KeyError(code)


def findings(code, desa_ids, today=None):
    """The residents (or families) of these villages with the finding ``code``: a queryset."""
    today = today or timezone.localdate()
    if code in EXTRA:
        return EXTRA[code][0](desa_ids, today)
    if code == "kk-tanpa-kepala":
        return _families_by_heads(desa_ids, Q(kepala=0))
    if code == "kk-kepala-ganda":
        return _families_by_heads(desa_ids, Q(kepala__gt=1))
    condition, annotations = resident_condition(code, desa_ids, today)
    return _nik_parts(living(desa_ids)).annotate(**annotations).filter(condition)


@dataclass
class Summary:
    """A village's quality on one day: counts per check, residents with an error, the score."""

    penduduk: int
    with_error: int
    counts: dict

    @property
    def score(self):
        if not self.penduduk:
            return None
        return round(100 * (self.penduduk - self.with_error) / self.penduduk, 1)


def summarize(desa_ids, today=None):
    """{desa_id: Summary} for these villages.

    One scan of the residents counts every resident check at once (conditional counts), one
    grouping of the families counts the family checks, and the duplicate check groups the
    kecamatan once: a handful of queries however many villages are asked for.
    """
    today = today or timezone.localdate()
    desa_ids = list(desa_ids)
    counts = {desa_id: dict.fromkeys(BY_CODE, 0) for desa_id in desa_ids}
    aggregates, errors, annotations = {}, [], {}
    for kind in KINDS:
        if kind.code in EXTRA:
            continue
        condition, extra = resident_condition(kind.code, desa_ids, today)
        annotations.update(extra)
        if kind.target == "penduduk":
            aggregates[kind.code.replace("-", "_")] = Count("id", filter=condition)
        if kind.error:
            errors.append(condition)
    rows = (_nik_parts(living(desa_ids)).annotate(**annotations).order_by().values("desa_id")
            .annotate(total=Count("id"), with_error=Count("id", filter=reduce(or_, errors)), **aggregates))
    totals = {}
    for row in rows:
        totals[row["desa_id"]] = row
        for kind in KINDS:
            if kind.target == "penduduk" and kind.code not in EXTRA:
                counts[row["desa_id"]][kind.code] = row[kind.code.replace("-", "_")]
    for desa_id, heads in _families_by_heads(desa_ids, ~Q(kepala=1)).values_list("desa_id", "kepala"):
        counts[desa_id]["kk-tanpa-kepala" if heads == 0 else "kk-kepala-ganda"] += 1
    for code, (findings_of, _describe) in EXTRA.items():
        for desa_id, n in findings_of(desa_ids, today).order_by().values("desa_id").annotate(n=Count("id")) \
                .values_list("desa_id", "n"):
            counts[desa_id][code] = n
    return {desa_id: Summary(totals.get(desa_id, {}).get("total", 0), totals.get(desa_id, {}).get("with_error", 0),
                             counts[desa_id]) for desa_id in desa_ids}


# --- what a row of the findings page says ----------------------------------------------------------

def describe(code, rows, user=None, today=None):
    """A short Indonesian sentence per row of one page of findings: {pk: text}."""
    today = today or timezone.localdate()
    if code in EXTRA:
        return EXTRA[code][1](rows)
    if code == "nik-salah":
        out = {}
        for p in rows:
            try:
                parse_nik(p.nik)
                out[p.pk] = ""
            except Exception as exc:  # ValidationError: its first message
                out[p.pk] = getattr(exc, "messages", [str(exc)])[0]
        return out
    if code == "nik-kosong":
        return {p.pk: _("No NIK recorded.") for p in rows}
    if code == "nik-tidak-cocok":
        # A birth in the future is an impossible date, not a NIK finding: today=max leaves it out.
        return {p.pk: " ".join(nik_warnings(p.nik, p.jenis_kelamin, p.tanggal_lahir, today=datetime.date.max))
                for p in rows}
    if code == "tanpa-kk":
        return {p.pk: " ".join(f.message for f in rules.family_missing(p.keluarga_id is not None)) for p in rows}
    if code == "tanpa-rt":
        return {p.pk: _("No RT chosen.") for p in rows}
    if code == "sekolah-kosong":
        return {p.pk: _("%(age)d years old; current schooling is empty.") % {"age": umur_pada(p.tanggal_lahir, today)}
                for p in rows}
    if code == "tanggal-mustahil":
        return _describe_dates(rows, today)
    if code == "umur-peran":
        return _describe_roles(rows, today)
    if code == "ganda":
        return _describe_duplicates(rows, user)
    if code in ("kk-tanpa-kepala", "kk-kepala-ganda"):
        return {k.pk: _("%(members)d living members, %(heads)d heads.") % {"members": k.hidup, "heads": k.kepala}
                for k in rows}
    return {}


def _describe_dates(rows, today):
    """The messages of the rules (rules.py) that a row breaks."""
    events = {}
    for pk, tanggal in Peristiwa.objects.berlaku().filter(Q(tanggal__lt=F("penduduk__tanggal_lahir")) | Q(tanggal__gt=today),
                                                penduduk__in=[p.pk for p in rows]).values_list("penduduk_id", "tanggal"):
        events.setdefault(pk, []).append(tanggal)
    out = {}
    for p in rows:
        found = rules.birth_date(p.tanggal_lahir, today) + rules.life_dates(
            p.tanggal_lahir, today, **{name: getattr(p, name) for name in rules.LIFE_DATES})
        for tanggal in events.get(p.pk, []):
            found += rules.event_date(tanggal, p.tanggal_lahir, today)
        out[p.pk] = " ".join(dict.fromkeys(f.message for f in found))
    return out


def _describe_roles(rows, today):
    heads = dict(Penduduk.objects.filter(keluarga_id__in={p.keluarga_id for p in rows if p.keluarga_id},
                                         hubungan_keluarga=HubunganKeluarga.KEPALA_KELUARGA,
                                         status_dasar=StatusDasar.HIDUP, deleted_at__isnull=True)
                 .values_list("keluarga_id", "tanggal_lahir"))
    out = {}
    for p in rows:
        found = rules.role_age(p.hubungan_keluarga, p.tanggal_lahir, today)
        if p.hubungan_keluarga == HubunganKeluarga.ANAK and p.keluarga_id in heads:
            found += rules.parent_age(heads[p.keluarga_id], p.tanggal_lahir, parent=_("The head of the family"))
        out[p.pk] = " ".join(f.message for f in found)
    return out


def _describe_duplicates(rows, user):
    from sidekel.core.scope import can_see_desa

    keys = {p.pk: (p.tanggal_lahir, name_key(p.nama)) for p in rows}
    others = {}
    if not rows:
        return {}
    scope = _same_kecamatan({p.desa_id for p in rows})
    # One seek of the index penduduk_by_lahir_nama per row of the page.
    pairs = reduce(or_, (Q(tanggal_lahir=d, kunci=k) for d, k in set(keys.values())))
    for o in living(scope).annotate(kunci=NameKey("nama")).filter(pairs).select_related("desa"):
        others.setdefault((o.tanggal_lahir, name_key(o.nama)), []).append(o)
    out = {}
    for p in rows:
        same = [o for o in others.get(keys[p.pk], []) if o.pk != p.pk]
        out[p.pk] = [(o, user is None or can_see_desa(user, o.desa_id)) for o in same]
    return out
