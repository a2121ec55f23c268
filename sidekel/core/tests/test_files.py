"""Files we write: .xlsx text and sheet names (core/xlsx.py), the CSV cell rule and temporary files
(core/files.py)."""

import csv
import io
import threading
import zipfile

import pytest
from openpyxl import load_workbook
from openpyxl.utils.escape import unescape

from sidekel.core.files import csv_cell, csv_value, csv_writer, file_download, temporary_dir
from sidekel.core.xlsx import SHEET_NAME_MAX, sheet_names, write_workbook
from sidekel.core.xlsx_reader import XlsxReader

# Names that broke a file or became a formula: formula starts, a tab, control characters (XML 1.0
# cannot hold \x0b or \x01), a literal OOXML escape, a carriage return, markup.
AWKWARD = ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\tTab", "Ver\x0btical\x01", "_x000B_", "_x005f_",
           "a\rb\nc", "\x00nul", "x\x1fy\x7fz", "&<b>\"'", "-", "Siti Aminah"]


def test_control_characters_and_literal_escapes_round_trip_through_the_xlsx(tmp_path):
    path = tmp_path / "nama.xlsx"
    write_workbook(path, [("Data", [[name, 7, -2, 1.5] for name in AWKWARD])])
    # openpyxl opens it (it refused the file with a raw \x0b) and every text cell is text, never a
    # formula; its values are ST_Xstring as stored, which Excel decodes as openpyxl's unescape does.
    sheet = load_workbook(path)["Data"]
    rows = list(sheet.iter_rows())
    assert [unescape(row[0].value) for row in rows] == AWKWARD
    assert {row[0].data_type for row in rows} == {"s"}
    assert [[c.value for c in row[1:]] for row in rows] == [[7, -2, 1.5]] * len(AWKWARD)
    # Our own reader (the importer's) decodes the escapes itself; it strips spaces, as imports do.
    reader = XlsxReader(path)
    assert [values[0] for _n, values in reader.rows("Data")] == [name.strip() for name in AWKWARD]
    # Every part is well-formed XML 1.0.
    from xml.dom.minidom import parseString

    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            parseString(archive.read(name))


def test_a_lone_surrogate_does_not_stop_the_file(tmp_path):
    path = tmp_path / "s.xlsx"
    write_workbook(path, [("Data", [["a\ud800b"]])])
    assert load_workbook(path)["Data"]["A1"].value == "a\ufffdb"


def test_sheet_names_are_made_valid_for_excel(tmp_path):
    names = sheet_names(["Data", "DATA", "", "a[b]:c*?/\\d", "'kutip'", "x" * 40, "x" * 40, "Catatan\x0b"])
    assert names == ["Data", "DATA (2)", "Sheet3", "a_b__c____d", "kutip", "x" * 31, "x" * 27 + " (2)", "Catatan_"]
    assert all(0 < len(n) <= SHEET_NAME_MAX for n in names)
    path = tmp_path / "sheets.xlsx"
    write_workbook(path, [('"Data" & <1>', [["a"]]), ("Kode", [["b"]]), ("kode", [["c"]]), ("a/b", [["d"]])])
    assert load_workbook(path).sheetnames == ['"Data" & <1>', "Kode", "kode (2)", "a_b"]


@pytest.mark.parametrize("value,written", [
    ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'), ("+1", "'+1"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tTab", "'\tTab"), ("\r=1", "'\r=1"), ("+6281234", "'+6281234"),
    # Left alone: the "no value" mark, ordinary text, and numbers written as numbers.
    ("-", "-"), ("Siti", "Siti"), (" =1", " =1"), ("a=b", "a=b"), ("", ""), (None, None), (-2, -2), (-1.5, -1.5),
])
def test_csv_cells_that_a_spreadsheet_would_run_are_prefixed(value, written):
    assert csv_cell(value) == written
    if isinstance(value, str):
        assert csv_value(written) == value


def test_csv_value_leaves_an_apostrophe_we_did_not_add():
    assert [csv_value(v) for v in ["'Ali", "'-", "''=1", "D'Arcy"]] == ["'Ali", "'-", "''=1", "D'Arcy"]


def test_the_csv_writer_applies_the_rule_to_every_row():
    text = io.StringIO()
    writer = csv_writer(text, lineterminator="\n")
    writer.writerow(["nama", "jumlah"])
    writer.writerows([["=1+1", -3], ["\tTab", 4], ["-", 0]])
    assert list(csv.reader(io.StringIO(text.getvalue()))) == [
        ["nama", "jumlah"], ["'=1+1", "-3"], ["'\tTab", "4"], ["-", "0"]]


def test_generated_files_have_no_shared_name_and_are_gone_when_closed(db, settings, tmp_path):
    # (db: closing a response sends request_finished, which looks at the database connection)
    settings.DATA_DIR = tmp_path / "data"
    responses = []

    def download(n):
        responses.append(file_download(lambda f: write_workbook(f, [("Data", [[n] * 10] * 20_000)]), f"{n}.xlsx"))

    threads = [threading.Thread(target=download, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for response in responses:
        body = b"".join(response.streaming_content)
        response.close()
        n = int(response["Content-Disposition"].split('"')[1].split(".")[0])
        rows = list(load_workbook(io.BytesIO(body), read_only=True)["Data"].iter_rows(values_only=True))
        assert len(rows) == 20_000 and set(rows) == {(n,) * 10}
    assert list(temporary_dir().iterdir()) == []
