"""Printable books: a PDF on A4 or F4 paper, landscape, with the village header and signatures.

fpdf2 is pure Python (no system libraries, no fonts to download). Text is drawn with
``FPDF.text`` and the grid with lines, not with ``cell``/``table``: that is what keeps a
10,000-row Buku Induk well under the 20 seconds the kecamatan asked for (see bench/buku.py).
The built-in Helvetica covers Latin-1, which is enough for names in Indonesia; any other
character is printed as "?".
"""

from fpdf import FPDF
from fpdf.util import escape_parens

KERTAS = {"A4": (210, 297), "F4": (215, 330)}  # width x height in mm, portrait
MARGIN = 10
FONT = 6.5  # points, table text
HEAD = 5.5  # points, column headers
LINE = 2.9  # mm between lines of a cell
PAD = 0.6


def latin1(value):
    return str(value).encode("latin-1", "replace").decode("latin-1")


class BukuPDF(FPDF):
    def __init__(self, kertas="A4"):
        height, width = KERTAS.get(kertas, KERTAS["A4"])
        super().__init__(orientation="L", unit="mm", format=(height, width))
        self.set_auto_page_break(False)
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_creator("Sidekel")
        self.footer_text = ""

    def texts(self, items):
        """Draw many (x, y, text) in the current font in one text object. Same output as calling
        ``text`` for each, at a fraction of the cost (``text`` re-checks the whole state per call)."""
        if not items:
            return
        x, y, first = items[0]
        self.text(x, y, first)  # also puts the font on the page when needed
        k, h = self.k, self.h
        self._out("BT " + " ".join(f"1 0 0 1 {x * k:.2f} {(h - y) * k:.2f} Tm ({escape_parens(t)}) Tj"
                                   for x, y, t in items[1:]) + " ET")

    def footer(self):
        self.set_font("Helvetica", size=7)
        self.set_text_color(90)
        self.text(MARGIN, self.h - 5, latin1(self.footer_text))
        # A cell (not text) so that fpdf2 replaces {nb} with the number of pages at the end.
        self.set_xy(self.w - MARGIN - 40, self.h - 8)
        self.cell(40, 4, f"Halaman {self.page_no()} dari {{nb}}", align="R")
        self.set_text_color(0)


def text_width(pdf):
    """A function giving the width in mm of a (Latin-1) text in the current font. fpdf2's own
    ``get_string_width`` copies the graphics state on every call: far too slow for 200,000 cells."""
    factor = pdf.font_size_pt * 0.001 / pdf.k
    widths = {chr(i): pdf.current_font.cw.get(chr(i), 600) * factor for i in range(256)}
    return lambda text: sum(map(widths.__getitem__, text))


def _wrap(measure, text, width):
    """The text cut into lines that fit ``width`` mm (a long word is cut where it must)."""
    text = latin1(text)
    if measure(text) <= width:
        return [text]
    lines, current = [], ""
    for word in text.split():
        trial = f"{current} {word}" if current else word
        if measure(trial) <= width:
            current = trial
            continue
        if current:
            lines.append(current)
        while measure(word) > width and len(word) > 1:
            cut = len(word) - 1
            while cut > 1 and measure(word[:cut]) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines or [""]


