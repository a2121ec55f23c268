"""The rules of a valid resident, each written once, over plain values.

Every path that takes a resident's data calls these functions: the forms (``forms.py``, to show
the messages on their fields), the services (``services.py``, inside their transaction, raising
``ValidationError``), the API (through the services: 422), the importer (``importer.py``: each
row's rules in ``_check_row``, which may run in a child process without a database, and the
family rules across rows and against the village's existing families) and, as SQL, the quality
checks (``kualitas.py`` says which rule each check mirrors; its test checks they agree).

A rule takes dates, codes and numbers, never a model or a query, and returns a list of
``Finding``: an **error** refuses the value (nothing is saved; the importer refuses the row), a
**warning** is shown to the operator and the value is kept.

The rules:

- ``birth_date``: not in the future, not before 1900 (error).
- ``life_dates``: marriage, divorce and the start of living here never before the birth date
  and never in the future (error).
- ``event_date``: a population event neither in the future nor before the birth (error).
- ``marriage_age``: married (by the date of marriage, or the status) before ``MIN_MARRIAGE_AGE``
  (warning).
- ``role_age``: a head of a family or spouse younger than ``MIN_AGE_HEAD_OR_SPOUSE`` (warning).
- ``parent_age``: a parent fewer than ``MIN_PARENT_GAP`` years older than the child (warning);
  the head of the family counts as the parent of an Anak.
- ``family_number``: a family member (Istri, Anak, ...) without a KK number or family (error).
- ``second_head``: a second living head of a family (error), whether the other is in the file
  or in the database.
- ``family_heads``: the living members of a family being made (a new KK, a split, a family
  moving in) have exactly one head (error).
- ``split``: a split takes some members, not all, and not the head (error).
- ``family_missing``: a living resident in no family ("Tanpa KK"): not refused when saved, but a
  finding of the quality checks.
- ``cancel_event``: an event cancelled as recorded by mistake needs a reason, is in force, and is
  the resident's latest (error).

Texts are written in English and shown in Bahasa Indonesia (``gettext``); a child process of the
importer has the parent's language.
"""

import datetime
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .choices import HubunganKeluarga, StatusPerkawinan

EARLIEST_BIRTH = datetime.date(1900, 1, 1)
MIN_MARRIAGE_AGE = 19  # UU 16/2019: both bride and groom
MIN_AGE_HEAD_OR_SPOUSE = 15
MIN_PARENT_GAP = 10  # years between a parent's birth and a child's
HEAD = HubunganKeluarga.KEPALA_KELUARGA
HEAD_OR_SPOUSE = frozenset({HubunganKeluarga.KEPALA_KELUARGA, HubunganKeluarga.SUAMI, HubunganKeluarga.ISTRI})
# Relationships that only mean something towards the head of a family: such a resident needs one.
# (A head, a household helper or "lainnya" may be recorded without a family.)
FAMILY_ROLES = frozenset({
    HubunganKeluarga.SUAMI, HubunganKeluarga.ISTRI, HubunganKeluarga.ANAK, HubunganKeluarga.MENANTU,
    HubunganKeluarga.CUCU, HubunganKeluarga.ORANG_TUA, HubunganKeluarga.MERTUA, HubunganKeluarga.FAMILI_LAIN,
})
LIFE_DATES = ("tanggal_perkawinan", "tanggal_perceraian", "tanggal_mulai_tinggal")


@dataclass(frozen=True)
class Finding:
    code: str  # which rule: "lahir-masa-depan", "kepala-ganda", ...
    field: str  # the field it is about (a form's field, an import's column), or ""
    message: str
    error: bool = True


def dmy(day):
    return f"{day:%d-%m-%Y}"


def age_on(born, day):
    """Age in whole years on ``day`` (the same as ``models.umur_pada``)."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def years_after(day, years):
    """The date ``years`` after ``day``; 29 February gives 1 March of a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return datetime.date(day.year + years, 3, 1)


# --- one resident's own values -------------------------------------------------------------------

def birth_date(born, today):
    """Not in the future, not before 1900. Mirrored by kualitas "tanggal-mustahil"."""
    if born is None:
        return []
    if born > today:
        return [Finding("lahir-masa-depan", "tanggal_lahir",
                        _("The birth date %(date)s is in the future.") % {"date": dmy(born)})]
    if born < EARLIEST_BIRTH:
        return [Finding("lahir-terlalu-awal", "tanggal_lahir",
                        _("The birth date %(date)s is before %(year)d.") % {"date": dmy(born), "year": EARLIEST_BIRTH.year})]
    return []


