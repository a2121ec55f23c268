"""Importing a village's population spreadsheet: check every row first, then write all or nothing.

``import_penduduk(path, desa, ...)`` reads the file once, a row at a time. The first pass checks
every row and keeps in memory only what the cross-row checks need (NIKs, KK numbers, heads);
unless this is a dry run it also spools the parsed rows to a temporary file. The second pass,
when not a dry run, writes the accepted rows from the spool in one transaction: families,
dusun/RW/RT as needed, residents and their audit. A refused
row never stops the others, but a family with a refused row is refused whole, so no family is
left without its head. Cancelling, or killing the process, rolls the transaction back.
"""

import datetime
import pickle
from contextlib import contextmanager
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

from sidekel.core.audit import data_changed, request_meta
from sidekel.core.bulk import IdBlock, analyze, insert_rows, reset_sequences
from sidekel.core.jobs import Cancelled, jobs_dir
from sidekel.core.models import ObjectChange
from sidekel.core.nik import nik_warnings, parse_nik, validate_nomor_kk
from sidekel.core.scope import can_see_desa, ensure_can_write
from sidekel.core.spreadsheet import SpreadsheetError, open_table
from sidekel.wilayah.models import Dusun, Rt, Rw

from . import formats
from .choices import HubunganKeluarga, Kewarganegaraan, StatusDasar, StatusPenduduk
from .formats import CODE, DATE, NUMBER, ValueProblem
from .models import Keluarga, NomorKK, Penduduk, names_indexed_after_insert, penduduk_indexes_built_after_insert, umur_pada

SKIP, UPDATE = "skip", "update"
BATCH = 5000


@dataclass
class Problem:
    row: int  # the row number as the spreadsheet shows it (the header is row 1)
    column: str
    message: str
    error: bool = True

    def __str__(self):
        where = _("Row %(row)d, column %(column)s") % {"row": self.row, "column": self.column} if self.column \
            else _("Row %(row)d") % {"row": self.row}
        return f"{where}: {self.message}"


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

    @property
    def accepted(self):
        return self.new + self.updated

    def errors(self):
        return [p for p in self.problems if p.error]

    def warnings(self):
        return [p for p in self.problems if not p.error]

    MAX_PROBLEMS_KEPT = 5000

    def as_dict(self):
        """The report as stored on the job (at most the first 5,000 problems)."""
        return {
            "format": self.format, "sheet": self.sheet, "rows": self.rows, "new": self.new,
            "updated": self.updated, "skipped": self.skipped, "refused": sorted(self.refused),
            "new_families": self.new_families, "committed": self.committed, "summary": self.summary(),
            "problem_count": len(self.problems), "error_count": len(self.errors()),
            "problems": [{"row": p.row, "column": p.column, "message": p.message, "error": p.error, "text": str(p)}
                         for p in self.problems[: self.MAX_PROBLEMS_KEPT]],
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
                % {"names": ", ".join(formats.unknown_headers(table.headers, best))})
    unknown = formats.unknown_headers(headers, fmt)
    if unknown:
        raise SpreadsheetError(_("Unknown columns for the %(fmt)s format: %(names)s.") % {"fmt": fmt, "names": ", ".join(unknown)})
    by_header = {c.header: c for c in formats.FORMATS[fmt]}
    missing = [c.header for c in formats.FORMATS[fmt] if c.required and c.header not in headers]
    if missing:
        raise SpreadsheetError(_("The file lacks required columns: %(names)s.") % {"names": ", ".join(missing)})
    duplicated = [h for h, n in Counter(headers).items() if h and n > 1]
    if duplicated:
        raise SpreadsheetError(_("These columns appear twice: %(names)s.") % {"names": ", ".join(duplicated)})
    return fmt, [by_header.get(h) for h in headers]


def _readers(columns):
    """[(position, column, read)] for the columns that fill a field; read(value) parses one cell."""
    def code_reader(choices):
        return lambda value: formats.parse_code(value, choices)

    readers = []
    for position, column in enumerate(columns):
        if column is None or not column.field:
            continue
        read = {DATE: formats.parse_date, NUMBER: formats.clean_number}.get(column.kind, formats.clean_text)
        if column.kind == CODE:
            read = code_reader(column.choices)
        readers.append((position, column, read))
    return readers


def _parse_row(values, readers, row_no, problems):
    """{field: value} for one row; unreadable cells become problems."""
    data = {}
    for position, column, read in readers:
        try:
            parsed = read(values[position])
        except ValueProblem as exc:
            message = (_("%(value)s is not a date (write dd-mm-yyyy)") if column.kind == DATE
                       else _("%(value)s is not a known code; see the codes sheet of the template"))
            problems.append(Problem(row_no, column.header, message % {"value": exc}))
            continue
        if column.required and (parsed is None or parsed == ""):
            problems.append(Problem(row_no, column.header, _("must be filled")))
        data[column.field] = parsed
    return data


