"""Geometry checks, the file formats (each round trip: file -> import -> export -> the same
geometry), dry run and all-or-nothing, point in polygon, the API and the command line."""

import json
import zipfile


import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from shapely.geometry import shape

from sidekel.akun.choices import Role
from sidekel.akun.services import create_user, issue_token
from sidekel.core.models import ObjectChange
from sidekel.penduduk import kualitas as penduduk_kualitas
from sidekel.peta import formats, geometri, services
from sidekel.peta.models import Fitur, Kategori, LokasiKeluarga
from sidekel.peta.views import fitur_features
from sidekel.wilayah.services import ensure_rt

from .helpers import (EAST_HALF, ROAD, SCHOOL, SQUARE, WEST_HALF, write_geojson, write_gpx, write_kml, write_kmz,
                      write_shapefile)

TOLERANCE = 1e-5  # degrees, about a metre


def same_shape(a, b, tolerance=TOLERANCE):
    return shape(a).equals_exact(shape(b), tolerance) or shape(a).hausdorff_distance(shape(b)) < tolerance


# --- validation -----------------------------------------------------------------------------------

def test_a_valid_area_passes():
    assert geometri.validate(SQUARE, "batas") == []


@pytest.mark.parametrize("lapisan, geometry, words", [
    ("batas", {"type": "Polygon", "coordinates": [[[111.60, -2.70], [111.64, -2.70], [111.64, -2.66], [111.60, -2.66]]]},
     "terbuka"),
    ("batas", {"type": "Polygon", "coordinates": [[[111.60, -2.70], [111.64, -2.66], [111.64, -2.70], [111.60, -2.66],
                                          [111.60, -2.70]]]}, "memotong dirinya"),
    ("tempat", {"type": "Point", "coordinates": [-2.68, 111.62]}, "lintang, bujur"),
    ("tempat", {"type": "Point", "coordinates": [500000.0, 9700000.0]}, "jauh di luar Indonesia"),
    ("batas", {"type": "LineString", "coordinates": [[111.6, -2.7], [111.61, -2.69]]}, "harus berupa"),
    ("area", {"type": "Polygon", "coordinates": [[[100.0, -5.0], [110.0, -5.0], [110.0, 0.0], [100.0, 0.0], [100.0, -5.0]]]},
     "km²"),
])
def test_bad_geometry_gets_a_clear_message(lapisan, geometry, words):
    errors = geometri.validate(geometry, lapisan)
    assert len(errors) == 1 and words in str(errors[0]), errors


def test_a_place_far_outside_its_village_is_refused(bounded):
    with pytest.raises(ValidationError) as raised:
        services.simpan_fitur(bounded, user=None, lapisan="tempat", geometry={"type": "Point", "coordinates": [111.70, -2.68]})
    assert "di luar batas desa" in " ".join(raised.value.messages)
    assert not Fitur.objects.filter(lapisan="tempat").exists()


def test_a_place_just_outside_the_boundary_is_within_tolerance(bounded):
    just_outside = {"type": "Point", "coordinates": [111.6405, -2.68]}  # about 55 m east
    assert services.simpan_fitur(bounded, user=None, lapisan="tempat", geometry=just_outside).pk


def test_a_shape_is_stored_with_its_box_and_audited(bounded):
    fitur = services.simpan_fitur(bounded, user=None, lapisan="garis", geometry=ROAD, nama="Jalan Poros",
                                  kategori=Kategori.objects.get(slug="jalan-aspal"))
    assert (fitur.min_lon, fitur.min_lat, fitur.max_lon, fitur.max_lat) == (111.605, -2.695, 111.635, -2.665)
    assert ObjectChange.objects.filter(object_id=fitur.pk, action="create", desa_id=bounded.id).exists()
    assert list(Fitur.objects.containing_box(111.62, -2.68).filter(lapisan="garis")) == [fitur]
    assert not Fitur.objects.containing_box(111.70, -2.68).filter(lapisan="garis").exists()


# --- formats: round trips -------------------------------------------------------------------------

def _exported(desa, lapisan):
    return [(props, geometry) for props, geometry in fitur_features([desa.id]) if props["lapisan"] == lapisan]


