"""Bad input changes nothing: a message by field, no school, no school year, no audit row."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sidekel.akun.choices import Role
from sidekel.akun.services import create_user
from sidekel.core.models import ObjectChange
from sidekel.wilayah.services import ensure_rt

from .. import services
from ..models import DataSekolah, Sekolah

SD = {"npsn": "30200001", "nama": "SDN 1 Rangda", "jenjang": "sd", "status": "negeri", "kementerian": "kemendikdasmen"}


def written():
    return Sekolah.objects.count(), DataSekolah.objects.count(), ObjectChange.objects.count()


@pytest.fixture
def operator(rangda):
    return create_user("op", role=Role.OPERATOR, password="x", desa_kode=[rangda.kode], validate=False)


@pytest.mark.django_db
def test_a_school_is_saved_and_audited(rangda, operator):
    rt = ensure_rt(rangda, "003", None, "Melati")
    sekolah = services.save_sekolah(rangda, {**SD, "rt": rt.id, "lintang": "-2,6812", "bujur": "111.6273",
                                             "kepala_nama": "Ibu Kepala"}, user=operator)
    assert (sekolah.desa, sekolah.rt, str(sekolah.lintang)) == (rangda, rt, "-2.681200")
    change = ObjectChange.objects.get(object_id=sekolah.pk, content_type__model="sekolah")
    assert change.username == "op" and change.after["npsn"] == "30200001"


@pytest.mark.django_db
@pytest.mark.parametrize("field, value", [("npsn", "3020001"), ("npsn", "3020000A"), ("npsn", ""), ("jenjang", "kuliah"),
                                          ("lintang", "95"), ("nama", "  ")])
def test_a_bad_school_field_is_refused_by_field(rangda, operator, field, value):
    before = written()
    with pytest.raises(ValidationError) as caught:
        services.save_sekolah(rangda, {**SD, field: value}, user=operator)
    assert field in caught.value.message_dict
    assert written() == before


@pytest.mark.django_db
def test_an_npsn_already_used_is_refused(rangda, raja, operator):
    services.save_sekolah(raja, {**SD, "nama": "SDN Raja"}, user=None)
    before = written()
    with pytest.raises(ValidationError) as caught:
        services.save_sekolah(rangda, SD, user=operator)
    assert "30200001" in caught.value.message_dict["npsn"][0]
    assert written() == before


@pytest.mark.django_db
def test_a_school_outside_the_users_villages_is_refused(rangda, raja, operator):
    before = written()
    with pytest.raises(PermissionDenied):
        services.save_sekolah(raja, SD, user=operator)
    other = services.save_sekolah(raja, SD, user=None)
    with pytest.raises(PermissionDenied):
        services.save_data(other, "2025/2026", {"guru": 1}, user=operator)
    assert written()[0] == before[0] + 1 and DataSekolah.objects.count() == 0


@pytest.mark.django_db
def test_an_rt_of_another_village_is_refused(rangda, raja, operator):
    rt = ensure_rt(raja, "001", None, "Mawar")
    with pytest.raises(ValidationError) as caught:
        services.save_sekolah(rangda, {**SD, "rt": rt.id}, user=operator)
    assert "rt" in caught.value.message_dict


@pytest.mark.django_db
@pytest.mark.parametrize("tahun, data, field", [
    ("2025/2027", {}, "tahun_ajaran"), ("2025-2026", {}, "tahun_ajaran"), ("25/26", {}, "tahun_ajaran"),
    ("2025/2026", {"murid": {"1": [-1, 3]}}, "murid_1_l"),
    ("2025/2026", {"murid": {"1": [3, 99999]}}, "murid_1_p"),
    ("2025/2026", {"murid": {"9": [3, 3]}}, "murid"),  # an SD has no grade 9
    ("2025/2026", {"guru": -2}, "guru"), ("2025/2026", {"ruang_rusak_berat": 1000}, "ruang_rusak_berat"),
    ("2025/2026", {"guru": "dua"}, "guru"),
])
def test_bad_school_year_figures_are_refused(rangda, operator, tahun, data, field):
    sekolah = services.save_sekolah(rangda, SD, user=operator)
    before = written()
    with pytest.raises(ValidationError) as caught:
        services.save_data(sekolah, tahun, data, user=operator)
    assert field in caught.value.message_dict
    assert written() == before


@pytest.mark.django_db
def test_a_school_year_is_recorded_then_corrected(rangda, operator):
    sekolah = services.save_sekolah(rangda, SD, user=operator)
    row = services.save_data(sekolah, "2025/2026", {"murid": {"1": [10, 11], "2": [9, 8]}, "guru": 5, "ruang_baik": 6},
                             user=operator)
    assert (row.murid_laki_laki, row.murid_perempuan, row.murid["3"]) == (19, 19, [0, 0])
    again = services.save_data(sekolah, "2025/2026", {"murid": {"1": [12, 11]}, "guru": 6}, user=operator)
    assert again.pk == row.pk and again.murid_laki_laki == 12 and DataSekolah.objects.count() == 1
    with pytest.raises(ValidationError):  # the grades belong to the level
        services.save_sekolah(rangda, {**SD, "jenjang": "smp"}, user=operator, sekolah=sekolah)
