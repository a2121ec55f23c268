"""The screens and the API: filling, uploading, verifying, comparing; drafts never public."""

import io
import json

import pytest
from django.utils import timezone

from sidekel.core.spreadsheet import open_table
from sidekel.core.xlsx import write_workbook
from sidekel.potensi import services
from sidekel.potensi.models import Nilai, Profil

LUAS, SAPI, BPD = "sda.umum.luas", "sda.ternak.sapi", "lembaga.pemerintahan.bpd"


def _as(client, user):
    client.force_login(user)
    return client


def _xlsx(rows):
    buffer = io.BytesIO()
    write_workbook(buffer, [("Profil", rows)])
    buffer.seek(0)
    buffer.name = "isi.xlsx"
    return buffer


def test_the_form_saves_a_group_and_refuses_a_bad_value_naming_it(client, rangda, users, last_year):
    c = _as(client, users["op_a"])
    url = f"/potensi/{rangda.kode}/{last_year}/isi/sda/"
    assert c.get(url).status_code == 200
    page = c.post(url, {LUAS: "-5", SAPI: "12"}).content.decode()
    assert "Luas wilayah" in page and not Nilai.objects.exists()
    response = c.post(url, {LUAS: "1200,5", SAPI: "12", "sumber": "Kantor desa"})
    assert response.status_code == 302
    assert {n.indikator.kode: n.value for n in Nilai.objects.select_related("indikator")} == {LUAS: 1200.5, SAPI: 12}
    assert Profil.objects.get().sumber == "Kantor desa"
    assert _as(client, users["camat"]).get(url).status_code == 403


def test_a_formula_without_its_value_part_way_through_the_file_is_a_problem_not_an_error(client, rangda, users,
                                                                                          last_year):
    """The reader finds such a formula when it reaches its row, after values were read already."""
    from sidekel.core.tests.test_hostile_files import header_row, xlsx_parts, zipped

    rows = header_row(["kode", "nilai"]) + (f'<row r="2"><c t="inlineStr"><is><t>{LUAS}</t></is></c><c><v>250</v></c></row>'
                                            f'<row r="3"><c t="inlineStr"><is><t>{SAPI}</t></is></c><c><f>B2/10</f></c></row>')
    upload = io.BytesIO(zipped(xlsx_parts(rows)))
    upload.name = "isi.xlsx"
    response = _as(client, users["op_a"]).post(f"/potensi/{rangda.kode}/{last_year}/unggah/", {"berkas": upload})
    assert response.status_code == 200
    assert response.context["count"] == 0 and not response.context["token"]
    assert [message for _row, message in response.context["problems"] if "rumus" in message]
    assert not Nilai.objects.exists()


def test_the_template_round_trips_and_a_bad_file_writes_nothing(client, rangda, users, last_year, tmp_path):
    c = _as(client, users["op_a"])
    response = c.get(f"/potensi/{rangda.kode}/{last_year}/templat.xlsx")
    path = tmp_path / "t.xlsx"
    path.write_bytes(response.content)
    table = open_table(path)
    assert table.headers[0] == "kode" and table.headers[-1] == "nilai"
    rows = [r for _n, r in table.rows]
    assert LUAS in [r[0] for r in rows] and BPD in [r[0] for r in rows]
    # A bad file: every problem with its row, nothing written.
    bad = _xlsx([["kode", "nilai"], [LUAS, "abc"], ["sda.tidak.ada", "1"], [SAPI, "10"], [SAPI, "11"]])
    page = c.post(f"/potensi/{rangda.kode}/{last_year}/unggah/", {"berkas": bad}).content.decode()
    problems = page.split('id="masalah-berkas"')[1]
    assert "Luas wilayah" in problems and "sda.tidak.ada" in problems
    assert [row for row in ("<td>2</td>", "<td>3</td>", "<td>4</td>", "<td>5</td>") if row in problems] == \
        ["<td>2</td>", "<td>3</td>", "<td>5</td>"]  # row 4 is fine; row 5 repeats its code
    assert not Nilai.objects.exists()
    good = _xlsx([["kode", "nilai"], [LUAS, 250], [SAPI, "14"], [BPD, "ya"]])
    page = c.post(f"/potensi/{rangda.kode}/{last_year}/unggah/", {"berkas": good}).content.decode()
    assert not Nilai.objects.exists()  # a dry run first
    token = page.split('name="token" value="')[1].split('"')[0]
    assert c.post(f"/potensi/{rangda.kode}/{last_year}/unggah/", {"token": token}).status_code == 302
    assert Nilai.objects.count() == 3
    # The token is for this village and year only.
    assert c.post(f"/potensi/{rangda.kode}/{last_year - 1}/unggah/", {"token": token}).status_code == 302
    assert not Nilai.objects.filter(profil__tahun=last_year - 1).exists()