def test_geojson_round_trip(rangda, tmp_path):
    path = write_geojson(tmp_path / "batas.geojson", ({"nama": "Rangda"}, SQUARE))
    laporan = services.impor(rangda, path, "batas", user=None, dry_run=False)
    assert laporan.saved == 1
    [(props, geometry)] = _exported(rangda, "batas")
    assert same_shape(geometry, SQUARE) and props["nama"] == "Rangda"
    again = json.loads(formats.to_geojson(fitur_features([rangda.id])))
    assert same_shape(again["features"][0]["geometry"], SQUARE)


def test_kml_and_kmz_round_trip(bounded, tmp_path):
    places = [({"nama": "SD Negeri 1", "kategori": "sekolah"}, SCHOOL)]
    for path in (write_kml(tmp_path / "t.kml", *places), write_kmz(tmp_path / "t.kmz", *places)):
        Fitur.objects.filter(lapisan="tempat").delete()
        laporan = services.impor(bounded, path, "tempat", user=None, dry_run=False)
        assert laporan.kind == path.suffix[1:] and laporan.saved == 1
        [(props, geometry)] = _exported(bounded, "tempat")
        assert same_shape(geometry, SCHOOL) and props["kategori"] == "sekolah" and props["nama"] == "SD Negeri 1"
    # and the export in KML reads back the same
    kml = tmp_path / "out.kml"
    kml.write_text(formats.to_kml(fitur_features([bounded.id])))
    read = formats.read(kml).features
    assert sum(same_shape(item.geometry, SQUARE) for item in read) == 1
    assert sum(same_shape(item.geometry, SCHOOL) for item in read) == 1


def test_gpx_round_trip(bounded, tmp_path):
    path = write_gpx(tmp_path / "jalan.gpx", tracks=[("Jalan Poros", ROAD["coordinates"])])
    laporan = services.impor(bounded, path, "garis", user=None, dry_run=False)
    assert laporan.kind == "gpx" and laporan.saved == 1
    [(props, geometry)] = _exported(bounded, "garis")
    assert same_shape(geometry, ROAD) and props["nama"] == "Jalan Poros"
    path = write_gpx(tmp_path / "titik.gpx", waypoints=[("Masjid", SCHOOL["coordinates"])])
    assert services.impor(bounded, path, "tempat", user=None, dry_run=False).saved == 1


def test_shapefile_in_utm_49s_is_transformed_to_wgs84(rangda, tmp_path):
    path = write_shapefile(tmp_path / "batas.zip", [({"nama": "Rangda"}, SQUARE)])
    laporan = services.impor(rangda, path, "batas", user=None, dry_run=False)
    assert laporan.kind == "shapefile" and "49S" in laporan.projection and laporan.saved == 1
    [(_props, geometry)] = _exported(rangda, "batas")
    assert same_shape(geometry, SQUARE, 1e-6 * 5)


def test_shapefile_round_trip_of_places_with_attributes(bounded, tmp_path):
    path = write_shapefile(tmp_path / "tempat.zip", [({"nama": "Puskesmas", "kategori": "kesehatan"}, SCHOOL)])
    assert services.impor(bounded, path, "tempat", user=None, dry_run=False).saved == 1
    [(props, geometry)] = _exported(bounded, "tempat")
    assert same_shape(geometry, SCHOOL) and props["kategori"] == "kesehatan"


# --- dry run, all or nothing, bad files ---------------------------------------------------------

def test_dry_run_lists_every_refused_feature_and_writes_nothing(bounded, tmp_path):
    swapped = {"type": "Point", "coordinates": [-2.68, 111.62]}
    far = {"type": "Point", "coordinates": [111.9, -2.5]}
    path = write_geojson(tmp_path / "t.geojson", ({"nama": "Baik"}, SCHOOL), ({"nama": "Terbalik"}, swapped),
                         ({"nama": "Jauh"}, far), ({"nama": "Aneh", "kategori": "kolam-renang"}, SCHOOL))
    before = Fitur.objects.count()
    for dry_run in (True, False):
        laporan = services.impor(bounded, path, "tempat", user=None, dry_run=dry_run)
        refused = {row.nama: " ".join(str(e) for e in row.errors) for row in laporan.refused}
        assert set(refused) == {"Terbalik", "Jauh", "Aneh"}
        assert "lintang, bujur" in refused["Terbalik"] and "di luar batas desa" in refused["Jauh"]
        assert "kolam-renang" in refused["Aneh"]
        assert laporan.saved == 0 and Fitur.objects.count() == before


