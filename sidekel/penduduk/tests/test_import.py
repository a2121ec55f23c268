"""Importing population files: every format, every fault, all or nothing, and the round trip."""

import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from sidekel.core import bulk

from sidekel.core.jobs import Cancelled
from sidekel.core.models import ObjectChange
from sidekel.core.spreadsheet import SpreadsheetError
from sidekel.penduduk.exporter import write_csv as export_csv
from sidekel.penduduk.exporter import write_xlsx as export_xlsx
from sidekel.penduduk.importer import UPDATE, import_penduduk
from sidekel.penduduk.models import Keluarga, NomorKK, Penduduk
from sidekel.penduduk.tests.test_name_index import assert_mirrored
from sidekel.wilayah.models import Dusun, Rt, Rw

from .files import GOOD_ROWS, HEADERS, many_families, write_csv, write_ods, write_xls, write_xlsx

# The file OpenSID v2410 itself accepts (shared/ lies beside the repository, in CI too).
SAMPLE = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "samples" / "opensid_penduduk_1000.xlsx"
needs_sample = pytest.mark.skipif(not SAMPLE.exists(), reason=f"{SAMPLE} is missing")


def snapshot():
    return (Penduduk.objects.count(), Keluarga.objects.count(), NomorKK.objects.count(), Rt.objects.count(),
            ObjectChange.objects.count())


@pytest.mark.parametrize("writer,suffix", [(write_csv, "csv"), (write_xlsx, "xlsx"), (write_xls, "xls"), (write_ods, "ods")])
def test_every_format_imports_the_same_family(rangda, tmp_path, writer, suffix):
    path = writer(tmp_path / f"warga.{suffix}", HEADERS, GOOD_ROWS)
    report = import_penduduk(path, rangda, dry_run=False)
    assert (report.format, report.rows, report.new, report.refused) == ("sidekel", 3, 3, set())
    ahmad = Penduduk.objects.get(nik="6201021708800001")
    assert (ahmad.jenis_kelamin, ahmad.agama, ahmad.pendidikan_kk, ahmad.pekerjaan, ahmad.hubungan_keluarga) == (1, 1, 5, 9, 1)
    assert str(ahmad.tanggal_lahir) == "1980-08-17"
    assert str(ahmad.rt) == "Dusun Sumber Rejeki / RW 002 / RT 003"
    assert ahmad.keluarga.nomor_kk == "6201021501150001" and ahmad.keluarga.kepala == ahmad
    assert ahmad.keluarga.anggota.count() == 3
    assert ObjectChange.objects.filter(action="create", content_type__model="penduduk").count() == 3
    created = ObjectChange.objects.get(object_id=ahmad.pk, action="create")  # JSON read back as JSON
    assert (created.before, created.after["impor"], created.reason) == ({}, f"warga.{suffix}", f"Impor warga.{suffix}")


def test_the_statistics_after_a_load_cover_the_indexed_columns_and_the_trigram_index(keluarga_budi):
    # PostgreSQL: the residents' indexed columns are analyzed, not the others; the list of the
    # names' words, searched through an index on an expression, whole (the expression's too).
    from sidekel.penduduk.models import Word

    if connection.vendor != "postgresql":
        pytest.skip("SQLite's ANALYZE measures the indexes, whatever it is asked")
    bulk.analyze(Penduduk, Word)
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename, attname FROM pg_stats WHERE tablename IN "
                       "('penduduk_penduduk', 'penduduk_word', 'penduduk_word_trgm')")
        measured = set(cursor.fetchall())
    assert {("penduduk_penduduk", "nik"), ("penduduk_penduduk", "desa_id"), ("penduduk_penduduk", "tanggal_lahir")} <= measured
    assert ("penduduk_penduduk", "alamat") not in measured and ("penduduk_penduduk", "tempat_lahir") not in measured
    assert {("penduduk_word", "word"), ("penduduk_word_trgm", "upper")} <= measured


