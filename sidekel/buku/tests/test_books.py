"""B.1, B.2, B.4 and B.5 rows, their .xlsx cells and the PDF, checked against the records."""

import datetime
import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from sidekel.buku import output
from sidekel.buku.books import BOOKS
from sidekel.penduduk.tests.factories import adult
from sidekel.penduduk import services
from sidekel.penduduk.choices import StatusPenduduk
from sidekel.penduduk.models import Penduduk

from .conftest import last_month, nik_for

MM = 72 / 25.4  # PDF points per millimetre


@pytest.fixture
def rangda_people(keluarga_budi, rangda):
    """Budi's family, a temporary resident (WNA, no NIK), and a resident who died (not in the books)."""
    keluarga, budi, siti, andi = keluarga_budi
    tamu, _ = services.register_penduduk(rangda, **adult(
        nama="Kenji Tanaka", nik=None, kewarganegaraan=2, hubungan_keluarga=11, status_penduduk=StatusPenduduk.TIDAK_TETAP,
        tanggal_mulai_tinggal=datetime.date(2026, 1, 5)))
    lahir = datetime.date(1950, 1, 1)
    gone, _ = services.register_penduduk(rangda, **adult(nama="Almarhum", nik=nik_for(lahir, False), tanggal_lahir=lahir,
                                                         hubungan_keluarga=11))
    services.record_death(gone, tanggal=last_month()[2])
    return {"keluarga": keluarga, "budi": budi, "siti": siti, "andi": andi, "tamu": tamu, "gone": gone}


def _xlsx_rows(path):
    sheet = load_workbook(path, read_only=True).active
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def _table(rows, ncols):
    """The data rows below the row of column numbers 1..n."""
    numbers = list(range(1, ncols + 1))
    start = next(i for i, r in enumerate(rows) if list(r[:ncols]) == numbers)
    return rows[start + 1:]


def test_b1_rows_are_the_living_residents_with_their_records(rangda_people, rangda):
    rows = list(BOOKS["b1"].rows(rangda))
    living = list(Penduduk.objects.filter(desa=rangda, status_dasar=1).order_by("id"))
    assert [r[1] for r in rows] == [p.nama for p in living]
    assert "Almarhum" not in [r[1] for r in rows]
    budi = rangda_people["budi"]
    row = next(r for r in rows if r[1] == budi.nama)
    assert row[0] == [p.pk for p in living].index(budi.pk) + 1
    assert row[2] == "L" and row[5] == budi.tanggal_lahir.strftime("%d-%m-%Y")
    assert row[3] == budi.get_status_perkawinan_display() and row[8] == budi.get_pekerjaan_display()
    assert row[13] == budi.nik and row[14] == rangda_people["keluarga"].nomor_kk
    assert "RT 001" in row[11] and "Sumber Rejeki" in row[11]
    assert row[12] == "Kepala Keluarga"
    assert len(row) == len(BOOKS["b1"].kolom) == 16


def test_b1_xlsx_cells_match_the_records(rangda_people, rangda, tmp_path):
    target = tmp_path / "b1.xlsx"
    output.write_xlsx("b1", rangda, target)
    rows = _xlsx_rows(target)
    assert rows[0][0] == "Pemerintah Kabupaten Kotawaringin Barat" and rows[2][0] == "Desa Rangda"
    assert rows[3][0] == "B.1 Buku Induk Penduduk"
    table = _table(rows, 16)
    by_name = {r[1]: r for r in table}
    for p in Penduduk.objects.filter(desa=rangda, status_dasar=1):
        cells = by_name[p.nama]
        assert cells[13] == p.nik  # text, all 16 digits (None for the WNA without NIK)
        assert cells[10] == p.get_kewarganegaraan_display()
    assert len(table) == 4


