"""A small streaming .xlsx writer: rows go straight into the zip, so memory stays flat.

openpyxl's write-only mode manages about 3,000 rows a second for a 32-column population sheet;
writing the sheet XML ourselves, with inline strings, does several times better. Cells are text
or numbers; that is all an export needs (dates are written as dd-mm-yyyy text, like the import
template).

Text goes through one rule, ``xml_text``: characters XML 1.0 cannot hold (control characters
other than tab and line feed) are written as ``_xHHHH_``, the escape of the OOXML ST_Xstring type
that Excel, LibreOffice and our reader (``core/xlsx_reader``) turn back into the character; a
carriage return is written so too, because an XML parser would read a literal one as a line feed;
and a literal ``_xHHHH_`` in the text gets its underscore escaped (``_x005F_xHHHH_``) so that it
reads back as itself. openpyxl reads the file without complaint but leaves these escapes as they
are (``openpyxl.utils.escape.unescape`` decodes them). Text cells are always typed as text
(``inlineStr``), so a name starting with ``=`` is never a formula in an .xlsx.

Sheet names go through ``sheet_names``: Excel refuses a workbook with an empty name, a name longer
than 31 characters, one with any of ``[]:*?/\\``, one that starts or ends with an apostrophe, or two
names equal but for case. Ours are chosen in the code (and translated), so rather than fail a
download over a translation, such a name is made safe: the characters become ``_``, the name is cut
to 31 characters, an empty one becomes "Sheet<n>" and a repeated one gets " (2)".
"""

import math
import re
import zipfile
from xml.sax.saxutils import escape

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"  # of an .xlsx file

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
{sheets}
</Types>"""
_SHEET_TYPE = ('<Override PartName="/xl/worksheets/sheet{n}.xml" '
               'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
_ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
_WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets>{sheets}</sheets></workbook>"""
_WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>"""
_SHEET_START = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
_SHEET_END = "</sheetData></worksheet>"
# A fixed timestamp for every zip entry: the same rows always give the same bytes.
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)


# Characters XML 1.0 cannot hold, and CR (a parser reads it as LF); a literal "_x" that looks like an
# escape; lone surrogates (not encodable as UTF-8).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)|[\ud800-\udfff]")
SHEET_NAME_MAX = 31
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\\x00-\x1f\ufffe\uffff\ud800-\udfff]")


def _ooxml_escape(match):
    char = match.group(0)
    if "\ud800" <= char <= "\udfff":
        return "\ufffd"
    return f"_x{ord(char):04X}_"


def xml_text(value):
    """Text as it goes between XML tags in a SpreadsheetML part (ST_Xstring), escaped as Excel expects."""
    if not value.isprintable() or "_x" in value:  # a quick test first: almost every cell needs nothing
        value = _NOT_XML.sub(_ooxml_escape, value)
    return escape(value)


def sheet_names(names):
    """The sheet names made valid for Excel, in order (see the module's docstring)."""
    result, taken = [], set()
    for number, name in enumerate(names, start=1):
        name = _SHEET_NAME_BAD.sub("_", str(name)).strip(" '")[:SHEET_NAME_MAX].rstrip(" '") or f"Sheet{number}"
        unique, n = name, 1
        while unique.casefold() in taken:
            n += 1
            suffix = f" ({n})"
            unique = name[:SHEET_NAME_MAX - len(suffix)].rstrip(" '") + suffix
        taken.add(unique.casefold())
        result.append(unique)
    return result


def _cell(value):
    if value is None or value == "":
        return "<c/>"
    if isinstance(value, bool):
        return f'<c t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int) or (isinstance(value, float) and math.isfinite(value)):
        return f"<c><v>{value}</v></c>"
    return f'<c t="inlineStr"><is><t xml:space="preserve">{xml_text(str(value))}</t></is></c>'


def _entry(name):
    info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def write_workbook(target, sheets):
    """Write ``sheets``, a list of (name, rows) where rows is an iterable of lists of cells.

    ``target`` is a path or a binary file open for writing. Sheet names are made valid by
    ``sheet_names``; text cells are escaped by ``xml_text``.
    """
    names = sheet_names([name for name, _rows in sheets])
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for number, (_name, rows) in enumerate(sheets, start=1):
            with archive.open(_entry(f"xl/worksheets/sheet{number}.xml"), "w") as f:
                f.write(_SHEET_START.encode())
                buffer = []
                for row in rows:
                    buffer.append("<row>" + "".join(_cell(v) for v in row) + "</row>")
                    if len(buffer) >= 1000:
                        f.write("".join(buffer).encode())
                        buffer.clear()
                f.write(("".join(buffer) + _SHEET_END).encode())
        count = len(sheets)
        archive.writestr(_entry("[Content_Types].xml"), _CONTENT_TYPES.format(
            sheets="\n".join(_SHEET_TYPE.format(n=n) for n in range(1, count + 1))))
        archive.writestr(_entry("_rels/.rels"), _ROOT_RELS)
        archive.writestr(_entry("xl/workbook.xml"), _WORKBOOK.format(sheets="".join(
            f'<sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="{n}" r:id="rId{n}"/>'
            for n, name in enumerate(names, start=1))))
        archive.writestr(_entry("xl/_rels/workbook.xml.rels"), _WORKBOOK_RELS.format(rels="".join(
            f'<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
            f'Target="worksheets/sheet{n}.xml"/>' for n in range(1, count + 1))))