def life_dates(born, today, **dates):
    """Marriage, divorce and living here since: never before the birth, never in the future.
    ``dates``: any of LIFE_DATES. Mirrored by kualitas "tanggal-mustahil"."""
    found = []
    for name in LIFE_DATES:
        value = dates.get(name)
        if value is None:
            continue
        if born is not None and value < born:
            found.append(Finding("sebelum-lahir", name, _("%(what)s %(date)s is before the birth date %(born)s.")
                                 % {"what": _date_label(name), "date": dmy(value), "born": dmy(born)}))
        elif value > today:
            found.append(Finding("masa-depan", name, _("%(what)s %(date)s is in the future.")
                                 % {"what": _date_label(name), "date": dmy(value)}))
    return found


def _date_label(name):
    return {"tanggal_perkawinan": _("The date of marriage"), "tanggal_perceraian": _("The date of divorce"),
            "tanggal_mulai_tinggal": _("The date of living here since")}[name]


def event_date(day, born, today, field="tanggal"):
    """A population event: not in the future, not before the birth. Mirrored by kualitas
    "tanggal-mustahil" (events before the birth)."""
    if day > today:
        return [Finding("peristiwa-masa-depan", field, _("The date of the event cannot be in the future."))]
    if born is not None and day < born:
        return [Finding("peristiwa-sebelum-lahir", field, _("The date of the event is before the resident's birth date."))]
    return []


def marriage_age(born, status_perkawinan, tanggal_perkawinan, today):
    """Married before MIN_MARRIAGE_AGE: by the date of marriage where there is one, else by the
    status of someone still under that age today (warning)."""
    if born is None:
        return []
    if tanggal_perkawinan is not None:
        if tanggal_perkawinan < born:
            return []  # life_dates refuses it
        age = age_on(born, tanggal_perkawinan)
    elif status_perkawinan not in (None, StatusPerkawinan.BELUM_KAWIN):
        age = age_on(born, today)
    else:
        return []
    if age >= MIN_MARRIAGE_AGE or age < 0:
        return []
    return [Finding("kawin-muda", "tanggal_perkawinan" if tanggal_perkawinan else "status_perkawinan",
                    _("Married at %(age)d years old, below the minimum age of %(min)d.")
                    % {"age": age, "min": MIN_MARRIAGE_AGE}, error=False)]


def role_age(hubungan_keluarga, born, today):
    """A head of a family or spouse younger than MIN_AGE_HEAD_OR_SPOUSE (warning). Mirrored by
    kualitas "umur-peran"."""
    if born is None or hubungan_keluarga not in HEAD_OR_SPOUSE:
        return []
    age = age_on(born, today)
    if age >= MIN_AGE_HEAD_OR_SPOUSE or born > today:
        return []
    return [Finding("umur-peran", "hubungan_keluarga", _("%(age)d years old and %(role)s.")
                    % {"age": age, "role": HubunganKeluarga(hubungan_keluarga).label}, error=False)]


def parent_age(parent_born, child_born, *, parent="", field="tanggal_lahir"):
    """A parent fewer than MIN_PARENT_GAP years older than the child (warning). ``parent``: who
    the parent is, for the message. Mirrored by kualitas "umur-peran" (an Anak and the head)."""
    if parent_born is None or child_born is None or child_born >= years_after(parent_born, MIN_PARENT_GAP):
        return []
    gap = age_on(parent_born, child_born) if child_born >= parent_born else 0
    return [Finding("umur-orang-tua", field,
                    _("%(parent)s is only %(gap)d years older than the child (at least %(min)d expected).")
                    % {"parent": parent or _("The parent"), "gap": gap, "min": MIN_PARENT_GAP}, error=False)]


def resident(values, today):
    """Every rule on one resident's own values (a dict of field names; missing ones are empty)."""
    born = values.get("tanggal_lahir")
    found = birth_date(born, today)
    get = values.get
    if get("tanggal_perkawinan") or get("tanggal_perceraian") or get("tanggal_mulai_tinggal"):
        found += life_dates(born, today, tanggal_perkawinan=get("tanggal_perkawinan"),
                            tanggal_perceraian=get("tanggal_perceraian"), tanggal_mulai_tinggal=get("tanggal_mulai_tinggal"))
    found += marriage_age(born, get("status_perkawinan"), get("tanggal_perkawinan"), today)
    found += role_age(get("hubungan_keluarga"), born, today)
    return found