def test_a_boundary_file_with_several_shapes_is_refused(rangda, tmp_path):
    path = write_geojson(tmp_path / "t.geojson", ({"nama": "A"}, WEST_HALF), ({"nama": "B"}, EAST_HALF))
    laporan = services.impor(rangda, path, "batas", user=None, dry_run=False)
    assert len(laporan.refused) == 2 and not Fitur.objects.exists()


@pytest.mark.parametrize("content, words", [
    (b"nama,lat,lon\nx,1,2\n", "bukan berkas data peta"),
    (b"{\"type\": \"Topology\"}", "bukan GeoJSON"),
    (b"<?xml version=\"1.0\"?><!DOCTYPE kml [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;\">]>"
     b"<kml><Placemark><name>&b;</name></Placemark></kml>", "bom XML"),
    (b"<html><body>peta</body></html>", "bukan KML"),
])
def test_files_that_are_not_geodata_are_refused(rangda, tmp_path, content, words):
    path = tmp_path / "berkas"
    path.write_bytes(content)
    with pytest.raises(formats.FormatError) as raised:
        services.impor(rangda, path, "tempat", user=None)
    assert words in str(raised.value)


def test_a_zip_without_shp_and_dbf_is_refused(rangda, tmp_path):
    path = tmp_path / "t.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("layer.shp", b"x" * 200)
    with pytest.raises(formats.FormatError, match=r"\.dbf"):
        services.impor(rangda, path, "batas", user=None)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("baca.txt", b"halo")
    with pytest.raises(formats.FormatError, match="shapefile"):
        services.impor(rangda, path, "batas", user=None)


def test_a_shapefile_in_metres_without_prj_is_refused(rangda, tmp_path):
    path = write_shapefile(tmp_path / "t.zip", [({"nama": "Rangda"}, SQUARE)], prj=False)
    with pytest.raises(formats.FormatError, match=r"\.prj"):
        services.impor(rangda, path, "batas", user=None)


def test_a_zip_bomb_is_refused_like_a_spreadsheet(rangda, tmp_path):
    path = write_shapefile(tmp_path / "t.zip", [({"nama": "Rangda"}, SQUARE)], extra={"nol.bin": b"\0" * (20 * 2**20)})
    with pytest.raises(formats.FormatError, match="demi keamanan"):
        services.impor(rangda, path, "batas", user=None)


def test_a_huge_file_is_refused_before_it_is_read(rangda, tmp_path, monkeypatch):
    monkeypatch.setattr(formats, "MAX_GEO_BYTES", 1024)
    path = write_geojson(tmp_path / "t.geojson", *[({"nama": f"T{i}"}, SCHOOL) for i in range(40)])
    with pytest.raises(formats.FormatError, match="batasnya"):
        services.impor(rangda, path, "tempat", user=None)


# --- point in polygon: RT from the home location -----------------------------------------------

@pytest.fixture
def two_rts(bounded, keluarga_budi):
    keluarga = keluarga_budi[0]
    rt1 = keluarga.rt
    rt2 = ensure_rt(bounded, "002", None, "Sumber Rejeki")
    services.simpan_fitur(bounded, user=None, lapisan="rt", geometry=WEST_HALF, rt=rt1, dusun=rt1.dusun)
    services.simpan_fitur(bounded, user=None, lapisan="rt", geometry=EAST_HALF, rt=rt2, dusun=rt2.dusun)
    return keluarga, rt1, rt2


