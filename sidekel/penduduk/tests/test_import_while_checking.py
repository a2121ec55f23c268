"""A first import writes its rows while its second process checks the next ones
(importer._write_while_checking). Whatever the file, it writes exactly what an import that writes
after its check writes (the same residents, families, KK numbers, RTs and audit rows, and the
same report), and all or nothing.

Each test makes every file "large" (IN_CHILD_FROM_BYTES = 0), so the second process runs for
real, with its own batches of 5,000 rows: the files here have two.
"""

import pytest
from django.db import transaction

from sidekel.core.jobs import Cancelled
from sidekel.core.models import ObjectChange
from sidekel.penduduk import importer, services
from sidekel.penduduk.importer import import_penduduk
from sidekel.penduduk.models import Keluarga, NomorKK, Penduduk
from sidekel.wilayah.models import Rt

from .factories import adult
from .files import HEADERS, many_families, messy_families, write_xlsx
from .test_import import snapshot
from .test_import_child import children


class Undone(Exception):
    """Raised to undo an import inside the test's transaction."""


def contents():
    """What the imports wrote, without ids or times (PostgreSQL's sequences are not undone)."""
    people = sorted((p.nik or "", p.nama, p.keluarga.nomor_kk if p.keluarga_id else "", str(p.rt or ""), p.desa_id,
                     p.jenis_kelamin, str(p.tanggal_lahir), p.agama, p.pekerjaan, p.hubungan_keluarga, p.alamat)
                    for p in Penduduk.objects.select_related("keluarga", "rt__dusun", "rt__rw"))
    heads = dict(Penduduk.objects.filter(hubungan_keluarga=1).values_list("keluarga_id", "nik"))
    families = sorted((k.nomor_kk, k.desa_id, str(k.rt or ""), k.alamat, heads.get(k.pk) or "")
                      for k in Keluarga.objects.select_related("rt__dusun", "rt__rw"))
    numbers = sorted(NomorKK.objects.values_list("nomor", "desa_id"))
    audit = sorted((c.object_repr, c.after.get("baris", 0), c.reason, c.action)
                   for c in ObjectChange.objects.filter(content_type__model="penduduk"))
    units = sorted(str(rt) for rt in Rt.objects.select_related("dusun", "rw"))
    return people, families, numbers, audit, units


def both_ways(monkeypatch, path, desa, **options):
    """(report, contents, how) of the import writing during its check, undone; then (report,
    contents) of the usual import, kept. ``how``: True, written during the check; False, written
    after it (rows refused once written); None, checked again and written after (not all new)."""
    outcomes = []
    during = importer._write_while_checking

    def recorded(*args, **kwargs):
        outcomes.append(during(*args, **kwargs))
        return outcomes[-1]

    monkeypatch.setattr(importer, "_write_while_checking", recorded)
    try:
        with transaction.atomic():
            first = import_penduduk(path, desa, dry_run=False, **options)
            written_during = contents()
            raise Undone
    except Undone:
        pass
    assert len(outcomes) == 1
    how = None if outcomes[0] is None else outcomes[0][1]
    monkeypatch.setattr(importer, "_writes_while_checking", lambda *args: False)
    usual = import_penduduk(path, desa, dry_run=False, **options)
    assert first.as_dict() == usual.as_dict() and first.committed == usual.committed
    assert written_during == contents()
    return usual, how


@pytest.fixture(autouse=True)
def in_child(monkeypatch):
    monkeypatch.setattr(importer, "IN_CHILD_FROM_BYTES", 0)


def test_a_clean_first_import_is_written_during_its_check(rangda, tmp_path, monkeypatch):
    path = write_xlsx(tmp_path / "warga.xlsx", HEADERS, many_families(1300))  # 5,200 rows: two batches
    report, how = both_ways(monkeypatch, path, rangda)
    assert how is True and (report.new, report.refused, report.committed) == (5200, set(), True)
    assert Keluarga.objects.count() == 1300 and children() == []


def test_a_family_refused_after_its_rows_were_written_is_undone_and_the_rest_written_after(rangda, tmp_path,
                                                                                           monkeypatch):
    """A second head of family 1 in the last batch: the family is refused whole when the check
    ends, after its first rows were written; the import is then written as usual."""
    rows = many_families(1300)
    second_head = list(rows[0])
    second_head[HEADERS.index("nik")], second_head[HEADERS.index("nama")] = "6201021708819999", "Kepala Kedua"
    report, how = both_ways(monkeypatch, write_xlsx(tmp_path / "warga.xlsx", HEADERS, rows + [second_head]), rangda)
    assert how is False and report.committed and len(report.refused) == 5 and report.new == 5196
    assert not Penduduk.objects.filter(nama__in=["Kepala 1", "Kepala Kedua"]).exists()


def test_a_file_with_every_kind_of_finding_writes_what_the_usual_import_writes(rangda, raja, tmp_path, monkeypatch):
    """messy_families: KK numbers of another village (a registered family: checked again, then
    written after), unknown codes, impossible dates, warnings."""
    rows, foreign, expected = messy_families(1300)
    Keluarga.objects.bulk_create([Keluarga(desa=raja, nomor_kk=number) for number in foreign])
    report, how = both_ways(monkeypatch, write_xlsx(tmp_path / "warga.xlsx", HEADERS, rows), rangda)
    assert how is None and report.committed
    assert len(report.refused) == 4 * len(expected["refused_families"])


def test_a_village_with_residents_is_written_after_its_check(rangda, tmp_path, monkeypatch):
    services.register_penduduk(rangda, nik="6201010101900001", **adult(nama="Sudah Ada"))
    assert not importer._writes_while_checking(write_xlsx(tmp_path / "w.xlsx", HEADERS, many_families(3)),
                                               importer.open_table(tmp_path / "w.xlsx"), rangda, None)


def test_cancelling_while_writing_during_the_check_changes_nothing(rangda, tmp_path):
    path = write_xlsx(tmp_path / "warga.xlsx", HEADERS, many_families(1300))
    before = snapshot()
    calls = []

    def cancelled():
        calls.append(Penduduk.objects.count())
        return len(calls) == 2  # after the first batch was written

    with pytest.raises(Cancelled):
        import_penduduk(path, rangda, dry_run=False, cancelled=cancelled)
    assert calls[-1] > 0, "rows were written before the import was cancelled"
    assert snapshot() == before and children() == []
