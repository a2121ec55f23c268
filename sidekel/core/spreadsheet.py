"""Reading spreadsheets people bring: .xlsx, .xls, .ods and .csv, defensively.

``open_table(path)`` checks the file before anything is parsed (size, type, zip bomb, password)
and gives rows as lists of plain values: str, int, float, bool, datetime.date/datetime or None.
Every refusal is a ``SpreadsheetError`` with a message in the user's language that says what is
wrong with the file and what to do.

.xlsx is read a row at a time by our own streaming reader (core/xlsx_reader.py), so a
million-row file needs little memory; .xls and .ods by python-calamine (Rust), about ten times
faster than openpyxl.
"""

import codecs
import csv
import datetime
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from .files import csv_value
from .xlsx_reader import MAX_CELL_CHARS, CellTooLarge, FormulaWithoutValue, XlsxReader

MAX_FILE_BYTES = 100 * 2**20  # a whole kabupaten is ~150 MB as CSV; as xlsx, a third of that
MAX_UNZIPPED_BYTES = 2 * 2**30
MAX_ZIP_RATIO = 200  # real spreadsheets compress about 5-20 times; bombs by thousands

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class SpreadsheetError(Exception):
    """The file cannot be read as a table; ``str(error)`` tells the user why."""


NAMES_SHOWN = 10


def some_names(names, shown=NAMES_SHOWN):
    """A list of names for a message: all of a few, or the first ``shown`` and how many more
    ("a, b, c and 9,997 more"): a file with 10,000 odd columns must not give a 68 KB message."""
    names = [str(n) for n in names]
    if len(names) <= shown + 1:
        return ", ".join(names)
    return _("%(names)s and %(count)s more") % {"names": ", ".join(names[:shown]),
                                                "count": f"{len(names) - shown:,}".replace(",", ".")}


def _cell_too_large(size, row=None):
    limit = f"{MAX_CELL_CHARS:,}".replace(",", ".")
    if row is None:
        return SpreadsheetError(_(
            "The file holds a cell of %(size)s characters; a spreadsheet cell holds at most %(limit)s. "
            "Check that this is the population table, remove that cell, save and upload again.")
            % {"size": f"{size:,}".replace(",", "."), "limit": limit})
    return SpreadsheetError(_(
        "Row %(row)d holds a cell of more than %(limit)s characters, more than a spreadsheet cell holds. "
        "Check that this is the population table, remove that cell, save and upload again.")
        % {"row": row, "limit": limit})


@dataclass
class Table:
    kind: str  # xlsx, xls, ods, csv
    sheet: str
    headers: list
    rows: object  # iterator of (row number, list of values aligned with headers)


def check_zip(path, damaged=None):
    """The names in a zip archive, after the zip-bomb check (total unpacked size and ratio); also
    for other zipped files people bring (KMZ, zipped shapefiles: peta/formats.py)."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            unzipped = sum(info.file_size for info in archive.infolist())
            zipped = sum(info.compress_size for info in archive.infolist()) or 1
    except zipfile.BadZipFile as exc:
        raise SpreadsheetError(damaged or _("The file is damaged: it looks like an Excel/ODS file but cannot be opened.")) from exc
    if unzipped > MAX_UNZIPPED_BYTES or unzipped / zipped > MAX_ZIP_RATIO:
        raise SpreadsheetError(_("The file unpacks to far more data than a spreadsheet holds; it is refused for safety."))
    return names


def check_size(path, limit=None):
    """Refuse an empty file or one larger than ``limit`` bytes (default MAX_FILE_BYTES), before anything reads it."""
    limit = MAX_FILE_BYTES if limit is None else limit
    size = Path(path).stat().st_size
    if size == 0:
        raise SpreadsheetError(_("The file is empty."))
    if size > limit:
        raise SpreadsheetError(
            _("The file is %(size)d MB; the limit is %(limit)d MB. Split it, e.g. one file per village.")
            % {"size": size // 2**20, "limit": limit // 2**20})
    return size


def _check_zip(path):
    names = check_zip(path)
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "content.xml" in names:
        return "ods"
    raise SpreadsheetError(_("The file is a zip archive, not a spreadsheet. Save it as .xlsx, .ods or .csv."))


def _formulas_without_values():
    return SpreadsheetError(_(
        "The file holds formulas without saved values. Open it in a spreadsheet program, "
        "copy everything and paste it as values (Paste Special, Values), save, and upload again."))


def detect_kind(path):
    """xlsx, xls, ods or csv from the file's first bytes (never from its name)."""
    path = Path(path)
    check_size(path)
    with path.open("rb") as f:
        head = f.read(4096)
    if head.startswith(ZIP_MAGIC):
        return _check_zip(path)
    if head.startswith(OLE_MAGIC):
        # Encrypted .xlsx files are OLE containers too, holding an "EncryptedPackage" stream.
        with path.open("rb") as f:
            if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e" in f.read(2**20):
                raise SpreadsheetError(_("The file is protected with a password. Open it, remove the password, save and try again."))
        return "xls"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _looks_utf16(head):
        raise SpreadsheetError(_(
            "The file is saved as Unicode text (UTF-16), which cannot be read. Open it in the spreadsheet "
            "program and save it as \"CSV UTF-8\" (or as .xlsx), then upload that file."))
    if b"\x00" in head:
        raise SpreadsheetError(_("This is not a spreadsheet (.xlsx, .xls, .ods or .csv)."))
    if re.match(rb"\s*<(?:!doctype\s+html|html|table|\?xml)", head[:512], re.I):
        raise SpreadsheetError(_("The file is a web page (HTML or XML) with a spreadsheet's name. Open it in a "
                                 "spreadsheet program, save it as .xlsx, then upload again."))
    return "csv"


