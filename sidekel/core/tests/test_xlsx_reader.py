"""The streaming .xlsx reader, checked against openpyxl's reading of the same real files."""

import datetime
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from sidekel.core.xlsx import write_workbook
from sidekel.core.xlsx_reader import XlsxReader


def _openpyxl_rows(path, sheet):
    """What openpyxl reads: (row number, values with trailing empties dropped) of non-empty rows.

    Our reader strips text and gives a date cell at midnight as a date (a birth date has no time).
    """
    rows = []
    for number, row in enumerate(load_workbook(path)[sheet].iter_rows(values_only=True), start=1):
        values = list(row)
        values = [v.strip() or None if isinstance(v, str) else v for v in values]
        values = [v.date() if isinstance(v, datetime.datetime) and v.time() == datetime.time() else v for v in values]
        while values and values[-1] is None:
            values.pop()
        if values:
            rows.append((number, values))
    return rows


def test_reads_what_openpyxl_reads_from_an_openpyxl_workbook(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Data Penduduk"
    sheet.append(["nik", "nama", "tanggal_lahir", "umur", "aktif", "catatan"])
    sheet.append(["6201021708800001", "Ahmad & Sons <x>", datetime.datetime(1980, 8, 17), 45, True, "  spasi  "])
    sheet.append([6201026004820001, "Ratna", datetime.date(1982, 4, 20), 43.5, False, None])
    sheet["F6"] = "baris 6, setelah dua baris kosong"
    sheet["B7"] = datetime.datetime(2020, 1, 1, 12, 30)
    sheet["C8"] = "Ñoño – ĀĒ 中文"
    workbook.create_sheet("Kode").append(["kode", 1])
    path = tmp_path / "openpyxl.xlsx"
    workbook.save(path)

    reader = XlsxReader(path)
    assert reader.sheet_names == ["Data Penduduk", "Kode"]
    expected = _openpyxl_rows(path, "Data Penduduk")
    assert [row for row, _ in expected] == [1, 2, 3, 6, 7, 8]
    assert list(reader.rows("Data Penduduk")) == expected
    assert list(reader.rows("Kode")) == _openpyxl_rows(path, "Kode")


def test_reads_what_openpyxl_reads_from_our_own_writer(tmp_path):
    path = tmp_path / "ours.xlsx"
    rows = [["a", "b", "c"], ["x", None, 3], [None, "  y ", 4.25], ["z & <w>", "", 6201021708800001]]
    write_workbook(path, [("Satu", iter(rows))])
    assert list(XlsxReader(path).rows("Satu")) == _openpyxl_rows(path, "Satu")


def _handmade(tmp_path, sheet_xml, shared="", styles="", date1904=False, prefix=""):
    """An .xlsx written part by part, to reach what spreadsheet programs write and openpyxl does not."""
    p = prefix
    ns = f'xmlns{":" + p[:-1] if p else ""}="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    path = tmp_path / "tangan.xlsx"
    properties = f'<{p}workbookPr date1904="1"/>' if date1904 else ""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", (
            f'<{p}workbook {ns} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'{properties}'
            f'<{p}sheets><{p}sheet name="Data &amp; Kode" sheetId="1" r:id="rId7"/></{p}sheets></{p}workbook>'))
        archive.writestr("xl/_rels/workbook.xml.rels", (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId7" Type="worksheet" Target="worksheets/lembar.xml"/>'
            '<Relationship Id="rId8" Type="sharedStrings" Target="sharedStrings.xml"/>'
            '<Relationship Id="rId9" Type="styles" Target="styles.xml"/></Relationships>'))
        archive.writestr("xl/worksheets/lembar.xml",
                         f"<{p}worksheet {ns}><{p}sheetData>{sheet_xml}</{p}sheetData></{p}worksheet>")
        if shared:
            archive.writestr("xl/sharedStrings.xml", f"<{p}sst {ns}>{shared}</{p}sst>")
        if styles:
            archive.writestr("xl/styles.xml", f"<{p}styleSheet {ns}>{styles}</{p}styleSheet>")
    return path


STYLES = ('<numFmts count="2"><numFmt numFmtId="164" formatCode="dd\\-mm\\-yyyy"/>'
          '<numFmt numFmtId="165" formatCode="&quot;Rp&quot;\\ #,##0"/></numFmts>'
          '<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/></cellXfs>')


def test_shared_and_rich_strings_dates_errors_and_attribute_order(tmp_path):
    shared = ("<si><t>nama</t></si><si><r><t>Siti </t></r><r><rPr><b/></rPr><t>Aminah</t></r>"
              "<rPh sb=\"0\" eb=\"1\"><t>PHONETIC</t></rPh></si><si/><si><t xml:space=\"preserve\"> a_x000D_b </t></si>")
    sheet = (
        '<row r="2" spans="1:5"><c r="A2" t="s"><v>0</v></c><c r="C2" s="1"><v>29450</v></c></row>'
        '<row r="3"/>'
        '<row r="4"><c r="A4" t="s"><v>1</v></c><c t="n" s="2" r="B4"><v>30061</v></c><c r="C4" s="3"><v>1500000</v></c>'
        '<c r="D4" t="e"><v>#N/A</v></c><c r="E4" t="str"><f>A4&amp;"!"</f><v>Siti Aminah!</v></c></row>'
        '<row r="5"><c r="A5" t="s"><v>3</v></c><c r="B5" t="d"><v>2024-02-29T00:00:00</v></c><c r="C5" t="b"><v>1</v></c>'
        '<c r="D5" t="inlineStr"><is><r><t>Kaya</t></r><r><t> Raya</t></r></is></c><c r="E5" s="1"><v>45000.5</v></c></row>'
        '<row r="6"><c r="A6" t="s"><v>2</v></c></row>')
    rows = list(XlsxReader(_handmade(tmp_path, sheet, shared, STYLES)).rows("Data & Kode"))
    assert rows == [
        (2, ["nama", None, datetime.date(1980, 8, 17)]),
        (4, ["Siti Aminah", datetime.date(1982, 4, 20), 1500000, "#N/A", "Siti Aminah!"]),
        (5, ["a\rb", datetime.date(2024, 2, 29), True, "Kaya Raya", datetime.datetime(2023, 3, 15, 12, 0)]),
    ]


