"""Import of schools and of a school year's figures: a dry run lists every problem by row, a real
run writes all rows or none; export and templates read back in."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sidekel.akun.choices import Role
from sidekel.akun.services import create_user
from sidekel.core.models import Job
from sidekel.core.xlsx import write_workbook
from sidekel.wilayah.services import ensure_rt

from .. import services, transfer
from ..models import DataSekolah, Sekolah


@pytest.fixture
def operator(rangda):
    return create_user("op", role=Role.OPERATOR, password="x", desa_kode=[rangda.kode], validate=False)


def xlsx(rows):
    buffer = io.BytesIO()
    write_workbook(buffer, [("Sheet1", rows)])
    return SimpleUploadedFile("sekolah.xlsx", buffer.getvalue())


def upload(client, desa, jenis, rows):
    response = client.post("/petugas/sekolah/impor/", {"desa": desa.id, "jenis": jenis, "berkas": xlsx(rows)})
    assert response.status_code == 302
    return Job.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


SCHOOLS = [transfer.SEKOLAH_COLUMNS,
           ["30200001", "SDN 1 Rangda", "SD", "Negeri", "Kemendikdasmen", "Jl. Sekolah", "Melati", "", "1", -2.7, 111.6, "", ""],
           [30200002, "MI Nurul Huda", "mi", "swasta", "kemenag", "", "", "", "", "", "", "Pak Guru", ""]]


@pytest.mark.django_db
def test_a_clean_file_is_checked_then_saved_whole(client, rangda, operator):
    rt = ensure_rt(rangda, "001", None, "Melati")
    client.force_login(operator)
    job = upload(client, rangda, "sekolah", SCHOOLS)
    assert job.status == "done" and job.result["ok"] == 2 and job.result["problem_count"] == 0
    assert not Sekolah.objects.exists()  # a dry run writes nothing
    client.post(f"/petugas/sekolah/impor/{job.pk}/simpan/")
    saved = {s.npsn: s for s in Sekolah.objects.all()}
    assert set(saved) == {"30200001", "30200002"} and saved["30200001"].rt == rt and saved["30200002"].jenjang == "mi"
    # The figures of a year for these schools, then the export reads back the same.
    grades = {c: 0 for c in transfer.GRADE_COLUMNS}
    grades.update({"murid_1_l": 10, "murid_1_p": 12})
    figures = [transfer.DATA_COLUMNS, ["30200001", "2025/2026", 5, 4, 1, 0] + [grades[c] for c in transfer.GRADE_COLUMNS]]
    job = upload(client, rangda, "data", figures)
    assert job.result["problem_count"] == 0, job.result["problems"]
    client.post(f"/petugas/sekolah/impor/{job.pk}/simpan/")
    row = DataSekolah.objects.get()
    assert (row.murid_laki_laki, row.murid_perempuan, row.guru, row.ruang_rusak_ringan) == (10, 12, 5, 1)
    exported = client.get(f"/petugas/sekolah/ekspor/?desa={rangda.kode}&jenis=data")
    with zipfile.ZipFile(io.BytesIO(exported.content)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "30200001" in sheet and "2025/2026" in sheet


@pytest.mark.django_db
def test_every_problem_is_listed_by_row_and_nothing_is_written(client, rangda, raja, operator):
    services.save_sekolah(raja, {"npsn": "30209999", "nama": "SDN Raja", "jenjang": "sd", "status": "negeri",
                                 "kementerian": "kemendikdasmen"}, user=None)
    client.force_login(operator)
    rows = [transfer.SEKOLAH_COLUMNS,
            ["30200001", "SDN 1 Rangda", "sd", "negeri", "kemendikdasmen"] + [""] * 8,
            ["3020001", "Tujuh Angka", "sd", "negeri", "kemendikdasmen"] + [""] * 8,      # NPSN of 7 digits
            ["30209999", "Punya Raja", "sd", "negeri", "kemendikdasmen"] + [""] * 8,     # NPSN of another village
            ["30200001", "Ganda", "sd", "negeri", "kemendikdasmen"] + [""] * 8,          # twice in the file
            ["30200005", "Jenjang Aneh", "kuliah", "negeri", "kemendikdasmen", "", "", "", "9"] + [""] * 4]
    job = upload(client, rangda, "sekolah", rows)
    found = {(p["row"], p["kind"]) for p in job.result["problems"]}
    assert {(3, "npsn"), (4, "npsn"), (5, "npsn-ganda"), (6, "pilihan"), (6, "wilayah")} <= found
    assert job.result["kinds"]["npsn"] == 2
    page = client.get(f"/petugas/sekolah/impor/{job.pk}/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "NPSN harus tepat 8 angka" in page and "Simpan semua baris" not in page
    assert client.post(f"/petugas/sekolah/impor/{job.pk}/simpan/").status_code == 302
    assert Sekolah.objects.filter(desa=rangda).count() == 0


@pytest.mark.django_db
def test_bad_figures_in_a_file(client, rangda, operator):
    services.save_sekolah(rangda, {"npsn": "30200001", "nama": "SDN 1", "jenjang": "sd", "status": "negeri",
                                   "kementerian": "kemendikdasmen"}, user=None)
    client.force_login(operator)
    base = ["", "", "", ""] + [""] * len(transfer.GRADE_COLUMNS)
    col = transfer.DATA_COLUMNS.index
    bad_year = ["30200001", "2025-2026"] + base
    negative = ["30200001", "2024/2025"] + base
    negative[col("murid_1_l")] = -4
    huge = ["30200002", "2024/2025"] + base  # no such school in the village
    grade9 = ["30200001", "2023/2024"] + base
    grade9[col("murid_9_l")] = 5
    job = upload(client, rangda, "data", [transfer.DATA_COLUMNS, bad_year, negative, huge, grade9])
    found = {(p["row"], p["kind"]) for p in job.result["problems"]}
    assert found == {(2, "tahun-ajaran"), (3, "jumlah"), (4, "sekolah-lain"), (5, "jumlah")}
    assert not DataSekolah.objects.exists()


@pytest.mark.django_db
def test_templates_are_files_the_import_accepts(client, rangda, operator):
    ensure_rt(rangda, "001", None, "Melati")
    client.force_login(operator)
    for jenis in ("sekolah", "data"):
        response = client.get(f"/petugas/sekolah/templat/?jenis={jenis}")
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    template = client.get("/petugas/sekolah/templat/?jenis=sekolah").content
    response = client.post("/petugas/sekolah/impor/", {"desa": rangda.id, "jenis": "sekolah",
                                                        "berkas": SimpleUploadedFile("t.xlsx", template)})
    job = Job.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert job.result["problem_count"] == 0 and job.result["ok"] == 1
