"""A letter as PDF (fpdf2): letterhead, title and number, body, signature block, QR code.

Everything printed comes from what was frozen on the letter at signing (``Surat.teks`` and
``Surat.cetak``), so a later change of kepala desa, body or letterhead changes no old letter. The
QR code holds the verification address ``/v/<token>/``. Text is plain (no markup is read from
it): a resident's name with ``<`` or ``&`` prints as written.
"""

import io

import segno
from django.core.files.storage import default_storage
from fpdf import FPDF

from .placeholders import tanggal_id

KERTAS = {"A4": (210, 297), "F4": (215, 330)}


def latin1(value):
    return str(value).encode("latin-1", "replace").decode("latin-1")


def render(surat, verify_url):
    """The PDF bytes of an issued letter."""
    cetak = surat.cetak
    pdf = FPDF(orientation="P", unit="mm", format=KERTAS.get(cetak.get("kertas"), KERTAS["A4"]))
    pdf.set_creator("Sidekel")
    pdf.set_title(latin1(f"{cetak.get('judul', '')} {surat.nomor}"))
    pdf.set_margins(20, 15, 20)
    pdf.set_auto_page_break(True, 20)
    pdf.add_page()
    width = pdf.w - 40
    logo = cetak.get("logo")
    if logo and default_storage.exists(logo):
        try:
            with default_storage.open(logo) as handle:
                pdf.image(io.BytesIO(handle.read()), x=20, y=14, h=22)
        except Exception:  # a broken logo file never stops a letter
            pass
    pdf.set_font("Helvetica", "B", 12)
    for line in cetak.get("kop", []):
        pdf.cell(width, 6, latin1(line), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=9)
    if cetak.get("alamat"):
        pdf.cell(width, 5, latin1(cetak["alamat"]), align="C", new_x="LMARGIN", new_y="NEXT")
    y = max(pdf.get_y() + 2, 40)
    pdf.set_line_width(0.8)
    pdf.line(20, y, pdf.w - 20, y)
    pdf.set_line_width(0.2)
    pdf.set_y(y + 6)
    pdf.set_font("Helvetica", "BU", 12)
    pdf.cell(width, 6, latin1(cetak.get("judul", "")), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    pdf.cell(width, 6, latin1(f"Nomor: {surat.nomor}"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.multi_cell(width, 6, latin1(surat.teks), new_x="LMARGIN", new_y="NEXT", markdown=False)
    pdf.ln(8)
    if pdf.get_y() > pdf.h - 75:
        pdf.add_page()
    top = pdf.get_y()
    x = pdf.w - 20 - 75
    pdf.set_xy(x, top)
    for line in (f"{cetak.get('tempat', '')}, {tanggal_id(surat.tanggal)}", cetak.get("jabatan", "")):
        pdf.set_x(x)
        pdf.multi_cell(75, 6, latin1(line), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_xy(x, pdf.get_y() + 22)
    pdf.set_font("Helvetica", "BU", 11)
    pdf.multi_cell(75, 6, latin1(cetak.get("penandatangan", "")), align="C", new_x="LMARGIN", new_y="NEXT")
    qr = io.BytesIO()
    segno.make(verify_url, error="m").save(qr, kind="png", scale=4, border=2)
    qr.seek(0)
    pdf.image(qr, x=20, y=top, w=32, h=32)
    pdf.set_font("Helvetica", size=7)
    pdf.set_xy(20, top + 33)
    pdf.multi_cell(60, 3.5, latin1(f"Periksa keaslian surat: pindai kode QR atau buka {verify_url}"),
                   new_x="LMARGIN", new_y="NEXT")
    if surat.berlaku_sampai:
        pdf.set_x(20)
        pdf.cell(60, 4, latin1(f"Berlaku sampai {tanggal_id(surat.berlaku_sampai)}"))
    return bytes(pdf.output())
