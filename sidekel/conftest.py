import pytest

from sidekel.wilayah.services import load_wilayah

ARUT_SELATAN = "62.01.02"


@pytest.fixture
def arut_selatan(db):
    """Kecamatan Arut Selatan and its 20 villages, served by this installation."""
    load_wilayah(kode=ARUT_SELATAN, manage=True)
    from sidekel.wilayah.models import Kecamatan

    return Kecamatan.objects.get(kode=ARUT_SELATAN)