def test_an_import_puts_residents_in_the_places_the_village_has_and_makes_only_the_missing(rangda, raja, tmp_path):
    # The village already has the dusun, the RW and one RT the file names; another village has
    # the same names. Only the RT it lacks is made, under the village's own dusun and RW.
    for desa in (raja, rangda):
        dusun = Dusun.objects.create(desa=desa, nama="Sumber Rejeki")
        rw = Rw.objects.create(desa=desa, dusun=dusun, nomor="002")
        rt = Rt.objects.create(desa=desa, dusun=dusun, rw=rw, nomor="003")
    moved = [row[:13] + ["004"] + row[14:] for row in GOOD_ROWS[1:]]
    path = write_csv(tmp_path / "tempat.csv", HEADERS, GOOD_ROWS[:1] + moved)
    before = (Dusun.objects.count(), Rw.objects.count(), Rt.objects.count())
    assert import_penduduk(path, rangda, dry_run=False).new == 3
    assert (Dusun.objects.count(), Rw.objects.count(), Rt.objects.count()) == (before[0], before[1], before[2] + 1)
    assert Penduduk.objects.get(nik=GOOD_ROWS[0][0]).rt_id == rt.id
    made = Penduduk.objects.get(nik=GOOD_ROWS[1][0]).rt
    assert (made.desa_id, made.dusun_id, made.rw_id, made.nomor) == (rangda.id, dusun.id, rw.id, "004")


@pytest.mark.parametrize("writer,suffix", [(write_csv, "csv"), (write_xlsx, "xlsx"), (write_ods, "ods")])
def test_problems_name_the_row_the_spreadsheet_shows_even_after_blank_rows(rangda, tmp_path, writer, suffix):
    blank = [""] * len(HEADERS)
    bad = GOOD_ROWS[2][:5] + ["31-02-2010"] + GOOD_ROWS[2][6:]
    path = writer(tmp_path / f"kosong.{suffix}", HEADERS, [GOOD_ROWS[0], blank, blank, GOOD_ROWS[1], bad])
    report = import_penduduk(path, rangda)
    # The bad row, and the rest of its family with it.
    assert [(p.row, p.column) for p in report.errors()] == [(2, "no_kk"), (5, "no_kk"), (6, "tanggal_lahir")]
    assert report.refused == {2, 5, 6}


@needs_sample
def test_real_date_cells_excel_serial_numbers_and_opensid_sample(rangda, tmp_path):
    path = write_xlsx(tmp_path / "tanggal.xlsx", HEADERS, GOOD_ROWS, date_cells=True)
    assert import_penduduk(path, rangda).new == 3
    serial = [r[:5] + [29450] + r[6:] for r in GOOD_ROWS[:1]]  # a date typed as Excel's day number
    import_penduduk(write_xlsx(tmp_path / "angka.xlsx", HEADERS, serial), rangda, dry_run=False)
    assert str(Penduduk.objects.get(nik="6201021708800001").tanggal_lahir) == "1980-08-17"
    for model in (ObjectChange, Penduduk, NomorKK, Keluarga, Rt, Rw, Dusun):
        model.objects.all().delete()
    report = import_penduduk(SAMPLE, rangda, dry_run=False)
    assert (report.format, report.new, report.refused, len(report.errors())) == ("opensid", 1000, set(), 0)
    assert Keluarga.objects.count() == 274 and Dusun.objects.filter(desa=rangda).count() == 6


