import pytest
from django.utils import timezone

from sidekel.akun.choices import Role
from sidekel.akun.services import create_user, issue_token


@pytest.fixture(autouse=True)
def catalogue(request):
    """The catalogue comes with migration 0002; a transactional test elsewhere flushes it: load it again."""
    if "db" in request.fixturenames or "transactional_db" in request.fixturenames or \
            request.node.get_closest_marker("django_db"):
        from sidekel.potensi.katalog import load
        from sidekel.potensi.models import Indikator

        request.getfixturevalue("db" if "transactional_db" not in request.fixturenames else "transactional_db")
        load(Indikator)


@pytest.fixture
def users(rangda, raja):
    return {
        "admin": create_user("admin", role=Role.ADMIN_KECAMATAN, password="x", validate=False),
        "camat": create_user("camat", role=Role.CAMAT, password="x", validate=False),
        "op_a": create_user("op_a", role=Role.OPERATOR, password="x", desa_kode=[rangda.kode], validate=False),
        "op_b": create_user("op_b", role=Role.OPERATOR, password="x", desa_kode=[raja.kode], validate=False),
        "kades_a": create_user("kades_a", role=Role.KEPALA_DESA, password="x", desa_kode=[rangda.kode], validate=False),
    }


@pytest.fixture
def tokens(users):
    return {name: issue_token(user) for name, user in users.items()}


@pytest.fixture
def last_year():
    return timezone.localdate().year - 1
