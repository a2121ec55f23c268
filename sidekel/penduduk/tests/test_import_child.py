"""A large file is read and checked in a second process (core/worker.py): same result, all or nothing.

Each test makes every file "large" (IN_CHILD_FROM_BYTES = 0), so the child process runs for real.
"""

import os
import signal
import zipfile
from pathlib import Path

import pytest

from sidekel.core.jobs import Cancelled
from sidekel.core.models import ObjectChange
from sidekel.core.spreadsheet import SpreadsheetError
from sidekel.penduduk import importer
from sidekel.penduduk.importer import import_penduduk
from sidekel.penduduk.models import Penduduk

from .files import GOOD_ROWS, HEADERS, many_families, write_csv, write_xlsx
from .test_import import snapshot


@pytest.fixture
def in_child(monkeypatch):
    monkeypatch.setattr(importer, "IN_CHILD_FROM_BYTES", 0)


def children():
    """The ids of this process's child processes (none is left once an import returns)."""
    found = []
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        found += (task / "children").read_text().split()
    return [int(pid) for pid in found]


def messy_rows():
    bad_date = GOOD_ROWS[2][:5] + ["31-02-2010"] + GOOD_ROWS[2][6:]
    same_nik = ["6201021708800001"] + GOOD_ROWS[0][1:3] + ["X"] + GOOD_ROWS[0][4:]
    return GOOD_ROWS + [bad_date, same_nik] + many_families(3, first_serial=100)


@pytest.mark.parametrize("writer,suffix", [(write_csv, "csv"), (write_xlsx, "xlsx")])
@pytest.mark.parametrize("run", [importer.CHECK_RUN, 4])
def test_the_child_process_finds_what_this_process_finds(rangda, tmp_path, monkeypatch, writer, suffix, run):
    """With runs of 4 rows, the checkers (importer.CHECKERS) share the file out; with the usual
    runs, the first checks it all."""
    path = writer(tmp_path / f"campur.{suffix}", HEADERS, messy_rows())
    here = import_penduduk(path, rangda)
    monkeypatch.setattr(importer, "CHECK_RUN", run)
    monkeypatch.setattr(importer, "IN_CHILD_FROM_BYTES", 0)
    there = import_penduduk(path, rangda)
    assert there.as_dict() == here.as_dict()
    assert there.refused and there.new == 12 and there.errors()


def test_an_import_through_the_child_writes_what_an_import_here_writes(rangda, tmp_path, in_child):
    path = write_xlsx(tmp_path / "warga.xlsx", HEADERS, GOOD_ROWS + many_families(5, first_serial=100))
    name = 'warga "50%" \\ data.xlsx'  # the audit rows' JSON is formatted, not encoded, per row
    report = import_penduduk(path, rangda, dry_run=False, filename=name)
    assert (report.rows, report.new, report.refused, report.committed) == (23, 23, set(), True)
    ahmad = Penduduk.objects.get(nik="6201021708800001")
    assert ObjectChange.objects.get(object_id=ahmad.pk).after == {"impor": name, "baris": 2}
    assert (ahmad.jenis_kelamin, ahmad.pendidikan_kk, ahmad.pekerjaan, str(ahmad.tanggal_lahir)) == (1, 5, 9, "1980-08-17")
    assert str(ahmad.rt) == "Dusun Sumber Rejeki / RW 002 / RT 003" and ahmad.keluarga.anggota.count() == 3
    assert children() == []


def test_the_checkers_start_before_the_file_is_opened_and_none_is_left(rangda, tmp_path, in_child, monkeypatch):
    """The checker processes are started before this process opens the file (core.worker.started)
    and are the ones that check it: no other is started. Unused ones are stopped."""
    from sidekel.core import worker

    events = []
    start, opening = worker._Child.__init__, importer.open_table

    def started(self, target):
        start(self, target)
        events.append(("child", self.process.pid))

    def opened(*args, **kwargs):
        events.append(("open", None))
        return opening(*args, **kwargs)

    monkeypatch.setattr(worker._Child, "__init__", started)
    monkeypatch.setattr(importer, "open_table", opened)
    report = import_penduduk(write_csv(tmp_path / "warga.csv", HEADERS, GOOD_ROWS), rangda, dry_run=True)
    assert report.new == 3 and children() == []
    assert [kind for kind, _pid in events] == ["child"] * importer.CHECKERS + ["open"]
    with worker.started(importer.CHECK_TARGET, 2):
        assert len(children()) == 2
    assert children() == []


