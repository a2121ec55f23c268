"""Exporting residents to .csv or .xlsx, in Sidekel's template or OpenSID's format.

Rows stream from the database in id order, a batch at a time, so memory stays flat however many
residents there are. NIK and KK numbers are masked unless the caller asks for them in full (and
may see them). The columns are the import formats' columns, so an exported file imports again
unchanged (round trip).
"""

import io

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sidekel.core import jobs
from sidekel.core.files import csv_writer
from sidekel.core.nik import mask
from sidekel.core.scope import Action, permits
from sidekel.core.xlsx import CONTENT_TYPE as XLSX_TYPE
from sidekel.core.xlsx import write_workbook
from sidekel.wilayah.models import Desa

from .formats import CODE, FORMATS, export_value

BATCH = 2000
MASKED = {"nik", "no_kk", "nik_ayah", "nik_ibu"}


# Columns read through a join rather than from the resident's own fields.
_JOINED = {"no_kk": "keluarga__nomor_kk", "dusun": "rt__dusun__nama", "rw": "rt__rw__nomor", "rt": "rt__nomor"}


def _rows(queryset, template, full_identity):
    """Each resident's row of the format's columns, read as plain values (no model objects: a
    million rows of them cost more than writing the file)."""
    columns = FORMATS[template]
    qs = queryset.order_by("id").values_list("id", *(_JOINED.get(c.field, c.field) for c in columns if c.field))
    last = 0
    while True:
        batch = list(qs.filter(id__gt=last)[:BATCH])
        if not batch:
            return
        for _pk, *values in batch:
            values = iter(values)
            yield [_value(column, next(values), full_identity) if column.field else "" for column in columns]
        last = batch[-1][0]


def _value(column, value, full_identity):
    if column.field in MASKED and not full_identity:
        return mask(value)
    if column.field == "rt" and value == "-":  # an address with no RT number
        return ""
    if column.kind == CODE and isinstance(value, bool):
        value = int(value)
    return export_value(column, value)


def header(template):
    return [c.header for c in FORMATS[template]]


def csv_chunks(queryset, template="sidekel", full_identity=False):
    """The CSV file, a chunk of text at a time (for a streaming HTTP response or a file).

    Text that a spreadsheet would take for a formula is prefixed with an apostrophe (``core.files``);
    the importer takes it off again, so the file still imports unchanged."""
    buffer = io.StringIO()
    writer = csv_writer(buffer, lineterminator="\r\n")
    writer.writerow(header(template))
    for count, row in enumerate(_rows(queryset, template, full_identity), start=1):
        writer.writerow(row)
        if count % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def write_csv(queryset, target, template="sidekel", full_identity=False):
    with open(target, "w", encoding="utf-8", newline="") as f:
        for chunk in csv_chunks(queryset, template, full_identity):
            f.write(chunk)


def write_xlsx(queryset, target, template="sidekel", full_identity=False, progress=None):
    """An .xlsx file written row by row: memory stays flat. Sidekel's template gets a codes sheet.
    ``progress(done)`` is called after every batch of rows."""
    rows = _rows(queryset, template, full_identity)
    if progress:
        rows = _counted(rows, progress)
    sheets = [("Data Penduduk", _with_header(header(template), rows))]
    if template == "sidekel":
        sheets.append(("Kode", _codes()))
    write_workbook(target, sheets)


def _counted(rows, progress):
    done = 0
    for done, row in enumerate(rows, start=1):
        yield row
        if done % BATCH == 0:
            progress(done)
    progress(done)


EXPORT_KIND = "ekspor-penduduk"


def export_queryset(user, kode=None):
    """The residents ``user`` may see, of the village ``kode`` or of every village in their scope."""
    from .models import Penduduk

    villages = Desa.objects.for_user(user)
    if kode:
        villages = villages.filter(kode=kode)
    return Penduduk.objects.for_user(user).filter(desa__in=villages)


def may_download_export(user, job):
    """The asker may still read every village the file covers (and see full numbers, if it has them)."""
    villages = [job.desa_id] if job.desa_id else list(Desa.objects.for_user(user).values_list("id", flat=True))
    actions = (Action.VIEW, Action.REVEAL) if job.options.get("full") else (Action.VIEW,)
    if not villages or not all(permits(user, action, desa) for desa in villages for action in actions):
        raise PermissionDenied(_("Your role may no longer have this file."))


@jobs.kind(EXPORT_KIND, again=gettext_lazy("Export again."), may_download=may_download_export,
           content_type=XLSX_TYPE)
def export_work(job, progress, cancelled):
    """The worker's part of an .xlsx export (of a village, or of the whole kecamatan: a job with no
    village), with progress; the file waits for its download."""
    queryset = export_queryset(job.user, job.options.get("desa"))
    total = queryset.count()

    def report(done):
        if cancelled():
            raise jobs.Cancelled
        progress("write", done, total)

    write_xlsx(queryset, jobs.stored_path(job), job.options["template"], job.options["full"], progress=report)
    return {"rows": total}


def _with_header(first, rows):
    yield first
    yield from rows


def _codes():
    """Every code list, for people filling the template by hand."""
    yield ["kolom", "kode", "arti"]
    seen = set()
    for column in FORMATS["sidekel"]:
        if column.kind == CODE and column.choices not in seen:
            seen.add(column.choices)
            for value, label in column.choices.choices:
                yield [column.header, value, label]


def export_penduduk(queryset, target, kind="xlsx", template="sidekel", full_identity=False):
    (write_xlsx if kind == "xlsx" else write_csv)(queryset, target, template, full_identity)

