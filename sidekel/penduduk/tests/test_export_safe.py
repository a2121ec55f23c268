"""Safe files: awkward names through every resident export and download (issue 14, item 7).

A name may start like a formula or hold a control character; every .xlsx we write must open in
openpyxl with the name intact, and every CSV must show it as text (core/files.py, core/xlsx.py).
"""

import csv
import io
import threading

import pytest
from django.db import connections
from django.test import Client
from openpyxl import load_workbook
from openpyxl.utils.escape import unescape

from sidekel.akun.choices import Role
from sidekel.akun.services import create_user
from sidekel.core.files import FORMULA_START, temporary_dir
from sidekel.core.models import Job
from sidekel.core.spreadsheet import open_table
from sidekel.penduduk.tests.factories import adult
from sidekel.penduduk import services
from sidekel.penduduk.formats import FORMATS

NAMES = ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\tTab", "Ver\x0btical\x01", "_x000B_", "\rCR"]


def as_csv_text(name):
    """The cell the CSV holds: a formula start gets the apostrophe."""
    return "'" + name if name.startswith(FORMULA_START) else name


@pytest.fixture
def awkward(rangda):
    """Residents of Rangda with the awkward names (NIK ...0011 onwards)."""
    for n, name in enumerate(NAMES, start=11):
        services.register_penduduk(rangda, nik=f"620102120385{n:04d}", **adult(nama=name, hubungan_keluarga=11))
    return rangda


@pytest.fixture
def admin_client(client, arut_selatan):
    client.force_login(create_user("admin", role=Role.ADMIN_KECAMATAN, password="x", validate=False))
    return client


def name_column(template):
    return [c.header for c in FORMATS[template]].index("nama")


def read_xlsx(body):
    """Every sheet's rows as openpyxl reads them, the OOXML escapes decoded as Excel decodes them."""
    workbook = load_workbook(io.BytesIO(body))
    assert all(cell.data_type != "f" for sheet in workbook for row in sheet.iter_rows() for cell in row)
    return {sheet.title: [[unescape(v) if isinstance(v, str) else v for v in row]
                          for row in sheet.iter_rows(values_only=True)] for sheet in workbook}


def exported_xlsx(client, url):
    """An .xlsx export as a person gets it: the request queues a job (run inline in tests), its page
    offers the file, the file downloads."""
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/unduhan/")
    page = client.get(response["Location"]).content.decode()
    assert f'{response["Location"]}berkas/' in page
    download = client.get(f'{response["Location"]}berkas/')
    assert download.status_code == 200
    return b"".join(download.streaming_content)


def test_an_export_of_every_village_is_a_kecamatan_wide_job_only_its_asker_downloads(client, admin_client, awkward, raja):
    from sidekel.akun.choices import Role
    from sidekel.akun.services import create_user
    from sidekel.core.models import AccessLog, Job

    response = admin_client.get("/penduduk/ekspor/?format=xlsx")
    job = Job.objects.get(kind="ekspor-penduduk")
    assert job.desa is None and job.status == Job.Status.DONE and response["Location"] == f"/unduhan/{job.pk}/"
    rows = read_xlsx(b"".join(admin_client.get(f"/unduhan/{job.pk}/berkas/").streaming_content))["Data Penduduk"]
    assert len(rows) - 1 == job.result["rows"] == len(NAMES)
    assert AccessLog.objects.filter(action=AccessLog.Action.EXPORT, object_id=job.pk).count() == 1

    operator = create_user("op.raja", role=Role.OPERATOR, password="x", desa_kode=[raja.kode], validate=False)
    client.force_login(operator)
    assert client.get(f"/unduhan/{job.pk}/").status_code == 404  # a kecamatan-wide job is not a village's
    assert client.get(f"/unduhan/{job.pk}/berkas/").status_code == 404
    mine = read_xlsx(exported_xlsx(client, "/penduduk/ekspor/?format=xlsx"))["Data Penduduk"]
    assert len(mine) == 1  # "every village" of an operator is their own, where these residents are not


@pytest.mark.parametrize("template", ["sidekel", "opensid"])
def test_xlsx_export_opens_and_holds_the_names_exactly(admin_client, awkward, template):
    sheets = read_xlsx(exported_xlsx(admin_client, f"/penduduk/ekspor/?desa={awkward.kode}&format=xlsx&templat={template}"))
    rows = sheets["Data Penduduk"]
    assert sorted(row[name_column(template)] for row in rows[1:]) == sorted(NAMES)
    assert ("Kode" in sheets) == (template == "sidekel")
    assert list(temporary_dir().iterdir()) == []  # nothing left in the data folder


@pytest.mark.parametrize("template", ["sidekel", "opensid"])
def test_csv_export_shows_formula_starts_as_text_and_imports_back_unchanged(admin_client, awkward, template, tmp_path):
    response = admin_client.get(f"/penduduk/ekspor/?desa={awkward.kode}&format=csv&templat={template}")
    text = b"".join(response.streaming_content).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    column = name_column(template)
    assert sorted(row[column] for row in rows[1:]) == sorted(as_csv_text(n) for n in NAMES)
    # Numbers stay numbers: no code or date cell was touched.
    assert not any(cell.startswith("'") for row in rows[1:] for i, cell in enumerate(row) if i != column)
    # The importer reads the file back to the names (spaces at the ends stripped, as every import does).
    path = tmp_path / "ekspor.csv"
    path.write_text(text, encoding="utf-8")
    table = open_table(path)
    assert sorted(values[column] for _n, values in table.rows) == sorted(n.strip() for n in NAMES)