def render(target, *, kop, judul, periode, kolom, rows, grup=(), tanda_tangan=None, kertas="A4", progress=None,
           total=None):
    """Write the book to ``target`` (a path or file object).

    ``kop``: header lines (government, kecamatan, village); ``kolom``: (header, relative width);
    ``rows``: an iterable of lists of cells; ``grup``: optional (label, number of columns) over
    the headers; ``tanda_tangan``: (left lines, right lines) printed after the table;
    ``progress(done, total)`` is called every 500 rows.
    """
    pdf = BukuPDF(kertas)
    pdf.footer_text = f"{judul} - {periode}"
    usable = pdf.w - 2 * MARGIN
    scale = usable / sum(w for _h, w in kolom)
    widths = [w * scale for _h, w in kolom]
    xs = [MARGIN]
    for w in widths:
        xs.append(xs[-1] + w)
    bottom = pdf.h - MARGIN - 4

    def header_rows():
        pdf.set_font("Helvetica", "B", HEAD)
        y = pdf.get_y()
        if grup:
            x, col = MARGIN, 0
            for label, span in grup:
                w = sum(widths[col:col + span])
                if label:
                    pdf.rect(x, y, w, LINE + 1.2)
                    pdf.text(x + (w - pdf.get_string_width(latin1(label))) / 2, y + LINE, latin1(label))
                x, col = x + w, col + span
            y += LINE + 1.2
        bold = text_width(pdf)
        cells = [_wrap(bold, h, w - 2 * PAD) for (h, _w), w in zip(kolom, widths)]
        height = max(len(c) for c in cells) * LINE + 1.2
        for x, w, lines in zip(xs, widths, cells):
            pdf.rect(x, y, w, height)
            for i, line in enumerate(lines):
                pdf.text(x + PAD, y + LINE * (i + 1), line)
        y += height
        # The column numbers, as in the Lampiran.
        pdf.set_font("Helvetica", "", HEAD)
        for n, (x, w) in enumerate(zip(xs, widths), start=1):
            pdf.rect(x, y, w, LINE)
            pdf.text(x + (w - pdf.get_string_width(str(n))) / 2, y + LINE - 0.7, str(n))
        pdf.set_font("Helvetica", "", FONT)
        pdf.set_y(y + LINE)

    def new_page(first=False):
        pdf.add_page()
        if first:
            pdf.set_font("Helvetica", "B", 10)
            for line in kop:
                pdf.cell(0, 4.5, latin1(line.upper()), align="C", new_x="LMARGIN", new_y="NEXT")
            pdf.line(MARGIN, pdf.get_y() + 1, pdf.w - MARGIN, pdf.get_y() + 1)
            pdf.ln(3)
            pdf.set_font("Helvetica", "B", 11)
            pdf.cell(0, 5, latin1(judul.upper()), align="C", new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("Helvetica", "", 9)
            pdf.cell(0, 5, latin1(periode), align="C", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        header_rows()

    new_page(first=True)
    measure = text_width(pdf)  # the table's font, set by header_rows
    y = top = pdf.get_y()

    def column_lines():  # the vertical lines of the rows on this page, drawn once
        for x in xs:
            pdf.line(x, top, x, y)

    done = 0
    for row in rows:
        cells = [_wrap(measure, "" if v is None else v, w - 2 * PAD) for v, w in zip(row, widths)]
        height = max(len(c) for c in cells) * LINE + 0.9
        if y + height > bottom:
            column_lines()
            new_page()
            y = top = pdf.get_y()
        pdf.texts([(x + PAD, y + LINE * (i + 1) - 0.2, line)
                   for x, lines in zip(xs, cells) for i, line in enumerate(lines) if line])
        pdf.line(MARGIN, y + height, xs[-1], y + height)
        y += height
        done += 1
        if progress and done % 500 == 0:
            progress(done, total)
    column_lines()
    if done == 0:
        pdf.text(MARGIN + PAD, y + LINE, latin1("(tidak ada data)"))
        y += LINE + 1
    if tanda_tangan:
        left, right = tanda_tangan
        needed = 6 + max(len(left), len(right)) * 4.5 + 18
        if y + needed > bottom:
            pdf.add_page()
            y = MARGIN
        pdf.set_font("Helvetica", "", 9)
        y += 6
        for block, x in ((left, MARGIN + 10), (right, pdf.w - MARGIN - 90)):
            yy = y
            for line in block:
                if line is None:  # room for the signature
                    yy += 16
                    continue
                pdf.text(x, yy + 4, latin1(line))
                yy += 4.5
    if progress:
        progress(done, total)
    if hasattr(target, "write"):
        target.write(pdf.output())
    else:
        pdf.output(str(target))
    return pdf.page_no()
