"""The guide as a PDF, from the same Markdown and the same renderer as the pages at /bantuan/
(portal.markup), drawn by fpdf2's HTML writer on A4 with the screenshots.

``sidekel panduan --pdf OUT`` (and ``make docs``) writes it to a file. In the product it is made
once per version of the guide by a worker job (``cached()`` names the file), the first time a
logged-in user asks for it; after that anyone downloads the stored file.
"""

import re
import shutil
import uuid
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy

from sidekel.core import jobs
from sidekel.portal import markup

from . import guide

JOB_KIND = "panduan-pdf"
TITLE = "Panduan Operator Sidekel"
MARGIN = 15  # mm
# Helvetica covers Latin-1 only: the few other characters of the texts, said in Latin-1.
PLAIN = str.maketrans({"…": "...", "›": ">", "→": "->", "←": "<-", "‘": "'", "’": "'", "“": '"', "”": '"',
                       "–": "-", "—": "-", "×": "x", "≥": ">=", "≤": "<="})


def latin1(text):
    return text.translate(PLAIN).encode("latin-1", "replace").decode("latin-1")


def _document():
    """(fpdf2's document with the guide's footer, the heading styles). fpdf2 is imported here, when a
    PDF is made, not by every process that sets Django up (this module declares a job: every
    process imports it)."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace, TextStyle

    class PanduanPDF(FPDF):
        def footer(self):
            if self.page_no() == 1:
                return
            self.set_y(-10)
            self.set_font("Helvetica", size=8)
            self.set_text_color(90)
            self.cell(0, 5, latin1(f"{TITLE} · halaman {self.page_no()} dari {{nb}}"), align="C")
            self.set_text_color(0)

    styles = {
        "h1": TextStyle(font_family="Helvetica", font_style="B", font_size_pt=18, t_margin=4, b_margin=4),
        "h2": TextStyle(font_family="Helvetica", font_style="B", font_size_pt=13, t_margin=5, b_margin=2),
        "h3": TextStyle(font_family="Helvetica", font_style="B", font_size_pt=11, t_margin=3, b_margin=1),
        "code": FontFace(family="Courier"),
    }
    return PanduanPDF(format="A4"), styles


def _for_pdf(html, width_pt):
    """The page's HTML as fpdf2 draws it: a figure is its image across the text width and its
    caption in italics."""
    html = html.replace("<figure>", "").replace("</figure>", "")
    html = re.sub(r'<img src="([^"]+)" alt="[^"]*" loading="lazy">', rf'<img src="\1" width="{width_pt:.0f}"><br>', html)
    html = re.sub(r"<figcaption>(.*?)</figcaption>", r'<p><font size="9" color="#555555"><i>\1</i></font></p>', html)
    return latin1(html)


def write(target):
    """Write the whole guide as a PDF to ``target`` (a path); returns its number of pages."""
    pdf, styles = _document()
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=MARGIN)
    pdf.set_title(TITLE)
    pdf.set_creator("Sidekel")
    pdf.set_font("Helvetica", size=10)
    width_pt = (pdf.w - 2 * MARGIN) * pdf.k
    image_path = {guide.image_url(name): str(guide.IMAGES / name) for s in guide.sections() for name in s.images()}

    pdf.add_page()
    pdf.set_font("Helvetica", "B", 24)
    pdf.ln(40)
    pdf.cell(0, 12, TITLE, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, latin1("Untuk operator desa dan kelurahan: pekerjaan sehari-hari di Sidekel, langkah demi "
                                "langkah, dengan gambar layar yang sebenarnya. Versi yang selalu terbaru ada di "
                                "menu Bantuan di setiap halaman."))
    pdf.ln(6)
    pdf.set_font("Helvetica", "B", 13)
    pdf.cell(0, 8, "Isi", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    for s in guide.sections():
        pdf.cell(0, 7, latin1(f"{s.number}. {s.title}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=8)
    pdf.ln(4)
    pdf.cell(0, 5, f"Versi {guide.version()}", new_x="LMARGIN", new_y="NEXT")

    for s in guide.sections():
        pdf.add_page()
        pdf.set_font("Helvetica", size=10)
        html = f"<h1>{s.number}. {s.title}</h1>" + str(s.html())
        pdf.write_html(_for_pdf(html, width_pt), image_map=lambda src: image_path.get(src, src),
                       tag_styles=styles, warn_on_tags_not_matching=False)
    pdf.output(str(target))
    return pdf.page_no()


# --- made once by the worker, kept under the data folder --------------------------------------------

def cached():
    """Where the PDF of this version of the guide is kept (it may not exist yet)."""
    return Path(settings.DATA_DIR) / "panduan" / f"panduan-{guide.version()}.pdf"


def filename():
    return "panduan-operator-sidekel.pdf"


def may_download(user, job):
    """The guide holds no personal data: anyone who asked for it may have it."""


@jobs.kind(JOB_KIND, again=gettext_lazy("Make the PDF again."), may_download=may_download,
           content_type="application/pdf")
def pdf_work(job, progress, cancelled):
    """Write the guide's PDF where every later request finds it, and a copy for this job's page."""
    progress("write", 0, 1)
    target = cached()
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(f"{target.stem}.{uuid.uuid4().hex}.part")
    try:
        pages = write(part)
        part.replace(target)
    finally:
        part.unlink(missing_ok=True)
    shutil.copyfile(target, jobs.jobs_dir() / job.stored_file)
    progress("write", 1, 1)
    return {"pages": pages}
