"""Dusun, RW and RT kept by the village's officials: rename, merge (residents move), delete an
empty one, each refused with a clear message and nothing changed where it must be."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sidekel.akun.choices import Role
from sidekel.akun.services import create_user
from sidekel.core.models import ObjectChange
from sidekel.penduduk import services
from sidekel.penduduk.models import Keluarga, Penduduk, Peristiwa
from sidekel.penduduk.services_wilayah import merge_unit
from sidekel.penduduk.tests.factories import adult
from sidekel.wilayah.models import Dusun, Rt, Rw, area_options
from sidekel.wilayah.services import Places, delete_unit, dusun_alike, ensure_rt, rename_unit, similar_dusun

RANGDA, RAJA = "62.01.02.2010", "62.01.02.1007"


@pytest.fixture
def operator(rangda):
    return create_user("op_rangda", role=Role.OPERATOR, password="x", desa_kode=[RANGDA], validate=False)


@pytest.fixture
def twice(rangda):
    """Desa Rangda with one dusun written twice: "Mekar Sari" (RW 001: RT 001, RT 002) and
    "Mekarsari" (RW 001: RT 001, RT 003; RW 002: RT 001; RT 005 directly under it), a family
    in each RT 001 and a resident in each RT."""
    rts = {
        "a1": ensure_rt(rangda, "001", "001", "Mekar Sari"), "a2": ensure_rt(rangda, "002", "001", "Mekar Sari"),
        "b1": ensure_rt(rangda, "001", "001", "Mekarsari"), "b3": ensure_rt(rangda, "003", "001", "Mekarsari"),
        "b21": ensure_rt(rangda, "001", "002", "Mekarsari"), "b5": ensure_rt(rangda, "005", None, "Mekarsari"),
    }
    people = {}
    for n, (key, rt) in enumerate(rts.items(), start=1):
        keluarga = services.create_keluarga(rangda, nomor_kk=f"62010215012000{n:02d}", rt=rt)
        people[key], _ = services.register_penduduk(
            rangda, keluarga=keluarga, rt=rt, nik=f"62010212038500{n:02d}", **adult(nama=f"Warga {key}"))
    return rts, people


def _rt_of(person):
    return Penduduk.objects.select_related("rt__dusun", "rt__rw").get(pk=person.pk).rt


def _state():
    """Every RT's place and every resident's and family's RT: what a refused change must leave as it was."""
    return (sorted(Rt.objects.values_list("id", "dusun_id", "rw_id", "nomor")),
            sorted(Rw.objects.values_list("id", "dusun_id", "nomor")), sorted(Dusun.objects.values_list("id", "nama")),
            sorted(Penduduk.objects.values_list("id", "rt_id", "version")), sorted(Keluarga.objects.values_list("id", "rt_id")),
            ObjectChange.objects.count())


