"""Importing a village's population spreadsheet: check every row first, then write all or nothing.

``import_penduduk(path, desa, ...)`` reads the file once, a row at a time, in two passes.

Pass 1 (``_check``) checks every row. Each row's own work (reading the cells, parsing them,
the NIK/KK/date rules, and making the row ready to write: ``_row_batches``) comes in batches of
5,000 rows. For an .xlsx or .csv of 2 MB or more (about 15,000 rows) that work runs in a second
process (``core/worker.py``), so it uses the machine's second CPU core while this process does
what needs all rows: duplicate NIKs, the families, and writing each batch's ready rows to a
temporary file (the spool). The child only reads the file; it never touches the database. When
every row is in, the NIKs and KK numbers are looked up in the database and the families checked.
The rules of a valid resident are those of ``rules.py``: each row's own in ``_check_row``, the
family rules in ``_check_families``, against the living heads of the village's families that the
file's rows join (read a query per 900 families, none per row), so a file whose check passes
commits.

Pass 2 (``_write``), unless this is a dry run, writes the spooled rows that were not refused in
one transaction: families, dusun/RW/RT as needed, residents and their audit rows, with fast bulk
inserts (``core/bulk.py``). A refused row never stops the others, but a family with a refused
row is refused whole, so no family is left without its head. Cancelling, or killing the process,
rolls the transaction back (and stops the child); a failure in the child stops the import before
anything is written, with a message for the user.

A first import (a large file, into a village with no residents yet) runs the two passes at once
(``_write_while_checking``): while the child checks the next rows, this process writes the rows
checked so far, in pass 2's transaction, after looking their NIKs and KK numbers up. A row that
is not new after all (registered, here or in another village) undoes it and the import runs as
above; rows refused once written (a family refused whole when the check ends) undo it and pass 2
runs after the check. Either way exactly the same rows are written as by the two passes in turn.
"""

import datetime
import functools
import itertools
import json
import logging
import pickle
from contextlib import ExitStack, contextmanager, nullcontext
import tempfile
from array import array
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple


from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sidekel.core.audit import data_changed, request_meta
from sidekel.core.bulk import (REBUILD_INDEXES_FROM, IdBlock, JsonText, analyze, indexes_built_after_insert,
                               insert_rows, insert_values, reset_sequences, sqlite_pragma)
from sidekel.core import jobs
from sidekel.core.forms import IMPOSSIBLE_DATE
from sidekel.core.jobs import Cancelled, jobs_dir
from sidekel.core.models import ObjectChange
from sidekel.core.nik import nik_warnings, parse_nik, validate_nomor_kk
from sidekel.core.scope import ensure_can_write
from sidekel.core.spreadsheet import SpreadsheetError, detect_kind, open_table, some_names
from sidekel.core.xlsx import write_workbook
from sidekel.core.worker import ChildFailed, in_child, started
from sidekel.wilayah.models import Desa, Dusun
from sidekel.wilayah.services import Places, dusun_key, similar_dusun

from . import formats, rules
from .choices import HubunganKeluarga, Kewarganegaraan, StatusDasar, StatusPenduduk
from .formats import CODE, DATE, NUMBER, ImpossibleDate, ValueProblem
from .models import NAME_TABLES, Keluarga, NomorKK, Penduduk, residents_inserted_in_bulk

logger = logging.getLogger(__name__)

SKIP, UPDATE = "skip", "update"
BATCH = 5000


# The kinds of finding, by code: what the report groups and filters by. A rule of rules.py keeps
# its own code where the report has no wider kind for it (RULE_KINDS).
KINDS = {
    "nik-salah": gettext_lazy("Invalid NIK"),
    "nik-kosong": gettext_lazy("No NIK"),
    "nik-ganda": gettext_lazy("The same NIK twice in the file"),
    "nik-desa-lain": gettext_lazy("NIK registered in another village"),
    "nik-tidak-cocok": gettext_lazy("NIK disagrees with birth date or sex"),
    "nik-orang-tua": gettext_lazy("Invalid NIK of a parent"),
    "kk-salah": gettext_lazy("Invalid KK number"),
    "kk-desa-lain": gettext_lazy("KK number of another village"),
    "kk-tanpa-kepala": gettext_lazy("Family without a head"),
    "kk-kepala-ganda": gettext_lazy("Family with two heads"),
    "anggota-tanpa-kk": gettext_lazy("Family member without a KK number"),
    "ikut-keluarga": gettext_lazy("Family of a refused row"),
    "wajib-diisi": gettext_lazy("Required cell is empty"),
    "kode-salah": gettext_lazy("Unknown code"),
    "tanggal-salah": gettext_lazy("Not a date"),
    "tanggal-mustahil": gettext_lazy("Impossible date"),
    "kawin-muda": gettext_lazy("Married below the minimum age"),
    "umur-peran": gettext_lazy("Age does not fit the role in the family"),
    "tidak-diperbarui": gettext_lazy("Not updated"),
    "dusun-mirip": gettext_lazy("New dusun name like an existing one"),
}
RULE_KINDS = {"lahir-masa-depan": "tanggal-mustahil", "lahir-terlalu-awal": "tanggal-mustahil",
              "sebelum-lahir": "tanggal-mustahil", "masa-depan": "tanggal-mustahil", "kepala-ganda": "kk-kepala-ganda",
              "umur-orang-tua": "umur-peran"}
OTHER_KIND = gettext_lazy("Other")


def kind_label(code):
    return KINDS.get(code, OTHER_KIND)


@dataclass
class Problem:
    row: int  # the row number as the spreadsheet shows it (the header is row 1)
    column: str
    message: str
    error: bool = True
    kind: str = ""  # a code of KINDS
    desa: int | None = None  # a conflict with another village: that village's id
    nama: str = ""  # ... and the person there (the family's head for a KK number), shown only to
    # whoever may see that village (see ``described``)

    @classmethod
    def of(cls, row, column, finding):
        """A problem from a rules.Finding."""
        return cls(row, column, finding.message, error=finding.error, kind=RULE_KINDS.get(finding.code, finding.code))

    def as_dict(self):
        d = {"row": self.row, "column": self.column, "message": self.message, "error": self.error, "kind": self.kind}
        if self.desa is not None:
            d["desa"], d["nama"] = self.desa, self.nama
        return d

    def __str__(self):
        where = _("Row %(row)d, column %(column)s") % {"row": self.row, "column": self.column} if self.column \
            else _("Row %(row)d") % {"row": self.row}
        return f"{where}: {described(self.as_dict(), lambda desa_id: True)}"


def described(problem, may_see):
    """A stored problem's message, with the person of another village named when
    ``may_see(that village's id)``."""
    if problem.get("nama") and problem.get("desa") is not None and may_see(problem["desa"]):
        return _("%(finding)s (%(nama)s)") % {"finding": problem["message"], "nama": problem["nama"]}
    return problem["message"]


def summarize(problems):
    """The findings grouped by kind and by refused/warning, largest first: [{"kind", "error", "rows"
    (how many rows), "findings", "examples" (the first rows)}]. ``problems``: dicts in row order."""
    groups = {}
    for p in problems:
        key = (p.get("kind") or "", p["error"])
        group = groups.get(key)
        if group is None:
            group = groups[key] = {"kind": key[0], "error": key[1], "rows": 0, "findings": 0, "examples": [], "_last": None}
        group["findings"] += 1
        if group["_last"] != p["row"]:
            group["rows"] += 1
            group["_last"] = p["row"]
            if len(group["examples"]) < EXAMPLE_ROWS:
                group["examples"].append(p["row"])
    for group in groups.values():
        del group["_last"]
    return sorted(groups.values(), key=lambda g: (not g["error"], -g["rows"], g["kind"]))


