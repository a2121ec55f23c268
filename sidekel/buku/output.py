"""A book as a file: .xlsx (streamed row by row) or PDF (A4/F4), with header and signatures."""

import datetime

from django.utils.translation import gettext_lazy

from sidekel.core import jobs
from sidekel.core.xlsx import write_workbook
from sidekel.wilayah.choices import JenisDesa

from .books import B3_GRUP, B3_KOLOM, BOOKS, ensure_readable, tanggal_panjang
from .models import Rekap, nama_bulan
from .rekap import hitung_rekap


def rekap_data(desa, tahun, bulan):
    """(figures, rekap row or None): the frozen figures of an approved month, else counted now."""
    rekap = Rekap.objects.filter(desa=desa, tahun=tahun, bulan=bulan).first()
    if rekap is not None and rekap.disetujui and rekap.data:
        return rekap.data, rekap
    return hitung_rekap(desa, tahun, bulan), rekap


def kop_desa(desa):
    kecamatan = desa.kecamatan
    return [f"Pemerintah {kecamatan.kabupaten.nama}", f"Kecamatan {kecamatan.nama}", str(desa)]


def jabatan(desa):
    """The titles that sign a village's books."""
    if desa.jenis == JenisDesa.KELURAHAN:
        return f"Lurah {desa.nama}", f"Sekretaris Kelurahan {desa.nama}"
    return f"Kepala Desa {desa.nama}", f"Sekretaris Desa {desa.nama}"


def tanda_tangan(tempat, kiri, kanan, tanggal=None):
    tanggal = tanggal or datetime.date.today()
    dots = "( ........................................ )"
    return (["Mengetahui,", kiri, None, dots], [f"{tempat}, {tanggal_panjang(tanggal)}", kanan, None, dots])


def periode(buku, tahun=None, bulan=None):
    if buku.bulanan:
        return f"Bulan {nama_bulan(tahun, bulan)}"
    return f"Keadaan per {tanggal_panjang(datetime.date.today())}"


def rows(buku, desa, tahun=None, bulan=None):
    if buku.kode == "b3":
        return buku.rows_from(rekap_data(desa, tahun, bulan)[0])
    return buku.rows(desa, tahun, bulan)


def count(buku, desa, tahun=None, bulan=None):
    if buku.kode == "b3":
        return None
    return buku.queryset(desa, tahun, bulan).count()


def _pdf():
    """The PDF writer, imported when a PDF is made: this module declares a job, so every process
    that sets Django up imports it, and fpdf2 brings much with it."""
    from . import pdf

    return pdf


def write_pdf(kode_buku, desa, target, *, tahun=None, bulan=None, kertas="A4", progress=None):
    buku = BOOKS[kode_buku]
    kiri, kanan = jabatan(desa)
    return _pdf().render(
        target, kop=kop_desa(desa), judul=f"{buku.nomor} {buku.judul}", periode=periode(buku, tahun, bulan),
        kolom=buku.kolom, grup=buku.grup, rows=rows(buku, desa, tahun, bulan), kertas=kertas,
        tanda_tangan=tanda_tangan(desa.nama, kiri, kanan), progress=progress, total=count(buku, desa, tahun, bulan))


def _xlsx_rows(title_lines, buku_kolom, grup, body):
    for line in title_lines:
        yield [line]
    yield []
    if grup:
        row = []
        for label, span in grup:
            row += [label] + [""] * (span - 1)
        yield row
    yield [h for h, _w in buku_kolom]
    yield list(range(1, len(buku_kolom) + 1))
    yield from body


def write_xlsx(kode_buku, desa, target, *, tahun=None, bulan=None):
    """The book as one sheet: header lines, the column headers and numbers, then the rows."""
    buku = BOOKS[kode_buku]
    title = [*kop_desa(desa), f"{buku.nomor} {buku.judul}", periode(buku, tahun, bulan)]
    write_workbook(target, [(buku.nomor, _xlsx_rows(title, buku.kolom, buku.grup, rows(buku, desa, tahun, bulan)))])