def test_merging_a_dusun_moves_its_residents_families_rw_and_rt(twice, operator):
    rts, people = twice
    keep, gone = Dusun.objects.get(nama="Mekar Sari"), Dusun.objects.get(nama="Mekarsari")
    versions = dict(Penduduk.objects.values_list("id", "version"))
    changes_before = ObjectChange.objects.count()

    moved = merge_unit(gone, keep, user=operator)

    assert not Dusun.objects.filter(pk=gone.pk).exists()
    # RT 001 of RW 001 existed on both sides: one RT now, holding both residents and both families.
    assert _rt_of(people["b1"]).pk == rts["a1"].pk
    assert set(Keluarga.objects.filter(rt=rts["a1"]).values_list("nomor_kk", flat=True)) == {
        "6201021501200001", "6201021501200003"}
    assert not Rt.objects.filter(pk=rts["b1"].pk).exists()
    # RT 003 joins RW 001 of Mekar Sari; RW 002 and RT 005 move whole into Mekar Sari.
    rt3 = _rt_of(people["b3"])
    assert (rt3.pk, rt3.rw_id, rt3.dusun_id) == (rts["b3"].pk, rts["a1"].rw_id, keep.pk)
    rt21 = _rt_of(people["b21"])
    assert (rt21.rw.nomor, rt21.rw.dusun_id, rt21.dusun_id) == ("002", keep.pk, keep.pk)
    assert (_rt_of(people["b5"]).dusun_id, _rt_of(people["b5"]).rw_id) == (keep.pk, None)
    assert Rw.objects.filter(dusun=keep).count() == 2 and not Rw.objects.filter(dusun_id=gone.pk).exists()
    # Every resident of Mekarsari is in Mekar Sari; nobody else moved.
    assert Penduduk.objects.filter(rt__dusun=keep).count() == 6
    assert moved == {"penduduk": 1, "keluarga": 1}  # only RT 001's people changed RT
    # The one whose RT changed has a new version (an edit form opened before is refused) and an audit row.
    assert Penduduk.objects.get(pk=people["b1"].pk).version == versions[people["b1"].pk] + 1
    assert Penduduk.objects.get(pk=people["b3"].pk).version == versions[people["b3"].pk]
    row = ObjectChange.objects.get(object_id=people["b1"].pk, content_type__model="penduduk", before__rt_id=rts["b1"].pk)
    assert row.after == {"rt_id": rts["a1"].pk} and row.username == "op_rangda" and "Mekarsari" in row.reason
    deleted = ObjectChange.objects.filter(content_type__model="dusun", object_id=gone.pk, action="delete").get()
    assert "Mekar Sari" in deleted.reason
    assert ObjectChange.objects.count() > changes_before


def test_merging_an_rt_moves_residents_families_and_recorded_events(twice, operator):
    rts, people = twice
    services.record_death(people["a2"], tanggal=datetime.date.today(), user=operator)
    merge_unit(rts["a2"], rts["a1"], user=operator)
    assert _rt_of(people["a2"]).pk == rts["a1"].pk
    assert Peristiwa.objects.get(penduduk=people["a2"]).rt_id == rts["a1"].pk
    assert not Rt.objects.filter(pk=rts["a2"].pk).exists()


def test_an_rw_merges_into_an_rw_of_another_dusun(twice, operator):
    rts, people = twice
    target = rts["a1"].rw
    merge_unit(rts["b21"].rw, target, user=operator)
    # Its RT 001 met Mekar Sari's RT 001 of RW 001: they are one RT now.
    assert _rt_of(people["b21"]).pk == rts["a1"].pk
    assert not Rw.objects.filter(pk=rts["b21"].rw_id).exists()


def test_the_area_lists_follow_a_merge(twice, operator, rangda, django_capture_on_commit_callbacks):
    keep, gone = Dusun.objects.get(nama="Mekar Sari"), Dusun.objects.get(nama="Mekarsari")
    assert "Dusun Mekarsari" in [label for _pk, label in area_options(rangda)[0]]
    with django_capture_on_commit_callbacks(execute=True):  # the data version goes up, as after a real commit
        merge_unit(gone, keep, user=operator)
    dusun, rw, _rt = area_options(rangda)
    assert [label for _pk, label in dusun] == ["Dusun Mekar Sari"]
    # The RW filter says which dusun an RW is in.
    assert sorted(label for _pk, label in rw) == ["RW 001 · Mekar Sari", "RW 002 · Mekar Sari"]


def test_the_list_reads_the_data_version_with_the_village_and_its_dusun_follow_a_merge(
        twice, operator, rangda, client, django_capture_on_commit_callbacks):
    # The filter bar's dusun are kept under the installation's data version; the list page reads
    # that version in the statement that reads its village's, not in one of its own.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(operator)

    def dusun_shown():
        with CaptureQueriesContext(connection) as queries:
            form = client.get("/penduduk/").context["form"]
        alone = [q["sql"] for q in queries if "core_dataversion" in q["sql"] and "core_storedfigure" not in q["sql"]]
        return [label for _pk, label in form.areas()[0]], alone

    assert dusun_shown() == (["Dusun Mekar Sari", "Dusun Mekarsari"], [])
    with django_capture_on_commit_callbacks(execute=True):  # the data version goes up, as after a real commit
        merge_unit(Dusun.objects.get(nama="Mekarsari"), Dusun.objects.get(nama="Mekar Sari"), user=operator)
    assert dusun_shown() == (["Dusun Mekar Sari"], [])


