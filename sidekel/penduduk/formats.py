"""The population spreadsheet formats Sidekel reads and writes: its own template and OpenSID's.

A format is a list of columns. Each column has the header text in the file, the resident field
it fills, and how its values are read and written. Sidekel's template uses the field names; the
OpenSID format uses OpenSID's 43 "Data Penduduk" headers (`alamat, dusun, rw, rt, nama, no_kk,
nik, sex, ...`), 29 of which Sidekel stores; the rest are known and left empty.
"""

import datetime
import functools
import re
import unicodedata
from dataclasses import dataclass

from sidekel.core.spreadsheet import excel_serial_to_date
from sidekel.core.nik import normalize_number

from .choices import (
    Agama,
    DapatMembacaHuruf,
    Disabilitas,
    GolonganDarah,
    HubunganKeluarga,
    JenisKelamin,
    Kewarganegaraan,
    PendidikanKK,
    PendidikanSedang,
    Pekerjaan,
    StatusDasar,
    StatusPenduduk,
    StatusPerkawinan,
)

TEXT, NUMBER, DATE, CODE = "text", "number", "date", "code"


def normalize_label(text):
    """Compare labels the way people type them: no case, no spaces, no dots."""
    return re.sub(r"[\s.]+", "", str(text)).upper()


# Extra spellings seen in SIAK and OpenSID files, beyond each code's number and label.
ALIASES = {
    JenisKelamin: {"L": 1, "LK": 1, "LAKI": 1, "LAKILAKI": 1, "P": 2, "PR": 2, "W": 2, "WANITA": 2},
    StatusPerkawinan: {"BK": 1, "K": 2, "CH": 3, "CM": 4, "KAWINTERCATAT": 2, "KAWINBELUMTERCATAT": 2,
                       "CERAIHIDUPTERCATAT": 3, "CERAIHIDUPBELUMTERCATAT": 3},
    PendidikanKK: {"TIDAK/BLMSEKOLAH": 1, "TIDAKTAMATSD/SEDERAJAT": 2, "AKADEMI/DIPLOMAIII/SMUDA": 7,
                   "AKADEMI/DIPLOMAIII/SARJANAMUDA": 7, "DIPLOMAIV/STRATAI": 8, "STRATA-II": 9, "STRATA-III": 10},
    Agama: {"KATOLIK": 3, "BUDDHA": 5, "KONGHUCU": 6, "KEPERCAYAANTERHADAPTUHANYME/LAINNYA": 7, "LAINNYA": 7},
    GolonganDarah: {"TDKTH": 13, "TIDAKTAHU": 13},
    StatusDasar: {"PINDAHDALAMNEGERI": 3, "PINDAHLUARNEGERI": 3, "MENINGGAL": 2},
    Kewarganegaraan: {"DUAKEWARGANEGARAAN": 3},
}


def code_lookup(choices):
    """{normalized spelling: code} for a choices class: the number, the label and the aliases."""
    table = {}
    for value, label in choices.choices:
        table[normalize_label(value)] = value
        table[normalize_label(label)] = value
    for key, value in ALIASES.get(choices, {}).items():
        table[normalize_label(key)] = value
    return table


@dataclass(frozen=True)
class Column:
    header: str  # as written in the file
    field: str  # the resident or family field it fills ("" = known but not stored)
    kind: str = TEXT
    choices: type | None = None
    required: bool = False


def _sidekel_columns():
    c = Column
    return [
        c("nik", "nik", NUMBER), c("no_kk", "no_kk", NUMBER), c("nama", "nama", required=True),
        c("jenis_kelamin", "jenis_kelamin", CODE, JenisKelamin, True), c("tempat_lahir", "tempat_lahir"),
        c("tanggal_lahir", "tanggal_lahir", DATE, required=True), c("agama", "agama", CODE, Agama, True),
        c("pendidikan_kk", "pendidikan_kk", CODE, PendidikanKK, True),
        c("pendidikan_sedang", "pendidikan_sedang", CODE, PendidikanSedang),
        c("pekerjaan", "pekerjaan", CODE, Pekerjaan, True),
        c("status_perkawinan", "status_perkawinan", CODE, StatusPerkawinan, True),
        c("akta_perkawinan", "akta_perkawinan"), c("tanggal_perkawinan", "tanggal_perkawinan", DATE),
        c("akta_perceraian", "akta_perceraian"), c("tanggal_perceraian", "tanggal_perceraian", DATE),
        c("hubungan_keluarga", "hubungan_keluarga", CODE, HubunganKeluarga, True),
        c("kewarganegaraan", "kewarganegaraan", CODE, Kewarganegaraan),
        c("golongan_darah", "golongan_darah", CODE, GolonganDarah), c("disabilitas", "disabilitas", CODE, Disabilitas),
        c("nama_ayah", "nama_ayah"), c("nik_ayah", "nik_ayah", NUMBER), c("nama_ibu", "nama_ibu"),
        c("nik_ibu", "nik_ibu", NUMBER), c("akta_lahir", "akta_lahir"),
        c("dapat_membaca_huruf", "dapat_membaca_huruf", CODE, DapatMembacaHuruf),
        c("dusun", "dusun"), c("rw", "rw"), c("rt", "rt"), c("alamat", "alamat"),
        c("tanggal_mulai_tinggal", "tanggal_mulai_tinggal", DATE),
        c("status_penduduk", "status_penduduk", CODE, StatusPenduduk),
        c("status_dasar", "status_dasar", CODE, StatusDasar),
    ]