# --- the kecamatan's recap of every village, for the bupati ---------------------------------------

STATUS_KETERANGAN = {
    None: "belum diajukan",
    Rekap.Status.DIAJUKAN: "belum disetujui",
    Rekap.Status.DIKEMBALIKAN: "dikembalikan ke desa",
    Rekap.Status.DISETUJUI: "",
}


def kecamatan_rekap(villages, tahun, bulan):
    """One row per village: the approved figures where the month is approved, else counted now
    and marked. Returns (rows as dicts, total columns)."""
    result = []
    total = [0] * 30
    for desa in villages:
        data, rekap = rekap_data(desa, tahun, bulan)
        status = rekap.status if rekap else None
        kolom = data["jumlah"]["kolom"]
        total = [a + b for a, b in zip(total, kolom)]
        result.append({"desa": desa, "kolom": kolom, "status": status, "disetujui": status == Rekap.Status.DISETUJUI,
                       "keterangan": STATUS_KETERANGAN[status]})
    return result, total


SEMENTARA = " - angka desa/kelurahan yang belum disetujui adalah angka sementara"


def _kecamatan_rows(data, total):
    for nomor, row in enumerate(data, start=1):
        yield [nomor, str(row["desa"]), *row["kolom"], row["keterangan"]]
    yield ["", "JUMLAH", *total, ""]


KECAMATAN_KOLOM = [("No", 5), ("Desa/Kelurahan", 26)] + B3_KOLOM[2:]


def _kecamatan_judul(kecamatan):
    return [f"Pemerintah {kecamatan.kabupaten.nama}", f"Kecamatan {kecamatan.nama}"]


def write_kecamatan_pdf(kecamatan, villages, tahun, bulan, target, kertas="A4"):
    data, total = kecamatan_rekap(villages, tahun, bulan)
    return _pdf().render(
        target, kop=_kecamatan_judul(kecamatan), judul="Rekapitulasi Jumlah Penduduk per Desa/Kelurahan",
        periode=f"Bulan {nama_bulan(tahun, bulan)}{SEMENTARA if any(not r['disetujui'] for r in data) else ''}",
        kolom=KECAMATAN_KOLOM, grup=B3_GRUP,
        rows=_kecamatan_rows(data, total), kertas=kertas,
        tanda_tangan=tanda_tangan(kecamatan.nama, f"Camat {kecamatan.nama}", f"Sekretaris Kecamatan {kecamatan.nama}"))


def write_kecamatan_xlsx(kecamatan, villages, tahun, bulan, target):
    data, total = kecamatan_rekap(villages, tahun, bulan)
    title = [*_kecamatan_judul(kecamatan), "Rekapitulasi Jumlah Penduduk per Desa/Kelurahan",
             f"Bulan {nama_bulan(tahun, bulan)}{SEMENTARA if any(not r['disetujui'] for r in data) else ''}"]
    write_workbook(target, [("Rekap", _xlsx_rows(title, KECAMATAN_KOLOM, B3_GRUP, _kecamatan_rows(data, total)))])


JOB_KIND = "buku-pdf"


def may_download_pdf(user, job):
    ensure_readable(BOOKS[job.options["buku"]], user, job.desa_id)


@jobs.kind(JOB_KIND, again=gettext_lazy("Make the PDF again."), may_download=may_download_pdf,
           content_type="application/pdf")
def pdf_work(job, progress, cancelled):
    """The worker's part of printing a book to PDF, with progress; the file waits for its download."""
    options = job.options

    def report(done, total):
        if cancelled():
            raise jobs.Cancelled
        progress("write", done, total)

    pages = write_pdf(options["buku"], job.desa, jobs.jobs_dir() / job.stored_file, tahun=options.get("tahun"),
                      bulan=options.get("bulan"), kertas=options["kertas"], progress=report)
    return {"pages": pages}
