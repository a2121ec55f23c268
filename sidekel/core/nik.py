"""NIK and Nomor KK rules, in one place (standards.md §2).

A NIK is 16 digits: region of first registration (6), birth date DDMMYY with 40 added to the day
for women (6), and a serial (4). A KK number has the same shape, with the issue date and no +40.

Hard rules reject a value (``validate_nik``, ``validate_nomor_kk``). Soft checks only warn
(``nik_warnings``): the NIK never follows later corrections of birth date or sex, so a NIK that
disagrees with the record is legitimate and must still be accepted.
"""

import csv
import datetime
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

_KK_LABEL = gettext_lazy("KK number")  # translated only when a message needs it

PROVINCES_CSV = Path(__file__).resolve().parent.parent / "wilayah" / "data" / "provinces.csv"
_WHITESPACE = re.compile(r"\s+")
_NUMBER_JUNK = re.compile(r"[\s.\-'’`]+")
_DIGITS16 = re.compile(r"^[0-9]{16}$")

LAKI_LAKI = 1
PEREMPUAN = 2


@functools.cache
def province_codes():
    """Two-digit codes of every province in the shipped Kemendagri list.

    Provinces created since NIKs were first issued (93-96 in 2022) are in the list, and the
    provinces they split from (91, 92) still exist, so old NIK prefixes stay valid.
    """
    with PROVINCES_CSV.open(newline="", encoding="utf-8") as f:
        return frozenset(row["code"] for row in csv.DictReader(f))


@dataclass(frozen=True)
class NikParts:
    nik: str
    kode_wilayah: str  # six digits: province, kabupaten/kota, kecamatan of first registration
    hari: int  # day of birth, 1-31 (40 already taken off for women)
    bulan: int
    tahun_dua_digit: int
    jenis_kelamin: int  # LAKI_LAKI or PEREMPUAN
    nomor_urut: str

    @property
    def kode_wilayah_bertitik(self):
        k = self.kode_wilayah
        return f"{k[:2]}.{k[2:4]}.{k[4:6]}"

    def tanggal_lahir(self, abad=None):
        """The birth date, taking the century from ``abad`` (e.g. 1900), or None if not a date."""
        candidates = [abad] if abad is not None else [2000, 1900]
        for century in candidates:
            try:
                return datetime.date(century + self.tahun_dua_digit, self.bulan, self.hari)
            except ValueError:
                continue
        return None


def normalize_number(value):
    """A NIK or KK number as people type and paste it ("6201 0212 ...", "6201.02-12...", the
    apostrophe Excel puts before a long number), with the spaces, dots, dashes and apostrophes
    taken out. The one cleaning of such numbers: forms, searches, the API and the importer."""
    return _NUMBER_JUNK.sub("", str(value or ""))


def _check_shape(value, label):
    # The rules see the number as stored: forms and services clean what was typed first
    # (normalize_number); a validator given "6201-..." still refuses it.
    number = _WHITESPACE.sub("", str(value or ""))
    if not _DIGITS16.match(number):
        raise ValidationError(
            _("%(label)s must be exactly 16 digits (got %(length)d characters).")
            % {"label": label, "length": len(number)},
            code="format",
        )
    if number[:2] not in province_codes():
        raise ValidationError(
            _("The first two digits of the %(label)s (%(code)s) are not a known province code.")
            % {"label": label, "code": number[:2]},
            code="province",
        )
    month = int(number[8:10])
    if not 1 <= month <= 12:
        raise ValidationError(
            _("The month in the %(label)s (digits 9-10: %(month)s) must be 01-12.")
            % {"label": label, "month": number[8:10]},
            code="month",
        )
    if number[12:] == "0000":
        raise ValidationError(
            _("The serial number of the %(label)s (last 4 digits) cannot be 0000.") % {"label": label},
            code="serial",
        )
    return number


def parse_nik(value):
    """Apply the hard rules and return the NIK's parts; raise ValidationError otherwise."""
    nik = _check_shape(value, "NIK")
    day = int(nik[6:8])
    if 1 <= day <= 31:
        sex = LAKI_LAKI
    elif 41 <= day <= 71:
        sex, day = PEREMPUAN, day - 40
    else:
        raise ValidationError(
            _(
                "The day of birth in the NIK (digits 7-8: %(day)s) must be 01-31 for a man "
                "or 41-71 for a woman."
            )
            % {"day": nik[6:8]},
            code="day",
        )
    return NikParts(
        nik=nik,
        kode_wilayah=nik[:6],
        hari=day,
        bulan=int(nik[8:10]),
        tahun_dua_digit=int(nik[10:12]),
        jenis_kelamin=sex,
        nomor_urut=nik[12:],
    )


def validate_nik(value):
    """Django validator: the hard NIK rules."""
    parse_nik(value)


def validate_nomor_kk(value):
    """Django validator: the hard rules for a Nomor KK (issue date, no +40 for women)."""
    number = _check_shape(value, _KK_LABEL)
    day = int(number[6:8])
    if not 1 <= day <= 31:
        raise ValidationError(
            _("The issue day in the KK number (digits 7-8: %(day)s) must be 01-31.") % {"day": number[6:8]},
            code="day",
        )


def nik_warnings(nik, jenis_kelamin=None, tanggal_lahir=None, today=None, parts=None):
    """Soft checks: messages to show, never reasons to refuse. Assumes the hard rules passed
    (``parts``: what ``parse_nik(nik)`` gave, when the caller has it already)."""
    parts = parts or parse_nik(nik)
    today = today or datetime.date.today()
    warnings = []
    century = (tanggal_lahir.year // 100) * 100 if tanggal_lahir else None
    nik_date = parts.tanggal_lahir(century)
    if nik_date is None:
        warnings.append(
            _("The birth date in the NIK (%(day)02d-%(month)02d-%(year)02d) is not a real calendar date.")
            % {"day": parts.hari, "month": parts.bulan, "year": parts.tahun_dua_digit}
        )
    elif tanggal_lahir and nik_date != tanggal_lahir:
        warnings.append(
            _("The NIK encodes birth date %(nik_date)s, but the recorded birth date is %(recorded)s.")
            % {"nik_date": nik_date.strftime("%d-%m-%Y"), "recorded": tanggal_lahir.strftime("%d-%m-%Y")}
        )
    if jenis_kelamin and int(jenis_kelamin) != parts.jenis_kelamin:
        if parts.jenis_kelamin == PEREMPUAN:
            warnings.append(_("The NIK belongs to a woman (day of birth plus 40), but the record says male."))
        else:
            warnings.append(_("The NIK belongs to a man, but the record says female."))
    if tanggal_lahir and tanggal_lahir > today:
        warnings.append(_("The recorded birth date is in the future."))
    return warnings


def mask(number):
    """A NIK or KK number as lists show it: ``620102**********``, the region where it was issued and
    nothing else. Empty stays empty.

    Digits 7-12 are the birth date (the day plus 40 for a woman; for a KK number, the date of issue)
    and digits 13-16 a serial: a mask that showed the serial would give the whole NIK away to anyone
    who can see the resident's birth date and sex, so both are hidden."""
    if not number:
        return ""
    return f"{number[:6]}{'*' * max(0, len(number) - 6)}"