def test_a_place_made_by_someone_else_after_the_import_read_the_villages_places_is_taken(rangda):
    places = Places(rangda)  # read before the edits below, as an import reads them at its first row
    dusun = Dusun.objects.create(desa=rangda, nama="Karang Anyar")
    rt = Rt.objects.create(desa=rangda, dusun=dusun, nomor="007")
    before = (Dusun.objects.count(), Rw.objects.count(), Rt.objects.count())
    assert places.rt_id("Karang Anyar", "", "007") == rt.id
    assert places.rt_id("Karang Anyar", "", "008") != rt.id
    assert (Dusun.objects.count(), Rw.objects.count(), Rt.objects.count()) == (before[0], before[1], before[2] + 1)


@pytest.mark.parametrize("case", ["other village", "itself", "other kind"])
def test_a_merge_that_cannot_be_is_refused_and_changes_nothing(twice, operator, raja, case):
    rts, _people = twice
    source = Dusun.objects.get(nama="Mekarsari")
    target = {"other village": ensure_rt(raja, "001", None, "Mekarsari").dusun, "itself": source,
              "other kind": rts["a1"]}[case]
    admin = create_user("admin", role=Role.ADMIN_KECAMATAN, password="x", validate=False)
    before = _state()
    with pytest.raises(ValidationError) as refused:
        merge_unit(source, target, user=admin)
    expected = {"other village": "hanya dapat digabung ke dusun, RW atau RT di desanya sendiri",
                "itself": "tidak dapat digabung ke dirinya sendiri",
                "other kind": "Dusun digabung ke dusun, RW ke RW, RT ke RT"}[case]
    assert expected in " ".join(refused.value.messages)
    assert _state() == before


@pytest.mark.parametrize("role, desa", [(Role.OPERATOR, RAJA), (Role.KEPALA_DESA, RANGDA), (Role.CAMAT, None)])
def test_who_may_not_change_the_village_cannot_merge_rename_or_delete(twice, role, desa):
    rts, _people = twice
    user = create_user("someone", role=role, password="x", desa_kode=[desa] if desa else [], validate=False)
    source, target = Dusun.objects.get(nama="Mekarsari"), Dusun.objects.get(nama="Mekar Sari")
    before = _state()
    with pytest.raises(PermissionDenied):
        merge_unit(source, target, user=user)
    with pytest.raises(PermissionDenied):
        rename_unit(source, "Mekar Indah", user=user)
    with pytest.raises(PermissionDenied):
        delete_unit(rts["a2"], user=user)
    assert _state() == before


def test_rename_is_audited(twice, operator):
    gone = Dusun.objects.get(nama="Mekarsari")
    rename_unit(gone, "  Mekar   Indah ", user=operator)
    assert Dusun.objects.get(pk=gone.pk).nama == "Mekar Indah"
    change = ObjectChange.objects.filter(content_type__model="dusun", object_id=gone.pk).get()
    assert (change.before, change.after, change.username) == ({"nama": "Mekarsari"}, {"nama": "Mekar Indah"}, "op_rangda")
    assert rename_unit(Dusun.objects.get(pk=gone.pk), "Mekar Indah", user=operator) is None  # same name: nothing written
    assert ObjectChange.objects.filter(content_type__model="dusun", object_id=gone.pk).count() == 1


@pytest.mark.parametrize("unit, value, message", [
    ("dusun", "MEKAR  SARI", "Dusun Mekar Sari sudah ada"),  # case and spaces aside, the name of the other
    ("dusun", "mekar-sari", "Dusun Mekar Sari sudah ada"),
    ("dusun", "   ", "Tulis nama baru"),
    ("rw", "002", "RW 002 sudah ada"),
    ("rt", "003", "RT 003 sudah ada"),
    ("rt", "12345", "Paling banyak 4 karakter"),
])
def test_a_name_already_used_is_refused_and_changes_nothing(twice, operator, unit, value, message):
    rts, _people = twice
    target = {"dusun": Dusun.objects.get(nama="Mekarsari"), "rw": rts["b1"].rw, "rt": rts["b1"]}[unit]
    before = _state()
    with pytest.raises(ValidationError) as refused:
        rename_unit(target, value, user=operator)
    assert message in " ".join(refused.value.messages)
    assert _state() == before