def _check_row(data, row_no, header_of, today, problems):
    """Rules on one row's values: NIK and KK rules, dates, soft checks."""
    nik = data.get("nik") or ""
    if nik:
        if len(nik) != 16:
            problems.append(Problem(row_no, header_of["nik"],
                                    _("%(n)d digits, must be 16") % {"n": len(nik)}))
        else:
            try:
                parse_nik(nik)
            except ValidationError as exc:
                problems.append(Problem(row_no, header_of["nik"], exc.messages[0]))
            else:
                for text in nik_warnings(nik, data.get("jenis_kelamin"), data.get("tanggal_lahir"), today):
                    problems.append(Problem(row_no, header_of["nik"], text, error=False))
    else:
        problems.append(Problem(row_no, header_of["nik"], _("no NIK: the resident is imported without one"), error=False))
    for parent in ("nik_ayah", "nik_ibu"):
        value = data.get(parent) or ""
        if value and value != "0" and len(value) != 16:
            problems.append(Problem(row_no, header_of[parent], _("%(n)d digits, must be 16") % {"n": len(value)}))
        elif value == "0":
            data[parent] = ""
    kk = data.get("no_kk") or ""
    if kk:
        try:
            validate_nomor_kk(kk)
        except ValidationError as exc:
            problems.append(Problem(row_no, header_of["no_kk"], exc.messages[0]))
    born = data.get("tanggal_lahir")
    if born and born > today:
        problems.append(Problem(row_no, header_of["tanggal_lahir"], _("the birth date is in the future")))
    if born and born.year < 1880:
        problems.append(Problem(row_no, header_of["tanggal_lahir"], _("the birth date is before 1880")))


def _check_families(families, existing_families, header_of, today, problems):
    """A new family needs exactly one living head; roles should fit ages (warnings)."""
    for kk, members in families.items():
        heads = [m for m in members if m.hubungan_keluarga == HubunganKeluarga.KEPALA_KELUARGA
                 and m.status_dasar == StatusDasar.HIDUP]
        first = members[0].row
        if kk not in existing_families:
            if not heads:
                problems.append(Problem(first, header_of["no_kk"], _("family %(kk)s has no head (Kepala Keluarga)") % {"kk": kk}))
            elif len(heads) > 1:
                rows = ", ".join(str(h.row) for h in heads)
                problems.append(Problem(first, header_of["no_kk"],
                                        _("family %(kk)s has more than one head (rows %(rows)s)") % {"kk": kk, "rows": rows}))
        head = heads[0] if heads else None
        for m in members:
            if not m.born:
                continue
            age = umur_pada(m.born, today)
            role = m.hubungan_keluarga
            if role in (HubunganKeluarga.KEPALA_KELUARGA, HubunganKeluarga.ISTRI, HubunganKeluarga.SUAMI) and age < 15:
                problems.append(Problem(m.row, header_of["hubungan_keluarga"],
                                        _("%(age)d years old and %(role)s") % {"age": age, "role": HubunganKeluarga(role).label},
                                        error=False))
            if role == HubunganKeluarga.ANAK and head and head.born and umur_pada(head.born, today) - age < 12:
                problems.append(Problem(m.row, header_of["hubungan_keluarga"],
                                        _("a child only %(gap)d years younger than the head of the family")
                                        % {"gap": umur_pada(head.born, today) - age}, error=False))


def import_penduduk(path, desa, *, fmt="auto", existing=SKIP, dry_run=True, user=None, sheet=None,
                    progress=None, cancelled=None, filename="", expected_rows=None):
    """Check (and unless ``dry_run``, import) a population file into ``desa``. Returns a Report.

    ``existing`` says what a NIK already registered in this village means: ``skip`` the row, or
    ``update`` the resident with the file's values. ``progress(phase, done, total)`` is called
    now and then (``expected_rows``, from an earlier check, gives the first pass its total);
    ``cancelled()`` returning True stops the import and undoes it.
    """
    ensure_can_write(user, desa.id)
    progress = progress or (lambda phase, done, total: None)
    cancelled = cancelled or (lambda: False)
    table = open_table(path, sheet)
    fmt, columns = _columns(table, fmt)
    with _Spool(keep=not dry_run) as spool:
        report, registered, existing_families = _check(table, fmt, columns, desa, existing, user, spool, progress,
                                                       cancelled, expected_rows)
        if dry_run or report.accepted == 0:
            return report
        # Pass 2: write the accepted rows, all in one transaction.
        _write(spool.rows(), desa, report, registered, existing_families, existing, user, progress, cancelled,
               filename or Path(path).name)
    report.committed = True
    if report.new > 10_000:
        analyze(Penduduk, Keluarga, NomorKK, ObjectChange)
    return report