def test_messy_file_lists_every_fault_by_row_and_column_and_writes_nothing(keluarga_budi, rangda, raja, tmp_path):
    from sidekel.penduduk import services
    from sidekel.penduduk.tests.factories import adult

    services.register_penduduk(raja, nik="6201074101900001", **adult(nama="Dewi", jenis_kelamin=2))
    base = GOOD_ROWS[0]

    def row(**changes):
        values = dict(zip(HEADERS, base))
        values.update(changes)
        return [values[h] for h in HEADERS]

    rows = [
        row(nik="620102170880001", no_kk="6201021501159001"),                          # 2: 15 digits
        row(nik="6201023208800001", no_kk="6201021501159002"),                         # 3: day 32
        row(nik="6201021708800009", agama="ISLAMM", no_kk="6201021501159003"),         # 4: unknown code
        row(nik="6201021708800010", tanggal_lahir="31-02-1980", no_kk="6201021501159004"),  # 5: impossible date
        row(nik="6201021708800010", no_kk="6201021501159005"),                         # 6: duplicate in file
        row(nik="6201074101900001", no_kk="6201021501159006"),                         # 7: registered in Raja
        row(nik="6201021708800011", no_kk="6201021501159007", hubungan_keluarga="Anak"),  # 8: family without head
        row(nik="6201021708800012", no_kk="6201021501159008", nama=""),                # 9: no name
        row(nik="6201021708800013", no_kk="6201021501159009", tanggal_lahir="17-08-2030"),  # 10: future
        row(nik="6201021708800014", no_kk="6201021501159010", jenis_kelamin="P"),      # 11: warning only
        row(nik=" 6201 0217 0880 0015'", no_kk="6201021501159011"),                    # 12: cleaned, fine
    ]
    path = write_xlsx(tmp_path / "kacau.xlsx", HEADERS, rows)
    before = snapshot()
    report = import_penduduk(path, rangda, dry_run=True)
    texts = [str(p) for p in report.problems]
    expected = [
        "Baris 2, kolom nik: 15 digit, harus 16",
        "Baris 3, kolom nik: Tanggal lahir pada NIK (digit 7-8: 32)",
        "Baris 4, kolom agama: ISLAMM bukan kode yang dikenal",
        "Baris 5, kolom tanggal_lahir: Tanggal 31-02-1980 tidak ada: periksa tanggal dan bulannya.",  # not "format"
        "Baris 6, kolom nik: NIK sama dengan baris 5",
        "Baris 7, kolom nik: sudah terdaftar",
        "Baris 8, kolom no_kk: keluarga 6201021501159007 tidak punya kepala keluarga",
        "Baris 9, kolom nama: wajib diisi",
        "Baris 10, kolom tanggal_lahir: Tanggal lahir 17-08-2030 di masa depan",
        "Baris 11, kolom nik: NIK ini milik laki-laki",
    ]
    for text in expected:
        assert any(t.startswith(text) for t in texts), (text, texts)
    assert report.refused == set(range(2, 11))
    assert [p.error for p in report.problems if p.row == 11] == [False]
    assert (report.new, report.summary().startswith("11 baris")) == (2, True)
    assert snapshot() == before

    # The commit writes the two accepted rows and nothing else.
    report = import_penduduk(path, rangda, dry_run=False)
    assert report.committed and Penduduk.objects.filter(nik__in=["6201021708800014", "6201021708800015"]).count() == 2
    assert Penduduk.objects.count() == before[0] + 2


def test_existing_nik_is_skipped_or_updated_as_chosen(keluarga_budi, rangda, tmp_path):
    budi = keluarga_budi[1]
    rows = [[budi.nik, "6201021501200001", "Budi Santoso", "L", "Pangkalan Bun", "12-03-1985", "1", "8", "Guru", "2",
             "1", "Sumber Rejeki", "", "001", "RT 001"]]
    path = write_csv(tmp_path / "budi.csv", HEADERS, rows)
    assert import_penduduk(path, rangda, dry_run=False).skipped == 1
    assert Penduduk.objects.get(pk=budi.pk).pekerjaan == 9
    report = import_penduduk(path, rangda, dry_run=False, existing=UPDATE)
    budi.refresh_from_db()
    assert report.updated == 1 and (budi.pekerjaan, budi.pendidikan_kk, budi.version) == (65, 8, 2)
    assert ObjectChange.objects.filter(object_id=budi.pk, action="update", reason__startswith="Impor").exists()


@needs_sample
def test_cancelled_import_leaves_the_database_as_it_was(rangda, tmp_path):
    before = snapshot()
    calls = []

    def cancel_during_write():
        calls.append(1)
        return len(calls) > 1  # let the check pass, stop once writing began

    with pytest.raises(Cancelled):
        import_penduduk(SAMPLE, rangda, dry_run=False, cancelled=cancel_during_write)
    assert snapshot() == before


