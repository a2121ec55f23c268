"""Import and export of a village's schools and of a school year's figures as XLSX (or CSV, ODS).

The file is read by ``core.spreadsheet.open_table`` (the one reader, with its checks of size,
type and zip bombs) and every row is checked by the same functions the forms and the API use
(``services.check_sekolah``, ``services.check_data``). The import is a background job
(``core.jobs``, kind ``impor-sekolah``): a dry run lists every problem by row and writes
nothing; a real run writes all rows in one transaction through ``services`` or, if any row is
wrong, nothing at all. Findings carry a ``kind`` (KINDS) like the resident import's report.
"""

from collections import Counter

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sidekel.core import jobs
from sidekel.core.spreadsheet import open_table
from sidekel.core.xlsx import write_workbook
from sidekel.wilayah.models import Rt

from . import rules, services
from .choices import KELAS, Jenjang, Kementerian, StatusSekolah
from .models import DataSekolah, Sekolah

SEKOLAH, DATA = "sekolah", "data"
SEKOLAH_COLUMNS = ["npsn", "nama", "jenjang", "status", "kementerian", "alamat", "dusun", "rw", "rt", "lintang", "bujur",
                   "kepala_nama", "kepala_telepon"]
GRADES = list(dict.fromkeys(k for grades in KELAS.values() for k in grades))
GRADE_COLUMNS = [rules.field_name(k, sex) for k in GRADES for sex in ("l", "p")]
DATA_COLUMNS = ["npsn", "tahun_ajaran", "guru", "ruang_baik", "ruang_rusak_ringan", "ruang_rusak_berat"] + GRADE_COLUMNS
COLUMNS = {SEKOLAH: SEKOLAH_COLUMNS, DATA: DATA_COLUMNS}
REQUIRED = {SEKOLAH: ["npsn", "nama", "jenjang", "status", "kementerian"], DATA: ["npsn", "tahun_ajaran"]}

KINDS = {
    "npsn": gettext_lazy("Invalid or used NPSN"),
    "npsn-ganda": gettext_lazy("The same school (and school year) twice in the file"),
    "sekolah-lain": gettext_lazy("Not a school of this village"),
    "tahun-ajaran": gettext_lazy("Invalid school year"),
    "jumlah": gettext_lazy("Impossible count"),
    "pilihan": gettext_lazy("Unknown code"),
    "wilayah": gettext_lazy("Dusun/RW/RT not found"),
    "isian": gettext_lazy("Other"),
}
FIELD_KINDS = {"npsn": "npsn", "tahun_ajaran": "tahun-ajaran", "jenjang": "pilihan", "status": "pilihan",
               "kementerian": "pilihan", "rt": "wilayah"}


def _plain(value):
    """A cell as text: whole numbers without '.0' (a spreadsheet stores 30200001 as a number)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _code(value, choices):
    """A code from its code or its label, any case: 'SD', 'sd', 'TK/RA', 'Negeri'."""
    text = _plain(value).lower()
    for code, label in choices.choices:
        if text in (code, label.lower()):
            return code
    return text


def _rt(desa, dusun, rw, rt):
    """The village's RT written as dusun / RW / RT numbers, or ValidationError."""
    if not (dusun or rw or rt):
        return None
    found = Rt.objects.filter(desa=desa)
    if rt:
        found = found.filter(nomor=rt.zfill(3))
    if rw:
        found = found.filter(rw__nomor=rw.zfill(3))
    if dusun:
        found = found.filter(dusun__nama__iexact=dusun)
    found = list(found[:2])
    if len(found) != 1:
        raise ValidationError({"rt": [_("There is no single RT %(rt)s (RW %(rw)s, dusun %(dusun)s) in %(desa)s.")
                                      % {"rt": rt or "-", "rw": rw or "-", "dusun": dusun or "-", "desa": desa}]})
    return found[0].id


def _problems(row, exc):
    return [{"row": row, "column": field if field != "__all__" else "", "message": message,
             "kind": FIELD_KINDS.get(field, "jumlah" if field.startswith(("murid", "guru", "ruang")) else "isian")}
            for field, messages in exc.message_dict.items() for message in messages]