def test_rt_of_a_family_from_its_home_location(two_rts):
    keluarga, rt1, rt2 = two_rts
    services.set_lokasi(keluarga, user=None, lon=111.63, lat=-2.68)  # in the east half: RT 002
    assert services.rt_at(keluarga.desa_id, 111.63, -2.68) == rt2.id
    assert services.rt_at(keluarga.desa_id, 111.61, -2.68) == rt1.id
    assert services.rt_at(keluarga.desa_id, 111.70, -2.68) is None
    assert list(penduduk_kualitas.findings("lokasi-di-luar", [keluarga.desa_id])) == [keluarga]
    changed, outside = services.tetapkan_rt(keluarga.desa, user=None)
    assert (changed, outside) == (1, 0)
    keluarga.refresh_from_db()
    assert keluarga.rt_id == rt2.id
    assert {p.rt_id for p in keluarga.anggota.all()} == {rt2.id}
    assert not penduduk_kualitas.findings("lokasi-di-luar", [keluarga.desa_id]).exists()
    summary = penduduk_kualitas.summarize([keluarga.desa_id])[keluarga.desa_id]
    assert summary.counts["lokasi-di-luar"] == 0


def test_the_findings_page_lists_a_family_outside_its_rt(client, two_rts):
    keluarga, _rt1, _rt2 = two_rts
    services.set_lokasi(keluarga, user=None, lon=111.63, lat=-2.68)
    admin = create_user("admin", role=Role.ADMIN_KECAMATAN, password="x", validate=False)
    client.force_login(admin)
    page = client.get(f"/petugas/desa/{keluarga.desa.kode}/kualitas/?jenis=lokasi-di-luar").content.decode()
    assert "Rumah di luar RT atau desanya" in page and "RT lain" in page
    summary = penduduk_kualitas.summarize([keluarga.desa_id])[keluarga.desa_id]
    assert summary.counts["lokasi-di-luar"] == 1


def test_a_home_pin_outside_the_village_is_refused(two_rts):
    keluarga = two_rts[0]
    with pytest.raises(ValidationError):
        services.set_lokasi(keluarga, user=None, lon=111.80, lat=-2.68)
    assert not LokasiKeluarga.objects.exists()


# --- API and command line -------------------------------------------------------------------------

def test_public_boundaries_and_places_as_geojson(client, bounded, keluarga_budi):
    from sidekel.statistik import publik as statistik_publik

    services.simpan_fitur(bounded, user=None, lapisan="tempat", geometry=SCHOOL, nama="SD Negeri 1",
                          kategori=Kategori.objects.get(slug="sekolah"))
    services.simpan_fitur(bounded, user=None, lapisan="tempat", geometry=SCHOOL, nama="Gudang rahasia", publik=False)
    services.set_lokasi(keluarga_budi[0], user=None, lon=111.615, lat=-2.675)
    data = client.get("/api/v1/peta/batas/?wilayah=62.01.02").json()
    assert data["type"] == "FeatureCollection"
    [feature] = data["features"]
    assert set(feature["properties"]) >= {"kode", "nama", "jenis", "jumlah_penduduk"}
    # Three residents (two men, one woman: both small counts) are published as the portal publishes
    # them, drawn by the privacy engine, never as the true 3 split into 2 and 1.
    published = statistik_publik.headline([bounded.id])[bounded.id]
    assert feature["properties"]["kode"] == bounded.kode
    assert feature["properties"]["jumlah_penduduk"] == published["jumlah"]
    assert (published["laki_laki"], published["perempuan"]) != (2, 1)
    places = client.get(f"/api/v1/peta/tempat/?wilayah={bounded.kode}&kategori=sekolah").json()
    assert [f["properties"]["nama"] for f in places["features"]] == ["SD Negeri 1"]
    everything = client.get(f"/api/v1/peta/tempat/?wilayah={bounded.kode}").content.decode()
    assert "Gudang rahasia" not in everything and "111.615" not in everything
    assert client.get("/api/v1/peta/batas/?wilayah=99.99").status_code == 404
    # Text that is no region code is an unknown area too (core/security.py refuses a NUL before this).
    for path in ("/api/v1/peta/batas/", "/api/v1/peta/tempat/", "/api/v1/potensi/", "/api/v1/statistik/agama/"):
        assert client.get(f"{path}?wilayah=62.01.02%0A").status_code == 404, path
    assert client.get(f"/api/v1/peta/tempat/?wilayah={bounded.kode}&kategori=tidak-ada").status_code == 422
    schema = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/peta/batas/", "/api/v1/peta/tempat/", "/api/v1/peta/keluarga/"} <= set(schema["paths"])