@pytest.mark.parametrize("content,message", [
    (b"", "kosong"),
    (b"\x00\x01\x02 not a spreadsheet", "bukan spreadsheet"),
    ("bad-headers", "Kolom tidak dikenal: umur, nomor_rumah"),
    ("headers-only", "tidak ada baris data"),
    ("zip-not-xlsx", "arsip zip"),
    ("bomb", "jauh lebih besar"),
    ("encrypted", "kata sandi"),
    ("missing-required", "tanggal_lahir"),
    ("formulas", "rumus"),
    ("wrong-sheet", "lembar bernama Penduduk"),
])
def test_bad_files_get_a_clear_message_and_change_nothing(rangda, tmp_path, content, message):
    path = tmp_path / "berkas.xlsx"
    if content == "bad-headers":
        write_csv(path, HEADERS + ["umur", "nomor_rumah"], GOOD_ROWS)
    elif content == "headers-only":
        write_csv(path, HEADERS, [])
    elif content == "zip-not-xlsx":
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("catatan.txt", "halo")
    elif content == "bomb":
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("xl/workbook.xml", b"0" * (50 * 2**20))
    elif content == "encrypted":
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512 + "EncryptedPackage".encode("utf-16-le"))
    elif content == "formulas":
        write_xlsx(path, HEADERS, [["=A1&\"1\""] + GOOD_ROWS[0][1:]])
    elif content == "wrong-sheet":
        write_xlsx(path, HEADERS, GOOD_ROWS, sheet="Sheet1")
    elif content == "missing-required":
        write_csv(path, [h for h in HEADERS if h != "tanggal_lahir"], [r[:5] + r[6:] for r in GOOD_ROWS])
    else:
        path.write_bytes(content)
    before = snapshot()
    with pytest.raises(SpreadsheetError) as exc:
        import_penduduk(path, rangda, dry_run=False, sheet="Penduduk" if content == "wrong-sheet" else None)
    assert message in str(exc.value)
    assert snapshot() == before


def test_too_large_file_is_refused(rangda, tmp_path, monkeypatch):
    monkeypatch.setattr("sidekel.core.spreadsheet.MAX_FILE_BYTES", 1000)
    path = write_csv(tmp_path / "besar.csv", HEADERS, GOOD_ROWS * 20)
    with pytest.raises(SpreadsheetError, match="batasnya"):
        import_penduduk(path, rangda)


def test_csv_with_semicolons_and_mixed_encodings(rangda, tmp_path):
    path = tmp_path / "campur.csv"
    lines = [";".join(HEADERS)] + [";".join(r) for r in GOOD_ROWS]
    lines[2] = lines[2].replace("Ratna Sari", "Ratna Sarí")
    data = ("\n".join(lines[:2]) + "\n").encode("utf-8") + (lines[2] + "\n").encode("cp1252") + (lines[3] + "\n").encode("utf-8")
    path.write_bytes(data)
    assert import_penduduk(path, rangda, dry_run=False).new == 3
    assert Penduduk.objects.filter(nama="Ratna Sarí").exists()


@needs_sample
def test_round_trip_export_import_export_gives_identical_files(rangda, tmp_path):
    import_penduduk(SAMPLE, rangda, dry_run=False)
    first_csv, first_xlsx = tmp_path / "1.csv", tmp_path / "1.xlsx"
    export_csv(Penduduk.objects.filter(desa=rangda), first_csv, full_identity=True)
    export_xlsx(Penduduk.objects.filter(desa=rangda), first_xlsx, template="opensid", full_identity=True)
    # Into an empty installation.
    Penduduk.objects.all().delete()
    ObjectChange.objects.all().delete()
    NomorKK.objects.all().delete()
    Keluarga.objects.all().delete()
    Rt.objects.all().delete()
    Rw.objects.all().delete()
    Dusun.objects.all().delete()
    assert import_penduduk(first_csv, rangda, dry_run=False).new == 1000
    second_csv = tmp_path / "2.csv"
    export_csv(Penduduk.objects.filter(desa=rangda), second_csv, full_identity=True)
    assert second_csv.read_bytes() == first_csv.read_bytes()
    Penduduk.objects.all().delete()
    NomorKK.objects.all().delete()
    Keluarga.objects.all().delete()
    assert import_penduduk(first_xlsx, rangda, dry_run=False).new == 1000
    second_xlsx = tmp_path / "2.xlsx"
    export_xlsx(Penduduk.objects.filter(desa=rangda), second_xlsx, template="opensid", full_identity=True)
    from python_calamine import CalamineWorkbook

    def cells(p):
        return CalamineWorkbook.from_path(str(p)).get_sheet_by_name("Data Penduduk").to_python()

    assert cells(second_xlsx) == cells(first_xlsx)
    assert second_xlsx.read_bytes() == first_xlsx.read_bytes()


