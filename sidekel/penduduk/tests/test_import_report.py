"""The import report at volume: findings grouped by kind, every one reachable page by page and in
the report file, another village named (its person only to whoever may see that village), the
same grouping on the command line, and each phase named while it runs."""

import csv
import io
import re
import time

import pytest
from django.core.management import call_command
from django.test import Client

from sidekel.akun.choices import Role
from sidekel.akun.services import create_user
from sidekel.core.models import Job
from sidekel.penduduk import services
from sidekel.penduduk.importer import import_penduduk
from sidekel.penduduk.models import Keluarga

from .factories import adult
from .files import GOOD_ROWS, HEADERS, messy_families, write_csv

PASSWORD = "sandi-operator-2026"
FINDING_ROW = re.compile(r"<tr><td>(\d+)</td><td>[^<]*</td><td><span class=\"badge (error|warn)\">")


@pytest.fixture
def operator(rangda):
    return create_user("operator.rangda", role=Role.OPERATOR, password=PASSWORD, desa_kode=[rangda.kode], validate=False)


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def check(client, rangda, path):
    """Upload ``path`` for a check through the import page (jobs run inline in tests); the job."""
    with open(path, "rb") as f:
        response = client.post("/impor/", {"file": f, "desa": rangda.kode, "format": "auto", "existing": "skip"})
    assert response.status_code == 302, response.content[:500]
    return Job.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))


def shown_rows(client, job, query):
    """Every (row, "error"/"warn") the report page lists for ``query``, following its pages."""
    found, page = [], 1
    while True:
        html = client.get(f"/impor/{job.pk}/?{query}&halaman={page}").content.decode()
        found += [(int(row), status) for row, status in FINDING_ROW.findall(html)]
        if "halaman=%d#temuan" % (page + 1) not in html:
            return found
        page += 1


@pytest.fixture
def messy_check(operator, rangda, raja, tmp_path):
    """A checked file of 800 families (3,200 rows) with findings of several kinds."""
    rows, foreign, expected = messy_families(800)
    Keluarga.objects.bulk_create([Keluarga(desa=raja, nomor_kk=number) for number in foreign])
    client = logged_in(operator)
    job = check(client, rangda, write_csv(tmp_path / "kacau.csv", HEADERS, rows))
    assert job.status == Job.Status.DONE
    return client, job, expected


def test_the_report_summarises_by_kind_and_pages_every_finding(messy_check):
    client, job, expected = messy_check
    html = client.get(f"/impor/{job.pk}/").content.decode()
    # The summary: each kind with its count of rows and its first rows.
    foreign_rows = sorted(expected["foreign_rows"])
    first = ", ".join(str(r) for r in foreign_rows[:10])
    assert f"{len(foreign_rows)} baris: Nomor KK milik desa lain" in html
    assert f"baris {first}, …" in html
    warned = expected["warnings"]
    by_kind = {kind: sorted(r for r, k in warned.items() if k == kind) for kind in set(warned.values())}
    assert f"{len(by_kind['nik-tidak-cocok'])} baris: NIK tidak cocok dengan tanggal lahir atau jenis kelamin" in html
    assert f"{len(by_kind['nik-kosong'])} baris: Tanpa NIK" in html
    assert "ditolak ditolak" not in html.lower()

    # Every warning is reachable, page by page, and only warnings are listed under that filter.
    warnings = shown_rows(client, job, "status=peringatan")
    assert sorted(row for row, _status in warnings) == sorted(warned)
    assert {status for _row, status in warnings} == {"warn"}
    assert len(warnings) > 100  # more than one page
    # Every finding is reachable without a filter too: as many as the report counts.
    everything = shown_rows(client, job, "")
    assert len(everything) == job.result["problem_count"]
    assert {row for row, _status in everything} >= expected["foreign_rows"]
    # One kind alone.
    assert sorted(row for row, _ in shown_rows(client, job, "jenis=kk-desa-lain")) == foreign_rows
    # A filter that means nothing shows everything rather than failing.
    assert client.get(f"/impor/{job.pk}/?jenis=tidak-ada&status=x&halaman=999").status_code == 200


