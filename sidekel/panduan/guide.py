"""The operator's guide (Panduan operator): Markdown files in ``teks/``, one per section, in the
order of ``SECTIONS``; their screenshots in ``static/panduan/gambar/`` are taken by the browser
test ``tests/test_browser_panduan.py`` on demo-like data (``make docs`` runs it again).

The same text is shown at /bantuan/ (rendered by portal.markup, as /privasi/ is) and printed as a
PDF (``pdf.py``). ``SECTION_OF`` says which section the "Bantuan" link of each page opens.
"""

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.templatetags.static import static

from sidekel.portal import markup

HERE = Path(__file__).resolve().parent
TEXTS = HERE / "teks"
IMAGES = HERE / "static" / "panduan" / "gambar"

# (slug, file in teks/): the guide's order.
SECTIONS = [
    ("masuk", "01-masuk.md"),
    ("penduduk", "02-penduduk.md"),
    ("keluarga", "03-keluarga.md"),
    ("peristiwa", "04-peristiwa.md"),
    ("impor", "05-impor.md"),
    ("ekspor", "06-ekspor.md"),
    ("wilayah", "07-wilayah.md"),
    ("rekap", "08-rekap.md"),
    ("dasbor", "09-dasbor.md"),
    ("ditolak", "10-ditolak.md"),
    ("surat", "11-surat.md"),
]

# The section the "Bantuan" link opens, by the page's URL name ("app:name", or "app:*" for every
# page of an app). A page not named here opens the contents.
SECTION_OF = {
    "akun:login": "masuk",
    "penduduk:beranda-petugas": "masuk",
    "penduduk:desa-list": "dasbor",
    "penduduk:desa-detail": "dasbor",
    "penduduk:desa-kualitas": "ditolak",
    "penduduk:list": "penduduk",
    "penduduk:tambah": "penduduk",
    "penduduk:detail": "penduduk",
    "penduduk:ubah": "penduduk",
    "penduduk:hapus": "penduduk",
    "penduduk:identitas": "penduduk",
    "penduduk:kembalikan": "penduduk",
    "penduduk:terhapus": "penduduk",
    "penduduk:pulihkan": "penduduk",
    "penduduk:kematian": "peristiwa",
    "penduduk:pindah-keluar": "peristiwa",
    "penduduk:pindah-datang": "peristiwa",
    "penduduk:peristiwa-batal": "peristiwa",
    "penduduk:keluarga-kelahiran": "peristiwa",
    "penduduk:kk-baru": "keluarga",
    "penduduk:masuk-kk": "keluarga",
    "penduduk:keluarga": "keluarga",
    "penduduk:keluarga-pisah": "keluarga",
    "penduduk:keluarga-pindah-datang": "keluarga",
    "penduduk:keluarga-identitas": "keluarga",
    "penduduk:keluarga-anggota": "keluarga",
    "penduduk:keluarga-kepala": "keluarga",
    "penduduk:keluarga-nomor-kk": "keluarga",
    "penduduk:ekspor": "ekspor",
    "jobs:unduhan": "ekspor",
    "penduduk:impor": "impor",
    "penduduk:impor-detail": "impor",
    "penduduk:impor-templat": "impor",
    "penduduk:impor-laporan": "impor",
    "penduduk:impor-ditolak": "impor",
    "penduduk:wilayah": "wilayah",
    "penduduk:wilayah-unit": "wilayah",
    "penduduk:wilayah-ganti-nama": "wilayah",
    "penduduk:wilayah-gabung": "wilayah",
    "penduduk:wilayah-hapus": "wilayah",
    "wilayah:profil": "wilayah",
    "buku:*": "rekap",
    **{f"layanan:{name}": "surat" for name in (
        "index", "buat", "placeholders", "agenda", "detail", "tandatangani", "cabut", "koreksi", "hapus", "pdf",
        "permohonan", "permohonan-proses", "permohonan-tolak", "pin", "pin-penduduk")},
    "statistik:*": "dasbor",
}


@dataclass(frozen=True)
class Section:
    slug: str
    number: int
    title: str
    text: str  # the Markdown, without its "# " title line

    def html(self):
        return markup.document(self.text, image_url=image_url)

    def images(self):
        return markup.images(self.text)


def image_url(name):
    return static(f"panduan/gambar/{name}")


@cache
def sections():
    """Every Section, in order. The first line of each file is its "# " title."""
    found = []
    for number, (slug, filename) in enumerate(SECTIONS, start=1):
        title, _sep, text = (TEXTS / filename).read_text("utf-8").partition("\n")
        found.append(Section(slug, number, title.removeprefix("# ").strip(), text))
    return found


def section(slug):
    return next((s for s in sections() if s.slug == slug), None)


def section_for(view_name):
    """The slug of the section about the page ``view_name`` ("penduduk:detail"), or None."""
    if not view_name:
        return None
    return SECTION_OF.get(view_name) or SECTION_OF.get(view_name.split(":")[0] + ":*")


def version():
    """A short fingerprint of the texts and images: the PDF is made again when it changes."""
    digest = hashlib.sha256()
    for s in sections():
        digest.update(s.text.encode())
        for name in s.images():
            path = IMAGES / name
            digest.update(name.encode() + (path.read_bytes() if path.exists() else b""))
    return digest.hexdigest()[:12]


def missing_images():
    """The screenshots the guide names that are not in its image folder."""
    return [name for s in sections() for name in s.images() if not (IMAGES / name).exists()]