def test_the_choropleth_value_comes_from_the_published_figures(client, bounded, keluarga_budi):
    from sidekel.statistik import publik as statistik_publik

    data = client.get("/api/v1/peta/batas/?wilayah=62.01.02&statistik=jenis-kelamin:1").json()
    [feature] = data["features"]
    published = statistik_publik.village_table(bounded.id, "jenis-kelamin")
    assert feature["properties"]["nilai"] == next(r["jumlah"] for r in published.rows if r["kode"] == "1")
    assert client.get(f"/api/v1/peta/batas/?wilayah={bounded.kode}&statistik=agama:1&tingkat=dusun").status_code == 422
    assert client.get("/api/v1/peta/batas/?wilayah=62.01.02&tingkat=dusun").status_code == 422
    assert client.get("/api/v1/peta/batas/?wilayah=62.01.02&statistik=rahasia").status_code == 422
    density = client.get("/api/v1/peta/batas/?wilayah=62.01.02&statistik=kepadatan").json()
    km2 = geometri.area_km2(shape(SQUARE))
    assert density["features"][0]["properties"]["nilai"] == round(feature["properties"]["jumlah_penduduk"] / km2, 1)


def test_family_points_need_a_token_and_stay_in_scope(client, bounded, raja, keluarga_budi):
    services.set_lokasi(keluarga_budi[0], user=None, lon=111.615, lat=-2.675)
    url = f"/api/v1/peta/keluarga/?desa={bounded.kode}"
    assert client.get(url).status_code == 401
    own = issue_token(create_user("op_a", role=Role.OPERATOR, password="x", desa_kode=[bounded.kode], validate=False))
    other = issue_token(create_user("op_b", role=Role.OPERATOR, password="x", desa_kode=[raja.kode], validate=False))
    data = client.get(url, HTTP_AUTHORIZATION=f"Bearer {own}").json()
    assert data["features"][0]["geometry"]["coordinates"] == [111.615, -2.675]
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {other}").status_code == 404


def test_command_line_import_and_export(rangda, tmp_path, capsys):
    path = write_shapefile(tmp_path / "batas.zip", [({"nama": "Rangda"}, SQUARE)])
    call_command("peta", "import", str(path), "--desa", rangda.kode, "--lapisan", "batas", "--dry-run")
    assert not Fitur.objects.exists()
    call_command("peta", "import", str(path), "--desa", rangda.kode, "--lapisan", "batas")
    out = tmp_path / "kec.geojson"
    call_command("peta", "export", "--wilayah", "62.01.02", "-o", str(out))
    [feature] = json.loads(out.read_text())["features"]
    assert same_shape(feature["geometry"], SQUARE, 5e-6)
    bad = write_geojson(tmp_path / "bad.geojson", ({"nama": "X"}, {"type": "Point", "coordinates": [-2.68, 111.62]}))
    with pytest.raises(CommandError):
        call_command("peta", "import", str(bad), "--desa", rangda.kode, "--lapisan", "tempat")


# --- the pages --------------------------------------------------------------------------------------

def test_another_villages_operator_may_not_draw_here(bounded, raja):
    from django.core.exceptions import PermissionDenied

    op_b = create_user("op_b", role=Role.OPERATOR, password="x", desa_kode=[raja.kode], validate=False)
    with pytest.raises(PermissionDenied):
        services.simpan_fitur(bounded, user=op_b, lapisan="tempat", geometry=SCHOOL)
    assert not Fitur.objects.filter(lapisan="tempat").exists()


def test_a_drawn_place_is_saved_and_audited_with_its_author(client, op_a, bounded):
    client.force_login(op_a)
    response = client.post(f"/petugas/peta/{bounded.kode}/fitur/", {
        "lapisan": "tempat", "nama": "Pasar Pagi", "kategori": Kategori.objects.get(slug="pasar").pk, "publik": "on",
        "geometri": json.dumps(SCHOOL)})
    assert response.status_code == 302
    fitur = Fitur.objects.get(nama="Pasar Pagi")
    assert ObjectChange.objects.get(object_id=fitur.pk, action="create").username == "op_a"
    page = client.get(response["Location"]).content.decode()
    assert "Tersimpan di peta." in page and "Pasar Pagi" in page


