"""Onboarding a village in the browser: upload, read the check, import, watch the progress bar."""

import re

import pytest

from sidekel.akun.choices import Role
from sidekel.akun.services import create_user
from sidekel.conftest import LAPTOP, PHONE, login, screenshot
from sidekel.core.models import Job
from sidekel.penduduk.models import Penduduk

from .files import HEADERS, many_families, write_csv

pytestmark = pytest.mark.browser


def run_worker():
    """The worker, here in the test's own thread, runs what is queued and returns; the browser
    keeps polling the live server meanwhile (each on its own connection to the suite's database
    file, as in production: see django_db_modify_db_settings in sidekel/conftest.py)."""
    from django.core.management import call_command

    call_command("worker", "--batch", "--no-startup-delay", verbosity=0)


def test_upload_check_import_and_watch_progress(open_page, transactional_db, rangda, settings, tmp_path):
    settings.SIDEKEL_JOBS_INLINE = False  # the jobs wait on the queue for the worker; the page polls
    create_user("operator.rangda", role=Role.OPERATOR, password="sandi-operator-2026", desa_kode=[rangda.kode],
                validate=False)
    rows = many_families(3000)  # 12,000 residents: long enough to see the bar move
    rows[5][0] = "12345"  # one bad NIK: that family is refused
    path = write_csv(tmp_path / "penduduk-rangda.csv", HEADERS, rows)

    page = open_page(LAPTOP)
    login(page, "operator.rangda", "sandi-operator-2026")
    page.get_by_role("link", name="Impor").click()
    screenshot(page, "20-impor-unggah")
    page.get_by_label("Spreadsheet").set_input_files(str(path))
    page.get_by_role("button", name="Periksa berkas").click()

    # The check waits for the worker; the page polls until the report is there.
    page.wait_for_url(re.compile(r"/impor/\d+/$"))
    run_worker()
    page.get_by_text("Belum ada yang ditulis.").wait_for(timeout=60_000)
    bad_row = page.get_by_role("row").filter(has_text="5 digit, harus 16")
    assert bad_row.get_by_role("cell").all_inner_texts()[:2] == ["7", "nik"]
    assert page.get_by_text("Sekeluarga dengan baris yang ditolak").first.is_visible()
    assert Penduduk.objects.count() == 0
    screenshot(page, "21-impor-laporan")

    page.get_by_role("button", name="Impor 11996 baris yang diterima").click()
    page.locator("progress").wait_for()
    screenshot(page, "22-impor-progres")
    run_worker()
    page.get_by_text("Impor selesai.").wait_for(timeout=120_000)
    assert Penduduk.objects.filter(desa=rangda).count() == 11996
    screenshot(page, "23-impor-selesai")

    # The refused rows come back as a spreadsheet with the reason in the first column.
    check = Job.objects.order_by("id").first()  # the dry run, before the import
    page.go(f"/impor/{check.pk}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh baris yang ditolak").click()
    from python_calamine import CalamineWorkbook

    refused = CalamineWorkbook.from_path(download.value.path()).get_sheet_by_name("Data Penduduk").to_python()
    assert len(refused) == 5 and [r[1] for r in refused if "5 digit, harus 16" in r[0]] == ["12345"]


def test_import_page_on_a_phone(open_page, transactional_db, rangda):
    create_user("operator.rangda", role=Role.OPERATOR, password="sandi-operator-2026", desa_kode=[rangda.kode],
                validate=False)
    page = open_page(PHONE)
    login(page, "operator.rangda", "sandi-operator-2026")
    page.go("/impor/")
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    screenshot(page, "layar-hp-impor")