def test_b5_groups_families_and_shows_parents(rangda_people, rangda, tmp_path):
    andi = rangda_people["andi"]
    services.update_penduduk(andi, user=None, version=andi.version,
                             changes={"nama_ayah": "Budi Santoso", "nama_ibu": "Siti Aminah"})
    rows = list(BOOKS["b5"].rows(rangda))
    kk = rangda_people["keluarga"].nomor_kk
    family = [r for r in rows if r[1] == kk]
    assert [r[2] for r in family] == ["Budi Santoso", "Siti Aminah", "Andi"]  # head first
    andi_row = family[2]
    assert andi_row[3] == andi.nik and andi_row[15:17] == ["Budi Santoso", "Siti Aminah"]
    target = tmp_path / "b5.xlsx"
    output.write_xlsx("b5", rangda, target)
    table = _table(_xlsx_rows(target), 19)
    assert [r[2] for r in table] == [r[2] for r in rows]
    assert table[2][3] == andi.nik and table[2][1] == kk and table[3][2] == "Kenji Tanaka"


def test_b4_lists_only_temporary_residents(rangda_people, rangda):
    rows = list(BOOKS["b4"].rows(rangda))
    assert [r[1] for r in rows] == ["Kenji Tanaka"]
    assert rows[0][2:4] == ["L", ""] and rows[0][7] == "WNA" and rows[0][12] == "05-01-2026"


def test_b2_lists_the_events_of_the_month(rangda_people, rangda):
    tahun, bulan, day = last_month()
    rows = list(BOOKS["b2"].rows(rangda, tahun, bulan))
    assert len(rows) == 1
    row = rows[0]
    assert row[1] == "Almarhum" and row[11] == day.strftime("%d-%m-%Y") and row[6] == "" and row[12] == "Mati"


def _pdf_text(data):
    reader = PdfReader(io.BytesIO(data))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_b1_pdf_has_header_rows_and_signatures_on_a4_and_f4(rangda_people, rangda):
    for kertas, (width, height) in {"A4": (297, 210), "F4": (330, 215)}.items():
        buffer = io.BytesIO()
        pages = output.write_pdf("b1", rangda, buffer, kertas=kertas)
        reader, text = _pdf_text(buffer.getvalue())
        assert len(reader.pages) == pages == 1
        box = reader.pages[0].mediabox
        assert abs(float(box.width) - width * MM) < 1 and abs(float(box.height) - height * MM) < 1
        for expected in ("PEMERINTAH KABUPATEN KOTAWARINGIN BARAT", "KECAMATAN ARUT SELATAN", "DESA RANGDA",
                         "BUKU INDUK PENDUDUK", "Keadaan per", rangda_people["budi"].nik, "Kenji Tanaka",
                         "Mengetahui,", "Kepala Desa Rangda", "Sekretaris Desa Rangda"):
            assert expected in text, (kertas, expected)
        assert "Almarhum" not in text


def test_a_long_book_runs_over_pages_and_a_kelurahan_signs_as_lurah(raja):
    lahir = datetime.date(1990, 6, 1)
    for i in range(120):
        services.register_penduduk(raja, **adult(nama=f"Warga Nomor {i:03d}", nik=nik_for(lahir, False),
                                                 tanggal_lahir=lahir, hubungan_keluarga=11))
    buffer = io.BytesIO()
    pages = output.write_pdf("b1", raja, buffer)
    reader, text = _pdf_text(buffer.getvalue())
    assert pages == len(reader.pages) > 1
    assert f"Halaman 1 dari {pages}" in text
    assert "Warga Nomor 000" in text and "Warga Nomor 119" in text
    assert "KELURAHAN RAJA" in text and "Lurah Raja" in text and "Sekretaris Kelurahan Raja" in text


def test_b3_and_kecamatan_recap_pdf(rangda_people, rangda, raja):
    tahun, bulan, _day = last_month()
    buffer = io.BytesIO()
    output.write_pdf("b3", rangda, buffer, tahun=tahun, bulan=bulan, kertas="F4")
    _reader, text = _pdf_text(buffer.getvalue())
    assert "BUKU REKAPITULASI JUMLAH PENDUDUK" in text and "Sumber Rejeki" in text and "JUMLAH" in text
    buffer = io.BytesIO()
    output.write_kecamatan_pdf(rangda.kecamatan, [raja, rangda], tahun, bulan, buffer)
    _reader, text = _pdf_text(buffer.getvalue())
    assert "Raja" in text and "Rangda" in text and "belum diajukan" in text and "Camat Arut Selatan" in text
