"""Families on screen and cancelling an event recorded by mistake: the services and their rules."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sidekel.akun.choices import Role
from sidekel.akun.services import create_user
from sidekel.core.models import ObjectChange
from sidekel.penduduk import kualitas, rules, services
from sidekel.penduduk.choices import HubunganKeluarga as H, JenisKelamin, StatusDasar, StatusPerkawinan
from sidekel.penduduk.models import Keluarga, NomorKK, Penduduk, Peristiwa
from sidekel.penduduk.tests.factories import adult
from sidekel.statistik import services as statistik


def days_ago(n):
    return timezone.localdate() - datetime.timedelta(days=n)


def population(desa, pada):
    return statistik.summary([desa.id], pada)[desa.id]["jumlah"]


def messages_of(exc):
    return " ".join(exc.value.messages)


@pytest.fixture
def op_b(raja):
    return create_user("op_b", role=Role.OPERATOR, password="x", desa_kode=[raja.kode], validate=False)


# --- rules ------------------------------------------------------------------------------------------

def test_family_heads_rule_wants_exactly_one_head():
    assert rules.family_heads([H.KEPALA_KELUARGA, H.ISTRI, H.ANAK]) == []
    assert [f.code for f in rules.family_heads([H.ISTRI, H.ANAK])] == ["kk-tanpa-kepala"]
    two = rules.family_heads([H.KEPALA_KELUARGA, H.KEPALA_KELUARGA])
    assert [f.code for f in two] == ["kk-kepala-ganda"] and "2 anggota" in two[0].message


def test_split_rule():
    assert [f.code for f in rules.split(0, 3, False)] == ["pisah-kosong"]
    assert [f.code for f in rules.split(1, 3, True)] == ["pisah-kepala"]
    assert [f.code for f in rules.split(3, 3, False)] == ["pisah-semua"]
    assert rules.split(2, 3, False) == []


def test_cancel_rule():
    assert [f.code for f in rules.cancel_event("", False, True)] == ["batal-tanpa-alasan"]
    assert [f.code for f in rules.cancel_event("salah orang", True, True)] == ["batal-ganda"]
    assert [f.code for f in rules.cancel_event("salah orang", False, False)] == ["batal-bukan-terakhir"]
    assert rules.cancel_event("salah orang", False, True) == []


# --- Buat KK baru / Masukkan ke KK --------------------------------------------------------------------

def test_new_kk_for_a_resident_without_one(rangda):
    joko, _ = services.register_penduduk(rangda, nik="6201021203850002", **adult(nama="Joko"))
    assert set(kualitas.findings("tanpa-kk", [rangda.id]).values_list("id", flat=True)) == {joko.pk}
    keluarga, _w = services.create_keluarga_for(joko, nomor_kk="6201 0215 0120 0009", tanggal_kk=days_ago(3))
    joko.refresh_from_db()
    assert (joko.keluarga_id, joko.hubungan_keluarga) == (keluarga.pk, H.KEPALA_KELUARGA)
    assert keluarga.nomor_kk == "6201021501200009" and keluarga.kepala == joko
    assert list(NomorKK.objects.filter(keluarga=keluarga).values_list("nomor", flat=True)) == ["6201021501200009"]
    assert not kualitas.findings("tanpa-kk", [rangda.id]).exists()
    assert ObjectChange.objects.filter(object_id=joko.pk, content_type__model="penduduk", action="update",
                                       after__keluarga_id=keluarga.pk).exists()


def test_new_kk_refuses_a_bad_or_taken_number_and_a_head_with_family(keluarga_budi, rangda):
    keluarga, budi, siti, andi = keluarga_budi
    joko, _ = services.register_penduduk(rangda, nik="6201021203850002", **adult(nama="Joko"))
    with pytest.raises(ValidationError) as exc:
        services.create_keluarga_for(joko, nomor_kk="123")
    assert "nomor_kk" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.create_keluarga_for(joko, nomor_kk=keluarga.nomor_kk)
    assert "sudah terdaftar" in messages_of(exc)
    with pytest.raises(ValidationError) as exc:
        services.create_keluarga_for(budi, nomor_kk="6201021501200009")
    assert "kepala keluarga yang masih punya anggota lain" in messages_of(exc)
    assert Keluarga.objects.count() == 1 and Penduduk.objects.get(pk=joko.pk).keluarga_id is None


def test_join_keluarga_with_relationship_and_its_refusals(keluarga_budi, rangda, raja, op_b):
    keluarga, budi, siti, andi = keluarga_budi
    ibu, _ = services.register_penduduk(rangda, nik="6201025002600001", **adult(
        nama="Sumi", jenis_kelamin=JenisKelamin.PEREMPUAN, tanggal_lahir=datetime.date(1960, 2, 10),
        hubungan_keluarga=H.LAINNYA))
    with pytest.raises(ValidationError) as exc:  # a second living head
        services.join_keluarga(ibu, keluarga, hubungan_keluarga=H.KEPALA_KELUARGA)
    assert "Budi Santoso" in messages_of(exc) and "kepala" in messages_of(exc)
    with pytest.raises(PermissionDenied):
        services.join_keluarga(ibu, keluarga, hubungan_keluarga=H.ORANG_TUA, user=op_b)
    services.join_keluarga(ibu, keluarga, hubungan_keluarga=H.ORANG_TUA)
    ibu.refresh_from_db()
    assert (ibu.keluarga_id, ibu.hubungan_keluarga, ibu.rt_id) == (keluarga.pk, H.ORANG_TUA, keluarga.rt_id)
    with pytest.raises(ValidationError) as exc:
        services.join_keluarga(ibu, keluarga, hubungan_keluarga=H.ORANG_TUA)
    assert "sudah menjadi anggota" in messages_of(exc)
    other = services.create_keluarga(raja, nomor_kk="6201071501200001")
    with pytest.raises(ValidationError) as exc:
        services.join_keluarga(andi, other, hubungan_keluarga=H.ANAK)
    assert "desa lain" in messages_of(exc)


# --- split ------------------------------------------------------------------------------------------

def test_split_a_family(keluarga_budi, rangda):
    keluarga, budi, siti, andi = keluarga_budi
    rina, _ = services.register_penduduk(rangda, keluarga=keluarga, nik="6201024404940001", **adult(
        nama="Rina", jenis_kelamin=JenisKelamin.PEREMPUAN, tanggal_lahir=datetime.date(1994, 4, 4),
        hubungan_keluarga=H.MENANTU))
    baru, _w = services.split_keluarga(keluarga, {andi: H.KEPALA_KELUARGA, rina: H.ISTRI},
                                       nomor_kk="6201021501200010", tanggal_kk=days_ago(1))
    assert baru.kepala == Penduduk.objects.get(pk=andi.pk)
    assert set(baru.anggota.values_list("nama", "hubungan_keluarga")) == {("Andi", H.KEPALA_KELUARGA), ("Rina", H.ISTRI)}
    assert set(keluarga.anggota.values_list("nama", flat=True)) == {"Budi Santoso", "Siti Aminah"}
    assert keluarga.kepala == budi


@pytest.mark.parametrize("members, message", [
    (lambda b, s, a: {}, "Pilih anggota"),
    (lambda b, s, a: {b: H.KEPALA_KELUARGA, a: H.ANAK}, "Kepala keluarga tetap di KK ini"),
    (lambda b, s, a: {s: H.ISTRI, a: H.ANAK}, "Pilih satu anggota sebagai Kepala Keluarga"),
    (lambda b, s, a: {s: H.KEPALA_KELUARGA, a: H.KEPALA_KELUARGA}, "hanya punya satu kepala"),
])
def test_split_refusals_change_nothing(keluarga_budi, members, message):
    keluarga, budi, siti, andi = keluarga_budi
    with pytest.raises(ValidationError) as exc:
        services.split_keluarga(keluarga, members(budi, siti, andi), nomor_kk="6201021501200010")
    assert message in messages_of(exc)
    assert Keluarga.objects.count() == 1 and keluarga.anggota.count() == 3


# --- a family moves in ------------------------------------------------------------------------------

def family_rows():
    return [
        adult(nama="Hasan", nik="6201021505800001", tanggal_lahir=datetime.date(1980, 5, 15)),
        adult(nama="Aisyah", nik="6201025606820001", jenis_kelamin=JenisKelamin.PEREMPUAN,
              tanggal_lahir=datetime.date(1982, 6, 16), hubungan_keluarga=H.ISTRI),
        adult(nama="Umar", tanggal_lahir=datetime.date(2012, 1, 1), hubungan_keluarga=H.ANAK,
              status_perkawinan=StatusPerkawinan.BELUM_KAWIN),
    ]


def test_a_family_moves_in_whole_and_counts_on_past_dates(rangda):
    before = population(rangda, days_ago(10))
    keluarga, _w = services.move_in_keluarga(rangda, nomor_kk="6201021501200011", members=family_rows(),
                                             tanggal=days_ago(5), asal="Sampit")
    assert keluarga.kepala.nama == "Hasan" and keluarga.anggota.count() == 3
    assert Peristiwa.objects.filter(penduduk__keluarga=keluarga, jenis=5, asal_tujuan="Sampit").count() == 3
    assert population(rangda, days_ago(10)) == before
    assert population(rangda, days_ago(1)) == before + 3


def test_a_family_moving_in_needs_one_head_and_a_valid_kk(rangda, keluarga_budi):
    rows = family_rows()
    rows[0]["hubungan_keluarga"] = H.SUAMI
    with pytest.raises(ValidationError) as exc:
        services.move_in_keluarga(rangda, nomor_kk="6201021501200011", members=rows, tanggal=days_ago(5), asal="x")
    assert "Kepala Keluarga" in messages_of(exc)
    rows = family_rows()
    rows[2]["nik"] = keluarga_budi[1].nik  # Budi's NIK: the whole family is refused, nothing stays
    with pytest.raises(ValidationError) as exc:
        services.move_in_keluarga(rangda, nomor_kk="6201021501200011", members=rows, tanggal=days_ago(5), asal="x")
    assert "Umar" in messages_of(exc) and "Budi Santoso" in messages_of(exc)
    assert not Keluarga.objects.filter(nomor_kk="6201021501200011").exists()
    assert not Penduduk.objects.filter(nama="Hasan").exists()


# --- cancelling an event recorded by mistake --------------------------------------------------------

def test_a_death_recorded_by_mistake_is_cancelled_and_the_old_head_is_head_again(keluarga_budi, rangda):
    keluarga, budi, siti, andi = keluarga_budi
    Penduduk.objects.filter(pk=budi.pk).update(tanggal_mulai_tinggal=None)
    before = population(rangda, days_ago(30))
    event = services.record_death(budi, tanggal=days_ago(20), kepala_baru=siti)
    assert keluarga.kepala == Penduduk.objects.get(pk=siti.pk)
    assert population(rangda, days_ago(10)) == before - 1
    with pytest.raises(ValidationError) as exc:
        services.cancel_peristiwa(event, alasan="  ")
    assert "alasan" in messages_of(exc)
    services.cancel_peristiwa(event, alasan="Salah orang: yang meninggal Budi lain")
    budi.refresh_from_db(); siti.refresh_from_db(); event.refresh_from_db()
    assert budi.status_dasar == StatusDasar.HIDUP and budi.hubungan_keluarga == H.KEPALA_KELUARGA
    assert siti.hubungan_keluarga == H.ISTRI and keluarga.kepala == budi
    assert event.dibatalkan_pada is not None and event.alasan_batal.startswith("Salah orang")
    for day in (30, 10, 0):
        assert population(rangda, days_ago(day)) == before
    # The history keeps both: the death and its cancellation.
    changes = ObjectChange.objects.filter(object_id=budi.pk, content_type__model="penduduk").values_list("action", "reason")
    assert ("restore", "Pembatalan Mati %s: Salah orang: yang meninggal Budi lain" % days_ago(20).strftime("%d-%m-%Y")) in changes
    assert ObjectChange.objects.filter(object_id=event.pk, content_type__model="peristiwa", action="update").exists()
    with pytest.raises(ValidationError) as exc:
        services.cancel_peristiwa(event, alasan="lagi")
    assert "sudah dibatalkan" in messages_of(exc)


def test_a_legacy_death_without_a_recorded_successor_finds_it_in_the_audit_log(keluarga_budi):
    keluarga, budi, siti, andi = keluarga_budi
    event = services.record_death(budi, tanggal=days_ago(2), kepala_baru=siti)
    Peristiwa.objects.filter(pk=event.pk).update(kepala_baru=None, hubungan_kepala_baru=None)
    services.cancel_peristiwa(event, alasan="salah catat")
    assert keluarga.kepala == Penduduk.objects.get(pk=budi.pk)
    assert Penduduk.objects.get(pk=siti.pk).hubungan_keluarga == H.ISTRI


def test_a_move_out_is_cancelled_and_only_the_latest_event(keluarga_budi, rangda):
    keluarga, budi, siti, andi = keluarga_budi
    gone = services.record_move_out(andi, tanggal=days_ago(9), tujuan="Palangka Raya")
    assert services.cancellable(Peristiwa.objects.get(pk=gone.pk))
    services.cancel_peristiwa(gone, alasan="tidak jadi pindah")
    assert Penduduk.objects.get(pk=andi.pk).status_dasar == StatusDasar.HIDUP
    death = services.record_death(andi, tanggal=days_ago(3))
    assert not services.cancellable(Peristiwa.objects.get(pk=gone.pk))
    assert services.cancellable(death)


def test_a_birth_recorded_by_mistake_is_cancelled(keluarga_budi, rangda):
    keluarga, budi, siti, andi = keluarga_budi
    before = population(rangda, days_ago(40))
    baby, _w = services.record_birth(keluarga, nama="Bayi", jenis_kelamin=1, tanggal_lahir=days_ago(30), ibu=siti)
    event = Peristiwa.objects.get(penduduk=baby)
    assert population(rangda, days_ago(10)) == before + 1
    services.cancel_peristiwa(event, alasan="bayi keluarga lain")
    assert Penduduk.objects.filter(pk=baby.pk, deleted_at__isnull=False).exists()
    assert population(rangda, days_ago(10)) == before
    assert population(rangda, timezone.localdate()) == before


def test_a_move_between_villages_is_not_cancelled_and_others_may_not(keluarga_budi, raja, op_b):
    keluarga, budi, siti, andi = keluarga_budi
    death = services.record_death(andi, tanggal=days_ago(3))
    with pytest.raises(PermissionDenied):
        services.cancel_peristiwa(death, alasan="x", user=op_b)
    services.cancel_peristiwa(death, alasan="salah catat")
    moved = services.move_to_village(siti, raja, tanggal=days_ago(1), hubungan_keluarga=H.KEPALA_KELUARGA)
    arrival = Peristiwa.objects.get(penduduk=moved, jenis=5)
    assert not services.cancellable(arrival)
    with pytest.raises(ValidationError) as exc:
        services.cancel_peristiwa(arrival, alasan="salah")
    assert "antardesa" in messages_of(exc)
