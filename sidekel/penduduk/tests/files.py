"""Spreadsheet files built by the tests themselves, in every format the importer reads."""

import csv
import datetime

HEADERS = ["nik", "no_kk", "nama", "jenis_kelamin", "tempat_lahir", "tanggal_lahir", "agama", "pendidikan_kk",
           "pekerjaan", "status_perkawinan", "hubungan_keluarga", "dusun", "rw", "rt", "alamat"]

# One family of three in Dusun Sumber Rejeki, RW 002, RT 003.
GOOD_ROWS = [
    ["6201021708800001", "6201021501150001", "Ahmad Yani", "L", "Pangkalan Bun", "17-08-1980", "ISLAM", "SLTA/Sederajat",
     "Petani/Pekebun", "Kawin", "Kepala Keluarga", "Sumber Rejeki", "002", "003", "Jl. Tani No. 4"],
    ["6201026004820001", "6201021501150001", "Ratna Sari", "P", "Kumai", "20-04-1982", "1", "4", "2", "2", "3",
     "Sumber Rejeki", "002", "003", "Jl. Tani No. 4"],
    ["6201020203100001", "6201021501150001", "Bima", "Laki-laki", "Pangkalan Bun", "02-03-2010", "Islam", "3",
     "Pelajar/Mahasiswa", "BK", "Anak", "Sumber Rejeki", "002", "003", "Jl. Tani No. 4"],
]


def write_csv(path, headers, rows, delimiter=",", encoding="utf-8"):
    with open(path, "w", newline="", encoding=encoding) as f:
        writer = csv.writer(f, delimiter=delimiter)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


def write_xlsx(path, headers, rows, sheet="Data Penduduk", date_cells=False):
    from openpyxl import Workbook

    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet
    ws.append(headers)
    for row in rows:
        if date_cells:
            row = [datetime.datetime.strptime(v, "%d-%m-%Y") if isinstance(v, str) and v.count("-") == 2 and len(v) == 10
                   else v for v in row]
        ws.append(row)
    workbook.save(path)
    return path


def write_xls(path, headers, rows):
    import xlwt

    workbook = xlwt.Workbook()
    ws = workbook.add_sheet("Data Penduduk")
    for r, row in enumerate([headers] + rows):
        for c, value in enumerate(row):
            ws.write(r, c, value)
    workbook.save(str(path))
    return path


def write_ods(path, headers, rows):
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="Data Penduduk")
    for row in [headers] + rows:
        tr = TableRow()
        for value in row:
            cell = TableCell(valuetype="string")
            cell.addElement(P(text=str(value)))
            tr.addElement(cell)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return path


def many_families(n_families, first_serial=1):
    """Rows for ``n_families`` families of four (head, wife, two children), every NIK distinct."""
    rows = []
    for i in range(first_serial, first_serial + n_families):
        kk = f"6201021501{15 + i // 10000:02d}{i % 10000:04d}"
        members = [
            (f"620102170880{i % 10000:04d}", f"Kepala {i}", "L", "17-08-1980", "1", "2"),
            (f"620102600482{i % 10000:04d}", f"Istri {i}", "P", "20-04-1982", "3", "2"),
            (f"620102020310{i % 10000:04d}", f"Anak A {i}", "L", "02-03-2010", "4", "1"),
            (f"620102450612{i % 10000:04d}", f"Anak B {i}", "P", "05-06-2012", "4", "1"),
        ]
        for nik, nama, sex, born, role, marital in members:
            rows.append([nik, kk, nama, sex, "Pangkalan Bun", born, "1", "5", "9", marital, role, "Harapan Jaya", "",
                         f"{i % 30 + 1:03d}", f"Jl. Poros Desa No. {i % 150 + 1}"])
    return rows


def messy_families(n_families):
    """``many_families(n_families)`` with findings of several kinds, and what the report should
    say: (rows, foreign, expected). ``foreign``: the KK numbers the test registers in another
    village first; ``expected``: {"warnings": {row: kind}, "refused_families": set of family
    indexes (0-based), "foreign_rows": set of rows}. Rows are numbered as the spreadsheet shows
    them (the header is row 1). Per family f:

    - f % 9 == 0: its KK number belongs to another village (every row refused);
    - f % 13 == 0: the wife's religion is an unknown code (refused, with her family);
    - f % 17 == 0: the first child's birth date is 31-02-2010 (refused, with the family);
    - f % 7 == 0: the head is written as a woman, but his NIK is a man's (warning);
    - f % 11 == 0: the second child has no NIK (warning).
    """
    rows = many_families(n_families)
    foreign, warnings, refused, foreign_rows = [], {}, set(), set()
    column = {name: HEADERS.index(name) for name in HEADERS}
    for f in range(n_families):
        head, wife, first_child, second_child = (rows[4 * f + k] for k in range(4))
        row_of = {k: 4 * f + k + 2 for k in range(4)}
        if f % 9 == 0:
            foreign.append(head[column["no_kk"]])
            refused.add(f)
            foreign_rows.update(row_of.values())
        if f % 13 == 0:
            wife[column["agama"]] = "ISLAMM"
            refused.add(f)
        if f % 17 == 0:
            first_child[column["tanggal_lahir"]] = "31-02-2010"
            refused.add(f)
        if f % 7 == 0:
            head[column["jenis_kelamin"]] = "P"
            warnings[row_of[0]] = "nik-tidak-cocok"
        if f % 11 == 0:
            second_child[column["nik"]] = ""
            warnings[row_of[3]] = "nik-kosong"
    return rows, foreign, {"warnings": warnings, "refused_families": refused, "foreign_rows": foreign_rows}