def test_an_empty_unit_is_deleted_with_the_empty_ones_inside(rangda, operator):
    rt = ensure_rt(rangda, "009", "009", "Kosong")
    dusun = rt.dusun
    delete_unit(dusun, user=operator)
    assert not Dusun.objects.filter(pk=dusun.pk).exists() and not Rt.objects.filter(pk=rt.pk).exists()
    assert not Rw.objects.filter(pk=rt.rw_id).exists()
    assert set(ObjectChange.objects.filter(action="delete").values_list("content_type__model", flat=True)) == {
        "dusun", "rw", "rt"}


@pytest.mark.parametrize("what", ["resident", "event only"])
def test_a_unit_still_used_is_not_deleted(twice, operator, what):
    rts, people = twice
    if what == "event only":  # a resident who moved on still has an event recorded in this RT
        services.record_move_out(people["a2"], tanggal=datetime.date.today(), tujuan="Kota", user=operator)
        Penduduk.objects.filter(pk=people["a2"].pk).update(rt=rts["a1"])
        Keluarga.objects.filter(rt=rts["a2"]).update(rt=rts["a1"])
    dusun = Dusun.objects.get(nama="Mekar Sari")
    before = _state()
    for unit in (rts["a2"], dusun):
        with pytest.raises(ValidationError) as refused:
            delete_unit(unit, user=operator)
        assert "tidak kosong" in " ".join(refused.value.messages)
        assert "Gabungkan" in " ".join(refused.value.messages)
    assert _state() == before


def test_near_duplicate_dusun_names():
    assert dusun_alike("Mekar Sari", "Mekarsari")
    assert dusun_alike("MEKAR-SARI", "mekar sari")
    assert dusun_alike("Sidomulyo", "Sidomulya")  # one letter apart
    assert not dusun_alike("Karya Baru I", "Karya Baru II")  # numbered dusun are different ones
    assert not dusun_alike("Dusun 1", "Dusun 2")
    assert not dusun_alike("Blok 1 Mekar", "Blok 2 Mekar")  # a number anywhere names a different dusun
    assert not dusun_alike("Baru", "Batu")  # short names: one letter is a different name
    assert not dusun_alike("Karya Baru", "Karya Maju")
    assert similar_dusun(["Mekarsari", "Sukamaju", "Suka Maju", "Mekar Sari"], ["Mekar Sari"]) == [
        ("Mekarsari", ["Mekar Sari"], []), ("Suka Maju", [], ["Sukamaju"])]


# --- the pages ----------------------------------------------------------------------------------------

def _page(client, url, **data):
    response = client.post(url, data) if data else client.get(url)
    return response.status_code, response.content.decode()


def test_the_list_shows_each_dusun_rw_and_rt_with_its_residents(client, twice, operator, rangda):
    client.force_login(operator)
    status, page = _page(client, f"/petugas/desa/{rangda.kode}/wilayah/")
    assert status == 200
    gone = Dusun.objects.get(nama="Mekarsari")
    row = page[page.index(f'id="dusun-{gone.pk}"'):]
    row = row[:row.index("</tr>")]
    assert "Dusun Mekarsari" in row and '<td class="num">4</td>' in row  # four living residents, four KK
    # The village's page leads here.
    assert f'href="/petugas/desa/{rangda.kode}/wilayah/"' in _page(client, f"/petugas/desa/{rangda.kode}/")[1]


