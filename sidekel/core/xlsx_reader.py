"""A streaming .xlsx reader: one row at a time, so a million-row sheet needs little memory.

python-calamine reads .xlsx fast but holds the whole sheet in memory (about 3 GB for a million
rows of 43 columns). This reader decompresses the sheet's XML in chunks and picks the cells out
with regular expressions, which run in C; only the shared strings (text typed in Excel) stay in
memory, packed into one string.

What it understands of the format (ECMA-376 SpreadsheetML, as Excel, LibreOffice, Google Sheets,
openpyxl and our own writer produce it): shared, inline and formula strings; numbers; booleans;
errors (read as their text, e.g. ``#N/A``); ISO dates (``t="d"``); numbers in a date format
(built-in or custom, 1900 or 1904 date system); rows and cells with or without their ``r``
reference; a namespace prefix on every element.

``rows(sheet)`` yields ``(row_number, values)``: row_number as the spreadsheet shows it, values
a list of str (stripped; empty becomes None), int, float, bool, date, datetime or None.
"""

import codecs
import datetime
import re
import zipfile
from array import array
from html import unescape
from posixpath import join, normpath

CHUNK = 1 << 20
MAX_CELL_CHARS = 32_767  # what a cell of Excel or LibreOffice holds


class CellTooLarge(ValueError):
    """A cell longer than any spreadsheet program writes: not a table to import."""

    def __init__(self, size):
        super().__init__(f"a cell of {size} characters")
        self.size = size


class FormulaWithoutValue(ValueError):
    """A formula cell without its saved result (written by a program, not opened in Excel since):
    its value cannot be read."""


MAX_COLUMNS = 16384  # Excel's last column is XFD; a reference beyond it is damage (or an attack on memory)

_ATTR = re.compile(r'([\w:]+)\s*=\s*"([^"]*)"')
_ESCAPED_CHAR = re.compile(r"_x([0-9A-Fa-f]{4})_")
# Built-in number formats that show a date or time (ECMA-376 18.8.30, and the East Asian ones).
_DATE_FORMAT_IDS = set(range(14, 23)) | set(range(27, 37)) | set(range(45, 48)) | set(range(50, 59))
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')


def _text(raw):
    if "&" in raw:
        raw = unescape(raw)
    if "_x" in raw:
        raw = _ESCAPED_CHAR.sub(lambda m: chr(int(m.group(1), 16)), raw)
    return raw


def _is_date_format(code):
    code = _QUOTED.sub("", code).lower()
    return any(ch in code for ch in "dmyhs") and "general" not in code


class SharedStrings:
    """The workbook's shared strings, packed into one str with an array of offsets."""

    def __init__(self, archive, part, prefix):
        t = re.compile(rf"<{prefix}t(?:\s[^>]*)?>([^<]*)</{prefix}t>")
        phonetic = re.compile(rf"<{prefix}rPh\b.*?</{prefix}rPh>", re.S)
        item = re.compile(rf"<{prefix}si>(.*?)</{prefix}si>|<{prefix}si\s*/>", re.S)
        parts, offsets, end = [], array("Q", [0]), 0
        for chunk in _chunks(archive, part, f"</{prefix}si>"):
            for inner in item.findall(chunk):
                if "rPh" in inner:
                    inner = phonetic.sub("", inner)
                value = _text("".join(t.findall(inner)))
                if len(value) > MAX_CELL_CHARS:
                    raise CellTooLarge(len(value))
                parts.append(value)
                end += len(value)
                offsets.append(end)
        self.text = "".join(parts)
        self.offsets = offsets

    def __getitem__(self, index):
        return self.text[self.offsets[index]:self.offsets[index + 1]]

    def __len__(self):
        return len(self.offsets) - 1


