"""Files we write for people to open: the one CSV cell rule, and generated files that no two
requests share.

**CSV cells.** A spreadsheet program opening a CSV file reads a cell that starts with ``=``,
``+``, ``-`` or ``@`` as a formula (and some read one that starts with a tab or a carriage return
so too), so a resident named ``=HYPERLINK("http://...")`` becomes a live link in every export. Every CSV
we write goes through ``csv_writer`` (or ``csv_cell``), which applies OWASP's rule: such a text
cell gets a leading apostrophe, so the program shows it as text. What the rule leaves alone:

- numbers we write as numbers (int, float, Decimal): a count of -2 is a number, not a formula,
  and stays one (only ``str`` cells are text);
- a cell that is exactly ``-``, the usual "no value" mark: a lone sign cannot be a formula, and
  ``'-`` would be harder to read.

Everything else that starts so is prefixed, text that looks like a number included: ``+62812...``
or ``-5`` written as text is text in our data, and without the apostrophe a spreadsheet would turn
it into a number (dropping the ``+``). ``csv_value`` undoes the rule for a file we read back (the
importer), so an exported CSV imports again unchanged. An .xlsx needs none of this: our writer
types every text cell as text (``core/xlsx.py``).

**Generated files.** ``temporary_file`` gives a file in the data folder with no name another
request can reach: on Linux it has none at all (``O_TMPFILE``), elsewhere a unique one removed at
once; it disappears when closed (a ``FileResponse`` closes it after sending). ``file_download``
writes a file into one and answers with it.
"""

import csv
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.http import FileResponse

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
EMPTY_MARK = "-"


def csv_cell(value):
    """A cell as it goes into a CSV file: text that a spreadsheet would read as a formula, prefixed."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and value != EMPTY_MARK:
        return "'" + value
    return value


def csv_row(row):
    return [csv_cell(value) for value in row]


def csv_value(text):
    """A cell of a CSV file as written before ``csv_cell`` (the apostrophe it added, dropped)."""
    if text.startswith("'") and csv_cell(text[1:]) == text:
        return text[1:]
    return text


class _Writer:
    """``csv.writer`` with every row passed through ``csv_row``."""

    def __init__(self, writer):
        self._writer = writer

    @property
    def dialect(self):
        return self._writer.dialect

    def writerow(self, row):
        return self._writer.writerow(csv_row(row))

    def writerows(self, rows):
        return self._writer.writerows(csv_row(row) for row in rows)


def csv_writer(f, *args, **kwargs):
    """Like ``csv.writer(f, ...)``; the one way Sidekel writes CSV."""
    return _Writer(csv.writer(f, *args, **kwargs))


def temporary_dir():
    path = Path(settings.DATA_DIR) / "tmp"
    path.mkdir(parents=True, exist_ok=True)
    return path


def temporary_file():
    """A new binary file (read and write) in the data folder, private to the caller, gone when closed."""
    return tempfile.TemporaryFile(dir=temporary_dir())


def file_download(write, filename, content_type=None):
    """A download of a generated file: ``write(f)`` fills a ``temporary_file``, which is then sent."""
    f = temporary_file()
    try:
        write(f)
        f.seek(0)
    except BaseException:
        f.close()
        raise
    return FileResponse(f, as_attachment=True, filename=filename, content_type=content_type)


ORPHAN_SECONDS = 86400


def remove_orphan_files(folder, known, pattern="*"):
    """Remove the files of ``folder`` matching ``pattern`` whose names are not in ``known`` (the
    names the database holds) and that are a day old: an upload whose transaction failed after its
    file was written. Returns how many it removed (a pruner of core.retention)."""
    oldest = time.time() - ORPHAN_SECONDS
    removed = 0
    for path in Path(folder).glob(pattern):
        if path.is_file() and path.name not in known and path.stat().st_mtime < oldest:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