def test_workflow_pages_and_drafts_never_on_the_public_page_or_api(client, rangda, users, last_year):
    services.save_values(rangda, last_year, {LUAS: "4321", BPD: "ya"}, user=users["op_a"])
    public_page = f"/desa/{rangda.kode}/"
    api = f"/api/v1/potensi/?wilayah={rangda.kode}&tahun={last_year}"
    client.logout()
    assert "4321" not in client.get(public_page).content.decode()
    assert client.get(api).json() == []
    c = _as(client, users["op_a"])
    assert c.post(f"/potensi/{rangda.kode}/{last_year}/ajukan/").status_code == 302
    assert Profil.objects.get().status == "diajukan"
    assert c.post(f"/potensi/{rangda.kode}/{last_year}/setujui/").status_code == 403
    c = _as(client, users["camat"])
    c.post(f"/potensi/{rangda.kode}/{last_year}/kembalikan/", {"catatan": "", "komentar_kode": LUAS,
                                                               "komentar_teks": "Cek peta"})
    p = Profil.objects.get()
    assert p.status == "dikembalikan" and p.komentar == {LUAS: "Cek peta"}
    client.logout()
    assert client.get(api).json() == []
    services.submit(rangda, last_year, user=users["kades_a"])
    c = _as(client, users["camat"])
    page = c.get(f"/potensi/{rangda.kode}/{last_year}/").content.decode()
    assert "4321" in page and "Setujui" in page
    c.post(f"/potensi/{rangda.kode}/{last_year}/setujui/")
    client.logout()
    assert "4321" in client.get(public_page).content.decode()
    assert sorted(client.get(api).json(), key=lambda r: r["kode"]) == [
        {"desa": rangda.kode, "tahun": last_year, "kode": BPD, "nilai": True},
        {"desa": rangda.kode, "tahun": last_year, "kode": LUAS, "nilai": 4321}]


def test_kecamatan_screens(client, rangda, raja, users, last_year):
    services.save_values(rangda, last_year, {SAPI: "30"}, user=users["op_a"])
    services.save_values(raja, last_year, {SAPI: "12"}, user=users["op_b"])
    c = _as(client, users["camat"])
    index = c.get(f"/potensi/?tahun={last_year}").content.decode()
    assert "belum diisi" in index and "draf" in index
    page = c.get(f"/potensi/banding/?indikator={SAPI}&tahun={last_year}").content.decode()
    assert "30" in page and "12" in page
    data = c.get(f"/potensi/banding/?indikator={SAPI}&tahun={last_year}&format=json").json()
    values = {row["kode"]: row["nilai"] for row in data["wilayah"]}
    assert values[rangda.kode] == 30 and values[raja.kode] == 12
    trend = c.get(f"/potensi/{rangda.kode}/tren/{SAPI}/").content.decode()
    assert "<svg" in trend and str(last_year) in trend
    assert _as(client, users["op_a"]).get("/potensi/banding/").status_code == 403


def test_api_writes_with_a_token_409_and_403(client, rangda, users, tokens, last_year):
    def call(method, path, persona, body=None):
        return getattr(client, method)(path, data=json.dumps(body or {}), content_type="application/json",
                                       HTTP_AUTHORIZATION=f"Bearer {tokens[persona]}")

    base = f"/api/v1/potensi/{rangda.kode}/{last_year}/"
    assert client.get("/api/v1/potensi/indikator/").json()[0].keys() == {"kode", "kelompok", "nama", "satuan", "tipe"}
    assert call("put", base, "camat", {"nilai": {LUAS: 5}}).status_code == 403
    assert call("put", base, "op_b", {"nilai": {LUAS: 5}}).status_code == 404
    refused = call("put", base, "op_a", {"nilai": {LUAS: 5, SAPI: -1}})
    assert refused.status_code == 422 and "Sapi" in json.dumps(refused.json()) and not Nilai.objects.exists()
    assert call("put", base, "op_a", {"nilai": {"x.y": 5}}).status_code == 422
    future = f"/api/v1/potensi/{rangda.kode}/{timezone.localdate().year + 1}/"
    assert call("put", future, "op_a", {"nilai": {LUAS: 5}}).status_code == 422
    ok = call("put", base, "op_a", {"nilai": {LUAS: 5, BPD: False}})
    assert ok.status_code == 200 and ok.json()["status"] == "draf" and ok.json()["jumlah_nilai"] == 2
    assert call("post", base + "setujui/", "op_a").status_code == 403
    assert call("post", base + "setujui/", "camat").status_code == 409  # not submitted
    assert call("post", base + "ajukan/", "op_a").status_code == 200
    assert call("put", base, "op_a", {"nilai": {LUAS: 6}}).status_code == 409
    assert call("post", base + "kembalikan/", "camat", {"catatan": ""}).status_code == 422
    assert call("post", base + "setujui/", "admin").json()["status"] == "disetujui"
    assert call("put", base, "op_a", {"nilai": {LUAS: 6}}).status_code == 409
    assert Nilai.objects.get(indikator__kode=LUAS).angka == 5
    assert "/api/v1/potensi/{desa}/{tahun}/ajukan/" in client.get("/api/v1/openapi.json").json()["paths"]