def test_namespace_prefix_rows_without_references_and_the_1904_date_system(tmp_path):
    sheet = ("<x:row><x:c t=\"inlineStr\"><x:is><x:t>kepala</x:t></x:is></x:c><x:c/><x:c s=\"1\"><x:v>0</x:v></x:c></x:row>"
             "<x:row><x:c><x:v>7</x:v></x:c></x:row>")
    styles = "<x:cellXfs><x:xf numFmtId=\"0\"/><x:xf numFmtId=\"14\"/></x:cellXfs>"
    reader = XlsxReader(_handmade(tmp_path, sheet, styles=styles, date1904=True, prefix="x:"))
    assert list(reader.rows("Data & Kode")) == [(1, ["kepala", None, datetime.date(1904, 1, 1)]), (2, [7])]


def test_a_sheet_of_many_rows_is_read_in_pieces(tmp_path, monkeypatch):
    from sidekel.core import xlsx_reader

    monkeypatch.setattr(xlsx_reader, "CHUNK", 64)  # far smaller than one row: every row crosses pieces
    path = tmp_path / "banyak.xlsx"
    rows = [[f"nama {i}", i, "Ä" * (i % 7)] for i in range(500)]
    write_workbook(path, [("Data", iter(rows))])
    assert [values for _, values in XlsxReader(path).rows("Data")] == [
        [a, b, c or None] if c else [a, b] for a, b, c in rows]


@pytest.mark.parametrize("code,is_date", [("dd/mm/yyyy", True), ("[$-421]d mmmm yyyy", True), ("h:mm", True),
                                          ('"Tgl"\\ 0', False), ("#,##0.00", False), ("[Red]0", False), ("General", False)])
def test_date_formats_are_told_from_number_formats(code, is_date):
    from sidekel.core.xlsx_reader import _is_date_format

    assert _is_date_format(code) is is_date


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_processes_that_share_a_file_out_read_each_row_once_between_them(tmp_path, kind):
    """open_table(parsed=...): every row after the header comes once to each reader, unread or
    empty ones as None, so that readers with complementary tests agree on which row is which;
    together they read exactly what one reader reads."""
    from sidekel.core.spreadsheet import open_table

    if kind == "xlsx":
        sheet = ('<row r="1"><c r="A1" t="inlineStr"><is><t>nama</t></is></c><c r="B1" t="inlineStr"><is><t>umur</t></is></c></row>'
                 '<row r="2"><c r="A2" t="inlineStr"><is><t>Siti</t></is></c><c r="B2"><v>30</v></c></row>'
                 '<row r="3"/>'  # an empty row as LibreOffice writes it: no cells, never a row of the table
                 '<row r="4"><c r="A4"/><c r="B4"/></row>'  # cells, all empty
                 '<row r="5"><c r="A5" t="inlineStr"><is><t>Budi</t></is></c></row>'
                 '<row r="6"><c r="B6"><v>7</v></c></row>'
                 '<row r="7"><c r="A7" t="inlineStr"><is><t>Andi</t></is></c><c r="B7"><v>12</v></c></row>')
        path = _handmade(tmp_path, sheet)
    else:
        path = tmp_path / "warga.csv"
        path.write_text("nama,umur\nSiti,30\n,\n\nBudi,\n,7\nAndi,12\n", encoding="utf-8")
    whole = list(open_table(path).rows)
    shares = [list(open_table(path, parsed=lambda index, k=k: index // 2 % 2 == k).rows) for k in (0, 1)]
    assert [number for number, _ in shares[0]] == [number for number, _ in shares[1]]
    read = sorted((number, values) for share in shares for number, values in share if values is not None)
    assert read == whole == [(2, ["Siti", 30 if kind == "xlsx" else "30"]), (5, ["Budi", None]),
                             (6, [None, 7 if kind == "xlsx" else "7"]), (7, ["Andi", 12 if kind == "xlsx" else "12"])]
    # The second reader read its run of two rows only: the file's 3rd and 4th rows after the header
    # (the CSV counts its empty line; the sheet has no row element for row 3).
    assert [number for number, values in shares[1] if values is not None] == ([5, 6] if kind == "xlsx" else [5])


def test_a_formula_without_its_value_is_refused_as_its_row_is_read(tmp_path):
    """The file is not read through first: it opens, its rows before the formula are read, and
    the row with the formula refuses the file with a message that says what to do."""
    from sidekel.core.spreadsheet import SpreadsheetError, open_table

    sheet = ('<row r="1"><c r="A1" t="inlineStr"><is><t>nama</t></is></c></row>'
             '<row r="2"><c r="A2" t="inlineStr"><is><t>Siti</t></is></c></row>'
             '<row r="3"><c r="A3" t="str"><f>A2&amp;"!"</f><v>Siti!</v></c></row>'  # its value saved: read
             '<row r="4"><c r="A4"><f>LEN(A2)</f></c></row>')
    rows = open_table(_handmade(tmp_path, sheet)).rows
    assert next(rows) == (2, ["Siti"]) and next(rows) == (3, ["Siti!"])
    with pytest.raises(SpreadsheetError) as when_read:
        next(rows)
    assert "rumus" in str(when_read.value) and "Paste Special" in str(when_read.value)
