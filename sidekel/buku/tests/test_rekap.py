"""B.3 counting against a ledger the test keeps itself, and the monthly approval workflow."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sidekel.buku import services
from sidekel.buku.models import Rekap, month_locked
from sidekel.buku.output import kecamatan_rekap, rekap_data
from sidekel.buku.rekap import batas_bulan, hitung_rekap
from sidekel.penduduk import services as penduduk_services
from sidekel.penduduk.choices import StatusDasar
from sidekel.penduduk.tests.factories import jumlah_penduduk
from sidekel.penduduk.models import Penduduk, Peristiwa

from .conftest import last_month


@pytest.fixture
def month_with_everything(village):
    """Two dusun, WNA and WNI, births, moves in, deaths, moves out, a missing person, events
    before and after the month. Returns (village, year, month)."""
    tahun, bulan, _ = last_month()
    day = lambda d: datetime.date(tahun, bulan, d)  # noqa: E731
    before = datetime.date(tahun, bulan, 1) - datetime.timedelta(days=20)
    today = timezone.localdate()
    v = village
    ka, kb = v.keluarga("Sungai", "6201021501200001"), v.keluarga("Padang", "6201021501200002")

    a1 = v.resident(ka, "Sungai", "Ahmad", kepala=True)
    a2 = v.resident(ka, "Sungai", "Aminah", perempuan=True, end=False)
    v.resident(ka, "Sungai", "John Smith", wna=True)
    b1 = v.resident(kb, "Padang", "Bakri", kepala=True, end=False)
    b2 = v.resident(kb, "Padang", "Maria Gomez", perempuan=True, wna=True)
    b3 = v.resident(kb, "Padang", "Peter Lee", wna=True, end=False)
    c1 = v.resident(None, "-", "Tanpa KK", perempuan=True, end=False)
    e1 = v.moves_in(ka, "Sungai", "Erna", before, perempuan=True, start=True)

    for p, kind in [
        (v.born(ka, "Sungai", "Bayi Satu", day(10)), "lahir"),
        (v.born(kb, "Padang", "Baby Two", day(12), perempuan=True, wna=True), "lahir"),
        (v.born(ka, "Sungai", "Bayi Tiga", day(11), perempuan=True), "lahir"),
        (v.moves_in(kb, "Padang", "Hans Weber", day(5), wna=True), "datang"),
        (v.moves_in(ka, "Sungai", "Fitri", day(6), perempuan=True), "datang"),
    ]:
        v.event(p, kind)
    penduduk_services.record_death(a2, tanggal=day(15), tempat="Rumah")
    v.event(a2, "mati")
    penduduk_services.record_death(b3, tanggal=day(16))
    v.event(b3, "mati")
    penduduk_services.record_move_out(b1, tanggal=day(20), tujuan="Sampit", kepala_baru=b2)
    v.event(b1, "pindah")
    penduduk_services.record_missing(c1, tanggal=day(21))
    v.event(c1, "pindah")
    short = v.born(kb, "Padang", "Bayi Pindah", day(3), end=False)
    v.event(short, "lahir")
    penduduk_services.record_move_out(short, tanggal=day(25), tujuan="Kumai")
    v.event(short, "pindah")

    # After the month: none of this may show in the month's figures.
    penduduk_services.record_death(a1, tanggal=today, kepala_baru=e1)
    v.born(ka, "Sungai", "Bayi Baru", today, end=False)
    v.moves_in(kb, "Padang", "Datang Baru", today, end=False)
    return v, tahun, bulan


def _row(data, nama):
    return next(r for r in data["baris"] if r["dusun"] == nama)


def test_b3_columns_match_the_ledger_for_every_dusun_and_the_total(month_with_everything):
    v, tahun, bulan = month_with_everything
    data = hitung_rekap(v.desa, tahun, bulan)
    assert [r["dusun"] for r in data["baris"]] == ["Padang", "Sungai", "(tanpa dusun)"]
    for nama in ("Padang", "Sungai", "-", None):
        row = data["jumlah"] if nama is None else _row(data, "(tanpa dusun)" if nama == "-" else nama)
        start, end = v.expected(nama)
        assert len(row["kolom"]) == 30
        assert row["kolom"][0:7] == start, nama
        assert row["kolom"][7:23] == v.expected_events(nama), nama
        assert row["kolom"][23:30] == end, nama
    # Someone went missing in the row without a dusun: said in Keterangan.
    assert _row(data, "(tanpa dusun)")["keterangan"] == "termasuk 1 hilang/pergi"


def test_b3_balances_and_agrees_with_jumlah_penduduk(month_with_everything):
    v, tahun, bulan = month_with_everything
    total = hitung_rekap(v.desa, tahun, bulan)["jumlah"]["kolom"]
    awal, akhir = batas_bulan(tahun, bulan)
    start, added, removed, end = total[6], sum(total[7:15]), sum(total[15:23]), total[29]
    assert end == start + added - removed
    assert start == jumlah_penduduk([v.desa.id], awal - datetime.timedelta(days=1))[v.desa.id]
    assert end == jumlah_penduduk([v.desa.id], akhir)[v.desa.id]


def test_a_move_between_villages_counts_in_both(village, raja):
    tahun, bulan, day = last_month()
    k = village.keluarga("Sungai")
    p = village.resident(k, "Sungai", "Pindahan", kepala=True)
    penduduk_services.move_to_village(p, raja, tanggal=day)
    data = hitung_rekap(village.desa, tahun, bulan)
    old, new = data["jumlah"]["kolom"], hitung_rekap(raja, tahun, bulan)["jumlah"]["kolom"]
    assert (old[6], old[21], old[29]) == (1, 1, 0)  # there at the start, moved out (WNI L), gone at the end
    assert (new[6], new[13], new[29]) == (0, 1, 1)  # moved in (WNI L)
    # The event kept the RT they left from: counted in their old dusun, though their record is in Raja now.
    assert [r["dusun"] for r in data["baris"]] == ["Sungai"] and data["baris"][0]["kolom"][6] == 1


def test_nobody_born_after_the_start_of_the_month_counts_then_even_without_a_birth_event(village):
    tahun, bulan, day = last_month()
    k = village.keluarga("Sungai")
    village.resident(k, "Sungai", "Ibu", kepala=True, perempuan=True)
    village.resident(k, "Sungai", "Bayi Impor", lahir=day)  # registered (as an import would), no LAHIR event
    total = hitung_rekap(village.desa, tahun, bulan)["jumlah"]["kolom"]
    assert (total[6], total[29]) == (1, 2)


def test_workflow_submit_send_back_resubmit_approve_lock_and_correct(village, users):
    tahun, bulan, day = last_month()
    k = village.keluarga("Sungai", "6201021501200001")
    kepala = village.resident(k, "Sungai", "Ahmad", kepala=True)
    istri = village.resident(k, "Sungai", "Aminah", perempuan=True)
    desa = village.desa

    with pytest.raises(PermissionDenied):
        services.submit_rekap(desa, tahun, bulan, user=users["camat"])
    with pytest.raises(PermissionDenied):
        services.submit_rekap(desa, tahun, bulan, user=users["op_b"])
    rekap = services.submit_rekap(desa, tahun, bulan, user=users["op_a"])
    assert rekap.status == Rekap.Status.DIAJUKAN and rekap.diajukan_oleh == users["op_a"]
    assert rekap.data["jumlah"]["kolom"][29] == 2
    with pytest.raises(ValidationError):
        services.submit_rekap(desa, tahun, bulan, user=users["kades_a"])  # already waiting

    with pytest.raises(PermissionDenied):
        services.approve_rekap(rekap, user=users["op_a"])
    with pytest.raises(PermissionDenied):
        services.approve_rekap(rekap, user=users["kades_a"])
    with pytest.raises(ValidationError):
        services.return_rekap(rekap, user=users["camat"], catatan="  ")
    rekap = services.return_rekap(rekap, user=users["camat"], catatan="Kelahiran bulan ini belum dicatat")
    assert rekap.status == Rekap.Status.DIKEMBALIKAN and rekap.catatan == "Kelahiran bulan ini belum dicatat"
    assert not month_locked(desa.id, day)
    with pytest.raises(ValidationError):
        services.approve_rekap(rekap, user=users["camat"])  # not waiting any more

    # The village fixes the data: the missing birth, then submits again (the kepala desa this time).
    bayi, _ = penduduk_services.record_birth(k, nama="Bayi", jenis_kelamin=1, tanggal_lahir=day, ibu=istri, ayah=kepala)
    rekap = services.submit_rekap(desa, tahun, bulan, user=users["kades_a"])
    assert rekap.status == Rekap.Status.DIAJUKAN
    rekap = services.approve_rekap(rekap, user=users["camat"])
    assert rekap.status == Rekap.Status.DISETUJUI and rekap.diputuskan_oleh == users["camat"]
    frozen = Rekap.objects.get(pk=rekap.pk).data
    assert frozen["jumlah"]["kolom"][29] == 3 and frozen["disetujui_oleh"] == "camat"
    assert month_locked(desa.id, day)
    with pytest.raises(ValidationError):
        services.submit_rekap(desa, tahun, bulan, user=users["op_a"])

    # A death dated in the locked month needs a reason; without one nothing changes.
    with pytest.raises(ValidationError) as refused:
        penduduk_services.record_death(kepala, tanggal=day, kepala_baru=istri, user=users["op_a"])
    assert "alasan_koreksi" in refused.value.error_dict
    assert Penduduk.objects.get(pk=kepala.pk).status_dasar == StatusDasar.HIDUP
    penduduk_services.record_death(kepala, tanggal=day, kepala_baru=istri, user=users["op_a"],
                                   alasan_koreksi="Laporan kematian terlambat")
    event = Peristiwa.objects.get(penduduk=kepala)
    assert event.koreksi and event.alasan_koreksi == "Laporan kematian terlambat"

    # The event counts today, the frozen recap does not change.
    assert Rekap.objects.get(pk=rekap.pk).data == frozen
    assert rekap_data(desa, tahun, bulan)[0] == frozen
    assert hitung_rekap(desa, tahun, bulan)["jumlah"]["kolom"][29] == 2
    # An event in another, unlocked month is no correction.
    this_month = timezone.localdate()
    penduduk_services.record_move_out(istri, tanggal=this_month, tujuan="Kumai", kepala_baru=bayi)
    assert not Peristiwa.objects.get(penduduk=istri).koreksi


def test_a_month_that_has_not_ended_cannot_be_submitted(village, users):
    today = timezone.localdate()
    if batas_bulan(today.year, today.month)[1] == today:
        pytest.skip("today is the last day of the month: submitting it is allowed")
    with pytest.raises(ValidationError):
        services.submit_rekap(village.desa, today.year, today.month, user=users["op_a"])


def test_kecamatan_recap_uses_approved_figures_and_marks_the_others(village, raja, users):
    tahun, bulan, day = last_month()
    k = village.keluarga("Sungai")
    village.resident(k, "Sungai", "Ahmad", kepala=True)
    rekap = services.approve_rekap(services.submit_rekap(village.desa, tahun, bulan, user=users["op_a"]),
                                   user=users["admin"])
    # Raja has one resident and no recap; after approval Rangda gains one more (a late registration).
    from sidekel.penduduk.tests.factories import adult
    penduduk_services.register_penduduk(raja, nik=None, **adult(nama="Dewi", hubungan_keluarga=11))
    village.resident(k, "Sungai", "Terlambat")
    rows, total = kecamatan_rekap([village.desa, raja], tahun, bulan)
    assert rows[0]["disetujui"] and rows[0]["kolom"] == rekap.data["jumlah"]["kolom"]
    assert rows[0]["kolom"][29] == 1  # the approved figure, not today's 2
    assert not rows[1]["disetujui"] and rows[1]["keterangan"].startswith("belum diajukan")
    assert rows[1]["kolom"][29] == 1
    assert total[29] == 2
