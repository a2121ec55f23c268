"""The rules of a valid school and school year, one copy for the forms, services, API and import.

Each ``clean_*`` returns the clean value or raises ``ValidationError`` with an Indonesian message.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .choices import KELAS

NPSN = re.compile(r"^\d{8}$")
TAHUN_AJARAN = re.compile(r"^(\d{4})/(\d{4})$")
# Above these, a number is a typing error, not a school (the largest schools have about 4,000 pupils).
MAX_MURID_KELAS = 1500  # pupils of one sex in one grade
MAX_GURU = 500
MAX_RUANG = 300


def clean_npsn(value):
    value = (value or "").strip()
    if not NPSN.match(value):
        raise ValidationError(_("The NPSN must be exactly 8 digits; %(value)s is not.") % {"value": value or "''"},
                              code="npsn")
    return value


def clean_tahun_ajaran(value):
    """'2025/2026': the second year is the first plus one."""
    value = (value or "").strip()
    found = TAHUN_AJARAN.match(value)
    if not found or int(found.group(2)) != int(found.group(1)) + 1 or not 1950 <= int(found.group(1)) <= 2100:
        raise ValidationError(_("A school year is written YYYY/YYYY+1, for example 2025/2026; %(value)s is not.")
                              % {"value": value or "''"}, code="tahun_ajaran")
    return value


def clean_count(value, label, most):
    """A whole number from 0 to ``most``."""
    if value in (None, ""):
        return 0
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError(_("%(label)s must be a whole number; %(value)s is not.")
                              % {"label": label, "value": value}, code="count") from None
    if number < 0:
        raise ValidationError(_("%(label)s cannot be below zero.") % {"label": label}, code="count")
    if number > most:
        raise ValidationError(_("%(label)s of %(value)d is not plausible (at most %(most)d).")
                              % {"label": label, "value": number, "most": most}, code="count")
    return number


def clean_murid(jenjang, murid):
    """{grade: [men, women]} for the grades of ``jenjang`` (missing grades: 0), or ValidationError
    with {field "murid_<grade>_<l|p>": message}."""
    clean, errors = {}, {}
    given = murid or {}
    for kelas in KELAS[jenjang]:
        pair = given.get(kelas) or [0, 0]
        values = []
        for i, sex in enumerate(("l", "p")):
            label = _("Pupils of grade %(kelas)s (%(sex)s)") % {"kelas": kelas, "sex": "L" if sex == "l" else "P"}
            try:
                values.append(clean_count(pair[i] if i < len(pair) else 0, label, MAX_MURID_KELAS))
            except ValidationError as exc:
                errors[field_name(kelas, sex)] = exc.messages
        clean[kelas] = values
    unknown = sorted(set(given) - set(KELAS[jenjang]))
    if unknown:
        errors["murid"] = [_("A school of this level has no grade %(kelas)s.") % {"kelas": ", ".join(unknown)}]
    if errors:
        raise ValidationError(errors)
    return clean


def field_name(kelas, sex):
    """The form field of a grade's pupils of one sex: murid_10_l."""
    return f"murid_{re.sub(r'[^0-9a-z]+', '_', kelas.lower())}_{sex}"


def clean_coordinate(value, label, limit):
    if value in (None, ""):
        return None
    from decimal import Decimal, InvalidOperation

    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise ValidationError(_("%(label)s must be a number; %(value)s is not.") % {"label": label, "value": value}) from None
    if abs(number) > limit:
        raise ValidationError(_("%(label)s must lie between -%(limit)d and %(limit)d.") % {"label": label, "limit": limit})
    return round(number, 6)