EXAMPLE_ROWS = 10
FINDING_HEADERS = (gettext_lazy("row"), gettext_lazy("column"), gettext_lazy("status"), gettext_lazy("kind"),
                   gettext_lazy("finding"))


def finding_rows(problems, text):
    """The findings as a table (a header, then a row each): for the report file of the command
    line and of the web page. ``text(problem)``: the finding's message as this reader may see it."""
    yield [str(h) for h in FINDING_HEADERS]
    refused, warning = _("refused"), _("warning")
    for p in problems:
        yield [p["row"], p["column"], refused if p["error"] else warning, str(kind_label(p.get("kind"))), text(p)]


@dataclass
class Report:
    format: str = ""
    sheet: str = ""
    rows: int = 0
    new: int = 0
    updated: int = 0
    skipped: int = 0
    refused: set = field(default_factory=set)
    new_families: int = 0
    problems: list = field(default_factory=list)
    committed: bool = False
    # New dusun names that look like one the village has, or like another new one of the file:
    # [{"nama", "baris", "ada": [existing alike], "baru": [earlier new alike], "awal": the choice made
    # at first: the alike name with the same letters, or "" (a new dusun)}]
    dusun_mirip: list = field(default_factory=list)
    dusun_warnings: dict = field(default_factory=dict, repr=False)  # name -> its Problem (not stored)

    @property
    def accepted(self):
        return self.new + self.updated

    def errors(self):
        return [p for p in self.problems if p.error]

    def warnings(self):
        return [p for p in self.problems if not p.error]

    # A report keeps this many findings (a 20,000-row file with a finding on every row is far below;
    # 100,000 take about 12 MB). The summary by kind counts them all.
    MAX_PROBLEMS_KEPT = 100_000

    def as_dict(self):
        """The report as stored on the job: the counts, the findings by kind (``kinds``, see
        ``summarize``) and the findings themselves in row order (at most MAX_PROBLEMS_KEPT)."""
        problems = [p.as_dict() for p in self.problems]
        return {
            "format": self.format, "sheet": self.sheet, "rows": self.rows, "new": self.new,
            "updated": self.updated, "skipped": self.skipped, "refused": sorted(self.refused),
            "new_families": self.new_families, "committed": self.committed, "summary": self.summary(),
            "dusun_mirip": self.dusun_mirip,
            "problem_count": len(problems), "error_count": len(self.errors()),
            "warning_count": len(problems) - len(self.errors()), "kinds": summarize(problems),
            "problems": problems[: self.MAX_PROBLEMS_KEPT],
        }

    def summary(self):
        return _(
            "%(rows)d rows: %(new)d new, %(updated)d updated, %(skipped)d skipped (NIK already registered), "
            "%(refused)d refused; %(warnings)d warnings."
        ) % {"rows": self.rows, "new": self.new, "updated": self.updated, "skipped": self.skipped,
             "refused": len(self.refused), "warnings": len(self.warnings())}


def _columns(table, fmt):
    headers = [h.strip().lower() for h in table.headers]
    if fmt == "auto":
        fmt = formats.detect_format(headers)
        if fmt is None:
            best = min(formats.FORMATS, key=lambda f: len(formats.unknown_headers(headers, f)))
            raise SpreadsheetError(
                _("Unknown columns: %(names)s. Use Sidekel's template or OpenSID's \"Data Penduduk\" format.")
                % {"names": some_names(formats.unknown_headers(table.headers, best))})
    unknown = formats.unknown_headers(headers, fmt)
    if unknown:
        raise SpreadsheetError(_("Unknown columns for the %(fmt)s format: %(names)s.") % {"fmt": fmt, "names": some_names(unknown)})
    by_header = {c.header: c for c in formats.FORMATS[fmt]}
    missing = [c.header for c in formats.FORMATS[fmt] if c.required and c.header not in headers]
    if missing:
        raise SpreadsheetError(_("The file lacks required columns: %(names)s.") % {"names": some_names(missing)})
    duplicated = [h for h, n in Counter(headers).items() if h and n > 1]
    if duplicated:
        raise SpreadsheetError(_("These columns appear twice: %(names)s.") % {"names": some_names(duplicated)})
    return fmt, [by_header.get(h) for h in headers]


def _readers(columns):
    """[(position, column, field, required, read, known, empty)] for the columns that fill a field
    (the column's field and whether it is required, at hand for every row): read(value) parses one
    cell. ``known`` is a dict for the code and date columns, whose few values repeat all
    through a file: each text or number read is remembered there, so a million rows read each
    spelling once. ``empty`` is what an empty cell reads as."""
    readers = []
    for position, column in enumerate(columns):
        if column is None or not column.field:
            continue
        read = {DATE: formats.parse_date, NUMBER: formats.clean_number}.get(column.kind, formats.clean_text)
        if column.kind == CODE:
            read = functools.partial(formats.parse_code, choices=column.choices)
        readers.append((position, column, column.field, column.required, read,
                        {} if column.kind in (CODE, DATE) else None, read(None)))
    return readers


KNOWN_VALUES_KEPT = 50_000  # per column: the memory a file of a million distinct "dates" could cost


def _parse_row(values, readers, row_no, problems):
    """{field: value} for one row; unreadable cells become problems."""
    data = {}
    for position, column, field, required, read, known, empty in readers:
        value = values[position]
        try:
            # Only str and int values are remembered: True == 1 and 1.0 == 1 as dict keys, but a
            # True or 1.0 cell does not always read as 1 does.
            if value is None:
                parsed = empty
            elif known is None or (value.__class__ is not str and value.__class__ is not int):
                parsed = read(value)
            elif value in known:
                parsed = known[value]
            else:
                parsed = read(value)
                if len(known) < KNOWN_VALUES_KEPT:
                    known[value] = parsed
        except ValueProblem as exc:
            message = (IMPOSSIBLE_DATE if isinstance(exc, ImpossibleDate)
                       else _("%(value)s is not a date (write dd-mm-yyyy)") if column.kind == DATE
                       else _("%(value)s is not a known code; see the codes sheet of the template"))
            problems.append(Problem(row_no, column.header, message % {"value": exc},
                                    kind="tanggal-salah" if column.kind == DATE else "kode-salah"))
            continue
        if required and (parsed is None or parsed == ""):
            problems.append(Problem(row_no, column.header, _("must be filled"), kind="wajib-diisi"))
        data[field] = parsed
    return data


def _check_row(data, row_no, header_of, today, problems):
    """Rules on one row's values: NIK and KK rules, dates, soft checks."""
    nik = data.get("nik") or ""
    if nik:
        if len(nik) != 16:
            problems.append(Problem(row_no, header_of["nik"],
                                    _("%(n)d digits, must be 16") % {"n": len(nik)}, kind="nik-salah"))
        else:
            try:
                parts = parse_nik(nik)
            except ValidationError as exc:
                problems.append(Problem(row_no, header_of["nik"], exc.messages[0], kind="nik-salah"))
            else:
                for text in nik_warnings(nik, data.get("jenis_kelamin"), data.get("tanggal_lahir"), today, parts):
                    problems.append(Problem(row_no, header_of["nik"], text, error=False, kind="nik-tidak-cocok"))
    else:
        problems.append(Problem(row_no, header_of["nik"], _("no NIK: the resident is imported without one"), error=False,
                                kind="nik-kosong"))
    for parent in ("nik_ayah", "nik_ibu"):
        value = data.get(parent) or ""
        if value and value != "0" and len(value) != 16:
            problems.append(Problem(row_no, header_of[parent], _("%(n)d digits, must be 16") % {"n": len(value)},
                                    kind="nik-orang-tua"))
        elif value == "0":
            data[parent] = ""
    kk = data.get("no_kk") or ""
    if kk:
        try:
            validate_nomor_kk(kk)
        except ValidationError as exc:
            problems.append(Problem(row_no, header_of["no_kk"], exc.messages[0], kind="kk-salah"))
    # The rules of a valid resident (rules.py) on the row's own values.
    found = rules.resident(data, today) + rules.family_number(data.get("hubungan_keluarga"), bool(kk), field="no_kk")
    for finding in found:
        problems.append(Problem.of(row_no, header_of.get(finding.field, ""), finding))


