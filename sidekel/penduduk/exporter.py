"""Exporting residents to .csv or .xlsx, in Sidekel's template or OpenSID's format.

Rows stream from the database in id order, a batch at a time, so memory stays flat however many
residents there are. NIK and KK numbers are masked unless the caller asks for them in full (and
may see them). The columns are the import formats' columns, so an exported file imports again
unchanged (round trip).
"""

import csv
import io

from sidekel.core.nik import mask
from sidekel.core.xlsx import write_workbook

from .formats import CODE, FORMATS, export_value

BATCH = 2000
MASKED = {"nik", "no_kk", "nik_ayah", "nik_ibu"}


def _rows(queryset, template, full_identity):
    columns = FORMATS[template]
    qs = queryset.select_related("keluarga", "rt__dusun", "rt__rw").order_by("id")
    last = 0
    while True:
        batch = list(qs.filter(id__gt=last)[:BATCH])
        if not batch:
            return
        for p in batch:
            values = {
                "no_kk": p.keluarga.nomor_kk if p.keluarga_id else "",
                "dusun": p.rt.dusun.nama if p.rt_id and p.rt.dusun_id else "",
                "rw": p.rt.rw.nomor if p.rt_id and p.rt.rw_id else "",
                "rt": p.rt.nomor if p.rt_id and p.rt.nomor != "-" else "",
            }
            row = []
            for column in columns:
                if not column.field:
                    row.append("")
                    continue
                value = values[column.field] if column.field in values else getattr(p, column.field)
                if column.field in MASKED and not full_identity:
                    value = mask(value)
                elif column.kind == CODE and isinstance(value, bool):
                    value = int(value)
                row.append(export_value(column, value))
            yield row
        last = batch[-1].id


def header(template):
    return [c.header for c in FORMATS[template]]


def csv_chunks(queryset, template="sidekel", full_identity=False):
    """The CSV file, a chunk of text at a time (for a streaming HTTP response or a file)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
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


def write_xlsx(queryset, target, template="sidekel", full_identity=False):
    """An .xlsx file written row by row: memory stays flat. Sidekel's template gets a codes sheet."""
    sheets = [("Data Penduduk", _with_header(header(template), _rows(queryset, template, full_identity)))]
    if template == "sidekel":
        sheets.append(("Kode", _codes()))
    write_workbook(target, sheets)


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

