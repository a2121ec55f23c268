"""The school screens, the out-of-school list (access-logged, officials only) and the API."""

import io
import zipfile

import pytest

from sidekel.akun.choices import Role
from sidekel.akun.services import create_user, issue_token
from sidekel.core.models import AccessLog

from .. import services
from ..models import DataSekolah, Sekolah
from . import world


@pytest.fixture
def users(rangda, raja):
    return {"op": create_user("op", role=Role.OPERATOR, password="x", desa_kode=[rangda.kode], validate=False),
            "op_b": create_user("op_b", role=Role.OPERATOR, password="x", desa_kode=[raja.kode], validate=False),
            "camat": create_user("camat", role=Role.CAMAT, password="x", validate=False)}


@pytest.fixture
def village(rangda):
    head, people, rts = world.build(rangda)
    return rangda, people


FORM = {"npsn": "30200011", "nama": "SDN 2 Rangda", "jenjang": "sd", "status": "negeri", "kementerian": "kemendikdasmen"}


@pytest.mark.django_db
def test_operator_adds_a_school_and_its_figures(client, rangda, users):
    client.force_login(users["op"])
    response = client.post("/petugas/sekolah/tambah/", FORM)
    sekolah = Sekolah.objects.get(npsn="30200011")
    assert response.status_code == 302 and response["Location"] == f"/petugas/sekolah/{sekolah.pk}/"
    data = {"tahun_ajaran": "2025/2026", "guru": "7", "ruang_baik": "5", "ruang_rusak_ringan": "1", "ruang_rusak_berat": "0",
            **{f"murid_{k}_{s}": "10" for k in range(1, 7) for s in "lp"}}
    assert client.post(f"/petugas/sekolah/{sekolah.pk}/data/", data).status_code == 302
    row = DataSekolah.objects.get(sekolah=sekolah)
    assert (row.murid_laki_laki, row.murid_perempuan, row.guru) == (60, 60, 7)
    page = client.get(f"/petugas/sekolah/{sekolah.pk}/").content.decode()
    assert "2025/2026" in page and "120" not in page or "60" in page


@pytest.mark.django_db
def test_bad_input_on_the_forms_shows_a_message_and_writes_nothing(client, rangda, users):
    client.force_login(users["op"])
    response = client.post("/petugas/sekolah/tambah/", {**FORM, "npsn": "123"}, HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 200 and "NPSN harus tepat 8 angka" in response.content.decode()
    assert not Sekolah.objects.exists()
    sekolah = services.save_sekolah(rangda, FORM, user=None)
    response = client.post(f"/petugas/sekolah/{sekolah.pk}/data/", {"tahun_ajaran": "2025/2027", "guru": "1",
                                                                      "murid_1_l": "-3"}, HTTP_ACCEPT_LANGUAGE="id")
    text = response.content.decode()
    assert response.status_code == 200 and "Tahun ajaran ditulis" in text
    assert not DataSekolah.objects.exists()
    response = client.post("/petugas/sekolah/tambah/", FORM, HTTP_ACCEPT_LANGUAGE="id")  # NPSN used
    assert response.status_code == 200 and "sudah dipakai" in response.content.decode()


@pytest.mark.django_db
def test_another_villages_school_is_not_there(client, rangda, users):
    sekolah = services.save_sekolah(rangda, FORM, user=None)
    client.force_login(users["op_b"])
    assert client.get(f"/petugas/sekolah/{sekolah.pk}/").status_code == 404
    assert client.post(f"/petugas/sekolah/{sekolah.pk}/ubah/", {**FORM, "nama": "X"}).status_code == 404
    assert client.get(f"/petugas/sekolah/tambah/?desa={rangda.kode}").status_code == 404
    assert Sekolah.objects.get().nama == "SDN 2 Rangda"


@pytest.mark.django_db
def test_out_of_school_list_is_logged_and_downloadable(client, village, users):
    desa, people = village
    client.force_login(users["camat"])
    before = AccessLog.objects.count()
    page = client.get(f"/petugas/pendidikan/{desa.kode}/tidak-sekolah/").content.decode()
    assert "Anak Tiga Belas" in page and "Remaja Enam Belas" in page and "Anak Tujuh Hari Ini" not in page
    assert people["Anak Tiga Belas"].nik not in page  # masked
    entry = AccessLog.objects.order_by("-id").first()
    assert AccessLog.objects.count() == before + 1 and entry.desa_id == desa.id and entry.username == "camat"
    response = client.get(f"/petugas/pendidikan/{desa.kode}/tidak-sekolah/xlsx/")
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "Anak Tiga Belas" in sheet and people["Anak Tiga Belas"].nik not in sheet
    assert AccessLog.objects.filter(action=AccessLog.Action.EXPORT, desa=desa).count() == 1
    client.force_login(users["op_b"])
    assert client.get(f"/petugas/pendidikan/{desa.kode}/tidak-sekolah/").status_code == 404
    client.logout()
    assert client.get(f"/petugas/pendidikan/{desa.kode}/tidak-sekolah/").status_code == 302


@pytest.mark.django_db
def test_out_of_school_list_comes_in_pages_that_add_up_to_the_download(client, village, users, monkeypatch):
    from .. import figures, views
    desa, _people = village
    everyone = [p["nama"] for p in figures.tidak_sekolah_rows(desa)]
    assert len(everyone) >= 2
    monkeypatch.setattr(views, "CHILDREN_PER_PAGE", 1)
    client.force_login(users["camat"])
    seen = []
    for number in range(1, len(everyone) + 1):
        page = client.get(f"/petugas/pendidikan/{desa.kode}/tidak-sekolah/?halaman={number}",
                          HTTP_ACCEPT_LANGUAGE="id").content.decode()
        assert f"{len(everyone)} anak" in page and f"Halaman {number} dari {len(everyone)}" in page
        seen += [name for name in everyone if name in page]
    assert seen == everyone  # each child on exactly one page, in the list's order
    token = issue_token(users["op"])
    names, url = [], f"/api/v1/pendidikan/tidak-sekolah/?desa={desa.kode}&limit=1"
    while url:
        body = client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}").json()
        assert body["count"] == len(everyone) and len(body["results"]) == 1
        names.append(body["results"][0]["nama"])
        url = body["next"]
    assert names == everyone