def _check_families(families, existing_families, heads_in_db, not_new, header_of, problems):
    """The family rules of rules.py across the rows and against the village's families: a new
    family needs exactly one living head, an existing one gets no second head (``heads_in_db``:
    family id -> (name, birth date) of its living head), and a child's head should be at least
    rules.MIN_PARENT_GAP years older (warning). ``not_new``: rows of NIKs already registered,
    which are skipped or update their resident and so join no family of the file."""
    for kk, members in families.items():
        heads = [m for m in members if m.hubungan_keluarga == HubunganKeluarga.KEPALA_KELUARGA
                 and m.status_dasar == StatusDasar.HIDUP]
        first = members[0].row
        if kk not in existing_families:
            if not heads:
                problems.append(Problem(first, header_of["no_kk"], _("family %(kk)s has no head (Kepala Keluarga)") % {"kk": kk},
                                        kind="kk-tanpa-kepala"))
            elif len(heads) > 1:
                rows = ", ".join(str(h.row) for h in heads)
                problems.append(Problem(first, header_of["no_kk"],
                                        _("family %(kk)s has more than one head (rows %(rows)s)") % {"kk": kk, "rows": rows},
                                        kind="kk-kepala-ganda"))
            head = heads[0] if heads else None
            head_born, head_name = (head.born, _("The head of the family (row %(row)d)") % {"row": head.row}) \
                if head else (None, "")
        else:
            in_db = heads_in_db.get(existing_families[kk][1])
            new_heads = [m for m in heads if m.row not in not_new]
            for m in new_heads if in_db else new_heads[1:]:
                other = in_db[0] if in_db else _("row %(row)d") % {"row": new_heads[0].row}
                for finding in rules.second_head(kk, other, field="hubungan_keluarga"):
                    problems.append(Problem.of(m.row, header_of["hubungan_keluarga"], finding))
            head_born, head_name = (in_db[1], _("The head of the family, %(nama)s,") % {"nama": in_db[0]}) \
                if in_db else (None, "")
        if head_born is None:
            continue
        for m in members:
            if m.hubungan_keluarga == HubunganKeluarga.ANAK and m.row not in not_new:
                for finding in rules.parent_age(head_born, m.born, parent=head_name):
                    problems.append(Problem.of(m.row, header_of["hubungan_keluarga"], finding))


# An .xlsx at least this large (about 7,000 rows) is read and checked row by row in other
# processes (core/worker.py), while this one keeps the cross-row checks and the spool (and, for a
# first import, writes): more CPU cores than one. Smaller files are not worth the processes'
# start (docs/benchmarks.md). A .csv holds about a third as many rows a byte (no compression):
# from CSV_BYTES times this size.
IN_CHILD_FROM_BYTES = 2**19
CSV_BYTES = 3
# The processes that check such a file, each every CHECKERS-th run of CHECK_RUN rows: reading and
# checking a row costs more than writing it, so one checker kept the writer waiting. A short run
# lets the writer start soon after the checkers.
CHECKERS = 2
CHECK_RUN = 2500


class CheckedBatch(NamedTuple):
    """Up to BATCH rows, each parsed and checked on its own (see _row_batches)."""
    rows: list  # per row: (row, NIK key, KK number, hubungan_keluarga, status_dasar, birth date)
    problems: list  # the rows' own problems, in row order
    refused: list  # the rows with an error of their own
    spooled: bytes | None  # the other rows ready to write (see _ready_row), pickled; None on a dry run
    dusun: dict  # dusun name (as _dusun_name writes it) -> the first row of the batch with it


def _checked_in_child(path, kind):
    """Whether the file's rows are checked in other processes: a large .xlsx or .csv (``kind``, as
    ``detect_kind`` says). (.xls and .ods are read here: calamine has already loaded their whole
    sheet, and an .xls holds at most 65,536 rows.)"""
    size = Path(path).stat().st_size
    return kind == "xlsx" and size >= IN_CHILD_FROM_BYTES or kind == "csv" and size >= IN_CHILD_FROM_BYTES * CSV_BYTES


CHECK_TARGET = "sidekel.penduduk.importer._row_batches_of_file"


@contextmanager
def _checked_batches(path, table, fmt, columns, today, keep):
    """The file's CheckedBatches, in the file's order: from CHECKERS other processes when
    ``_checked_in_child`` (each checks every CHECKERS-th run of rows; their batches are taken in
    turn), else from here."""
    if not _checked_in_child(path, table.kind):
        yield _row_batches(table, fmt, columns, today, keep)
        return
    try:
        with ExitStack() as stack:
            checkers = [stack.enter_context(in_child(CHECK_TARGET, str(path), table.sheet, table.kind, fmt, today,
                                                     keep, (k, CHECKERS, CHECK_RUN)))
                        for k in range(CHECKERS)]
            yield _in_turn(checkers)
    except ChildFailed as exc:
        logger.error("import check of %s failed in the child process: %s", path, exc)
        raise SpreadsheetError(_(
            "Checking the file stopped on an unexpected error; nothing was imported. Check that the file is not "
            "damaged (open it and save it again), then try again; if it happens again, tell the kecamatan "
            "administrator.")) from exc


def _in_turn(iterators):
    """The items of ``iterators`` in turn, the first's first, the second's first, ..., then the
    first's second, and so on; an iterator that ends is left out."""
    iterators = list(iterators)
    while iterators:
        for it in list(iterators):
            item = next(it, _END)
            if item is _END:
                iterators.remove(it)
            else:
                yield item


_END = object()