def test_the_report_file_lists_every_finding_warnings_included(messy_check):
    client, job, expected = messy_check
    response = client.get(f"/impor/{job.pk}/laporan/")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert table[0] == ["baris", "kolom", "status", "jenis", "temuan"]
    assert len(table) - 1 == job.result["problem_count"]
    assert {int(r[0]) for r in table[1:] if r[2] == "peringatan"} == set(expected["warnings"])
    assert {int(r[0]) for r in table[1:] if r[3] == "Nomor KK milik desa lain"} == expected["foreign_rows"]
    # Numbers are masked as on the page: no 16-digit number in the file.
    assert not re.search(r"\d{16}", "\n".join(",".join(r) for r in table))


def test_the_report_page_of_a_large_report_stays_small_and_quick(messy_check):
    client, job, expected = messy_check
    start = time.perf_counter()
    response = client.get(f"/impor/{job.pk}/?status=peringatan&halaman=2")
    seconds = time.perf_counter() - start
    assert response.status_code == 200
    assert len(FINDING_ROW.findall(response.content.decode())) == len(expected["warnings"]) - 100
    assert len(response.content) < 80_000 and seconds < 2, (len(response.content), seconds)


def test_another_village_is_named_and_its_person_only_to_who_may_see_it(operator, rangda, raja, tmp_path):
    dewi, _ = services.register_penduduk(raja, nik="6201074101900001", **adult(nama="Dewi Lestari", jenis_kelamin=2))
    keluarga = services.create_keluarga(raja, nomor_kk="6201071501200009")
    services.register_penduduk(raja, keluarga=keluarga, nik="6201071203850002", **adult(nama="Joko Widodo"))
    mine = GOOD_ROWS[0][:]
    mine[0] = dewi.nik  # a NIK registered in Raja
    theirs = GOOD_ROWS[0][:]
    theirs[0], theirs[1] = "6201021708800002", keluarga.nomor_kk  # a KK number of Raja
    job = check(logged_in(operator), rangda, write_csv(tmp_path / "desa-lain.csv", HEADERS, [mine, theirs]))

    as_operator = logged_in(operator).get(f"/impor/{job.pk}/").content.decode()
    assert "sudah terdaftar di desa lain: Raja" in as_operator
    assert "nomor KK ini milik desa lain: Raja" in as_operator
    assert "Dewi" not in as_operator and "Joko" not in as_operator

    admin = create_user("admin", role=Role.ADMIN_KECAMATAN, password=PASSWORD, validate=False)
    as_admin = logged_in(admin).get(f"/impor/{job.pk}/").content.decode()
    assert "sudah terdaftar di desa lain: Raja (Dewi Lestari)" in as_admin
    assert "nomor KK ini milik desa lain: Raja (Joko Widodo)" in as_admin
    report = logged_in(operator).get(f"/impor/{job.pk}/laporan/")
    assert "Dewi" not in b"".join(report.streaming_content).decode("utf-8-sig")


def test_a_refused_family_member_is_not_refused_twice_over(operator, rangda, tmp_path):
    rows = [r[:] for r in GOOD_ROWS]
    rows[2][0] = "12345"  # the child's NIK: the family waits
    job = check(logged_in(operator), rangda, write_csv(tmp_path / "keluarga.csv", HEADERS, rows))
    html = logged_in(operator).get(f"/impor/{job.pk}/").content.decode()
    assert "Sekeluarga dengan baris yang ditolak</b>: baris 4 dari keluarga yang sama" in html
    assert "ditolak ditolak" not in html.lower() and "ditolak</span> <b>Ditolak" not in html


