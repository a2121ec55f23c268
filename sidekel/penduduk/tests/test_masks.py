"""Masks that mask (issue 13, item 5).

Who may not see full NIK and KK numbers (the camat and kecamatan staff) finds a resident by the
whole 16-digit NIK only: a prefix answered digit by digit gave any full NIK back in about 37
requests. Every page, fragment and file that prints full numbers requires the reveal permission
and writes an access-log entry: the resident's change history and the family page show them
masked until the recorded "Show full numbers" step; the refused rows of an import are logged.
"""

import datetime

import pytest

from sidekel.akun.choices import Role
from sidekel.akun.services import create_user, issue_token
from sidekel.core.scope import can_search_nik_prefix
from sidekel.penduduk import services

BUDI_NIK = "6201021203850001"
BUDI_KK = "6201021501200001"


@pytest.fixture
def users(keluarga_budi, raja):
    rangda = keluarga_budi[0].desa
    return {
        "admin": create_user("admin", role=Role.ADMIN_KECAMATAN, password="x", validate=False),
        "camat": create_user("camat", role=Role.CAMAT, password="x", validate=False),
        "op": create_user("op", role=Role.OPERATOR, password="x", desa_kode=[rangda.kode], validate=False),
        "op_raja": create_user("op_raja", role=Role.OPERATOR, password="x", desa_kode=[raja.kode], validate=False),
        "kades": create_user("kades", role=Role.KEPALA_DESA, password="x", desa_kode=[rangda.kode], validate=False),
    }


def as_user(client, user):
    client.force_login(user)
    return client


def listed(client, q, **params):
    response = client.get("/penduduk/", {"q": q, **params})
    assert response.status_code == 200
    return [row["nama"] for row in response.context["page"].rows], response


def api_listed(client, user, q):
    response = client.get("/api/v1/penduduk/", {"q": q}, HTTP_AUTHORIZATION=f"Bearer {issue_token(user)}")
    assert response.status_code == 200
    body = response.json()
    return [r["nama"] for r in body["results"]], body["count"]


# --- searching by NIK ---------------------------------------------------------------------------

def test_the_camat_finds_a_resident_by_the_whole_nik_only_in_the_list(client, users):
    as_user(client, users["camat"])
    for prefix in (BUDI_NIK[:6], BUDI_NIK[:15], "6", "6201 0212"):
        names, response = listed(client, prefix)
        assert names == [] and response.context["total"] == 0, prefix
        assert "16 digit" in response.content.decode()  # the list says why
    # Chosen village or not, sorted any way: still nothing.
    assert listed(client, BUDI_NIK[:6], desa="62.01.02.2010", urut="-umur")[0] == []
    assert listed(client, BUDI_NIK)[0] == ["Budi Santoso"]
    assert listed(client, "6201 0212 0385 0001")[0] == ["Budi Santoso"]  # as printed on the KTP


def test_the_camat_finds_a_resident_by_the_whole_nik_only_in_the_api(client, users):
    camat = users["camat"]
    for prefix in (BUDI_NIK[:6], BUDI_NIK[:15], "6201 02"):
        assert api_listed(client, camat, prefix) == ([], 0), prefix
    assert api_listed(client, camat, BUDI_NIK) == (["Budi Santoso"], 1)


def test_a_partial_nik_does_not_fall_back_to_the_names(client, users, keluarga_budi):
    """Digits are never looked for in names, where a name with digits could answer instead."""
    services.register_penduduk(keluarga_budi[0].desa, nik="6201024404040004", nama="Warga 620102",
                               jenis_kelamin=2, tanggal_lahir=datetime.date(2004, 4, 4), agama=1,
                               pendidikan_kk=5, pekerjaan=9, status_perkawinan=1, hubungan_keluarga=11)
    as_user(client, users["camat"])
    assert listed(client, "620102")[0] == []
    assert api_listed(client, users["camat"], "620102") == ([], 0)


def test_an_operator_still_searches_by_the_first_digits_of_a_nik(client, users):
    for name in ("op", "kades", "admin"):
        as_user(client, users[name])
        assert listed(client, BUDI_NIK[:12])[0] == ["Budi Santoso"], name
        assert sorted(listed(client, "620102")[0]) == ["Andi", "Budi Santoso", "Siti Aminah"], name
        assert api_listed(client, users[name], BUDI_NIK[:12]) == (["Budi Santoso"], 1), name
    # The operator of another village finds nobody of Rangda, by any number.
    as_user(client, users["op_raja"])
    assert listed(client, "620102")[0] == [] and listed(client, BUDI_NIK)[0] == []


def test_one_rule_decides_who_may_search_by_the_first_digits(users, rangda, raja):
    assert can_search_nik_prefix(users["admin"])
    assert not can_search_nik_prefix(users["camat"])
    assert not can_search_nik_prefix(users["camat"], [rangda.id])
    assert can_search_nik_prefix(users["op"]) and can_search_nik_prefix(users["op"], [rangda.id])
    assert not can_search_nik_prefix(users["op"], [rangda.id, raja.id])
    assert can_search_nik_prefix(users["kades"], [rangda.id])
    assert not can_search_nik_prefix(None)