def _row_batches_of_file(path, sheet, kind, fmt, today, keep, part):
    """In a checker process: open the file again, as checked, and give the CheckedBatches of its
    ``part`` (see _row_batches), the other runs' cells not even read."""
    mine, checkers, size = part
    table = open_table(path, sheet, kind=kind, parsed=lambda index: index // size % checkers == mine)
    fmt, columns = _columns(table, fmt)
    yield from _row_batches(table, fmt, columns, today, keep, part)


def _row_batches(table, fmt, columns, today, keep, part=None):
    """Pass 1's work on each row alone: parse and check it and, unless a dry run (``keep`` false),
    make it ready to write. Yields a CheckedBatch for every run of BATCH rows of the table.

    ``part``: (k, n, run size) for the k-th of n processes that share the rows out in runs
    (``table`` opened with ``parsed``, so its rows include the empty and unread ones, as None):
    only every n-th run from the k-th, each as a CheckedBatch even when none of its rows has a
    value."""
    header_of = {c.field: c.header for c in formats.FORMATS[fmt] if c.field}
    readers = _readers(columns)
    names = _resident_field_names(columns)
    units = {}
    rows, problems, refused, ready, dusun = [], [], [], [], {}
    dusun_names = {}  # as written -> _dusun_name

    def batch():
        return CheckedBatch(rows, problems, refused, pickle.dumps(ready, pickle.HIGHEST_PROTOCOL) if keep else None,
                            dusun)

    mine, checkers, size = part or (0, 1, BATCH)
    run = -1
    for index, (row_no, values) in enumerate(table.rows):
        if index // size != run:
            if run >= 0 and run % checkers == mine:
                yield batch()
                rows, problems, refused, ready, dusun = [], [], [], [], {}
            run = index // size
        if values is None or run % checkers != mine:
            continue
        before = len(problems)
        data = _parse_row(values, readers, row_no, problems)
        written = data.get("dusun")
        if written:
            if written not in dusun_names:
                if len(dusun_names) >= KNOWN_VALUES_KEPT:
                    dusun_names.clear()
                dusun_names[written] = _dusun_name(written)
            if dusun_names[written]:
                dusun.setdefault(dusun_names[written], row_no)
        _check_row(data, row_no, header_of, today, problems)
        nik = data.get("nik")
        rows.append((row_no, _nik_key(nik) if nik else None, data.get("no_kk"), data.get("hubungan_keluarga"),
                     data.get("status_dasar"), data.get("tanggal_lahir")))
        if len(problems) > before and any(p.error for p in problems[before:]):
            refused.append(row_no)  # never written, so not spooled
        elif keep:
            ready.append(_ready_row(row_no, data, names, units))
    if run >= 0 and run % checkers == mine:
        yield batch()


def _ready_row(row_no, data, names, units):
    """A row without errors of its own as the write needs it: (row, KK number, _unit_key, [the
    resident's field values in the order of ``names``])."""
    unit = _unit_key(data, units)
    kk = data.pop("no_kk", "") or ""
    fields = _resident_fields(data)
    return row_no, kk, unit, [fields[name] for name in names]


def _resident_field_names(columns):
    """The resident fields _resident_fields gives for a row of a file with these columns, in a fixed order."""
    given = {c.field for c in columns if c is not None} & RESIDENT_FIELDS
    return sorted(given | ALWAYS_FILLED)


JOB_KIND = "import-penduduk"


@jobs.kind(JOB_KIND, again=gettext_lazy("Import again."))
def import_work(job, progress, cancelled):
    """The worker's part of an import: check (dry run), or check and write. A check that refused
    rows also prepares the file of those rows, so its download is ready at once."""
    report = import_penduduk(
        jobs.stored_path(job), job.desa, fmt=job.options["format"], existing=job.options["existing"],
        dry_run=job.options["dry_run"], user=job.user, progress=progress, cancelled=cancelled, filename=job.filename,
        expected_rows=job.options.get("rows"), dusun_map=job.options.get("dusun_map"))
    result = report.as_dict()
    if job.options["dry_run"] and report.refused:
        progress("refused", 0, len(report.refused))
        write_refused_rows(jobs.stored_path(job), result, refused_rows_path(job))
    return result


def refused_rows_path(job):
    return jobs_dir() / f"{Path(job.stored_file).stem}-ditolak.xlsx"


def write_refused_rows(path, result, target):
    """The refused rows of the file, with a first column saying what is wrong, to fix and import again."""
    reasons = {}
    for problem in result.get("problems", []):
        if problem["error"]:
            reasons.setdefault(problem["row"], []).append(
                f"{problem['column']}: {problem['message']}" if problem["column"] else problem["message"])
    refused = set(result.get("refused", []))
    table = open_table(path)

    def rows():
        yield [_("errors")] + table.headers
        for row_no, values in table.rows:
            if row_no in refused:
                cells = [v.strftime("%d-%m-%Y") if hasattr(v, "strftime") else v for v in values]
                yield ["; ".join(reasons.get(row_no, [])) or _("refused with its family")] + cells

    partial = target.with_name(target.name + ".part")
    with partial.open("wb") as f:
        write_workbook(f, [("Data Penduduk", rows())])
    partial.replace(target)


def import_penduduk(path, desa, *, fmt="auto", existing=SKIP, dry_run=True, user=None, sheet=None,
                    progress=None, cancelled=None, filename="", expected_rows=None, dusun_map=None):
    """Check (and unless ``dry_run``, import) a population file into ``desa``. Returns a Report.

    ``existing`` says what a NIK already registered in this village means: ``skip`` the row, or
    ``update`` the resident with the file's values. ``progress(phase, done, total)`` is called
    now and then (``expected_rows``, from an earlier check, gives the first pass its total);
    ``cancelled()`` returning True stops the import and undoes it. ``dusun_map`` ({dusun name in
    the file: dusun to put its rows in}, from ``dusun_map_from``) merges a new dusun name into one
    that looks like it (``Report.dusun_mirip``).
    """
    ensure_can_write(user, desa.id)
    kind = detect_kind(path)
    # A large file's checker processes set Django up while this one opens the file and looks at the village.
    with started(CHECK_TARGET, CHECKERS) if _checked_in_child(path, kind) else nullcontext():
        return _import(path, kind, desa, fmt=fmt, existing=existing, dry_run=dry_run, user=user, sheet=sheet,
                       progress=progress or (lambda phase, done, total: None),
                       cancelled=cancelled or (lambda: False), filename=filename, expected_rows=expected_rows,
                       dusun_map=dusun_map)


def _import(path, kind, desa, *, fmt, existing, dry_run, user, sheet, progress, cancelled, filename, expected_rows,
            dusun_map):
    table = open_table(path, sheet, kind=kind)
    fmt, columns = _columns(table, fmt)
    dusun_map = _resolved(dusun_map or {})
    filename = filename or Path(path).name
    with _Spool(keep=not dry_run) as spool:
        outcome = None
        if not dry_run and _writes_while_checking(path, table, desa, expected_rows):
            # (report, whether written), or None: not all new, so checked again the usual way.
            outcome = _write_while_checking(path, table, fmt, columns, desa, existing, user, spool, progress,
                                            cancelled, expected_rows, filename, dusun_map)
            if outcome is None:
                spool.clear()
        if outcome is None:
            report, registered, existing_families = _check(path, table, fmt, columns, desa, existing, user, spool,
                                                           progress, cancelled, expected_rows)
            written = False
        else:
            (report, written), registered, existing_families = outcome, {}, {}
        if dry_run or report.accepted == 0:
            return report
        _as_chosen(report, dusun_map)
        if not written:
            # Pass 2: write the accepted rows, all in one transaction (after the check, or again
            # after it when rows written during it were refused once it ended).
            _write(spool.rows(), _resident_field_names(columns), desa, report, registered, existing_families,
                   existing, user, progress, cancelled, filename, dusun_map)
    report.committed = True
    if report.new > 10_000:
        analyze(Penduduk, *NAME_TABLES, Keluarga, NomorKK, ObjectChange)
    return report


def _check(path, table, fmt, columns, desa, existing, user, spool, progress, cancelled, expected_rows, during=None,
           village_dusun=None):
    """Pass 1: check every row, then what needs all rows (duplicates, families, the database).

    ``during(batch, report)``: called after each batch's rows are checked against the rows before
    them (``_write_while_checking``: it makes sure they are all new, then writes them). With it,
    every NIK and KK number of the file was looked up in the database before its row was written,
    and none was there: the database is not asked again (it would find the rows just written).
    ``village_dusun``: the village's dusun names before that (for the same reason)."""
    today = timezone.localdate()
    header_of = {c.field: c.header for c in formats.FORMATS[fmt] if c.field}
    report = Report(format=fmt, sheet=table.sheet)

    # Every row's own checks come in batches (from a second process for a large file); here,
    # what the cross-row checks need is kept. Unless this is a dry run, the rows ready to write
    # go to the spool, so the file is read and parsed only once.
    problems = report.problems
    file_dusun = {}  # dusun name -> first row
    nik_rows = {}  # NIK (as a number where it is one: half the memory) -> its row
    families = FamilyRows()
    head_rows = set() if existing == UPDATE else None  # rows of living heads, for updates of registered NIKs
    with _checked_batches(path, table, fmt, columns, today, spool.keep) as batches:
        for batch in batches:
            problems.extend(batch.problems)
            report.refused.update(batch.refused)
            for nama, row_no in batch.dusun.items():
                file_dusun.setdefault(nama, row_no)
            for row_no, nik_key, kk, role, status, born in batch.rows:
                if nik_key:
                    if nik_key in nik_rows:
                        problems.append(Problem(row_no, header_of["nik"],
                                                _("the same NIK as row %(row)d") % {"row": nik_rows[nik_key]},
                                                kind="nik-ganda"))
                        report.refused.add(row_no)
                    else:
                        nik_rows[nik_key] = row_no
                if kk:
                    families.add(kk, row_no, role, status or StatusDasar.HIDUP, born)
                if head_rows is not None and role == HubunganKeluarga.KEPALA_KELUARGA \
                        and (status or StatusDasar.HIDUP) == StatusDasar.HIDUP:
                    head_rows.add(row_no)
            spool.write(batch.spooled)
            if during is not None:
                during(batch, report)
            report.rows += len(batch.rows)
            progress("check", report.rows, expected_rows)
            if cancelled():
                raise Cancelled
    if report.rows == 0:
        raise SpreadsheetError(_("The sheet %(sheet)s has headers but no data rows.") % {"sheet": table.sheet})
    progress("check", report.rows, report.rows)
    if cancelled():
        raise Cancelled

    # Against the database: NIKs and KK numbers already registered.
    # A query per 900 numbers, never one per row.
    # The NIKs are made strings 900 at a time: all at once, a million of them took 70 MB more.
    registered, registered_family = {}, {}
    keys = iter(nik_rows if during is None else ())
    while niks := [str(key) for key in itertools.islice(keys, 900)]:
        for nik, desa_id, pk, nama, keluarga_id, role, status in Penduduk.objects.filter(
                nik__in=niks).values_list(
                "nik", "desa_id", "pk", "nama", "keluarga_id", "hubungan_keluarga", "status_dasar"):
            registered[nik] = (desa_id, pk, nama)
            registered_family[nik] = (keluarga_id, role, status)
    existing_families = {}
    kks = list(families) if during is None else []
    for start in range(0, len(kks), 900):
        for nomor, desa_id, pk in Keluarga.objects.filter(nomor_kk__in=kks[start:start + 900]).values_list(
                "nomor_kk", "desa_id", "pk"):
            existing_families[nomor] = (desa_id, pk)
    # The living heads of the village's families that rows join or update: rules.second_head
    # compares with them, so a file whose check passes commits.
    not_new = {nik_rows[_nik_key(nik)] for nik in registered}
    promoted = {}  # row -> family of a registered resident the row would make its head
    if head_rows:
        for nik, (keluarga_id, role, status) in registered_family.items():
            row_no = nik_rows[_nik_key(nik)]
            if row_no in head_rows and keluarga_id and role != HubunganKeluarga.KEPALA_KELUARGA \
                    and status == StatusDasar.HIDUP and registered[nik][0] == desa.id:
                promoted[row_no] = keluarga_id
    heads_in_db = {}  # family id -> (name, birth date) of its living head
    family_ids = sorted({pk for desa_id, pk in existing_families.values() if desa_id == desa.id} | set(promoted.values()))
    for start in range(0, len(family_ids), 900):
        for keluarga_id, nama, born in Penduduk.objects.filter(
                keluarga_id__in=family_ids[start:start + 900], hubungan_keluarga=HubunganKeluarga.KEPALA_KELUARGA,
                status_dasar=StatusDasar.HIDUP).values_list("keluarga_id", "nama", "tanggal_lahir"):
            heads_in_db[keluarga_id] = (nama, born)
    if promoted:
        numbers = dict(Keluarga.objects.filter(pk__in=set(promoted.values())).values_list("pk", "nomor_kk"))
        for row_no, keluarga_id in sorted(promoted.items()):
            if keluarga_id in heads_in_db:
                for finding in rules.second_head(numbers.get(keluarga_id) or "-", heads_in_db[keluarga_id][0]):
                    problems.append(Problem.of(row_no, header_of["hubungan_keluarga"], finding))
    # A conflict with another village names the village (villages are public) and keeps the person
    # there apart: the report shows them only to whoever may see that village (``described``).
    other_villages = {desa_id for desa_id, _pk, _nama in registered.values() if desa_id != desa.id} \
        | {desa_id for desa_id, _pk in existing_families.values() if desa_id != desa.id}
    village_names = dict(Desa.objects.filter(pk__in=other_villages).values_list("pk", "nama")) if other_villages else {}
    for nik, (desa_id, _pk, nama) in registered.items():
        row_no = nik_rows[_nik_key(nik)]
        if desa_id != desa.id:
            problems.append(Problem(row_no, header_of["nik"], _("already registered in another village: %(desa)s")
                                    % {"desa": village_names.get(desa_id, "-")}, kind="nik-desa-lain", desa=desa_id,
                                    nama=nama))
            report.refused.add(row_no)
    foreign_families = {pk: (kk, desa_id) for kk, (desa_id, pk) in existing_families.items() if desa_id != desa.id}
    foreign_heads = _heads_of(foreign_families)
    for pk, (kk, desa_id) in foreign_families.items():
        for member in families[kk]:
            problems.append(Problem(member.row, header_of["no_kk"], _("this KK number belongs to another village: %(desa)s")
                                    % {"desa": village_names.get(desa_id, "-")}, kind="kk-desa-lain", desa=desa_id,
                                    nama=foreign_heads.get(pk, "")))
            report.refused.add(member.row)
    _check_families(families, existing_families, heads_in_db, not_new, header_of, problems)
    for p in problems:
        if p.error:
            report.refused.add(p.row)
    # A family with a refused row is refused whole, so no family loses its head.
    for kk, members in families.items():
        rows = {m.row for m in members}
        bad = rows & report.refused
        if bad:
            for row in sorted(rows - bad):
                problems.append(Problem(row, header_of["no_kk"],
                                        _("row %(row)d of the same family (KK %(kk)s) has errors") % {"row": min(bad), "kk": kk},
                                        kind="ikut-keluarga"))
            report.refused |= rows
    for nik, (desa_id, _pk, _nama) in registered.items():
        if desa_id == desa.id and nik_rows[_nik_key(nik)] not in report.refused:
            if existing == UPDATE:
                report.updated += 1
            else:
                report.skipped += 1
    report.new = report.rows - len(report.refused) - report.updated - report.skipped
    report.new_families = len([kk for kk in families if kk not in existing_families
                               and not {m.row for m in families[kk]} & report.refused])
    _check_dusun(file_dusun, desa, header_of, report, village_dusun)
    problems.sort(key=lambda p: (p.row, not p.error))
    return report, registered, existing_families


class _NotNew(Exception):
    """A row about to be written during the check is a registered resident, or of a registered
    family: the import is checked again and written after its check (``import_penduduk``)."""


class _Refused(Exception):
    """Rows written during the check were refused once it ended: undone, and written after it."""

    def __init__(self, report):
        super().__init__("rows refused after they were written")
        self.report = report


def _writes_while_checking(path, table, desa, expected_rows):
    """Whether this import writes its rows while its check runs (``_write_while_checking``): a
    file checked in a second process (large), into a village with no residents yet (a first
    import: its rows are new), when the import knows whether to build the tables' indexes at
    the end (from the rows its check counted, or because the residents' table is almost empty)."""
    if not _checked_in_child(path, table.kind) or Penduduk.objects.filter(desa=desa).exists():
        return False
    if expected_rows is not None:
        return True
    # Rows not counted yet (no check before, as from the command line): only into an almost empty
    # residents' table, whose indexes are then built at the end whatever the file holds.
    return Penduduk.objects.all()[:REBUILD_INDEXES_FROM].count() < REBUILD_INDEXES_FROM


def _write_while_checking(path, table, fmt, columns, desa, existing, user, spool, progress, cancelled, expected_rows,
                          filename, dusun_map):
    """A first import's check and write at once: while the second process checks the next rows,
    this one writes the rows checked so far, in the transaction of pass 2 (``_Writing``). Before a
    batch is written, its NIKs and KK numbers are looked up: one already registered stops it all
    (undone; None: check again, then write). When the check is done, the rows it refused after
    they were written (a family refused whole, for one) undo it too: (report, False), and the
    caller writes the spooled rows as usual. Else (report, True): committed, exactly the rows the
    usual way would have written, in the same order, with the same ids.

    The transaction, and on SQLite the database's write lock, is held from the first batch: for
    the whole import rather than its second half. It begins when the first batch comes, so the
    checkers start without waiting for it."""
    names = _resident_field_names(columns)
    nik_at = names.index("nik")
    village_dusun = list(Dusun.objects.filter(desa=desa).values_list("nama", flat=True))
    adding = expected_rows if expected_rows is not None else REBUILD_INDEXES_FROM
    writing = _Writing(names, desa, existing, user, filename, dusun_map, {}, rebuilt=adding,
                       new_rows=expected_rows if expected_rows is not None else LARGE_IMPORT,
                       rebuilt_families=expected_rows // 4 if expected_rows is not None else REBUILD_INDEXES_FROM)

    def during(batch, report):
        rows = [row for row in pickle.loads(batch.spooled) if row[0] not in report.refused]
        niks = sorted(values[nik_at] for _row, _kk, _unit, values in rows if values[nik_at])  # in index order
        kks = sorted(kk for kk in {kk for _row, kk, _unit, _values in rows if kk} if _nik_key(kk) not in writing.families)
        if _any_registered(Penduduk, "nik", niks) or _any_registered(Keluarga, "nomor_kk", kks):
            raise _NotNew
        if not writing.entered:
            stack.enter_context(writing)
        writing.write(rows, report, {})

    try:
        with ExitStack() as stack:
            report, _registered, _families = _check(path, table, fmt, columns, desa, existing, user, spool, progress,
                                                    cancelled, expected_rows, during=during,
                                                    village_dusun=village_dusun)
            # Every row was either refused before its batch was written (its own error, or a NIK
            # already in the file) or written: if the check refused none afterwards, the rows
            # written are the new ones, all of them.
            if writing.done != report.new or report.new == 0:
                raise _Refused(report)
            writing.families = writing.units = writing.places = None  # no more rows: their memory for the index builds
            progress("write", 0, report.new)
            writing.finish(progress, cancelled, report.new)
    except _NotNew:
        return None
    except _Refused as refused:
        return refused.report, False
    return report, True


def _any_registered(model, field, numbers):
    """Whether any of ``numbers`` (strings) is in ``model``'s ``field``: one query for them all, the
    numbers passed as one parameter (a JSON array on SQLite, an array on PostgreSQL), never a
    query per row. (Through the ORM, the IN lists of a batch cost more than its lookups.)"""
    if not numbers:
        return False
    qn = connection.ops.quote_name
    table, column = qn(model._meta.db_table), qn(model._meta.get_field(field).column)
    if connection.vendor == "sqlite":
        sql, numbers = f"SELECT 1 FROM {table} WHERE {column} IN (SELECT value FROM json_each(%s)) LIMIT 1", \
            json.dumps(numbers)
    else:
        sql = f"SELECT 1 FROM {table} WHERE {column} = ANY(%s) LIMIT 1"
    with connection.cursor() as cursor:
        cursor.execute(sql, [numbers])
        return cursor.fetchone() is not None


def _heads_of(families):
    """{family id: name of its living head} for these family ids, a query per 900."""
    ids, heads = sorted(families), {}
    for start in range(0, len(ids), 900):
        heads.update(Penduduk.objects.filter(
            keluarga_id__in=ids[start:start + 900], hubungan_keluarga=HubunganKeluarga.KEPALA_KELUARGA,
            status_dasar=StatusDasar.HIDUP).values_list("keluarga_id", "nama"))
    return heads


def _check_dusun(file_dusun, desa, header_of, report, existing=None):
    """A warning for each new dusun name of the file that looks like one the village has
    (``existing``, else read), or an earlier new one ("Mekarsari" beside "Mekar Sari"), and the
    choice for the report's page."""
    if existing is None:
        existing = list(Dusun.objects.filter(desa=desa).values_list("nama", flat=True))
    for nama, ada, baru in similar_dusun(sorted(file_dusun, key=file_dusun.get), existing):
        row_no = file_dusun[nama]
        if ada:
            message = _('dusun "%(nama)s" is new, but the village already has dusun %(ada)s: if they are one dusun, '
                        'choose it under "Dusun names that look alike" before importing') % {
                "nama": nama, "ada": ", ".join(f'"{a}"' for a in ada)}
        else:
            message = _('dusun "%(nama)s" looks like dusun "%(lain)s" of row %(row)d, also new: if they are one dusun, '
                        'choose it under "Dusun names that look alike" before importing') % {
                "nama": nama, "lain": baru[0], "row": file_dusun[baru[0]]}
        report.dusun_warnings[nama] = Problem(row_no, header_of.get("dusun", ""), message, error=False,
                                              kind="dusun-mirip")
        report.problems.append(report.dusun_warnings[nama])
        # The same letters (case, spaces, punctuation aside) are one dusun unless the operator says otherwise.
        same = next((other for other in ada + baru if dusun_key(other) == dusun_key(nama)), "")
        report.dusun_mirip.append({"nama": nama, "baris": row_no, "ada": ada, "baru": baru, "awal": same})


def _as_chosen(report, dusun_map):
    """The import's report says where the operator put each alike dusun name (no longer a choice to make)."""
    for nama, target in dusun_map.items():
        if nama in report.dusun_warnings and target != nama:
            report.dusun_warnings[nama].message = _('dusun "%(nama)s" written as dusun "%(ke)s", as chosen after the '
                                                    'check') % {"nama": nama, "ke": target}
    report.dusun_mirip = [item for item in report.dusun_mirip if item["nama"] not in dusun_map]


def dusun_map_from(data, result):
    """{new dusun name: dusun to merge it into} from the choices the operator sent (``data``:
    ``dusun-<i>`` for the i-th name of the check's ``dusun_mirip``: one of its alike names, or
    empty for a new dusun). A choice that is not one of the offered names is ignored."""
    chosen = {}
    for i, item in enumerate(result.get("dusun_mirip") or []):
        target = data.get(f"dusun-{i}", "")
        if target and target in item["ada"] + item["baru"]:
            chosen[item["nama"]] = target
    return chosen


def _resolved(dusun_map):
    """``dusun_map`` with chains followed ("Mekar-sari" -> "Mekarsari" -> "Mekar Sari"), a cycle left as written."""
    resolved = {}
    for nama, target in dusun_map.items():
        seen = {nama}
        while target in dusun_map and target not in seen:
            seen.add(target)
            target = dusun_map[target]
        resolved[nama] = nama if target in seen else target
    return resolved


def _write(rows, names, desa, report, registered, existing_families, existing, user, progress, cancelled, filename,
           dusun_map):
    """Pass 2: the spooled rows (see _ready_row) whose row was not refused, in one transaction."""
    # A large import (at least doubling the residents' table) builds the table's indexes once at
    # the end; on PostgreSQL that locks the table against readers until the import ends (see
    # core.bulk.indexes_built_after_insert). Not with updates: those look residents up by index.
    # The audit table, one row per resident, likewise when the import at least doubles it.
    with _Writing(names, desa, existing, user, filename, dusun_map, existing_families,
                  rebuilt=report.new if report.updated == 0 else 0, new_rows=report.new,
                  rebuilt_families=report.new_families if report.updated == 0 else 0) as writing:
        progress("write", 0, report.new)  # the phase changes now, not after the first batch
        writing.write(rows, report, registered, lambda done: _written(progress, cancelled, done, report.new))
        writing.finish(progress, cancelled, report.new)
    report.problems.sort(key=lambda p: (p.row, not p.error))


def _written(progress, cancelled, done, total):
    """After each bulk insert of pass 2, and at its end: the progress said, and a cancel request honoured."""
    progress("write", done, total)
    if cancelled():
        raise Cancelled


class _Writing:
    """Pass 2's transaction: the residents, families, KK numbers and audit rows of the rows it is
    given (``write``, as often as rows come), inserted in bulk; committed when the ``with`` block
    ends without an exception, all undone otherwise (indexes and triggers as they were).

    ``rebuilt``, ``rebuilt_families``: the new residents and families expected, for the choice of
    building the tables' indexes once at the end (core.bulk.indexes_built_after_insert; a family
    has about four residents, when their number is not known yet); ``new_rows``: for the page
    cache."""

    def __init__(self, names, desa, existing, user, filename, dusun_map, existing_families, *, rebuilt, new_rows,
                 rebuilt_families):
        self.names, self.desa, self.existing, self.user, self.dusun_map = names, desa, existing, user, dusun_map
        self.rebuilt, self.new_rows, self.rebuilt_families = rebuilt, new_rows, rebuilt_families
        now = timezone.now()
        meta = request_meta()
        user_id = user.pk if user is not None and user.is_authenticated else None
        self.now = now
        self.audit = {"at": now, "desa_id": desa.id, "content_type_id": ContentType.objects.get_for_model(Penduduk).id,
                      "action": ObjectChange.Action.CREATE, "before": {}, "user_id": user_id,
                      "username": getattr(user, "username", "") or "sistem", "ip": meta["ip"],
                      "request_id": meta["request_id"], "reason": _("Import of %(file)s") % {"file": filename}}
        self.filename = filename
        # Each audit row's "after": {"impor": the file's name, "baris": the row}, as JSON text.
        self.after = '{"impor": %s, "baris": %%d}' % json.dumps(filename).replace("%", "%%")
        self.person_columns = ["id", "keluarga_id", "rt_id", *names]
        self.person_constants = {"desa_id": desa.id, "created_at": now, "updated_at": now}
        self.nik_at, self.nama_at, self.alamat_at = names.index("nik"), names.index("nama"), names.index("alamat")
        # KK number (as _nik_key makes it: half the memory of a string) -> family id
        self.families = {_nik_key(kk): pk for kk, (desa_id, pk) in existing_families.items() if desa_id == desa.id}
        self.units, self.places = {}, None  # a row's _unit_key -> RT id; the village's Places, read when needed
        self.new_people, self.changes, self.new_families, self.kk_numbers = [], [], [], []
        self.done = 0
        self._stack = None

    def __enter__(self):
        with ExitStack() as stack:
            stack.enter_context(transaction.atomic())
            stack.enter_context(_page_cache_for(self.new_rows))
            stack.enter_context(residents_inserted_in_bulk(self.rebuilt))
            stack.enter_context(indexes_built_after_insert(ObjectChange, self.rebuilt))
            # Their KK numbers come in no order: inserted one by one into the indexes, each row
            # touched pages all over them.
            stack.enter_context(indexes_built_after_insert(Keluarga, self.rebuilt_families))
            stack.enter_context(indexes_built_after_insert(NomorKK, self.rebuilt_families))
            ensure_can_write(self.user, self.desa.id)
            data_changed()  # the audit rows are inserted in bulk, not by record_change
            self.ids = {model: IdBlock(model) for model in (Keluarga, Penduduk, NomorKK, ObjectChange)}
            self._stack = stack.pop_all()
        return self

    @property
    def entered(self):
        """Whether the transaction has begun (``__enter__``)."""
        return self._stack is not None

    def __exit__(self, *exc):
        return self._stack.__exit__(*exc)

    def _rt_of(self, unit):
        """The RT id of a row's _unit_key (None: no RT written), creating what the village does not
        have yet; kept for the next rows."""
        rt = None
        if unit is not None:
            if self.places is None:
                self.places = Places(self.desa)
            dusun, rw, nomor = unit
            dusun = (self.dusun_map or {}).get(dusun, dusun)  # the operator chose to merge it into a like-named one
            rt = self.places.rt_id(dusun, rw, nomor or "-")
        self.units[unit] = rt
        return rt

    def write(self, rows, report, registered, after_batch=None):
        """Write ``rows`` (spooled, see _ready_row) but those ``report`` refused; a registered NIK is
        skipped or updated (``existing``). ``after_batch(done)`` runs after each bulk insert."""
        desa, units, families, now = self.desa, self.units, self.families, self.now
        nik_at, nama_at, refused = self.nik_at, self.nama_at, report.refused
        take_person, take_change = self.ids[Penduduk].take, self.ids[ObjectChange].take
        new_people, changes = self.new_people, self.changes
        last_kk = last_family = None  # a family's rows mostly come one after another
        for row_no, kk, unit, values in rows:
            if row_no in refused:
                continue
            nik = values[nik_at]
            rt = units[unit] if unit in units else self._rt_of(unit)
            if nik in registered:
                if self.existing == UPDATE:
                    try:  # update_penduduk is atomic: a refused update is rolled back to its savepoint
                        _update_existing(registered[nik][1], dict(zip(self.names, values)), rt, self.user,
                                         self.audit["reason"])
                    except ValidationError as exc:
                        # The file's values with the resident's others break a rule (rules.py) that
                        # the row alone did not: this row is refused, the rest of the file is written.
                        report.problems.append(Problem(row_no, "", _("not updated: %(message)s")
                                                       % {"message": " ".join(exc.messages)}, kind="tidak-diperbarui"))
                        report.refused.add(row_no)
                        report.updated -= 1
                continue
            keluarga_id = None
            if kk == last_kk:
                keluarga_id = last_family
            elif kk:
                key = _nik_key(kk)
                keluarga_id = families.get(key)
                if keluarga_id is None:
                    keluarga_id = families[key] = self.ids[Keluarga].take()
                    self.new_families.append({"id": keluarga_id, "desa_id": desa.id, "nomor_kk": kk, "rt_id": rt,
                                              "alamat": values[self.alamat_at], "created_at": now, "updated_at": now})
                    self.kk_numbers.append({"id": self.ids[NomorKK].take(), "desa_id": desa.id,
                                            "keluarga_id": keluarga_id, "nomor": kk, "created_at": now})
                last_kk, last_family = kk, keluarga_id
            person_id = take_person()
            new_people.append([person_id, keluarga_id, rt, *values])
            changes.append([take_change(), person_id, values[nama_at][:200], JsonText(self.after % row_no)])
            self.done += 1
            if len(new_people) >= BATCH:
                self._flush()
                if after_batch is not None:
                    after_batch(self.done)

    def _flush(self):
        insert_rows(Keluarga, self.new_families)
        insert_rows(NomorKK, self.kk_numbers)
        insert_values(Penduduk, self.person_columns, self.new_people, self.person_constants)
        insert_values(ObjectChange, ["id", "object_id", "object_repr", "after"], self.changes, self.audit)
        for batch in (self.new_families, self.kk_numbers, self.new_people, self.changes):
            batch.clear()

    def finish(self, progress, cancelled, total):
        """The last rows, and the tables' sequences past the ids written (before the commit); the
        progress said (of ``total``) and a cancel request honoured."""
        self._flush()
        reset_sequences(Keluarga, Penduduk, NomorKK, ObjectChange)
        _written(progress, cancelled, self.done, total)


# From this many new rows, the write's page cache is kept small (see _page_cache_for).
LARGE_IMPORT = 250_000


@contextmanager
def _page_cache_for(new_rows):
    """On SQLite, the write's page cache for an import of ``new_rows``: 64 MB, big enough for the
    indexes an import touches (SQLite's default is 2 MB: every insert then reads index pages back
    from the operating system); 8 MB from ``LARGE_IMPORT`` rows. So large an import is most
    often a first import, which builds the indexes once at the end instead of inserting into
    them, and its check already holds most of the import's memory: a large cache then only adds
    to the peak (SQLite's sorts for the index builds use as much again).
    """
    megabytes = 8 if new_rows >= LARGE_IMPORT else 64
    with sqlite_pragma("cache_size", -megabytes * 1024):
        yield


def _nik_key(nik):
    """A 16-digit NIK (or KK number) as a number (a Python int takes half the memory of the string)."""
    return int(nik) if len(nik) == 16 and nik.isdigit() and nik[0] != "0" else nik


class Member(NamedTuple):
    """What the family checks need of a row."""
    row: int
    hubungan_keluarga: int
    status_dasar: int
    born: object


class FamilyRows:
    """Per KK number, the Members of its rows; kept for every row of the file, so packed in arrays
    (a million rows take about 50 MB instead of 250)."""

    def __init__(self):
        self.positions = {}  # KK number -> array of positions in the arrays below
        self.row, self.role, self.status, self.born = array("l"), array("b"), array("b"), array("l")

    def add(self, kk, row, role, status, born):
        self.positions.setdefault(kk, array("l")).append(len(self.row))
        self.row.append(row)
        self.role.append(role or 0)
        self.status.append(status or 0)
        self.born.append(born.toordinal() if born else 0)

    def __getitem__(self, kk):
        return [Member(self.row[p], self.role[p] or None, self.status[p],
                       datetime.date.fromordinal(self.born[p]) if self.born[p] else None) for p in self.positions[kk]]

    def __iter__(self):
        return iter(self.positions)

    def __len__(self):
        return len(self.positions)

    def items(self):
        for kk in self.positions:
            yield kk, self[kk]


class _Spool:
    """Rows ready to write, kept in a temporary file between the check and the write (pickled lists)."""

    def __init__(self, keep=True):
        self.keep = keep
        self.file = tempfile.TemporaryFile(dir=jobs_dir()) if keep else None

    def write(self, pickled):
        if self.keep:
            self.file.write(pickled)

    def clear(self):
        if self.keep:
            self.file.seek(0)
            self.file.truncate()

    def rows(self):
        self.file.seek(0)
        while True:
            try:
                batch = pickle.load(self.file)
            except EOFError:
                return
            yield from batch

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.file:
            self.file.close()


def _unit_key(data, known):
    """(dusun, rw, rt) as written in the row (taken out of ``data``), or None when all are empty.

    ``known`` remembers the answer for each spelling: a village has a few hundred RTs."""
    written = (data.pop("dusun", ""), data.pop("rw", ""), data.pop("rt", ""))
    if written not in known:
        if len(known) >= KNOWN_VALUES_KEPT:
            known.clear()
        known[written] = _unit_key_of(*written)
    return known[written]


def _unit_key_of(dusun, rw, rt):
    dusun, rw, rt = _dusun_name(dusun), formats.clean_text(rw), formats.clean_text(rt)
    return (dusun, rw, rt) if dusun or rw or rt else None


def _dusun_name(written):
    """A dusun's name as the import keeps it: "DUSUN MEKAR SARI" is "Mekar Sari"."""
    dusun = formats.clean_text(written)
    dusun = dusun.title() if dusun.isupper() else dusun
    if dusun.lower().startswith(("dusun ", "lingkungan ")):
        dusun = dusun.split(" ", 1)[1]
    return dusun


def _resident_fields(data):
    """A parsed row's model fields, with the defaults SIAK files leave out, filled into ``data``
    itself (which is returned; its keys that are not resident fields are left as they are)."""
    fields = data
    for name in ("nik", "golongan_darah", "disabilitas", "pendidikan_sedang"):
        fields[name] = fields.get(name) or None
    for name in TEXT_FIELDS:
        fields[name] = fields.get(name) or ""
    fields["kewarganegaraan"] = fields.get("kewarganegaraan") or Kewarganegaraan.WNI
    fields["status_penduduk"] = fields.get("status_penduduk") or StatusPenduduk.TETAP
    fields["status_dasar"] = fields.get("status_dasar") or StatusDasar.HIDUP
    fields["perkawinan_tercatat"] = bool(fields.get("akta_perkawinan") or fields.get("akta_perceraian"))
    if fields.get("status_dasar") == 9:  # OpenSID's "tidak valid"
        fields["status_dasar"] = StatusDasar.HIDUP
    return fields


def _update_existing(pk, fields, rt, user, reason):
    """Update a registered resident with the file's non-empty values, through the service."""
    from . import services

    current = Penduduk.objects.get(pk=pk)
    changes = {k: v for k, v in fields.items() if v not in (None, "") and k in services.EDITABLE_FIELDS}
    if rt:
        changes["rt_id"] = rt
    services.update_penduduk(current, user=user, changes=changes, version=current.version, reason=reason)


RESIDENT_FIELDS = {
    "nik", "nama", "jenis_kelamin", "tempat_lahir", "tanggal_lahir", "agama", "pendidikan_kk", "pendidikan_sedang",
    "pekerjaan", "status_perkawinan", "akta_perkawinan", "tanggal_perkawinan", "akta_perceraian",
    "tanggal_perceraian", "hubungan_keluarga", "kewarganegaraan", "golongan_darah", "disabilitas", "nama_ayah",
    "nik_ayah", "nama_ibu", "nik_ibu", "akta_lahir", "dapat_membaca_huruf", "alamat", "tanggal_mulai_tinggal",
    "status_penduduk", "status_dasar",
}
TEXT_FIELDS = {"tempat_lahir", "akta_perkawinan", "akta_perceraian", "nama_ayah", "nik_ayah", "nama_ibu", "nik_ibu",
               "akta_lahir", "dapat_membaca_huruf", "alamat"}
# The fields _resident_fields fills whether or not the file has their column.
ALWAYS_FILLED = {"nik", "golongan_darah", "disabilitas", "pendidikan_sedang", *TEXT_FIELDS, "kewarganegaraan",
                 "status_penduduk", "status_dasar", "perkawinan_tercatat"}
