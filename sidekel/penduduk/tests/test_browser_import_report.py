"""The report of a 20,000-row check, read in the browser: the summary by kind first, then every
warning, page by page; the upload's progress while the file travels; the same page on a phone."""

import re
import time

import pytest

from sidekel.akun.choices import Role
from sidekel.akun.services import create_user
from sidekel.conftest import LAPTOP, PHONE, login, screenshot
from sidekel.core.models import Job
from sidekel.penduduk.models import Keluarga, Penduduk

from .files import HEADERS, messy_families, write_csv

pytestmark = pytest.mark.browser
PASSWORD = "sandi-operator-2026"


def test_the_report_of_a_20000_row_check_shows_its_summary_and_every_warning(open_page, transactional_db, rangda,
                                                                             raja, tmp_path):
    create_user("operator.rangda", role=Role.OPERATOR, password=PASSWORD, desa_kode=[rangda.kode], validate=False)
    rows, foreign, expected = messy_families(5000)
    assert len(rows) == 20_000
    Keluarga.objects.bulk_create([Keluarga(desa=raja, nomor_kk=number) for number in foreign])
    path = write_csv(tmp_path / "penduduk-rangda.csv", HEADERS, rows)

    page = open_page(LAPTOP)
    login(page, "operator.rangda", PASSWORD)
    page.go("/impor/")
    page.get_by_label("Spreadsheet").set_input_files(str(path))
    # A slow line (about 3G's upload), so the file takes seconds to travel and its progress shows.
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 100, "downloadThroughput": 400_000,
                                                  "uploadThroughput": 250_000})
    page.get_by_role("button", name="Periksa berkas").click()
    uploading = page.locator("#unggah")
    uploading.get_by_text("Mengunggah", exact=False).first.wait_for()
    # (a poll from Python: wait_for_function evaluates a string, which the pages' CSP forbids)
    for _ in range(600):
        if page.evaluate("() => document.querySelector('#unggah progress').value > 0"):
            break
        page.wait_for_timeout(50)
    assert re.search(r"Mengunggah [\d.]+ KB / [\d.]+ KB \(\d+%\)", uploading.get_by_role("status").inner_text())
    screenshot(page, "24-impor-mengunggah")
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 0, "downloadThroughput": -1,
                                                  "uploadThroughput": -1})

    # The check runs as the request ends (jobs run inline in tests); the page is the report.
    page.wait_for_url(re.compile(r"/impor/\d+/$"), timeout=180_000)
    page.get_by_text("Belum ada yang ditulis.", exact=False).last.wait_for()
    job = Job.objects.get()
    assert job.result["rows"] == 20_000 and Penduduk.objects.count() == 0
    summary = page.locator("ul.report-kinds")
    foreign_rows = sorted(expected["foreign_rows"])
    first_rows = ", ".join(str(r) for r in foreign_rows[:10])
    assert summary.get_by_text(f"{len(foreign_rows):,} baris: Nomor KK milik desa lain".replace(",", ".")).is_visible()
    assert summary.get_by_text(f"baris {first_rows}, …").is_visible()
    assert "ditolak ditolak" not in page.content().lower()
    screenshot(page, "25-impor-ringkasan")

    # Every warning, page by page, under the "Peringatan" filter.
    started = time.perf_counter()
    page.get_by_role("link", name=re.compile(r"^Peringatan \(")).click()
    seen, pages = [], 0
    while True:
        pages += 1
        table = page.locator("table.report-findings tbody tr")
        seen += [int(text) for text in table.locator("td:first-child").all_inner_texts()]
        assert table.locator(".badge", has_text="ditolak").count() == 0
        if pages == 2:
            screenshot(page, "26-impor-peringatan")
        following = page.get_by_role("link", name="Berikutnya →")
        if not following.count():
            break
        following.click()
    assert sorted(seen) == sorted(expected["warnings"])
    assert pages == -(-len(expected["warnings"]) // 100)
    print(f"\n{pages} pages of warnings read in {time.perf_counter() - started:.1f} s")

    # The same report on a phone: nothing off to the side.
    phone = open_page(PHONE)
    login(phone, "operator.rangda", PASSWORD)
    phone.go(f"/impor/{job.pk}/")
    assert phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    screenshot(phone, "layar-hp-impor-laporan")
    phone.go(f"/impor/{job.pk}/?status=peringatan#temuan")
    assert phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    screenshot(phone, "layar-hp-impor-peringatan")
