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
