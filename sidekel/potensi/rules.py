"""The one rule book for a profile value: what each indicator accepts, with a message naming it.

The form, the XLSX upload and the API all call ``clean_value``; nothing else decides whether a
value is valid. A value is (angka, teks) as stored in ``Nilai``; an empty value is None (the
indicator not filled).
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import TEXT_MAX, TIDAK, YA, Tipe

YES_WORDS = {"ya", "y", "yes", "ada", "1", "true", "benar"}
NO_WORDS = {"tidak", "t", "no", "tidak ada", "0", "false", "salah"}


def _refuse(indikator, message):
    raise ValidationError(_("%(indicator)s (%(code)s): %(problem)s")
                          % {"indicator": indikator.nama, "code": indikator.kode, "problem": message})


def _plain(value):
    """A number as an operator writes it: 1.250,5 or 1250.5 or 1250,5."""
    text = str(value).strip().replace(" ", "")
    if "," in text and "." in text:
        text = text.replace(".", "").replace(",", ".")
    elif "," in text:
        text = text.replace(",", ".")
    return text


def _fmt(number):
    """500000, 2.5: never 5E+5."""
    return format(number.normalize(), "f")


def _number(indikator, raw):
    if isinstance(raw, bool):
        _refuse(indikator, _("write a number, not yes/no."))
    try:
        value = Decimal(str(raw)) if isinstance(raw, (int, float, Decimal)) else Decimal(_plain(raw))
    except (InvalidOperation, ValueError):
        _refuse(indikator, _("“%(value)s” is not a number.") % {"value": str(raw)[:40]})
    if not value.is_finite():
        _refuse(indikator, _("“%(value)s” is not a number.") % {"value": str(raw)[:40]})
    if indikator.minimum is not None and value < indikator.minimum:
        _refuse(indikator, _("%(value)s is below the smallest allowed value, %(min)s.")
                % {"value": _fmt(value), "min": _fmt(indikator.minimum)})
    if indikator.maksimum is not None and value > indikator.maksimum:
        _refuse(indikator, _("%(value)s is above the largest allowed value, %(max)s.")
                % {"value": _fmt(value), "max": _fmt(indikator.maksimum)})
    if value != value.quantize(Decimal(1).scaleb(-indikator.desimal)):
        if indikator.desimal == 0:
            _refuse(indikator, _("write a whole number."))
        _refuse(indikator, _("write at most %(n)s decimal places.") % {"n": indikator.desimal})
    return value, ""


def clean_value(indikator, raw):
    """(angka, teks) for ``raw`` (a str from a form or a file, or a JSON value), None if empty;
    ValidationError naming the indicator otherwise."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if indikator.tipe == Tipe.ANGKA:
        return _number(indikator, raw)
    if indikator.tipe == Tipe.YA_TIDAK:
        if isinstance(raw, bool):
            return None, YA if raw else TIDAK
        word = str(raw).strip().lower()
        if word in YES_WORDS:
            return None, YA
        if word in NO_WORDS:
            return None, TIDAK
        _refuse(indikator, _("answer “ya” or “tidak”."))
    if not isinstance(raw, (str, int)) or isinstance(raw, bool):
        _refuse(indikator, _("write text."))
    text = str(raw).strip()
    if indikator.tipe == Tipe.PILIHAN:
        for option in indikator.pilihan:
            if option.lower() == text.lower():
                return None, option
        _refuse(indikator, _("choose one of: %(options)s.") % {"options": ", ".join(indikator.pilihan)})
    if len(text) > TEXT_MAX:
        _refuse(indikator, _("at most %(n)s characters.") % {"n": TEXT_MAX})
    return None, text


def check_year(tahun):
    """A profile's year: from 2000 to the current year (a year in the future has no profile)."""
    try:
        tahun = int(tahun)
    except (TypeError, ValueError):
        raise ValidationError(_("The year must be a number such as 2025.")) from None
    this_year = timezone.localdate().year
    if tahun > this_year:
        raise ValidationError(_("%(year)s is in the future: a profile can be filled for this year (%(now)s) or "
                                "earlier years.") % {"year": tahun, "now": this_year})
    if tahun < 2000:
        raise ValidationError(_("%(year)s is too early: profiles start in 2000.") % {"year": tahun})
    return tahun


def as_text(indikator, angka, teks):
    """The value as a person reads it (and as the XLSX template writes it back)."""
    if indikator.tipe == Tipe.ANGKA:
        if angka is None:
            return ""
        return f"{angka:.{indikator.desimal}f}"
    return teks
