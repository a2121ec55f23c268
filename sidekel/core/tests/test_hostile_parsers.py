"""Hostile input to the parsers (hypothesis): NIK, KK, dates, spreadsheet cells.

Whatever a person types or a file holds, each parser gives a value or raises its documented error
type (``ValidationError``, ``ValueProblem``, ``SpreadsheetError``) with a message in Bahasa
Indonesia: never another exception.
"""

import datetime
import zipfile
from xml.sax.saxutils import escape

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sidekel.core import nik as nik_rules
from sidekel.core.forms import TanggalField
from sidekel.core.spreadsheet import SpreadsheetError, open_table
from sidekel.penduduk import formats
from sidekel.penduduk.choices import Agama, JenisKelamin, Pekerjaan

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
FILES = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                          HealthCheck.too_slow])

# What people put in a NIK box: digits with spaces, dots and dashes, other scripts' digits, junk.
digits = st.text(alphabet="0123456789", min_size=14, max_size=18)
typed_numbers = st.one_of(
    digits,
    st.text(alphabet="0123456789 .-'\t\n\u00a0\u200b", max_size=24),
    st.text(alphabet=st.characters(categories=["Nd"]), max_size=20),  # ١٢٣, ૧૨૩: digits, but not ASCII
    st.text(max_size=40),
    st.integers(min_value=-10**20, max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.none(),
)


def in_both_languages(call):
    """The error message of ``call`` in Indonesian and in English (the source text)."""
    messages = {}
    for language in ("id", "en"):
        with translation.override(language):
            try:
                call()
            except ValidationError as exc:
                messages[language] = " ".join(exc.messages)
            else:
                return None
    return messages


def assert_indonesian(messages):
    """Translated: the Indonesian message is not the English one, and not empty."""
    assert messages["id"] and messages["id"] != messages["en"], messages


@FAST
@given(typed_numbers)
def test_nik_parser_accepts_or_explains_in_indonesian(value):
    messages = in_both_languages(lambda: nik_rules.parse_nik(value))
    if messages is None:
        parts = nik_rules.parse_nik(value)
        assert len(parts.nik) == 16 and parts.nik.isascii() and parts.nik.isdigit()
        assert parts.jenis_kelamin in (nik_rules.LAKI_LAKI, nik_rules.PEREMPUAN)
        nik_rules.nik_warnings(parts.nik, jenis_kelamin=2, tanggal_lahir=datetime.date(1990, 1, 1), parts=parts)
    else:
        assert_indonesian(messages)


@FAST
@given(typed_numbers)
def test_kk_number_accepts_or_explains_in_indonesian(value):
    messages = in_both_languages(lambda: nik_rules.validate_nomor_kk(value))
    if messages is not None:
        assert_indonesian(messages)
    nik_rules.mask(nik_rules.normalize_number(value))


@FAST
@given(st.one_of(st.text(max_size=30), st.dates().map(lambda d: d.strftime("%d-%m-%Y")),
                 st.from_regex(r"\A\d{1,4}[-/.]\d{1,4}[-/.]\d{1,6}\Z")))
def test_typed_date_accepts_or_explains_in_indonesian(value):
    field = TanggalField(required=False)
    messages = in_both_languages(lambda: field.clean(value))
    if messages is None:
        assert field.clean(value) is None or isinstance(field.clean(value), datetime.date)
    else:
        assert_indonesian(messages)


cells = st.one_of(
    st.none(), st.text(max_size=30), st.integers(), st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
    st.dates(), st.datetimes(), st.from_regex(r"\A\d{1,3}[-/.]\d{1,3}[-/.]\d{4,6}\Z"),
    st.from_regex(r"\A\d{4,6}-\d{1,3}-\d{1,3}.{0,5}\Z"))


@FAST
@given(cells)
def test_spreadsheet_date_cell_is_a_date_or_a_value_problem(value):
    try:
        parsed = formats.parse_date(value)
    except formats.ValueProblem as exc:
        assert str(exc)  # the importer puts the cell's text into its Indonesian message
    else:
        assert parsed is None or isinstance(parsed, datetime.date)


@FAST
@given(cells, st.sampled_from([JenisKelamin, Agama, Pekerjaan]))
def test_spreadsheet_code_and_number_cells_never_raise_anything_else(value, choices):
    try:
        formats.parse_code(value, choices)
    except formats.ValueProblem:
        pass
    assert isinstance(formats.clean_number(value), str)
    assert isinstance(formats.clean_text(value), str)


# --- whole .xlsx and .csv files built from hostile cells ------------------------------------------

WORKBOOK = ('<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            '<sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>')
RELS = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="worksheet"/>'
        '<Relationship Id="rId2" Target="sharedStrings.xml" Type="sharedStrings"/></Relationships>')

column_refs = st.one_of(st.sampled_from(["A", "B", "Z", "AA", "XFD"]), st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                                                                               min_size=1, max_size=9))
raw_values = st.one_of(st.integers(-10**30, 10**30).map(str), st.floats().map(repr), st.text(max_size=12),
                       st.sampled_from(["", "1e999", "-0", "NaN", "99999999999", "1", "true", "2020-13-45", "#N/A"]))


