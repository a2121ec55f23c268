"""The profile as a spreadsheet: the village's XLSX template, and reading it back (all or nothing).

The template has one row per indicator that applies to the village, with last year's value and
the value so far; the operator fills the column ``nilai`` offline. The upload is read with the
one reader (core.spreadsheet.open_table) and checked row by row with the one rule book
(potensi.rules): every problem is reported with its row, and nothing is written unless there is
none. A file of a village is a few hundred rows: it is read in the request, no job needed.
"""

import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from sidekel.core.spreadsheet import SpreadsheetError, open_table
from sidekel.core.xlsx import write_workbook

from .choices import Kelompok, Tipe
from .models import Nilai
from .rules import as_text, clean_value

HEADER = ["kode", "kelompok", "subkelompok", "indikator", "satuan", "isian", "nilai_tahun_lalu", "nilai"]
MAX_ROWS = 2000


def _hint(i):
    if i.tipe == Tipe.ANGKA:
        bounds = [f"{b.normalize():f}" for b in (i.minimum, i.maksimum) if b is not None]
        return _("number %(bounds)s") % {"bounds": " - ".join(bounds)} if bounds else _("number")
    if i.tipe == Tipe.YA_TIDAK:
        return "ya / tidak"
    if i.tipe == Tipe.PILIHAN:
        return " / ".join(i.pilihan)
    return _("text")


def template(desa, tahun, indicators):
    """The XLSX bytes of the village's template for the year."""
    def values(year):
        return {n.indikator_id: (n.angka, n.teks) for n in Nilai.objects.filter(desa=desa, profil__tahun=year)}

    now, before = values(tahun), values(tahun - 1)
    labels = dict(Kelompok.choices)
    rows = [HEADER]
    for i in indicators:
        rows.append([i.kode, str(labels.get(i.kelompok, i.kelompok)), i.subkelompok, i.nama, i.satuan, _hint(i),
                     as_text(i, *before[i.id]) if i.id in before else "",
                     as_text(i, *now[i.id]) if i.id in now else ""])
    note = [[_("Profil potensi %(desa)s %(year)s") % {"desa": desa, "year": tahun}],
            [_("Fill the column “nilai” only; leave it empty for an indicator you do not know. Do not change the "
               "codes. Numbers with a comma or a dot as decimal sign; yes/no as “ya” or “tidak”.")]]
    buffer = io.BytesIO()
    write_workbook(buffer, [("Profil", rows), (_("Notes"), note)])
    return buffer.getvalue()


def read_upload(path, indicators):
    """({kode: raw value}, [(row, message)]) from the uploaded file. Values are checked here, row
    by row; the caller writes only when there are no problems."""
    try:
        return _read(open_table(path), {i.kode: i for i in indicators})
    except SpreadsheetError as exc:  # when the file opens, or damage found part-way through it
        return {}, [(None, str(exc))]


def _read(table, known):
    headers = [h.strip().lower() for h in table.headers]
    if "kode" not in headers or "nilai" not in headers:
        return {}, [(1, _("The header row needs the columns “kode” and “nilai”: download the template of this "
                          "profile and fill it."))]
    kode_col, nilai_col = headers.index("kode"), headers.index("nilai")
    values, problems, seen = {}, [], {}
    for number, row in table.rows:
        if number > MAX_ROWS:
            problems.append((number, _("Too many rows: a profile has at most %(n)s.") % {"n": MAX_ROWS}))
            break
        kode = str(row[kode_col] or "").strip()
        raw = row[nilai_col]
        if not kode:
            if raw not in (None, ""):
                problems.append((number, _("A value without an indicator code.")))
            continue
        indikator = known.get(kode)
        if indikator is None:
            problems.append((number, _("Unknown indicator code “%(code)s” (or it does not apply to this village).")
                             % {"code": kode[:50]}))
            continue
        if kode in seen:
            problems.append((number, _("%(code)s appears twice (also in row %(row)s).") % {"code": kode,
                                                                                         "row": seen[kode]}))
            continue
        seen[kode] = number
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue  # empty: not filled, the value already there stays
        try:
            clean_value(indikator, raw)
        except ValidationError as exc:
            problems.extend((number, message) for message in exc.messages)
            continue
        values[kode] = raw if isinstance(raw, (str, int, float, bool)) else str(raw)
    return values, problems
