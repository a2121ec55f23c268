"""The region loader: the Kemendagri 2025 list, whole or one subtree."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from sidekel.wilayah.choices import JenisDesa
from sidekel.wilayah.models import Desa, Dusun, Kabupaten, Kecamatan, Provinsi, Rt, Rw
from sidekel.wilayah.services import DATA_DIR, ensure_rt, load_wilayah


def csv_rows(filename):
    with (DATA_DIR / filename).open(encoding="utf-8") as f:
        return sum(1 for _ in f) - 1


def test_subtree_loads_arut_selatan_with_its_ancestors(db):
    counts = load_wilayah(kode="62.01.02", manage=True)
    assert counts == {"provinsi": 1, "kabupaten": 1, "kecamatan": 1, "desa": 20, "managed": 20}
    kec = Kecamatan.objects.select_related("kabupaten__provinsi").get(kode="62.01.02")
    assert kec.nama == "Arut Selatan"
    assert kec.kabupaten.nama == "Kabupaten Kotawaringin Barat"
    assert kec.kabupaten.provinsi.nama == "Kalimantan Tengah"
    villages = Desa.objects.filter(kecamatan=kec)
    assert villages.filter(jenis=JenisDesa.KELURAHAN).count() == 7
    assert villages.filter(jenis=JenisDesa.DESA).count() == 13
    rangda = Desa.objects.get(kode="62.01.02.2010")
    assert (rangda.nama, rangda.jenis, rangda.kode_ringkas, rangda.managed) == ("Rangda", JenisDesa.DESA, "6201022010", True)
    assert Desa.objects.get(kode="62.01.02.1007").sebutan_dusun_tampil == "Lingkungan"
    assert rangda.sebutan_dusun_tampil == "Dusun"


def test_whole_country_loads_every_row_of_the_csv_files(db):
    counts = load_wilayah()
    assert counts == {
        "provinsi": csv_rows("provinces.csv"),
        "kabupaten": csv_rows("regencies.csv"),
        "kecamatan": csv_rows("districts.csv"),
        "desa": csv_rows("villages.csv"),
    }
    assert (Provinsi.objects.count(), Kabupaten.objects.count(), Kecamatan.objects.count(), Desa.objects.count()) == (
        38, 514, 7285, 83762)
    # Desa adat exist only in Kab. Jayapura (91.03).
    adat = Desa.objects.filter(jenis=JenisDesa.DESA_ADAT)
    assert adat.count() == 14 and not adat.exclude(kode__startswith="91.03.").exists()
    assert not Desa.objects.managed().exists()


def test_reload_keeps_ids_and_settings(db):
    load_wilayah(kode="62.01.02", manage=True)
    raja = Desa.objects.get(kode="62.01.02.1007")
    raja.sebutan_dusun = "Lingkungan Kota"
    raja.save()
    load_wilayah(kode="62.01")
    again = Desa.objects.get(kode="62.01.02.1007")
    assert (again.pk, again.sebutan_dusun, again.managed) == (raja.pk, "Lingkungan Kota", True)
    assert Kecamatan.objects.filter(kabupaten__kode="62.01").count() == 6
    assert Desa.objects.managed().count() == 20


def test_single_village_can_be_managed(db):
    counts = load_wilayah(kode="62.01.02.2010", manage=True)
    assert counts["desa"] == 1 and counts["managed"] == 1


@pytest.mark.parametrize(
    "kode,message",
    [
        ("62.1", "bentuk bertitik"),
        ("6201022010", "bentuk bertitik"),
        ("00", "Tidak ada wilayah"),
        ("62.01.99", "Tidak ada desa"),
    ],
)
def test_bad_codes_are_refused_and_change_nothing(db, kode, message):
    with pytest.raises(ValidationError) as exc:
        load_wilayah(kode=kode, manage=True)
    assert message in exc.value.messages[0]
    assert not Provinsi.objects.exists() and not Desa.objects.exists()


def test_command_line_reports_counts_and_errors(db, capsys):
    call_command("wilayah", "load", "--kode", "62.01.02", "--manage")
    out = capsys.readouterr().out
    assert "20 desa/kelurahan" in out and "dilayani" in out
    with pytest.raises(CommandError, match="bentuk bertitik"):
        call_command("wilayah", "load", "--kode", "62-01")
    with pytest.raises(CommandError, match="--kode"):
        call_command("wilayah", "load", "--manage")


@pytest.mark.parametrize(
    "dusun,rw,rt",
    [("Sumber Rejeki", "002", "001"), ("Sumber Rejeki", None, "003"), (None, "001", "001"), (None, None, "005")],
)
def test_addresses_with_or_without_dusun_and_rw(arut_selatan, dusun, rw, rt):
    desa = Desa.objects.get(kode="62.01.02.2010")
    first = ensure_rt(desa, rt, rw, dusun)
    assert ensure_rt(desa, rt, rw, dusun) == first  # the same address gives the same RT
    assert (first.dusun.nama if first.dusun else None, first.rw.nomor if first.rw else None, first.nomor) == (dusun, rw, rt)
    assert Rt.objects.filter(desa=desa).count() == 1
    assert Dusun.objects.count() == (1 if dusun else 0) and Rw.objects.count() == (1 if rw else 0)