def _opensid_columns():
    c = Column
    return [
        c("alamat", "alamat"), c("dusun", "dusun"), c("rw", "rw"), c("rt", "rt"), c("nama", "nama", required=True),
        c("no_kk", "no_kk", NUMBER), c("nik", "nik", NUMBER), c("sex", "jenis_kelamin", CODE, JenisKelamin, True),
        c("tempatlahir", "tempat_lahir"), c("tanggallahir", "tanggal_lahir", DATE, required=True),
        c("agama_id", "agama", CODE, Agama, True), c("pendidikan_kk_id", "pendidikan_kk", CODE, PendidikanKK, True),
        c("pendidikan_sedang_id", "pendidikan_sedang", CODE, PendidikanSedang),
        c("pekerjaan_id", "pekerjaan", CODE, Pekerjaan, True),
        c("status_kawin", "status_perkawinan", CODE, StatusPerkawinan, True),
        c("kk_level", "hubungan_keluarga", CODE, HubunganKeluarga, True),
        c("warganegara_id", "kewarganegaraan", CODE, Kewarganegaraan),
        c("ayah_nik", "nik_ayah", NUMBER), c("nama_ayah", "nama_ayah"), c("ibu_nik", "nik_ibu", NUMBER),
        c("nama_ibu", "nama_ibu"), c("golongan_darah_id", "golongan_darah", CODE, GolonganDarah),
        c("akta_lahir", "akta_lahir"), c("dokumen_pasport", ""), c("tanggal_akhir_paspor", ""), c("dokumen_kitas", ""),
        c("akta_perkawinan", "akta_perkawinan"), c("tanggalperkawinan", "tanggal_perkawinan", DATE),
        c("akta_perceraian", "akta_perceraian"), c("tanggalperceraian", "tanggal_perceraian", DATE),
        c("cacat_id", "disabilitas", CODE, Disabilitas), c("cara_kb_id", ""), c("hamil", ""), c("ktp_el", ""),
        c("status_rekam", ""), c("alamat_sekarang", ""), c("status_dasar", "status_dasar", CODE, StatusDasar),
        c("suku", ""), c("tag_id_card", ""), c("id_asuransi", ""), c("no_asuransi", ""), c("lat", ""), c("lng", ""),
    ]


FORMATS = {"sidekel": _sidekel_columns(), "opensid": _opensid_columns()}
LOOKUPS = {choices: code_lookup(choices) for columns in FORMATS.values() for choices in
           {col.choices for col in columns if col.choices}}


def detect_format(headers):
    """The format whose headers all appear in ``headers``, preferring the one that covers most."""
    given = {h.strip().lower() for h in headers if h}
    best, best_known = None, -1
    for name, columns in FORMATS.items():
        known = {c.header for c in columns}
        if given <= known and len(given & known) > best_known:
            best, best_known = name, len(given & known)
    return best


def unknown_headers(headers, fmt):
    known = {c.header for c in FORMATS[fmt]}
    return [h for h in headers if h and h.strip().lower() not in known]


# --- reading values -------------------------------------------------------------------------------

@functools.cache
def _invisible():
    """Invisible characters that Dukcapil exports carry are dropped; odd spaces become plain
    spaces. (The table reads the category of each of the 65,536 first code points: made when a
    cell first needs it, not in every process that imports this module.)"""
    table = {i: None for i in range(0x10000) if unicodedata.category(chr(i)) in ("Cf", "Cc")}
    table.update({i: " " for i in range(0x10000) if unicodedata.category(chr(i)) == "Zs"})
    return table


def clean_text(value):
    if value.__class__ is str:  # most cells: neither None nor a number
        text = value
    elif value is None:
        return ""
    else:
        text = str(int(value) if isinstance(value, float) and value.is_integer() else value)
    if not text.isprintable():  # the rare cell with invisible or odd characters
        text = text.translate(_invisible())
    text = text.strip()
    return "" if text == "-" else text


def clean_number(value):
    """NIK/KK as typed: invisible characters removed, then nik.normalize_number (spaces,
    apostrophes, dots, dashes)."""
    if isinstance(value, float):
        value = f"{value:.0f}"
    text = clean_text(value)
    return text if text.isdigit() else normalize_number(text)


DATE_TEXT = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
ISO_TEXT = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})")


class ValueProblem(ValueError):
    """A cell that cannot be read; the message goes into the report."""


class ImpossibleDate(ValueProblem):
    """A cell written as a date whose day or month does not exist ("31-02-1956")."""


def parse_date(value):
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)):
        serial = excel_serial_to_date(value)
        if serial is None:
            raise ValueProblem(f"{value}")
        return serial
    text = clean_text(value)
    if not text:
        return None
    match = DATE_TEXT.match(text)
    if match:
        day, month, year = map(int, match.groups())
    else:
        match = ISO_TEXT.match(text)
        if not match:
            raise ValueProblem(text)
        year, month, day = map(int, match.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError as exc:
        raise ImpossibleDate(text) from exc


def parse_code(value, choices):
    text, code = _code_of(choices, value)
    if not text:
        return None
    if code is None:
        raise ValueProblem(text)
    return code


@functools.lru_cache(maxsize=4096, typed=True)
def _code_of(choices, value):
    """(cleaned text, code): a file repeats the same few spellings a million times, so each is looked up once."""
    text = clean_text(value)
    return text, LOOKUPS[choices].get(normalize_label(text)) if text else None


# --- writing values -------------------------------------------------------------------------------

def export_value(column, value):
    """A value as the format writes it: codes as numbers, dates as dd-mm-yyyy text."""
    if value is None or value == "":
        return ""
    if column.kind == DATE:
        return value.strftime("%d-%m-%Y")
    return value