def test_a_dry_run_through_the_child_writes_nothing(rangda, tmp_path, in_child):
    before = snapshot()
    report = import_penduduk(write_csv(tmp_path / "warga.csv", HEADERS, GOOD_ROWS), rangda, dry_run=True)
    assert report.new == 3 and not report.committed and snapshot() == before


def test_cancelling_while_the_child_reads_stops_it_and_changes_nothing(rangda, tmp_path, in_child):
    path = write_csv(tmp_path / "banyak.csv", HEADERS, many_families(2600))  # 10,400 rows: two full batches
    before = snapshot()
    seen = []

    def cancelled():
        seen.append(children())
        return True

    with pytest.raises(Cancelled):
        import_penduduk(path, rangda, dry_run=False, cancelled=cancelled)
    assert seen and seen[0], "the child was running when the first batch came in"
    assert children() == [] and snapshot() == before


def test_a_child_that_dies_gives_a_clear_message_and_changes_nothing(rangda, tmp_path, in_child):
    path = write_csv(tmp_path / "banyak.csv", HEADERS, many_families(2600))
    before = snapshot()

    def kill_the_child():
        for pid in children():
            os.kill(pid, signal.SIGKILL)
        return False

    with pytest.raises(SpreadsheetError, match="Pemeriksaan berkas terhenti karena kesalahan tak terduga; "
                                                "tidak ada yang diimpor"):
        import_penduduk(path, rangda, dry_run=False, cancelled=kill_the_child)
    assert children() == [] and snapshot() == before


def test_an_error_inside_the_child_gives_a_clear_message_and_changes_nothing(rangda, tmp_path, in_child):
    """A damaged .xlsx whose last cell points to a shared string the file lacks: the child's reader
    refuses it as damaged, and the parent says so."""
    path = write_xlsx(tmp_path / "rusak.xlsx", HEADERS, GOOD_ROWS)
    damaged = tmp_path / "rusak2.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(damaged, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                cell = b'<c r="O4" t="inlineStr"><is><t>Jl. Tani No. 4</t></is></c>'
                assert cell in data
                data = data.replace(cell, b'<c r="O4" t="s"><v>99999</v></c>')
            target.writestr(item, data)
    before = snapshot()
    with pytest.raises(SpreadsheetError, match="Berkas rusak"):
        import_penduduk(damaged, rangda, dry_run=False)
    assert children() == [] and snapshot() == before


@pytest.mark.parametrize("large_from,megabytes", [(1000, 64), (20, 8)])
def test_a_very_large_import_writes_with_a_smaller_page_cache(rangda, tmp_path, monkeypatch, large_from, megabytes):
    """SQLite's page cache for the write: 64 MB, or 8 MB from LARGE_IMPORT new rows (where the
    check already holds most of the memory); the connection's own size afterwards."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("a page cache of SQLite's")

    def cache_size():
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            return cursor.fetchone()[0]

    before, seen = cache_size(), []
    insert = importer.insert_values
    monkeypatch.setattr(importer, "insert_values", lambda *args: (seen.append(cache_size()), insert(*args))[1])
    monkeypatch.setattr(importer, "LARGE_IMPORT", large_from)
    path = write_csv(tmp_path / "warga.csv", HEADERS, GOOD_ROWS + many_families(5, first_serial=100))
    report = import_penduduk(path, rangda, dry_run=False)
    assert report.new == 23 and seen and set(seen) == {-megabytes * 1024}
    assert cache_size() == before
