"""Masks that mask (issue 13, item 5).

Who may not see full NIK and KK numbers (the camat and kecamatan staff) finds a resident by the
whole 16-digit NIK only: a prefix answered digit by digit gave any full NIK back in about 37
requests. Every page, fragment and file that prints full numbers requires the reveal permission
and writes an access-log entry: the resident's change history and the family page show them
masked until the recorded "Show full numbers" step; the refused rows of an import are logged.
"""

import datetime
import json

import pytest

from sidekel.akun.choices import Role
from sidekel.akun.services import create_user, issue_token
from sidekel.core import jobs
from sidekel.core.identity import mask_numbers
from sidekel.core.models import AccessLog, Job
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


# --- pages that print full numbers --------------------------------------------------------------

@pytest.fixture
def corrected_budi(keluarga_budi, users):
    """Budi's NIK corrected by his operator, the old number quoted in the reason."""
    budi = keluarga_budi[1]
    budi, _ = services.update_penduduk(budi, user=users["op"], changes={"nik": "6201021203850002"},
                                       version=budi.version, reason=f"NIK lama {BUDI_NIK} salah ketik")
    return budi


def test_the_history_shows_no_full_nik_to_the_camat(client, users, corrected_budi):
    html = as_user(client, users["camat"]).get(f"/penduduk/{corrected_budi.pk}/").content.decode()
    assert html.count("620102**********") >= 2  # the change is there (old and new NIK), masked
    assert BUDI_NIK not in html and corrected_budi.nik not in html
    assert client.post(f"/penduduk/{corrected_budi.pk}/identitas/").status_code == 403
    assert not AccessLog.objects.filter(action="reveal").exists()


def test_the_history_is_masked_for_the_operator_until_the_recorded_step(client, users, corrected_budi):
    html = as_user(client, users["op"]).get(f"/penduduk/{corrected_budi.pk}/").content.decode()
    assert BUDI_NIK not in html and corrected_budi.nik not in html and BUDI_KK not in html
    assert not AccessLog.objects.filter(action="reveal").exists()

    revealed = client.post(f"/penduduk/{corrected_budi.pk}/identitas/").content.decode()
    # The identity block and, swapped in out of band, the history with its numbers in full.
    assert corrected_budi.nik in revealed and BUDI_KK in revealed
    assert 'id="riwayat" hx-swap-oob="true"' in revealed and BUDI_NIK in revealed
    entry = AccessLog.objects.get(action="reveal")
    assert (entry.user, entry.object_id, entry.desa_id) == (users["op"], corrected_budi.pk, corrected_budi.desa_id)


def test_the_family_page_is_masked_until_the_recorded_step(client, users, keluarga_budi):
    keluarga, budi, siti, andi = keluarga_budi
    services.issue_nomor_kk(keluarga, "6201022002240003", datetime.date(2024, 2, 20))
    numbers = [BUDI_KK, "6201022002240003", budi.nik, siti.nik, andi.nik]

    as_user(client, users["camat"])
    html = client.get(f"/keluarga/{keluarga.pk}/").content.decode()
    assert "620102**********" in html and not any(n in html for n in numbers)
    assert client.post(f"/keluarga/{keluarga.pk}/identitas/").status_code == 403

    as_user(client, users["op"])
    html = client.get(f"/keluarga/{keluarga.pk}/").content.decode()
    assert not any(n in html for n in numbers)
    assert "Tampilkan nomor lengkap" in html
    assert not AccessLog.objects.filter(action="reveal").exists()
    revealed = client.post(f"/keluarga/{keluarga.pk}/identitas/").content.decode()
    assert all(n in revealed for n in numbers)
    entry = AccessLog.objects.get(action="reveal")
    assert (entry.user, entry.object_id, entry.content_type.model) == (users["op"], keluarga.pk, "keluarga")