class XlsxReader:
    def __init__(self, path):
        self.zip = zipfile.ZipFile(path)
        names = set(self.zip.namelist())
        workbook = self.zip.read("xl/workbook.xml").decode("utf-8", "replace")
        self.prefix = _prefix(workbook, "workbook")
        self.date1904 = bool(re.search(r'date1904\s*=\s*"(?:1|true)"', workbook))
        rels = {}
        if "xl/_rels/workbook.xml.rels" in names:
            for attrs in re.findall(r"<(?:\w+:)?Relationship\b([^>]*)>", self.zip.read("xl/_rels/workbook.xml.rels").decode()):
                a = dict(_ATTR.findall(attrs))
                target = a.get("Target", "")
                target = target.lstrip("/") if target.startswith("/") else normpath(join("xl", target))
                rels[a.get("Id")] = target
        self.sheets = {}
        for n, attrs in enumerate(re.findall(rf"<{self.prefix}sheet\b([^>]*)>", workbook), start=1):
            a = dict(_ATTR.findall(attrs))
            rid = next((v for k, v in a.items() if k.endswith(":id")), None)
            part = rels.get(rid) or f"xl/worksheets/sheet{n}.xml"
            if part in names:
                self.sheets[_text(a.get("name", f"Sheet{n}"))] = part
        shared = next((p for p in rels.values() if p.endswith("sharedStrings.xml")), "xl/sharedStrings.xml")
        self.shared = SharedStrings(self.zip, shared, self.prefix) if shared in names else []
        styles = next((p for p in rels.values() if p.endswith("styles.xml")), "xl/styles.xml")
        self._columns = {}
        self.date_styles = self._date_styles(self.zip.read(styles).decode("utf-8")) if styles in names else set()

    @property
    def sheet_names(self):
        return list(self.sheets)

    def close(self):
        self.zip.close()

    def _date_styles(self, xml):
        p = self.prefix
        custom = {int(a["numFmtId"]): a.get("formatCode", "") for a in
                  (dict(_ATTR.findall(attrs)) for attrs in re.findall(rf"<{p}numFmt\b([^>]*)>", xml)) if "numFmtId" in a}
        xfs = re.search(rf"<{p}cellXfs\b[^>]*>(.*?)</{p}cellXfs>", xml, re.S)
        dates = set()
        for index, attrs in enumerate(re.findall(rf"<{p}xf\b([^>]*)>", xfs.group(1) if xfs else "")):
            fmt = int(dict(_ATTR.findall(attrs)).get("numFmtId", 0))
            if fmt in custom:
                if _is_date_format(_text(custom[fmt])):
                    dates.add(str(index))
            elif fmt in _DATE_FORMAT_IDS:
                dates.add(str(index))
        return dates

    def _date(self, serial):
        if self.date1904:
            serial += 1462
        if not 0 <= serial < 2958466:
            return serial
        days = int(serial)
        base = datetime.datetime(1899, 12, 30) + datetime.timedelta(days=days)
        seconds = round((serial - days) * 86400)
        return base.date() if seconds == 0 else base + datetime.timedelta(seconds=seconds)

    def rows(self, sheet, parsed=None):
        """(row_number, values) for every row that has a cell, in order.

        ``parsed``: a test of each row's index (0, 1, ... over the rows with cells): the cells of a
        row it refuses are not read, and the row comes as (row_number, None). Every row with cells
        then comes once, even one whose cells are all empty, so that readers with different tests
        count the same rows."""
        p = self.prefix
        # The common shape of a cell, as Excel, LibreOffice and openpyxl write it, in one
        # pattern: reference, style and type attributes, an optional formula, then the value
        # or an inline string. The possessive quantifiers (++, *+, ?+) never give back what they
        # took, which no match here needs (each part stops where the next cannot start): the
        # same matches, with no backtracking to try first.
        fast = re.compile(
            rf'<{p}c(?: r="([A-Z]+)\d++")?+(?: s="(\d++)")?+(?: t="(\w++)")?+(?: s="(\d++)")?+'
            rf'(?: (?![rst]=)[\w:]+="[^"]*+")*+\s*+'
            rf'(?:/>|>(?:<{p}f\b[^>]*?/>|<{p}f\b[^>]*>[^<]*</{p}f>)?'
            rf'(?:<{p}v>([^<]*+)</{p}v>|<{p}v\s*/>|<{p}is><{p}t(?: xml:space="preserve")?>([^<]*+)</{p}t></{p}is>'
            rf'|<{p}is>(.*?)</{p}is>)?'
            rf'</{p}c>)', re.S)
        # Anything else (attributes in another order, stray whitespace): slower, but general.
        general = re.compile(
            rf'<{p}c((?:\s+(?:r="([A-Z]*)\d*"|s="(\d*)"|t="(\w*)"|[\w:]+="[^"]*"))*)\s*(?:/>|>(.*?)</{p}c>)', re.S)
        cell_start, cell_tags = f"<{p}c", (f"<{p}c ", f"<{p}c>", f"<{p}c/>")
        formula_end = f"</{p}f>"
        formula_without_value = re.compile(rf"</{p}f>\s*(?:<{p}v\s*/>|<{p}v>\s*</{p}v>)?\s*</{p}c>")
        row_number_re = re.compile(r'\br="(\d+)"')
        row_open, end_tag = f"<{p}row", f"</{p}row>"
        number = 0
        index = -1
        for chunk in _chunks(self.zip, self.sheets[sheet], end_tag):
            pieces = chunk.split(end_tag)
            for piece in pieces:
                start = piece.find(row_open)
                if start < 0:
                    continue
                if piece.count(row_open) > 1:  # empty rows (<row/>) before this one
                    for attrs in re.findall(rf"{row_open}\b([^>]*?)/>", piece):
                        m = row_number_re.search(attrs)
                        number = int(m.group(1)) if m else number + 1
                    start = piece.rfind(row_open)
                close = piece.find(">", start)
                if piece[close - 1] == "/":
                    continue  # an empty row at the end of the piece, counted above
                m = row_number_re.search(piece, start, close)
                number = int(m.group(1)) if m else number + 1
                if parsed is not None:
                    index += 1
                    if not parsed(index):
                        yield number, None
                        continue
                body = piece[close + 1:]
                if formula_end in body and formula_without_value.search(body):
                    raise FormulaWithoutValue(f"row {number}")
                cells = fast.findall(body)
                # Every cell matched? Each match starts with "<c", so when there are as many "<c"
                # as matches, yes; else (rich text has <color>) count the cell tags themselves.
                if len(cells) != body.count(cell_start) and len(cells) != sum(body.count(tag) for tag in cell_tags):
                    cells = [self._general_cell(*c) for c in general.findall(body)]
                values = self._values(cells)
                if values or parsed is not None:
                    yield number, values

    def _general_cell(self, _attrs, ref, style, kind, inner):
        """A cell the general pattern found, in the shape the fast pattern gives."""
        p = self.prefix
        value = re.search(rf"<{p}v>([^<]*)</{p}v>", inner) if kind != "inlineStr" else None
        rich = re.search(rf"<{p}is>(.*?)</{p}is>", inner, re.S) if kind == "inlineStr" else None
        return ref, style, kind, "", value.group(1) if value else "", "", rich.group(1) if rich else ""

    def _values(self, cells):
        """The row's values from its cells (ref, style, kind, style, value, inline, rich inline)."""
        values = []
        columns, shared, date_styles = self._columns, self.shared, self.date_styles
        for ref, style, kind, style2, raw, inline, rich in cells:
            if ref:
                col = columns.get(ref)
                if col is None:
                    col = columns[ref] = _column_index(ref)
                    if col >= MAX_COLUMNS:
                        raise ValueError(f"cell {ref} is beyond the last column")
                if col > len(values):
                    values.extend([None] * (col - len(values)))
            if kind == "inlineStr":
                if rich:
                    inline = self._rich_text(rich)
                elif "&" in inline or "_x" in inline:
                    inline = _text(inline)
                if len(inline) > MAX_CELL_CHARS:
                    raise CellTooLarge(len(inline))
                values.append(inline.strip() or None)
            elif not raw:
                values.append(None)
            elif not kind or kind == "n":
                try:
                    value = int(raw)
                except ValueError:
                    try:
                        value = float(raw)
                    except ValueError:
                        value = None
                    else:
                        if value.is_integer() and abs(value) < 2**53:
                            value = int(value)
                if value is not None and (style in date_styles or style2 in date_styles):
                    value = self._date(value)
                values.append(value)
            elif kind == "s":
                index = int(raw)
                if not 0 <= index < len(shared):
                    raise IndexError(f"shared string {index} of {len(shared)}")
                values.append(shared[index].strip() or None)
            elif kind == "b":
                values.append(raw.strip() in ("1", "true"))
            elif kind == "d":
                values.append(_iso_date(raw))
            else:  # str (a formula's text) and e (an error such as #N/A)
                values.append(_text(raw).strip() or None)
        while values and values[-1] is None:
            values.pop()
        return values

    def _rich_text(self, inner):
        p = self.prefix
        inner = re.sub(rf"<{p}rPh\b.*?</{p}rPh>", "", inner, flags=re.S)
        return _text("".join(re.findall(rf"<{p}t(?:\s[^>]*)?>([^<]*)</{p}t>", inner)))


def _chunks(archive, part, end_tag):
    """The part's text in pieces of about a megabyte, each ending just after ``end_tag``."""
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    rest = ""
    with archive.open(part) as f:
        while True:
            data = f.read(CHUNK)
            text = rest + decoder.decode(data, final=not data)
            if not data:
                if text:
                    yield text
                return
            cut = text.rfind(end_tag)
            if cut < 0:
                rest = text
                continue
            cut += len(end_tag)
            yield text[:cut]
            rest = text[cut:]


def _prefix(xml, root):
    m = re.search(rf"<(\w+:)?{root}\b", xml)
    return m.group(1) or "" if m else ""


def _column_index(letters):
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


def _iso_date(raw):
    try:
        value = datetime.datetime.fromisoformat(raw.strip().rstrip("Z"))
    except ValueError:
        return raw.strip() or None
    return value.date() if value.time() == datetime.time() else value