def test_command_line_import_and_export(rangda, tmp_path, capsys):
    bad = write_csv(tmp_path / "buruk.csv", HEADERS, [GOOD_ROWS[0][:0] + ["123"] + GOOD_ROWS[0][1:]])
    with pytest.raises(SystemExit) as exit_info:
        call_command("import", "penduduk", str(bad), "--desa", rangda.kode, "--dry-run")
    assert exit_info.value.code == 1 and "Baris 2, kolom nik: 3 digit, harus 16" in capsys.readouterr().out
    good = write_csv(tmp_path / "baik.csv", HEADERS, GOOD_ROWS)
    call_command("import", "penduduk", str(good), "--desa", rangda.kode)
    assert "3 baru" in capsys.readouterr().out and Penduduk.objects.count() == 3
    out = tmp_path / "hasil.csv"
    call_command("export", "penduduk", "--desa", rangda.kode, "--format", "csv", "--masked", "-o", str(out))
    text = out.read_text()
    assert "620102**********" in text and "6201021708800001" not in text


def indexes_and_triggers():
    """Every index and trigger (and on PostgreSQL every foreign key) of the database, as the
    database describes it."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                           "UNION ALL SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
                           "FROM pg_constraint WHERE contype = 'f' "
                           "UNION ALL SELECT tgrelid::regclass::text, tgname, pg_get_triggerdef(oid) "
                           "FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1, 2")
        else:
            cursor.execute("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
                           "ORDER BY 1, 2")
        return cursor.fetchall()


def test_a_small_import_keeps_the_indexes(rangda, tmp_path):
    statements = []
    with connection.execute_wrapper(lambda execute, sql, *args: statements.append(sql) or execute(sql, *args)):
        report = import_penduduk(write_csv(tmp_path / "kecil.csv", HEADERS, GOOD_ROWS), rangda, dry_run=False)
    assert report.new == 3 and not [sql for sql in statements if "INDEX" in sql]


def test_a_large_import_builds_the_indexes_once_and_leaves_them_as_migrated(rangda, tmp_path, monkeypatch):
    """An import that at least doubles the residents' table drops its indexes and makes them again
    at the end; committed, cancelled or failed, the database keeps exactly the migrated indexes."""
    migrated = indexes_and_triggers()
    assert any("penduduk_statistik" in row for row in migrated)
    path = write_csv(tmp_path / "banyak.csv", HEADERS, many_families(30))  # 120 residents, into an empty table
    statements = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    def dropped():
        return [sql for sql in statements if sql.startswith("DROP INDEX")]

    before = snapshot()
    monkeypatch.setattr(bulk, "REBUILD_INDEXES_FROM", 1)

    with connection.execute_wrapper(record), pytest.raises(Cancelled):
        import_penduduk(path, rangda, dry_run=False, cancelled=lambda: bool(dropped()))  # cancelled while writing
    assert dropped() and snapshot() == before and indexes_and_triggers() == migrated

    def fail_while_writing(phase, done, total):
        if phase == "write":
            raise RuntimeError("disk full")

    statements.clear()
    with connection.execute_wrapper(record), pytest.raises(RuntimeError):
        import_penduduk(path, rangda, dry_run=False, progress=fail_while_writing)
    assert dropped() and snapshot() == before and indexes_and_triggers() == migrated

    statements.clear()
    with connection.execute_wrapper(record):
        report = import_penduduk(path, rangda, dry_run=False)
    assert report.committed and report.new == 120 and Penduduk.objects.count() == 120
    assert dropped() and indexes_and_triggers() == migrated
    assert list(Penduduk.objects.search("ala 17", user=None).values_list("nama", flat=True)) == ["Kepala 17"]
    assert_mirrored()

    # Now the table is as large as the next import: its indexes stay.
    statements.clear()
    with connection.execute_wrapper(record):
        import_penduduk(write_csv(tmp_path / "lagi.csv", HEADERS, many_families(29, first_serial=100)), rangda,
                        dry_run=False)
    assert not dropped() and Penduduk.objects.count() == 236


@pytest.mark.skipif(connection.vendor != "postgresql", reason="foreign keys are dropped and added again on PostgreSQL only")
@pytest.mark.django_db(transaction=True)  # the import's transaction is the outermost one, as in real use
def test_a_large_import_on_postgresql_adds_the_foreign_keys_back_as_they_were(rangda, tmp_path, monkeypatch):
    migrated = indexes_and_triggers()
    path = write_csv(tmp_path / "banyak.csv", HEADERS, many_families(30))
    statements = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    monkeypatch.setattr(bulk, "REBUILD_INDEXES_FROM", 1)
    before = snapshot()
    with connection.execute_wrapper(record), pytest.raises(Cancelled):
        import_penduduk(path, rangda, dry_run=False,
                        cancelled=lambda: any("DROP CONSTRAINT" in sql for sql in statements))
    assert snapshot() == before and indexes_and_triggers() == migrated

    statements.clear()
    with connection.execute_wrapper(record):
        report = import_penduduk(path, rangda, dry_run=False)
    assert report.committed and Penduduk.objects.count() == 120
    added = [sql for sql in statements if "ADD CONSTRAINT" in sql and "FOREIGN KEY" in sql]
    assert len(added) >= 3 and indexes_and_triggers() == migrated


def _xlsx_with_cell(path, text):
    """An .xlsx whose second row's name cell holds ``text`` (openpyxl itself cuts a cell at 32,767)."""
    write_xlsx(path, HEADERS, GOOD_ROWS)
    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    assert "<t>Ratna Sari</t>" in sheet
    parts["xl/worksheets/sheet1.xml"] = sheet.replace("<t>Ratna Sari</t>", f"<t>{text}</t>").encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def _big_text():
    import random

    rnd = random.Random(5)
    return "".join(rnd.choice("abcdefghijklmnopqrstuvwxyz ") for _ in range(20 * 2**20))