def test_import_template_downloads_at_once_are_each_whole(transactional_db, client):
    """Downloads at the same moment each get a whole file (they used to share one path, so one
    request truncated the file another was sending)."""
    client.force_login(create_user("admin", role=Role.ADMIN_KECAMATAN, password="x", validate=False))
    session = client.cookies
    bodies, errors = [], []
    threads_count = 6
    barrier = threading.Barrier(threads_count)

    def download():
        try:
            other = Client()
            other.cookies = session
            for _round in range(4):
                barrier.wait()
                response = other.get("/impor/templat/")
                bodies.append(b"".join(response.streaming_content))
        except Exception as exc:  # reported below, with the test's own assertion
            errors.append(exc)
            barrier.abort()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=download) for _ in range(threads_count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(bodies) == 4 * threads_count
    assert len(set(bodies)) == 1  # the same bytes every time (the writer is deterministic)
    sheets = read_xlsx(bodies[0])
    assert sheets["Data Penduduk"][0] == [c.header for c in FORMATS["sidekel"]]
    assert len(sheets["Kode"]) > 100
    assert list(temporary_dir().iterdir()) == []


def test_refused_rows_download_opens_with_the_names_of_the_file(admin_client, rangda, tmp_path):
    """A file whose rows are all refused (bad NIK), named as an attacker would: the refused-rows
    file (the import's report, with its column of errors) opens and holds the names as read."""
    path = tmp_path / "serang.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["nik", "no_kk", "nama", "jenis_kelamin", "tanggal_lahir", "agama", "pendidikan_kk", "pekerjaan",
                         "status_perkawinan", "hubungan_keluarga"])
        for name in NAMES:
            writer.writerow(["123", "", name, "1", "01-01-1990", "1", "5", "9", "1", "11"])
    with path.open("rb") as f:
        response = admin_client.post("/impor/", {"file": f, "desa": rangda.kode, "format": "auto",
                                                         "existing": "skip"})
    job = Job.objects.get(kind="import-penduduk")
    assert response.status_code == 302 and job.status == Job.Status.DONE and len(job.result["refused"]) == len(NAMES)
    response = admin_client.get(f"/impor/{job.pk}/ditolak/")
    assert response.status_code == 200
    rows = read_xlsx(b"".join(response.streaming_content))["Data Penduduk"]
    assert rows[0][1:4] == ["nik", "no_kk", "nama"]
    assert sorted(row[3] for row in rows[1:]) == sorted(n.strip() for n in NAMES)
    assert all(row[0] for row in rows[1:])  # each row says why
    assert list(temporary_dir().iterdir()) == []


def test_statistics_download_shows_text_labels_as_text_and_keeps_numbers(admin_client, awkward):
    """The statistics download: counts stay numbers in both files; a label (a code list's, in
    whatever language) that starts like a formula is text."""
    from sidekel.statistik.services import Baris
    from sidekel.statistik.views import download

    response = admin_client.get(f"/statistik/{awkward.kode}/jenis-kelamin/?format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    assert rows[0] == ["kode", "label", "laki_laki", "perempuan", "jumlah"]
    assert int(rows[1][2]) == len(NAMES) and not any(cell.startswith("'") for row in rows for cell in row)
    response = admin_client.get(f"/statistik/{awkward.kode}/jenis-kelamin/?format=xlsx")
    assert read_xlsx(response.content)["Statistik"][1][2] == len(NAMES)

    labels = [Baris(str(n), name, n, -n) for n, name in enumerate(NAMES)]
    rows = list(csv.reader(io.StringIO(download(labels, "csv", "x").content.decode("utf-8"))))
    assert [row[1] for row in rows[1:]] == [as_csv_text(n) for n in NAMES]
    assert [row[3] for row in rows[1:]] == [str(-n) for n in range(len(NAMES))]  # a negative number stays one
    cells = read_xlsx(download(labels, "xlsx", "x").content)["Statistik"]
    assert [row[1] for row in cells[1:]] == NAMES and [row[3] for row in cells[1:]] == [-n for n in range(len(NAMES))]


def test_open_data_files_show_a_formula_like_village_name_as_text(client, awkward):
    """Open data (public): a village renamed like a formula is text in the CSV and intact in the .xlsx."""
    from sidekel.wilayah.models import Desa

    Desa.objects.filter(pk=awkward.pk).update(nama='=HYPERLINK("http://x")')
    kecamatan = awkward.kode.rsplit(".", 1)[0]
    text = client.get(f"/data/desa-kelurahan/{kecamatan}.csv").content.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    village = next(row for row in rows if row and row[0] == awkward.kode)
    assert village[1] == '\'=HYPERLINK("http://x")' and village[3:].count("") == 0
    assert all(not cell.startswith("'") for cell in village[3:])
    sheets = read_xlsx(client.get(f"/data/desa-kelurahan/{kecamatan}.xlsx").content)
    assert '=HYPERLINK("http://x")' in [row[1] for row in sheets["Data"]]


def test_books_open_with_the_names(admin_client, awkward):
    """Book B.1 (Buku Induk) as .xlsx and as PDF, with the names in it."""
    response = admin_client.get(f"/buku/{awkward.kode}/b1/xlsx/")
    assert response.status_code == 200
    cells = {v for sheet in read_xlsx(b"".join(response.streaming_content)).values() for row in sheet for v in row}
    assert set(NAMES) <= cells
    response = admin_client.post(f"/buku/{awkward.kode}/b1/pdf/", {"kertas": "A4"})
    job = Job.objects.get(kind="buku-pdf")  # run at once in tests (SIDEKEL_JOBS_INLINE)
    assert job.status == Job.Status.DONE, job.result
    response = admin_client.get(f"/unduhan/{job.pk}/berkas/")
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert list(temporary_dir().iterdir()) == []
