import datetime

import pytest

from sidekel.core.testing import adult
from sidekel.penduduk import services
from sidekel.penduduk.choices import HubunganKeluarga, JenisKelamin, Pekerjaan, PendidikanKK, StatusPerkawinan
from sidekel.wilayah.models import Desa
from sidekel.wilayah.services import ensure_rt, load_wilayah

ARUT_SELATAN = "62.01.02"


@pytest.fixture
def arut_selatan(db):
    """Kecamatan Arut Selatan and its 20 villages, served by this installation."""
    load_wilayah(kode=ARUT_SELATAN, manage=True)
    from sidekel.wilayah.models import Kecamatan

    return Kecamatan.objects.get(kode=ARUT_SELATAN)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 is slow on purpose; tests that are not about hashing use a fast hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def rangda(arut_selatan):
    return Desa.objects.get(kode="62.01.02.2010")


@pytest.fixture
def raja(arut_selatan):
    return Desa.objects.get(kode="62.01.02.1007")


@pytest.fixture
def keluarga_budi(rangda):
    """A family in Desa Rangda: Budi (head, NIK ...0001), his wife Siti and son Andi."""
    rt = ensure_rt(rangda, "001", None, "Sumber Rejeki")
    keluarga = services.create_keluarga(rangda, nomor_kk="6201021501200001", tanggal_kk=datetime.date(2020, 1, 15), rt=rt,
                                        alamat="RT 001 Sumber Rejeki")
    budi, _ = services.register_penduduk(rangda, keluarga=keluarga, nik="6201021203850001", **adult())
    siti, _ = services.register_penduduk(
        rangda, keluarga=keluarga, nik="6201026507870001",
        **adult(nama="Siti Aminah", jenis_kelamin=JenisKelamin.PEREMPUAN, tanggal_lahir=datetime.date(1987, 7, 25),
                pekerjaan=Pekerjaan.MENGURUS_RUMAH_TANGGA, hubungan_keluarga=HubunganKeluarga.ISTRI))
    andi, _ = services.register_penduduk(
        rangda, keluarga=keluarga, nik="6201020909100001",
        **adult(nama="Andi", tanggal_lahir=datetime.date(2010, 9, 9), pendidikan_kk=PendidikanKK.TAMAT_SD,
                pekerjaan=Pekerjaan.PELAJAR_MAHASISWA, status_perkawinan=StatusPerkawinan.BELUM_KAWIN,
                hubungan_keluarga=HubunganKeluarga.ANAK))
    return keluarga, budi, siti, andi