def _read(job, table, jenis, progress, cancelled):
    """[(row number, data or None, sekolah or None)] and the problems, for every row of the file."""
    desa, headers = job.desa, [h.strip().lower() for h in table.headers]
    problems, rows, seen = [], [], {}
    unknown = [h for h in headers if h and h not in COLUMNS[jenis]]
    if unknown:
        problems.append({"row": 1, "column": ", ".join(unknown), "kind": "isian",
                         "message": _("Unknown columns: %(columns)s. Use the template.") % {"columns": ", ".join(unknown)}})
    missing = [c for c in REQUIRED[jenis] if c not in headers]
    if missing:
        raise ValidationError(_("The file lacks the columns %(columns)s. Download the template and fill it in.")
                              % {"columns": ", ".join(missing)})
    schools = {s.npsn: s for s in Sekolah.objects.filter(desa=desa)}
    for number, values in table.rows:
        if cancelled():
            raise jobs.Cancelled
        cell = {h: _plain(v) for h, v in zip(headers, values) if h}
        npsn = cell.get("npsn", "")
        key = npsn if jenis == SEKOLAH else (npsn, cell.get("tahun_ajaran", ""))  # a school once, a year once
        if key in seen:
            problems.append({"row": number, "column": "npsn", "kind": "npsn-ganda", "message": _(
                "NPSN %(npsn)s is already in row %(row)d of the file.") % {"npsn": npsn, "row": seen[key]}})
            continue
        seen[key] = number
        try:
            if jenis == SEKOLAH:
                data = {**cell, "jenjang": _code(cell.get("jenjang"), Jenjang), "status": _code(cell.get("status"), StatusSekolah),
                        "kementerian": _code(cell.get("kementerian"), Kementerian)}
                existing, errors = schools.get(npsn), {}
                try:
                    data["rt"] = _rt(desa, cell.get("dusun"), cell.get("rw"), cell.get("rt"))
                except ValidationError as exc:
                    data["rt"], errors = None, exc.message_dict
                try:
                    services.check_sekolah(desa, data, existing)
                except ValidationError as exc:
                    errors = {**errors, **exc.message_dict}
                if errors:
                    raise ValidationError(errors)
                rows.append((number, data, existing))
            else:
                sekolah = schools.get(npsn)
                if sekolah is None:
                    problems.append({"row": number, "column": "npsn", "kind": "sekolah-lain", "message": _(
                        "No school with NPSN %(npsn)s in %(desa)s; add the school first.") % {"npsn": npsn or "''",
                                                                                              "desa": desa}})
                    continue
                grades = {k: [cell.get(rules.field_name(k, "l"), ""), cell.get(rules.field_name(k, "p"), "")]
                          for k in KELAS[Jenjang(sekolah.jenjang)]}
                extra = [c for c in GRADE_COLUMNS if cell.get(c) and c not in
                         {rules.field_name(k, s) for k in grades for s in ("l", "p")} and cell.get(c) != "0"]
                if extra:
                    problems.append({"row": number, "column": ", ".join(extra), "kind": "jumlah", "message": _(
                        "A school of this level has no such grade: %(columns)s.") % {"columns": ", ".join(extra)}})
                    continue
                data = {"murid": grades, **{f: cell.get(f, "") for f in ("guru", "ruang_baik", "ruang_rusak_ringan",
                                                                           "ruang_rusak_berat")}}
                services.check_data(sekolah, cell.get("tahun_ajaran"), data)
                rows.append((number, {**data, "tahun_ajaran": cell.get("tahun_ajaran")}, sekolah))
        except ValidationError as exc:
            problems += _problems(number, exc)
        if number % 200 == 0:
            progress("check", number, 0)
    return rows, problems


@jobs.kind("impor-sekolah", again=gettext_lazy("Import the file again."))
def run_import(job, progress, cancelled):
    jenis, dry_run = job.options.get("jenis", SEKOLAH), job.options.get("dry_run", True)
    table = open_table(jobs.stored_path(job))
    rows, problems = _read(job, table, jenis, progress, cancelled)
    written = 0
    if not dry_run and not problems and rows:
        with transaction.atomic():
            for _number, data, existing in rows:
                if jenis == SEKOLAH:
                    services.save_sekolah(job.desa, data, user=job.user, sekolah=existing)
                else:
                    services.save_data(existing, data["tahun_ajaran"], data, user=job.user)
                written += 1
    return {"jenis": jenis, "dry_run": dry_run, "rows": len(rows) + len({p["row"] for p in problems if p["row"] > 1}),
            "ok": len(rows), "written": written, "problems": problems[:1000], "problem_count": len(problems),
            "kinds": dict(Counter(p["kind"] for p in problems))}


# --- export and templates ------------------------------------------------------------------------

def sekolah_rows(desa):
    out = [SEKOLAH_COLUMNS]
    for s in Sekolah.objects.filter(desa=desa).select_related("rt__dusun", "rt__rw").order_by("jenjang", "nama"):
        rt = s.rt
        out.append([s.npsn, s.nama, s.jenjang, s.status, s.kementerian, s.alamat,
                    rt.dusun.nama if rt and rt.dusun_id else "", rt.rw.nomor if rt and rt.rw_id else "",
                    rt.nomor if rt else "", float(s.lintang) if s.lintang is not None else "",
                    float(s.bujur) if s.bujur is not None else "", s.kepala_nama, s.kepala_telepon])
    return out


def data_rows(desa, tahun):
    out = [DATA_COLUMNS]
    for row in DataSekolah.objects.filter(desa=desa, tahun_ajaran=tahun).select_related("sekolah").order_by(
            "sekolah__jenjang", "sekolah__nama"):
        grades = {rules.field_name(k, sex): pair[i] for k, pair in row.murid.items() for i, sex in enumerate(("l", "p"))}
        out.append([row.sekolah.npsn, row.tahun_ajaran, row.guru, row.ruang_baik, row.ruang_rusak_ringan,
                    row.ruang_rusak_berat] + [grades.get(c, "") for c in GRADE_COLUMNS])
    return out


def template_rows(jenis):
    if jenis == SEKOLAH:
        return [SEKOLAH_COLUMNS, ["30201234", "SD Negeri 1 Contoh", "sd", "negeri", "kemendikdasmen", "Jl. Pendidikan 1",
                                  "Melati", "", "001", -2.6812, 111.6273, "", ""]]
    example = {rules.field_name(k, s): 20 for k in KELAS[Jenjang.SD] for s in ("l", "p")}
    return [DATA_COLUMNS, ["30201234", "2025/2026", 9, 6, 1, 0] + [example.get(c, "") for c in GRADE_COLUMNS]]


def workbook(f, rows, name):
    write_workbook(f, [(name, rows)])