def test_a_bad_drawing_or_file_gets_a_message_and_changes_nothing(client, op_a, bounded, tmp_path):
    client.force_login(op_a)
    before = Fitur.objects.count()
    response = client.post(f"/petugas/peta/{bounded.kode}/fitur/", {"lapisan": "area", "nama": "Silang", "geometri": json.dumps(
        {"type": "Polygon", "coordinates": [[[111.61, -2.69], [111.63, -2.67], [111.63, -2.69], [111.61, -2.67],
                                             [111.61, -2.69]]]})}, follow=True)
    assert "memotong dirinya sendiri" in response.content.decode()
    response = client.post(f"/petugas/peta/{bounded.kode}/fitur/", {"lapisan": "tempat", "geometri": "bukan json"},
                           follow=True)
    assert "Gambar bentuknya di peta dulu" in response.content.decode()
    # A file is read by a job (run inline in tests): its page gives the message.
    bad = tmp_path / "data.csv"
    bad.write_text("a,b\n1,2\n")
    with bad.open("rb") as f:
        response = client.post(f"/petugas/peta/{bounded.kode}/impor/", {"berkas": f, "lapisan": "tempat"}, follow=True)
    assert response.status_code == 200 and "bukan berkas data peta" in response.content.decode()
    swapped = write_geojson(tmp_path / "t.geojson", ({"nama": "Terbalik"}, {"type": "Point", "coordinates": [-2.68, 111.62]}))
    with swapped.open("rb") as f:
        response = client.post(f"/petugas/peta/{bounded.kode}/impor/", {"berkas": f, "lapisan": "tempat"}, follow=True)
    page = response.content.decode()
    assert "Tidak ada yang disimpan" in page and "Terbalik" in page and "lintang, bujur" in page
    assert Fitur.objects.count() == before


def test_the_export_holds_every_shape_but_no_home(client, op_a, bounded, keluarga_budi):
    services.set_lokasi(keluarga_budi[0], user=None, lon=111.615, lat=-2.675)
    client.force_login(op_a)
    kml = client.get(f"/petugas/peta/{bounded.kode}/ekspor.kml").content.decode()
    geojson = client.get(f"/petugas/peta/{bounded.kode}/ekspor.geojson").json()
    assert "<Polygon>" in kml and "111.615" not in kml
    assert [f["properties"]["lapisan"] for f in geojson["features"]] == ["batas"]
    data = client.get(f"/petugas/peta/{bounded.kode}/data.geojson").json()
    assert [111.615, -2.675] in [f["geometry"]["coordinates"] for f in data["features"]]


def test_the_officials_map_data_follows_a_moved_home_and_a_new_head(client, op_a, bounded, keluarga_budi):
    """The home points are written once per version of the village's data: a moved pin and a
    renamed head show on the next request."""
    from sidekel.penduduk import services as penduduk_services

    keluarga, budi, _siti, _andi = keluarga_budi
    services.set_lokasi(keluarga, user=None, lon=111.615, lat=-2.675)
    client.force_login(op_a)

    def homes():
        data = client.get(f"/petugas/peta/{bounded.kode}/data.geojson").json()
        return [(f["geometry"]["coordinates"], f["properties"]["nama"]) for f in data["features"]
                if f["properties"]["lapisan"] == "keluarga"]

    assert [coords for coords, _name in homes()] == [[111.615, -2.675]]
    services.set_lokasi(keluarga, user=None, lon=111.62, lat=-2.68)
    penduduk_services.update_penduduk(budi, user=None, changes={"nama": "Budi Santoso Baru"}, version=budi.version,
                                      reason="tes")
    [(coords, name)] = homes()
    assert coords == [111.62, -2.68] and "Budi Santoso Baru" in name


def test_a_family_placed_on_the_map_leaves_the_list_of_families_without_a_home(client, op_a, bounded, keluarga_budi):
    import re

    keluarga = keluarga_budi[0]
    client.force_login(op_a)

    def without_home():
        page = client.get(f"/petugas/peta/{bounded.kode}/").content.decode()
        found = re.search(r'<select id="keluarga-tanpa-lokasi">(.*?)</select>', page, re.S)
        return re.findall(r'<option value="(\d+)">', found.group(1)) if found else []

    assert without_home() == [str(keluarga.pk)]
    services.set_lokasi(keluarga, user=None, lon=111.615, lat=-2.675)
    assert without_home() == []
