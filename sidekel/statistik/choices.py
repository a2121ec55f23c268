"""The statistics Sidekel publishes: each category, how residents fall into it, and its rows.

A category either groups residents by one field with a SIAK code list (agama, pekerjaan...) or
by age on the chosen date (five-year bands, or the overlapping policy groups).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from sidekel.penduduk.choices import (
    Agama,
    Disabilitas,
    GolonganDarah,
    JenisKelamin,
    Kewarganegaraan,
    Pekerjaan,
    PendidikanKK,
    PendidikanSedang,
    StatusPenduduk,
    StatusPerkawinan,
)

FIELD, AGE_BANDS, AGE_GROUPS = "field", "age-bands", "age-groups"
# Categories whose row is made of the age on the date and a field together (services.kode_sql):
# school participation (age group x in school or not) and the education of adults (25 and over).
SCHOOL_AGES, ADULTS = "school-ages", "adults"
DERIVED = (SCHOOL_AGES, ADULTS)

# School participation (Angka Partisipasi Sekolah, BPS): (code, youngest, oldest).
APS_GROUPS = [("7-12", 7, 12), ("13-15", 13, 15), ("16-18", 16, 18), ("19-23", 19, 23)]
IN_SCHOOL, NOT_IN_SCHOOL = "sekolah", "tidak"
OTHER_AGES = "lain"  # residents outside the school ages: a row so that the table adds up to everyone
ADULT_AGE = 25
YOUNGER = "muda"  # residents under ADULT_AGE in the adults' education table

# Five-year bands: 0-4, 5-9, ..., 70-74, and 75 and over.
BAND_YEARS = 5
OLDEST_BAND = 75

# Policy groups (they overlap): (code, label, youngest age, oldest age or None).
AGE_GROUP_LIST = [
    ("balita", _("Under five (balita, 0-4)"), 0, 4),
    ("sd", _("Primary school age (7-12)"), 7, 12),
    ("smp", _("Junior secondary age (13-15)"), 13, 15),
    ("sma", _("Senior secondary age (16-18)"), 16, 18),
    ("produktif", _("Working age (15-64)"), 15, 64),
    ("lansia", _("Elderly (lansia, 60+)"), 60, None),
]


@dataclass(frozen=True)
class Kategori:
    slug: str  # as in URLs and the API: /statistik/<slug>/
    title: object
    kind: str = FIELD
    field: str = ""  # the Penduduk field, for FIELD categories
    choices: type | None = None

    def labels(self):
        """[(code, label)] in the order the table shows them (before the "not filled" row)."""
        if self.kind == AGE_BANDS:
            return [(str(a), f"{a}-{a + BAND_YEARS - 1}") for a in range(0, OLDEST_BAND, BAND_YEARS)] + [
                (str(OLDEST_BAND), f"{OLDEST_BAND}+")]
        if self.kind == AGE_GROUPS:
            return [(code, str(label)) for code, label, _lo, _hi in AGE_GROUP_LIST]
        if self.kind == SCHOOL_AGES:
            rows = []
            for code, _lo, _hi in APS_GROUPS:
                rows.append((f"{code}.{IN_SCHOOL}", _("Aged %(ages)s, in school") % {"ages": code}))
                rows.append((f"{code}.{NOT_IN_SCHOOL}", _("Aged %(ages)s, not in school") % {"ages": code}))
            return rows + [(OTHER_AGES, str(_("Other ages")))]
        if self.kind == ADULTS:
            return [(str(value), label) for value, label in self.choices.choices] + [
                (YOUNGER, str(_("Under %(age)d") % {"age": ADULT_AGE}))]
        return [(str(value), label) for value, label in self.choices.choices]


KATEGORI = {k.slug: k for k in [
    Kategori("jenis-kelamin", _("Sex"), field="jenis_kelamin", choices=JenisKelamin),
    Kategori("umur", _("Age (five-year groups)"), kind=AGE_BANDS),
    Kategori("kelompok-umur", _("Age groups for programmes"), kind=AGE_GROUPS),
    Kategori("pendidikan", _("Education completed"), field="pendidikan_kk", choices=PendidikanKK),
    Kategori("pendidikan-sedang", _("Education in progress"), field="pendidikan_sedang", choices=PendidikanSedang),
    Kategori("partisipasi-sekolah", _("School participation"), kind=SCHOOL_AGES, field="pendidikan_sedang"),
    Kategori("pendidikan-dewasa", _("Education completed, aged 25 and over"), kind=ADULTS, field="pendidikan_kk",
             choices=PendidikanKK),
    Kategori("pekerjaan", _("Occupation"), field="pekerjaan", choices=Pekerjaan),
    Kategori("agama", _("Religion"), field="agama", choices=Agama),
    Kategori("status-perkawinan", _("Marital status"), field="status_perkawinan", choices=StatusPerkawinan),
    Kategori("kewarganegaraan", _("Citizenship"), field="kewarganegaraan", choices=Kewarganegaraan),
    Kategori("golongan-darah", _("Blood type"), field="golongan_darah", choices=GolonganDarah),
    Kategori("disabilitas", _("Disability"), field="disabilitas", choices=Disabilitas),
    Kategori("status-penduduk", _("Resident status"), field="status_penduduk", choices=StatusPenduduk),
]}