@pytest.mark.django_db
def test_camat_dashboard_and_education_page(client, village, users):
    desa, _people = village
    client.force_login(users["camat"])
    dashboard = client.get("/statistik/").content.decode()
    assert f"/petugas/pendidikan/{desa.kode}/" in dashboard
    page = client.get(f"/petugas/pendidikan/{desa.kode}/").content.decode()
    assert "APS" in page and "Anak Tiga Belas" not in page


@pytest.mark.django_db
def test_api_schools_public_and_out_of_school_with_a_token(client, village, users, raja):
    desa, people = village
    services.save_sekolah(desa, {**FORM, "kepala_nama": "Ibu Rahasia", "lintang": "-2.5", "bujur": "111.5"}, user=None)
    services.save_sekolah(raja, {**FORM, "npsn": "30200012", "nama": "SDN 1 Raja"}, user=None)
    body = client.get(f"/api/v1/sekolah/?wilayah={desa.kode}").json()
    assert body["count"] == 1 and body["results"][0] == {"npsn": "30200011", "nama": "SDN 2 Rangda", "jenjang": "sd",
                                                         "status": "negeri", "desa": desa.kode, "lintang": -2.5,
                                                         "bujur": 111.5}
    whole = client.get("/api/v1/sekolah/?wilayah=62.01.02&limit=1").json()
    assert whole["count"] == 2 and len(whole["results"]) == 1 and "offset=1" in whole["next"]
    assert "Rahasia" not in client.get(f"/api/v1/sekolah/?wilayah={desa.kode}").content.decode()
    assert client.get("/api/v1/sekolah/?wilayah=99.99").status_code == 404
    aps = client.get(f"/api/v1/statistik/partisipasi-sekolah/?wilayah={desa.kode}").json()
    assert [r["kode"] for r in aps["rows"]] == ["7-12", "13-15", "16-18", "19-23"]
    assert set(aps["rows"][0]) >= {"label", "penduduk", "bersekolah", "aps", "laki_laki", "perempuan"}
    assert client.get(f"/api/v1/statistik/partisipasi-sekolah/?wilayah={desa.kode}&tanggal=2024-01-15").status_code == 422
    assert client.get(f"/api/v1/pendidikan/tidak-sekolah/?desa={desa.kode}").status_code == 401
    token = issue_token(users["op"])
    answer = client.get(f"/api/v1/pendidikan/tidak-sekolah/?desa={desa.kode}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert answer.status_code == 200 and "Anak Tiga Belas" in {r["nama"] for r in answer.json()["results"]}
    assert people["Anak Tiga Belas"].nik not in answer.content.decode()
    other = issue_token(users["op_b"])
    assert client.get(f"/api/v1/pendidikan/tidak-sekolah/?desa={desa.kode}",
                      HTTP_AUTHORIZATION=f"Bearer {other}").status_code == 404
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/sekolah/", "/api/v1/statistik/partisipasi-sekolah/", "/api/v1/pendidikan/tidak-sekolah/"} <= set(paths)


@pytest.mark.django_db
def test_public_school_page_has_no_head_and_no_child(client, village):
    desa, people = village
    services.save_sekolah(desa, {**FORM, "kepala_nama": "Ibu Rahasia", "kepala_telepon": "081299990000"}, user=None)
    page = client.get(f"/desa/{desa.kode}/sekolah/").content.decode()
    assert "SDN 2 Rangda" in page and "Rahasia" not in page and "081299990000" not in page
    assert not any(name in page for name in people)
    assert f"/desa/{desa.kode}/sekolah/" in client.get(f"/desa/{desa.kode}/").content.decode()