def _check(table, fmt, columns, desa, existing, user, spool, progress, cancelled, expected_rows):
    """Pass 1: check every row, then what needs all rows (duplicates, families, the database)."""
    today = timezone.localdate()
    header_of = {c.field: c.header for c in formats.FORMATS[fmt] if c.field}
    report = Report(format=fmt, sheet=table.sheet)

    # Every row's own checks, and what the cross-row checks need. Unless this is a dry run, the
    # parsed rows also go to the spool, so the file is read and parsed only once.
    problems = report.problems
    nik_rows = {}  # NIK (as a number where it is one: half the memory) -> its row
    families = FamilyRows()
    readers = _readers(columns)
    for row_no, values in table.rows:
        report.rows += 1
        before = len(problems)
        data = _parse_row(values, readers, row_no, problems)
        _check_row(data, row_no, header_of, today, problems)
        if any(p.error for p in problems[before:]):
            report.refused.add(row_no)
        nik = data.get("nik")
        if nik:
            key = _nik_key(nik)
            if key in nik_rows:
                problems.append(Problem(row_no, header_of["nik"], _("the same NIK as row %(row)d") % {"row": nik_rows[key]}))
                report.refused.add(row_no)
            else:
                nik_rows[key] = row_no
        kk = data.get("no_kk")
        if kk:
            families.add(kk, row_no, data.get("hubungan_keluarga"), data.get("status_dasar") or StatusDasar.HIDUP,
                         data.get("tanggal_lahir"))
        spool.add(row_no, data)
        if report.rows % BATCH == 0:
            progress("check", report.rows, expected_rows)
            if cancelled():
                raise Cancelled
    if report.rows == 0:
        raise SpreadsheetError(_("The sheet %(sheet)s has headers but no data rows.") % {"sheet": table.sheet})
    progress("check", report.rows, report.rows)
    if cancelled():
        raise Cancelled

    # Against the database: NIKs and KK numbers already registered.
    registered = {}
    niks = [str(key) for key in nik_rows]
    for start in range(0, len(niks), 900):
        for nik, desa_id, pk, nama in Penduduk.objects.filter(nik__in=niks[start:start + 900]).values_list(
                "nik", "desa_id", "pk", "nama"):
            registered[nik] = (desa_id, pk, nama)
    existing_families = {}
    kks = list(families)
    for start in range(0, len(kks), 900):
        for nomor, desa_id, pk in Keluarga.objects.filter(nomor_kk__in=kks[start:start + 900]).values_list(
                "nomor_kk", "desa_id", "pk"):
            existing_families[nomor] = (desa_id, pk)
    for nik, (desa_id, _pk, nama) in registered.items():
        row_no = nik_rows[_nik_key(nik)]
        if desa_id != desa.id:
            where = (_("already registered to %(nama)s in another village (%(desa)s)")
                     % {"nama": nama, "desa": desa_id} if user is None or can_see_desa(user, desa_id)
                     else _("already registered in another village of this kecamatan"))
            problems.append(Problem(row_no, header_of["nik"], where))
            report.refused.add(row_no)
    for kk, (desa_id, _pk) in existing_families.items():
        if desa_id != desa.id:
            for member in families[kk]:
                problems.append(Problem(member.row, header_of["no_kk"], _("this KK number belongs to another village")))
                report.refused.add(member.row)
    _check_families(families, existing_families, header_of, today, problems)
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
                                        _("refused with its family: row %(row)d of KK %(kk)s has errors") % {"row": min(bad), "kk": kk}))
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
    problems.sort(key=lambda p: (p.row, not p.error))
    return report, registered, existing_families