# --- a resident in a family ----------------------------------------------------------------------

def family_number(hubungan_keluarga, has_family, field="hubungan_keluarga"):
    """A family member (Istri, Anak, ...) needs a family: in a file, a KK number (error)."""
    if has_family or hubungan_keluarga not in FAMILY_ROLES:
        return []
    return [Finding("anggota-tanpa-kk", field,
                    _("%(role)s is a relationship in a family, but no KK number (family) is given.")
                    % {"role": HubunganKeluarga(hubungan_keluarga).label})]


def second_head(family, other_head, field="hubungan_keluarga"):
    """A second living head of a family (error). ``family`` names the family (its KK number),
    ``other_head`` the head it already has (a name, or a row of the file)."""
    return [Finding("kepala-ganda", field, _("Family %(kk)s already has a living head: %(head)s.")
                    % {"kk": family, "head": other_head})]


def family_heads(relationships, field="hubungan_keluarga"):
    """The relationships of the living members of a family being made: exactly one head (error)."""
    heads = sum(1 for h in relationships if h == HEAD)
    if heads == 0:
        return [Finding("kk-tanpa-kepala", field, _("Choose one member as the head of the family (Kepala Keluarga)."))]
    if heads > 1:
        return [Finding("kk-kepala-ganda", field, _("A family has one head: %(n)d members are chosen as Kepala Keluarga.")
                        % {"n": heads})]
    return []


def split(chosen, living, head_chosen, field="anggota"):
    """Splitting ``chosen`` of the ``living`` members off into a new family: at least one, not all,
    and not the head (who stays; change the head first to take them along)."""
    if chosen == 0:
        return [Finding("pisah-kosong", field, _("Choose the members who move to the new KK."))]
    if head_chosen:
        return [Finding("pisah-kepala", field, _("The head of the family stays in this KK. To take them along, "
                                                 "first change the head of this family."))]
    if chosen >= living:
        return [Finding("pisah-semua", field, _("Every member is chosen: to give the whole family a new number, "
                                                "use New KK number instead."))]
    return []


def family_missing(has_family, field="keluarga"):
    """A living resident in no family (Tanpa KK). Mirrored by kualitas "tanpa-kk"."""
    if has_family:
        return []
    return [Finding("tanpa-kk", field, _("In no family (KK): create a new KK for them or put them into a KK."),
                    error=False)]


def cancel_event(reason, cancelled, latest, field="alasan"):
    """Cancelling an event recorded by mistake: a reason, an event in force, the resident's latest."""
    if cancelled:
        return [Finding("batal-ganda", "", _("This event has already been cancelled."))]
    if not (reason or "").strip():
        return [Finding("batal-tanpa-alasan", field, _("Give the reason why the event was recorded by mistake."))]
    if not latest:
        return [Finding("batal-bukan-terakhir", "", _("Only the resident's latest event can be cancelled: "
                                                      "cancel the later events first."))]
    return []


# --- using the findings --------------------------------------------------------------------------

def errors(findings):
    return [f for f in findings if f.error]


def warnings(findings):
    return [f for f in findings if not f.error]


def new_errors(after, before=()):
    """The errors of ``after`` that ``before`` did not have: an edit must not make a record
    worse, but is not refused for an old fault it does not touch (the quality checks list those)."""
    old = {(f.code, f.field) for f in before if f.error}
    return [f for f in after if f.error and (f.code, f.field) not in old]


def raise_errors(findings):
    """Raise one ValidationError with the errors among ``findings`` on their fields."""
    found = errors(findings)
    if found:
        by_field = {}
        for f in found:
            by_field.setdefault(f.field or "__all__", []).append(ValidationError(f.message, code=f.code))
        raise ValidationError(by_field)


# --- text a user types into a search -------------------------------------------------------------

def clean_query(text):
    """A query parameter as a search may use it: control characters (NUL, line breaks, ...) and
    other unprintable characters become spaces, so no database refuses the text."""
    if not text:
        return text or ""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or unicodedata.category(c) == "Zs" else " " for c in text)