def _looks_utf16(head):
    """UTF-16 text without its byte order mark: every other byte is zero (Latin text)."""
    sample = head[:512]
    if len(sample) < 8:
        return False
    for zeros in (sample[1::2], sample[0::2]):
        if zeros.count(0) >= len(zeros) * 0.9:
            return True
    return False


def _excel_cell(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return value.strip()
    if value == "":
        return None
    return value


def _pick_sheet(names, sheet):
    """The sheet asked for, or the first that is not the code legend ("Kode Data" in OpenSID's template)."""
    if sheet is None:
        candidates = [n for n in names if n.strip().lower() not in {"kode data", "kode", "petunjuk"}]
        return candidates[0] if candidates else names[0]
    if sheet not in names:
        raise SpreadsheetError(_("The file has no sheet named %(sheet)s; it has: %(names)s.")
                               % {"sheet": sheet, "names": some_names(names)})
    return sheet


def _damaged(kind, exc):
    text = str(exc).lower()
    if "password" in text or "encrypt" in text:
        return SpreadsheetError(_("The file is protected with a password. Open it, remove the password, save and try again."))
    return SpreadsheetError(_("The file is damaged or not a real %(kind)s file.") % {"kind": kind})


def _open_xlsx(path, sheet, parsed=None):
    """.xlsx, streamed: (sheet name, iterator of (row number, values)); ``parsed``: XlsxReader.rows'."""
    try:
        reader = XlsxReader(path)
        sheet = _pick_sheet(reader.sheet_names, sheet) if reader.sheet_names else None
    except CellTooLarge as exc:
        raise _cell_too_large(exc.size) from exc
    except (KeyError, ValueError, zipfile.BadZipFile, UnicodeDecodeError) as exc:
        raise _damaged("xlsx", exc) from exc
    if sheet is None:
        raise _damaged("xlsx", ValueError("no sheets"))
    return sheet, _xlsx_rows(reader, sheet, parsed)


def _xlsx_rows(reader, sheet, parsed):
    number = 0
    try:
        for number, values in reader.rows(sheet, parsed):
            yield number, values
    except FormulaWithoutValue as exc:
        raise _formulas_without_values() from exc
    except CellTooLarge as exc:  # an inline string (shared strings are measured when the file opens)
        raise _cell_too_large(exc.size, number + 1) from exc


def _open_workbook(path, kind, sheet):
    """.xls and .ods through calamine, which reads the whole sheet (an .xls holds at most 65,536 rows)."""
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for every kind of damage
        raise _damaged(kind, exc) from exc
    sheet = _pick_sheet(workbook.sheet_names, sheet)
    table = workbook.get_sheet_by_name(sheet)
    first = (table.start or (0, 0))[0] + 1
    return sheet, ((first + i, [_excel_cell(v) for v in row]) for i, row in enumerate(table.iter_rows()))


def _decode_line(raw):
    """A CSV line as text: UTF-8 where it is UTF-8, Windows-1252 where it is not (mixed files)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _csv_rows(path):
    """Rows of a CSV file, read a line at a time (memory stays flat), delimiter sniffed."""
    f = Path(path).open("rb")
    sample = f.read(65536)
    f.seek(len(codecs.BOM_UTF8) if sample.startswith(codecs.BOM_UTF8) else 0)
    first_lines = "\n".join(_decode_line(line) for line in sample.splitlines()[:20])
    try:
        dialect = csv.Sniffer().sniff(first_lines, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    return csv.reader((_decode_line(line) for line in f), dialect)


def _csv_table_rows(path, parsed=None):
    """(row number, values) of a CSV file; a row the csv module cannot read is a SpreadsheetError.
    ``parsed``: as XlsxReader.rows' (a row it refuses comes as (row number, None))."""
    reader = _csv_rows(path)
    number = 0
    while True:
        try:
            raw = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise _cell_too_large(None, number + 1) from exc
            raise SpreadsheetError(_("Row %(row)d of the CSV file cannot be read. Open the file in the spreadsheet "
                                     "program, save it as \"CSV UTF-8\" (or as .xlsx) and upload it again.")
                                   % {"row": number + 1}) from exc
        number += 1
        if parsed is not None and not parsed(number - 1):
            yield number, None
            continue
        # csv_value: the apostrophe our CSV exports put before text like "=..." comes off (core.files).
        yield number, [csv_value(v).strip() or None for v in raw]


# What reading a damaged file raises part-way through its rows (the checks before cannot see
# everything: a truncated zip member, a shared-string index out of range, a CSV field of megabytes).
DAMAGE = (ValueError, IndexError, KeyError, OverflowError, EOFError, zipfile.BadZipFile, zlib.error, csv.Error)


def _guarded(kind, rows):
    """``rows``, with damage found part-way through the file raised as a SpreadsheetError."""
    try:
        yield from rows
    except DAMAGE as exc:
        raise _damaged(kind, exc) from exc


def open_table(path, sheet=None, kind=None, parsed=None):
    """The file's first data sheet (or ``sheet``): its header row and an iterator over the rest.

    ``Table.rows`` gives ``(row_number, values)`` for each row that is not empty, the number as
    the spreadsheet program shows it, the values as wide as the header row. ``kind`` is for
    opening a file again that an earlier ``open_table`` checked: its ``Table.kind``, so the
    checks (which read the whole file) are not repeated.

    ``parsed``: a test of the index (0, 1, ...) of each row after the header row, for processes
    that share a file's rows out among themselves. The rows it refuses are not read (their cells
    stay unparsed) and ``Table.rows`` gives every row after the header once: (row_number,
    values), or (row_number, None) for a row refused or empty. (.xls and .ods are read whole.)

    Damage found part-way through the file, and an .xlsx formula without its saved value, is
    raised by ``Table.rows`` when its row is read: callers read every row before they commit.
    """
    kind = kind or detect_kind(path)
    header_at = None  # with ``parsed``: the index, among the reader's rows, of the first row after the header

    def read(index):
        return header_at is None or index < header_at or parsed(index - header_at)

    selected = None if parsed is None else read
    if kind == "csv":
        sheet_name = "csv"
        rows = _csv_table_rows(path, selected)
    elif kind == "xlsx":
        sheet_name, rows = _open_xlsx(path, sheet, selected)
    else:
        sheet_name, rows = _open_workbook(path, kind, sheet)
    rows = _guarded(kind, rows)
    for header_index, (_number, raw) in enumerate(rows):
        headers = [str(_excel_cell(h) or "").strip() for h in raw or ()]
        if any(headers):
            header_at = header_index + 1
            break
    else:
        raise SpreadsheetError(_("The sheet %(sheet)s has no header row and no data.") % {"sheet": sheet_name})
    while headers and not headers[-1]:
        headers.pop()
    width = len(headers)

    def data():
        for number, values in rows:
            if values is not None:
                if len(values) != width:
                    values = values[:width] + [None] * (width - len(values))
                if any(v not in (None, "") for v in values):
                    yield number, values
                    continue
            if parsed is not None:
                yield number, None

    return Table(kind=kind, sheet=sheet_name, headers=headers, rows=data())


def excel_serial_to_date(value):
    """An Excel date typed as a number (days since 1899-12-30), or None when it cannot be one."""
    if isinstance(value, (int, float)) and 1 <= value < 2958466:
        return datetime.date(1899, 12, 30) + datetime.timedelta(days=int(value))
    return None