def test_the_write_phase_is_named_from_its_start(rangda, tmp_path):
    path = write_csv(tmp_path / "baik.csv", HEADERS, GOOD_ROWS)
    phases = []
    import_penduduk(path, rangda, dry_run=False, progress=lambda phase, done, total: phases.append((phase, done, total)))
    writes = [p for p in phases if p[0] == "write"]
    assert writes[0] == ("write", 0, 3) and writes[-1] == ("write", 3, 3)
    assert phases.index(writes[0]) > max(i for i, p in enumerate(phases) if p[0] == "check")


def test_the_running_page_names_the_phase(operator, rangda, tmp_path):
    from sidekel.core.jobs import set_progress

    job = Job.objects.create(kind="import-penduduk", desa=rangda, user=operator, filename="x.csv", stored_file="x.csv",
                             status=Job.Status.RUNNING, options={"dry_run": False})
    client = logged_in(operator)
    set_progress(job.id, "check", 5000, 20000)
    html = client.get(f"/impor/{job.pk}/").content.decode()
    assert re.search(r'aria-current="step">Memeriksa<', html) and "Memeriksa setiap baris" in html
    set_progress(job.id, "write", 0, 20000)
    html = client.get(f"/impor/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert re.search(r'aria-current="step">Menulis<', html) and "Menulis baris yang diterima" in html


def test_command_line_groups_the_findings_and_writes_every_one(rangda, raja, tmp_path, capsys):
    rows, foreign, expected = messy_families(200)
    Keluarga.objects.bulk_create([Keluarga(desa=raja, nomor_kk=number) for number in foreign])
    path = write_csv(tmp_path / "kacau.csv", HEADERS, rows)
    out = tmp_path / "temuan.csv"
    with pytest.raises(SystemExit):
        call_command("import", "penduduk", str(path), "--desa", rangda.kode, "--dry-run", "--report", str(out))
    printed = capsys.readouterr().out
    foreign_rows = sorted(expected["foreign_rows"])
    assert (f"! {len(foreign_rows)} baris: Nomor KK milik desa lain (ditolak): baris "
            + ", ".join(map(str, foreign_rows[:10])) + ", ...") in printed
    assert f"~ {sum(k == 'nik-kosong' for k in expected['warnings'].values())} baris: Tanpa NIK (peringatan)" in printed
    table = list(csv.reader(out.open(encoding="utf-8-sig")))
    assert {int(r[0]) for r in table[1:] if r[2] == "peringatan"} == set(expected["warnings"])
    assert {int(r[0]) for r in table[1:] if r[3] == "Nomor KK milik desa lain"} == expected["foreign_rows"]
    assert f"Semua temuan ({len(table) - 1}) ada di {out}." in printed


def test_command_line_report_cannot_overwrite_the_file(rangda, tmp_path):
    from django.core.management import CommandError

    path = write_csv(tmp_path / "baik.csv", HEADERS, GOOD_ROWS)
    with pytest.raises(CommandError, match="tidak boleh sama"):
        call_command("import", "penduduk", str(path), "--desa", rangda.kode, "--dry-run", "--report", str(path))
    assert path.read_text().startswith("nik,no_kk")


def test_a_report_stored_before_kinds_still_shows_every_finding(operator, rangda):
    problems = [{"row": n, "column": "nik", "message": f"pesan {n}", "error": n % 2 == 0, "text": ""} for n in range(2, 152)]
    job = Job.objects.create(
        kind="import-penduduk", desa=rangda, user=operator, filename="lama.csv", stored_file="lama.csv",
        status=Job.Status.DONE, options={"dry_run": True},
        result={"rows": 150, "new": 75, "updated": 0, "skipped": 0, "refused": list(range(2, 152, 2)), "committed": False,
                "summary": "", "problem_count": 150, "error_count": 75, "problems": problems})
    client = logged_in(operator)
    shown = shown_rows(client, job, "status=peringatan")
    assert [row for row, _ in shown] == list(range(3, 152, 2))
    assert "Lainnya</b>: pesan 3" in client.get(f"/impor/{job.pk}/").content.decode()