def test_merging_on_the_page_asks_first_then_moves_the_residents(client, twice, operator, rangda):
    rts, people = twice
    client.force_login(operator)
    keep, gone = Dusun.objects.get(nama="Mekar Sari"), Dusun.objects.get(nama="Mekarsari")
    url = f"/petugas/desa/{rangda.kode}/wilayah/dusun/{gone.pk}/gabung/"
    status, page = _page(client, url, ke=keep.pk)
    assert status == 200 and "Ya, gabungkan" in page and "4 penduduk hidupnya" in page
    assert Dusun.objects.filter(pk=gone.pk).exists()  # nothing yet
    response = client.post(url, {"ke": keep.pk, "yakin": "1"}, follow=True)
    assert "Dusun Mekarsari sudah digabung ke Dusun Mekar Sari: 4 penduduk hidupnya sekarang di sana." in \
        response.content.decode()
    assert not Dusun.objects.filter(pk=gone.pk).exists()
    assert Penduduk.objects.filter(rt__dusun=keep).count() == 6


def test_a_unit_of_another_village_is_not_offered_nor_accepted(client, twice, operator, rangda, raja):
    client.force_login(operator)
    other = ensure_rt(raja, "001", None, "Mekarsari").dusun
    gone = Dusun.objects.get(nama="Mekarsari", desa=rangda)
    status, page = _page(client, f"/petugas/desa/{rangda.kode}/wilayah/dusun/{gone.pk}/")
    assert f'value="{other.pk}"' not in page
    before = _state()
    status, page = _page(client, f"/petugas/desa/{rangda.kode}/wilayah/dusun/{gone.pk}/gabung/", ke=other.pk, yakin="1")
    assert status == 200 and "Pilih dari daftar: yang sejenis di desa ini." in page
    assert _state() == before


def test_a_refused_rename_says_why_on_the_page_and_changes_nothing(client, twice, operator, rangda):
    client.force_login(operator)
    gone = Dusun.objects.get(nama="Mekarsari")
    before = _state()
    status, page = _page(client, f"/petugas/desa/{rangda.kode}/wilayah/dusun/{gone.pk}/ganti-nama/", nama="mekar sari")
    assert status == 200
    assert "Dusun Mekar Sari sudah ada. Untuk menyatukan keduanya, pakai &quot;Gabungkan&quot;." in page
    assert _state() == before


def test_deleting_a_used_rt_on_the_page_says_why(client, twice, operator, rangda):
    rts, _people = twice
    client.force_login(operator)
    status, page = _page(client, f"/petugas/desa/{rangda.kode}/wilayah/rt/{rts['a2'].pk}/hapus/", x="1")
    assert status == 200 and "tidak kosong" in page
    assert Rt.objects.filter(pk=rts["a2"].pk).exists()


def test_thousands_of_new_names_find_only_the_alike_pair():
    """Among 5,000 new names differing only in a number (never alike), the one written twice is
    found. (How fast the comparison is belongs to the benchmarks, not to a timed test.)"""
    names = [f"Blok {n:05d} Sari" for n in range(5000)] + ["BLOK 00007 SARI"]
    found = similar_dusun(names, ["Mekar Sari"])
    assert found == [("BLOK 00007 SARI", [], ["Blok 00007 Sari"])]


def test_the_history_row_of_a_merge_cannot_bring_back_the_rt_merged_away(twice, operator):
    rts, people = twice
    merge_unit(rts["a2"], rts["a1"], user=operator)
    change = ObjectChange.objects.get(object_id=people["a2"].pk, content_type__model="penduduk", before__rt_id=rts["a2"].pk)
    before = _state()
    with pytest.raises(ValidationError) as refused:
        services.restore_change(change, user=operator)
    assert "RT sebelum perubahan ini sudah digabung atau dihapus" in " ".join(refused.value.messages)
    assert _state() == before


def test_the_statistics_filter_names_each_rw_with_its_dusun(twice, rangda):
    from sidekel.statistik.forms import PilihanForm

    labels = [label for _value, label in PilihanForm({}, rangda).fields["rw"].choices]
    assert labels == ["Semua", "RW 001 · Mekar Sari", "RW 001 · Mekarsari", "RW 002 · Mekarsari"]