def test_the_edit_form_and_the_api_record_that_they_show_full_numbers(client, users, keluarga_budi):
    budi = keluarga_budi[1]
    assert as_user(client, users["op"]).get(f"/penduduk/{budi.pk}/ubah/").status_code == 200
    assert AccessLog.objects.filter(action="reveal", object_id=budi.pk, user=users["op"], detail="ubah").exists()

    for name, nik, action in (("op", BUDI_NIK, "reveal"), ("camat", "620102**********", "view")):
        response = client.get(f"/api/v1/penduduk/{budi.pk}/", HTTP_AUTHORIZATION=f"Bearer {issue_token(users[name])}")
        assert response.json()["nik"] == nik
        assert AccessLog.objects.filter(user=users[name], object_id=budi.pk, detail="api GET").get().action == action
    patch = client.patch(f"/api/v1/penduduk/{budi.pk}/", json.dumps({"version": budi.version, "pekerjaan": 88}),
                         content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {issue_token(users['op'])}")
    assert patch.json()["nik"] == BUDI_NIK
    assert AccessLog.objects.filter(action="reveal", user=users["op"], detail="api PATCH").exists()


# --- the refused rows of an import ----------------------------------------------------------------

@pytest.fixture
def checked_import(users, keluarga_budi):
    """A finished check for Rangda: a family without a head and a bad NIK, both refused."""
    desa = keluarga_budi[0].desa
    name = "cek.csv"
    (jobs.jobs_dir() / name).write_text(
        "nik,no_kk,nama,jenis_kelamin,tanggal_lahir,agama,pendidikan_kk,pekerjaan,status_perkawinan,hubungan_keluarga\n"
        "6201020505100005,6201020101230009,Anak Tanpa Kepala,1,05-05-2010,1,2,3,1,4\n"
        "123,,Tanpa NIK Sah,1,01-01-1990,1,5,9,1,11\n")
    job = Job.objects.create(kind="import-penduduk", desa=desa, user=users["op"], filename=name, stored_file=name,
                             options={"format": "auto", "existing": "skip", "dry_run": True})
    job = jobs.start(job)
    assert job.status == Job.Status.DONE and len(job.result["refused"]) == 2
    return job


def test_the_refused_rows_need_the_reveal_permission_and_are_recorded(client, users, checked_import):
    url = f"/impor/{checked_import.pk}/ditolak/"
    for name in ("camat", "kades"):  # the camat may not see full numbers; the kepala desa may not import
        assert as_user(client, users[name]).get(url).status_code == 403, name
    assert not AccessLog.objects.filter(action="export").exists()

    response = as_user(client, users["op"]).get(url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    entry = AccessLog.objects.get(action="export")
    assert (entry.user, entry.desa_id, entry.object_id) == (users["op"], checked_import.desa_id, checked_import.pk)
    assert "cek.csv" in entry.detail


def test_the_import_report_masks_the_numbers_its_findings_quote(client, users, checked_import):
    assert any("6201020101230009" in p["message"] for p in checked_import.result["problems"])
    for name in ("camat", "op"):
        html = as_user(client, users[name]).get(f"/impor/{checked_import.pk}/").content.decode()
        assert "6201020101230009" not in html and "620102**********" in html, name
        # The whole rows are in the recorded download, offered to whoever may fetch it.
        assert ("/ditolak/" in html) == (name == "op"), name


def test_mask_numbers_masks_every_nik_like_run_of_digits():
    assert mask_numbers(f"NIK lama {BUDI_NIK}, KK {BUDI_KK}.") == "NIK lama 620102**********, KK 620102**********."
    assert mask_numbers("RT 001, 12-03-1985, 5 digit") == "RT 001, 12-03-1985, 5 digit"
    assert mask_numbers("") == "" and mask_numbers(None) == ""


def test_a_masked_nik_with_the_birth_date_beside_it_does_not_give_the_nik_away(client, users, keluarga_budi):
    """The camat sees Budi's birth date and sex on his page: with the old mask (6201**********0001)
    digits 5-6 are the kecamatan's and 7-12 that birth date, so the whole NIK could be written down
    without a single search. The mask shows the region of issue only."""
    budi = keluarga_budi[1]
    html = as_user(client, users["camat"]).get(f"/penduduk/{budi.pk}/").content.decode()
    assert budi.tanggal_lahir.strftime("%d-%m-%Y") in html  # what the page shows anyway
    assert "620102**********" in html and BUDI_NIK[-4:] + "<" not in html and BUDI_NIK[6:12] not in html
    assert mask_numbers(BUDI_NIK) == "620102**********"