def _write(rows, desa, report, registered, existing_families, existing, user, progress, cancelled, filename):
    now = timezone.now()
    meta = request_meta()
    user_id = user.pk if user is not None and user.is_authenticated else None
    audit = {"at": now, "desa_id": desa.id, "content_type_id": ContentType.objects.get_for_model(Penduduk).id,
             "action": ObjectChange.Action.CREATE, "before": {}, "user_id": user_id,
             "username": getattr(user, "username", "") or "sistem", "ip": meta["ip"], "request_id": meta["request_id"],
             "reason": _("Import of %(file)s") % {"file": filename}}
    # A large import (at least doubling the residents' table) builds the table's indexes once at
    # the end; on PostgreSQL that locks the table against readers until the import ends (see
    # core.bulk.indexes_built_after_insert). Not with updates: those look residents up by index.
    rebuilt = report.new if report.updated == 0 else 0
    with transaction.atomic(), names_indexed_after_insert(), _large_page_cache(), \
            penduduk_indexes_built_after_insert(rebuilt):
        ensure_can_write(user, desa.id)
        data_changed()  # the audit rows below are inserted in bulk, not by record_change
        ids = {model: IdBlock(model) for model in (Keluarga, Penduduk, NomorKK, ObjectChange)}
        units = {}
        families = {kk: pk for kk, (desa_id, pk) in existing_families.items() if desa_id == desa.id}
        new_people, changes, new_families, kk_numbers = [], [], [], []
        done = 0

        def flush():
            insert_rows(Keluarga, new_families)
            insert_rows(NomorKK, kk_numbers)
            insert_rows(Penduduk, new_people)
            insert_rows(ObjectChange, changes)
            for batch in (new_families, kk_numbers, new_people, changes):
                batch.clear()

        for row_no, data in rows:
            if row_no in report.refused:
                continue
            nik = data.get("nik") or None
            rt = _unit(desa, data, units)
            kk = data.pop("no_kk", "") or ""
            fields = _resident_fields(data)
            if nik in registered:
                if existing == UPDATE:
                    try:
                        _update_existing(registered[nik][1], fields, rt, user, audit["reason"])
                    except ValidationError as exc:
                        raise ValidationError(_("Row %(row)d: %(message)s Nothing was imported.")
                                              % {"row": row_no, "message": " ".join(exc.messages)}) from exc
                continue
            keluarga_id = None
            if kk:
                keluarga_id = families.get(kk)
                if keluarga_id is None:
                    keluarga_id = families[kk] = ids[Keluarga].take()
                    new_families.append({"id": keluarga_id, "desa_id": desa.id, "nomor_kk": kk, "rt_id": rt,
                                         "alamat": fields["alamat"], "created_at": now, "updated_at": now})
                    kk_numbers.append({"id": ids[NomorKK].take(), "desa_id": desa.id, "keluarga_id": keluarga_id,
                                       "nomor": kk, "created_at": now})
            person_id = ids[Penduduk].take()
            new_people.append({**fields, "id": person_id, "desa_id": desa.id, "keluarga_id": keluarga_id, "rt_id": rt,
                               "created_at": now, "updated_at": now})
            changes.append({**audit, "id": ids[ObjectChange].take(), "object_id": person_id,
                            "object_repr": fields["nama"][:200], "after": {"impor": filename, "baris": row_no}})
            done += 1
            if len(new_people) >= BATCH:
                flush()
                progress("write", done, report.new)
                if cancelled():
                    raise Cancelled
        flush()
        progress("write", done, report.new)
        if cancelled():
            raise Cancelled
        reset_sequences(Keluarga, Penduduk, NomorKK, ObjectChange)


@contextmanager
def _large_page_cache(megabytes=64):
    """On SQLite, a page cache big enough for the indexes a large import touches (default: 2 MB).

    With the default, every insert reads index pages back from the operating system.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{megabytes * 1024}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {before}")


def _nik_key(nik):
    """A 16-digit NIK as a number (a Python int takes half the memory of the string)."""
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
    """Parsed rows kept in a temporary file between the check and the write (pickled in batches)."""

    def __init__(self, keep=True):
        self.keep = keep
        self.file = tempfile.TemporaryFile(dir=jobs_dir()) if keep else None
        self.batch = []

    def add(self, row_no, data):
        if not self.keep:
            return
        self.batch.append((row_no, data))
        if len(self.batch) >= BATCH:
            self._dump()

    def _dump(self):
        pickle.dump(self.batch, self.file, protocol=pickle.HIGHEST_PROTOCOL)
        self.batch = []

    def rows(self):
        self._dump()
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


def _unit(desa, data, cache):
    """The RT id for the row's dusun/RW/RT, creating what the village does not have yet."""
    dusun, rw, rt = (formats.clean_text(data.pop(k, "")) for k in ("dusun", "rw", "rt"))
    dusun = dusun.title() if dusun.isupper() else dusun
    if dusun.lower().startswith(("dusun ", "lingkungan ")):
        dusun = dusun.split(" ", 1)[1]
    if not (dusun or rw or rt):
        return None
    key = (dusun, rw, rt)
    if key not in cache:
        dusun_obj = Dusun.objects.get_or_create(desa=desa, nama=dusun)[0] if dusun else None
        rw_obj = Rw.objects.get_or_create(desa=desa, dusun=dusun_obj, nomor=rw)[0] if rw else None
        cache[key] = Rt.objects.get_or_create(desa=desa, dusun=dusun_obj, rw=rw_obj, nomor=rt or "-")[0].id
    return cache[key]


def _resident_fields(data):
    """Model fields from a parsed row, with the defaults SIAK files leave out."""
    fields = {k: v for k, v in data.items() if k in RESIDENT_FIELDS}
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