@st.composite
def xml_cells(draw):
    ref = draw(column_refs) + str(draw(st.integers(1, 2**40)))
    kind = draw(st.sampled_from(["", "n", "s", "b", "d", "str", "e", "inlineStr", "x"]))
    style = draw(st.sampled_from(["", "0", "1", "99999"]))
    value = escape(draw(raw_values))
    attrs = f' r="{ref}"' + (f' s="{style}"' if style else "") + (f' t="{kind}"' if kind else "")
    if kind == "inlineStr":
        return f"<c{attrs}><is><t>{value}</t></is></c>"
    return f"<c{attrs}><v>{value}</v></c>"


def write_sheet(path, rows, shared):
    sheet = "".join(f'<row r="{n}">{"".join(cells)}</row>' for n, cells in rows)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", RELS)
        z.writestr("xl/sharedStrings.xml", "<sst>" + "".join(f"<si><t>{escape(s)}</t></si>" for s in shared) + "</sst>")
        z.writestr("xl/styles.xml", '<styleSheet><cellXfs><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>')
        z.writestr("xl/worksheets/sheet1.xml",
                   '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                   f"<sheetData>{sheet}</sheetData></worksheet>")


def read_all(path):
    """Every row of the file, or the SpreadsheetError it gives (whose message must be Indonesian)."""
    errors = {}
    for language in ("en", "id"):
        with translation.override(language):
            try:
                table = open_table(path)
                result = table.headers, list(table.rows)
            except SpreadsheetError as exc:
                errors[language] = result = exc
    if errors:
        assert str(errors["id"]) and str(errors["id"]) != str(errors["en"]), errors
    return result


@FILES
@given(rows=st.lists(st.tuples(st.integers(1, 2**31), st.lists(xml_cells(), max_size=6)), max_size=5),
       shared=st.lists(st.text(max_size=8), max_size=3))
def test_xlsx_cells_read_or_refuse_never_crash(tmp_path_factory, rows, shared):
    path = tmp_path_factory.mktemp("x") / "sel.xlsx"
    write_sheet(path, rows, shared)
    read_all(path)


@FILES
@given(st.binary(max_size=400), st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"nik;nama\n"]))
def test_csv_bytes_read_or_refuse_never_crash(tmp_path_factory, data, head):
    path = tmp_path_factory.mktemp("c") / "data.csv"
    path.write_bytes(head + data)
    read_all(path)


def test_a_cell_far_beyond_the_last_excel_column_is_refused_not_a_memory_error(tmp_path):
    path = tmp_path / "jauh.xlsx"
    write_sheet(path, [(1, ['<c r="A1" t="inlineStr"><is><t>nik</t></is></c>',
                            '<c r="ZZZZZZZZZ1"><v>1</v></c>'])], [])
    result = read_all(path)
    assert isinstance(result, SpreadsheetError)
    assert "rusak" in str(result)


def test_a_shared_string_index_out_of_range_is_refused_as_damage(tmp_path):
    path = tmp_path / "indeks.xlsx"
    write_sheet(path, [(1, ['<c r="A1" t="inlineStr"><is><t>nik</t></is></c>']), (2, ['<c r="A2" t="s"><v>7</v></c>'])],
                ["satu"])
    result = read_all(path)
    assert isinstance(result, SpreadsheetError)
    assert "rusak" in str(result)


@pytest.mark.parametrize("raw", ["abc", "-1", "1.5"])
def test_a_shared_string_index_that_is_not_a_number_is_refused_as_damage(tmp_path, raw):
    path = tmp_path / "indeks.xlsx"
    write_sheet(path, [(1, ['<c r="A1" t="inlineStr"><is><t>nik</t></is></c>']),
                       (2, [f'<c r="A2" t="s"><v>{raw}</v></c>'])], ["satu", "dua"])
    result = read_all(path)
    assert isinstance(result, SpreadsheetError)