@pytest.mark.parametrize("case,message", [
    ("utf16", "simpan sebagai \"CSV UTF-8\""),
    ("utf16-no-bom", "simpan sebagai \"CSV UTF-8\""),
    ("big-csv-cell", "Baris 3 berisi sel lebih dari 32.767 karakter"),
    ("big-xlsx-cell", "Baris 3 berisi sel lebih dari 32.767 karakter"),
])
def test_files_that_are_not_the_table_they_seem_say_what_to_do(rangda, tmp_path, case, message):
    """Excel's "Unicode text" (UTF-16) is a CSV to save again, not "not a spreadsheet"; a 20 MB
    cell is named as such, not "an unexpected error" (the csv module's field limit)."""
    if case.startswith("utf16"):
        path = write_csv(tmp_path / "warga.txt", HEADERS, GOOD_ROWS, delimiter="\t",
                         encoding="utf-16" if case == "utf16" else "utf-16-le")
    elif case == "big-csv-cell":
        rows = [list(r) for r in GOOD_ROWS]
        rows[1][2] = _big_text()
        path = write_csv(tmp_path / "warga.csv", HEADERS, rows)
    else:
        path = _xlsx_with_cell(tmp_path / "warga.xlsx", _big_text())
    before = snapshot()
    with pytest.raises(SpreadsheetError) as exc:
        import_penduduk(path, rangda, dry_run=False)
    assert message in str(exc.value)
    assert snapshot() == before


def test_ten_thousand_unknown_columns_are_named_a_few_and_counted(rangda, tmp_path):
    extra = [f"kolom_{i}" for i in range(10_000)]
    path = write_csv(tmp_path / "lebar.csv", HEADERS + extra, [r + [""] * len(extra) for r in GOOD_ROWS])
    with pytest.raises(SpreadsheetError) as exc:
        import_penduduk(path, rangda)
    text = str(exc.value)
    assert "kolom_0, kolom_1" in text and "kolom_9 dan 9.990 lainnya" in text
    assert "kolom_10," not in text and len(text) < 400


def test_invisible_characters_of_a_cell_are_dropped_and_odd_spaces_made_plain():
    """Dukcapil's exports carry zero-width and direction marks, and non-breaking spaces."""
    from sidekel.penduduk.formats import clean_number, clean_text

    assert clean_text("\u200bSiti\u00a0Aminah\u200e\u2003") == "Siti Aminah"
    assert clean_text("\ufeff-") == ""  # a dash alone is an empty cell
    assert clean_number("\u200e6201020101800669\u200b") == "6201020101800669"
    assert clean_text("Siti Aminah") == "Siti Aminah" and clean_text(12.0) == "12"
