"""Write paths: NIK registered once, and every event moves the counts on the right dates."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sidekel.akun.choices import Role
from sidekel.akun.models import User
from sidekel.penduduk import services
from sidekel.penduduk.choices import HubunganKeluarga, JenisKelamin, JenisPeristiwa, StatusDasar
from sidekel.penduduk.models import NomorKK, Penduduk, Peristiwa

from sidekel.penduduk.tests.factories import adult, jumlah_penduduk


def days_ago(n):
    return timezone.localdate() - datetime.timedelta(days=n)


def counts(*desa, pada=None):
    result = jumlah_penduduk([d.id for d in desa], pada)
    return [result[d.id] for d in desa]


def test_register_fills_address_from_the_family_and_warns_on_nik_mismatch(keluarga_budi, rangda):
    keluarga, budi, *_ = keluarga_budi
    assert (budi.rt_id, budi.alamat) == (keluarga.rt_id, "RT 001 Sumber Rejeki")
    # NIK says born 12-03-85 and male; the record says 13 March: accepted, with a warning.
    _p, warnings = services.register_penduduk(
        rangda, nik="6201021203850002", **adult(nama="Joko", tanggal_lahir=datetime.date(1985, 3, 13)))
    assert len(warnings) == 1 and "13-03-1985" in warnings[0]


def test_nik_is_registered_once_in_the_whole_installation(keluarga_budi, raja):
    with pytest.raises(ValidationError) as exc:
        services.register_penduduk(raja, nik="6201021203850001", **adult(nama="Orang Lain"))
    message = exc.value.message_dict["nik"][0]
    assert "6201021203850001" in message and "Budi Santoso" in message and "Rangda" in message
    assert Penduduk.objects.count() == 3


def test_duplicate_nik_message_hides_the_village_from_an_official_of_another_village(keluarga_budi, raja):
    operator_raja = User.objects.create_user("op_raja", password="x", role=Role.OPERATOR)
    operator_raja.desa.add(raja)
    with pytest.raises(ValidationError) as exc:
        services.register_penduduk(raja, user=operator_raja, nik="6201021203850001", **adult(nama="Orang Lain"))
    message = exc.value.message_dict["nik"][0]
    assert "desa lain" in message and "Budi" not in message and "Rangda" not in message


def test_invalid_nik_and_second_head_are_refused(keluarga_budi, rangda):
    keluarga = keluarga_budi[0]
    with pytest.raises(ValidationError) as exc:
        services.register_penduduk(rangda, nik="6201023208900001", **adult())
    assert "41-71" in exc.value.message_dict["nik"][0]
    with pytest.raises(ValidationError) as exc:
        services.register_penduduk(rangda, keluarga=keluarga, nik="6201021203850009", **adult(nama="Kepala Kedua"))
    assert "Budi Santoso" in exc.value.message_dict["hubungan_keluarga"][0]
    assert Penduduk.objects.count() == 3


def test_birth_counts_from_its_date(keluarga_budi, rangda):
    keluarga, budi, siti, _ = keluarga_budi
    born = days_ago(10)
    bayi, _ = services.record_birth(keluarga, nama="Nur", jenis_kelamin=JenisKelamin.PEREMPUAN, tanggal_lahir=born,
                                    tempat_lahir="Pangkalan Bun", ibu=siti, ayah=budi)
    assert (bayi.hubungan_keluarga, bayi.nama_ibu, bayi.nik_ayah, bayi.agama) == (
        HubunganKeluarga.ANAK, "Siti Aminah", budi.nik, budi.agama)
    assert bayi.peristiwa.get().jenis == JenisPeristiwa.LAHIR
    assert counts(rangda) == [4]
    assert counts(rangda, pada=born) == [4]
    assert counts(rangda, pada=born - datetime.timedelta(days=1)) == [3]


def test_death_counts_from_its_date_and_the_head_is_replaced(keluarga_budi, rangda):
    keluarga, budi, siti, _ = keluarga_budi
    died = days_ago(30)
    with pytest.raises(ValidationError) as exc:
        services.record_death(budi, tanggal=died, tempat="Pangkalan Bun")
    assert "kepala keluarga baru" in exc.value.message_dict["kepala_baru"][0]
    assert Penduduk.objects.get(pk=budi.pk).status_dasar == StatusDasar.HIDUP and not Peristiwa.objects.exists()

    services.record_death(budi, tanggal=died, tempat="Pangkalan Bun", sebab="Sakit", kepala_baru=siti)
    assert Penduduk.objects.get(pk=budi.pk).status_dasar == StatusDasar.MATI
    assert keluarga.kepala == siti
    assert counts(rangda) == [2]
    assert counts(rangda, pada=died) == [2]
    assert counts(rangda, pada=died - datetime.timedelta(days=1)) == [3]
    with pytest.raises(ValidationError, match="tidak lagi tinggal"):
        services.record_move_out(Penduduk.objects.get(pk=budi.pk), tanggal=days_ago(1))


def test_move_between_villages_counts_in_each_on_the_right_dates(keluarga_budi, rangda, raja):
    andi = keluarga_budi[3]
    moved = days_ago(100)
    services.move_to_village(andi, raja, tanggal=moved)
    andi.refresh_from_db()
    assert (andi.desa_id, andi.keluarga_id, andi.status_dasar, andi.nik) == (raja.id, None, StatusDasar.HIDUP, "6201020909100001")
    assert counts(rangda, raja) == [2, 1]
    assert counts(rangda, raja, pada=moved) == [2, 1]
    assert counts(rangda, raja, pada=moved - datetime.timedelta(days=1)) == [3, 0]
    assert sorted(Peristiwa.objects.values_list("desa_id", "jenis", "desa_asal_tujuan_id")) == sorted(
        [(rangda.id, JenisPeristiwa.PINDAH_KELUAR, raja.id), (raja.id, JenisPeristiwa.PINDAH_DATANG, rangda.id)])


def test_move_in_and_move_out_of_the_installation(rangda):
    arrived = days_ago(200)
    p, _ = services.record_move_in(rangda, tanggal=arrived, asal="Kota Semarang", nik="3374011203850001",
                                   **adult(nama="Pendatang", hubungan_keluarga=HubunganKeluarga.LAINNYA))
    assert p.tanggal_mulai_tinggal == arrived
    left = days_ago(20)
    services.record_move_out(p, tanggal=left, tujuan="Kota Palangka Raya")
    assert counts(rangda, pada=arrived - datetime.timedelta(days=1)) == [0]
    assert counts(rangda, pada=arrived) == [1]
    assert counts(rangda, pada=left - datetime.timedelta(days=1)) == [1]
    assert counts(rangda) == [0]


def test_events_in_the_future_or_before_birth_are_refused(keluarga_budi):
    andi = keluarga_budi[3]
    with pytest.raises(ValidationError, match="masa depan"):
        services.record_missing(andi, tanggal=days_ago(-1))
    with pytest.raises(ValidationError, match="sebelum tanggal lahir"):
        services.record_missing(andi, tanggal=datetime.date(2000, 1, 1))
    assert not Peristiwa.objects.exists()


def test_a_new_kk_number_keeps_the_family_and_its_history(keluarga_budi):
    keluarga = keluarga_budi[0]
    services.issue_nomor_kk(keluarga, "6201020203240007", datetime.date(2024, 3, 2))
    keluarga.refresh_from_db()
    assert keluarga.nomor_kk == "6201020203240007"
    assert list(NomorKK.objects.filter(keluarga=keluarga).values_list("nomor", flat=True)) == [
        "6201021501200001", "6201020203240007"]
    assert keluarga.anggota.count() == 3
    with pytest.raises(ValidationError):
        services.issue_nomor_kk(keluarga, "6201025501200001")  # day 55: no +40 on a KK number

