import pytest

from sidekel.akun.choices import Role
from sidekel.akun.services import create_user
from sidekel.peta import services

from .helpers import SQUARE


@pytest.fixture
def bounded(rangda):
    """Rangda with its square boundary."""
    services.simpan_fitur(rangda, user=None, lapisan="batas", geometry=SQUARE)
    return rangda


@pytest.fixture
def op_a(bounded):
    return create_user("op_a", role=Role.OPERATOR, password="x", desa_kode=[bounded.kode], validate=False)
