import pytest

from sidekel.akun.choices import Role
from sidekel.akun.services import create_user

RANGDA, RAJA = "62.01.02.2010", "62.01.02.1007"


@pytest.fixture
def people(keluarga_budi, raja):
    """Desa Rangda's operator and kepala desa, and Desa Raja's operator (and the seeded letter types,
    which a transactional test run before may have emptied)."""
    from sidekel.layanan.katalog import seed

    seed()
    return {
        "op": create_user("op_rangda", role=Role.OPERATOR, password="x", desa_kode=[RANGDA], validate=False),
        "kades": create_user("kades_rangda", role=Role.KEPALA_DESA, password="x", desa_kode=[RANGDA],
                             validate=False, first_name="Harun Effendi"),
        "op_b": create_user("op_raja", role=Role.OPERATOR, password="x", desa_kode=[RAJA], validate=False),
    }
