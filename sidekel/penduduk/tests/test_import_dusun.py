"""The import check warns of a new dusun name that looks like one the village has ("Mekarsari"
beside "Mekar Sari") or like another new one of the file, and the import puts the rows where the
operator chose (issue 15 item 4)."""

import io

from sidekel.akun.choices import Role
from sidekel.akun.services import create_user
from sidekel.core.models import Job
from sidekel.penduduk.importer import import_penduduk
from sidekel.penduduk.models import Penduduk
from sidekel.wilayah.models import Dusun
from sidekel.wilayah.services import ensure_rt

from .files import HEADERS, write_csv


def _row(nik, kk, nama, dusun, rt="001"):
    return [nik, kk, nama, "L", "Pangkalan Bun", "17-08-1980", "ISLAM", "SLTA/Sederajat", "Petani/Pekebun", "Kawin",
            "Kepala Keluarga", dusun, "001", rt, "Jl. Tani"]


ROWS = [
    _row("6201021708800001", "6201021501150001", "Ahmad Yani", "Mekar Sari"),  # the village's own dusun
    _row("6201021708800002", "6201021501150002", "Bambang", "Mekarsari"),  # looks like it
    _row("6201021708800003", "6201021501150003", "Candra", "Sukamaju"),  # new
    _row("6201021708800004", "6201021501150004", "Dodi", "SUKA MAJU", rt="002"),  # new, looks like Sukamaju
    _row("6201021708800005", "6201021501150005", "Eko", "Melati"),  # new, like nothing
    _row("6201021708800006", "6201021501150006", "Fajar", "Sidomulya"),  # one letter from Sidomulyo
]


def test_the_check_warns_of_each_near_duplicate_dusun_naming_both(rangda, tmp_path):
    ensure_rt(rangda, "001", "001", "Mekar Sari")
    ensure_rt(rangda, "001", None, "Sidomulyo")
    report = import_penduduk(write_csv(tmp_path / "warga.csv", HEADERS, ROWS), rangda)
    warnings = {p.row: p.message for p in report.warnings() if p.column == "dusun"}
    assert warnings == {
        3: 'dusun "Mekarsari" baru, padahal desa sudah punya dusun "Mekar Sari": jika keduanya satu dusun, pilih dusun '
           'itu di bagian "Nama dusun yang mirip" sebelum mengimpor',
        5: 'dusun "Suka Maju" mirip dusun "Sukamaju" di baris 4, yang juga baru: jika keduanya satu dusun, pilih dusun '
           'itu di bagian "Nama dusun yang mirip" sebelum mengimpor',
        7: 'dusun "Sidomulya" baru, padahal desa sudah punya dusun "Sidomulyo": jika keduanya satu dusun, pilih dusun '
           'itu di bagian "Nama dusun yang mirip" sebelum mengimpor',
    }
    # What the report's page offers, and chooses at first: the alike name with the same letters.
    assert [(d["nama"], d["baris"], d["ada"], d["baru"], d["awal"]) for d in report.as_dict()["dusun_mirip"]] == [
        ("Mekarsari", 3, ["Mekar Sari"], [], "Mekar Sari"), ("Suka Maju", 5, [], ["Sukamaju"], "Sukamaju"),
        ("Sidomulya", 7, ["Sidomulyo"], [], "")]
    assert report.refused == set()  # a warning, not a refusal


def _check_through_the_page(client, rangda, tmp_path):
    operator = create_user("op", role=Role.OPERATOR, password="x", desa_kode=[rangda.kode], validate=False)
    client.force_login(operator)
    data = io.BytesIO(write_csv(tmp_path / "warga.csv", HEADERS, ROWS).read_bytes())
    data.name = "warga.csv"
    response = client.post("/impor/", {"file": data, "desa": rangda.kode, "format": "auto", "existing": "skip"})
    assert response.status_code == 302
    return Job.objects.get(kind="import-penduduk", options__dry_run=True)


def test_the_import_puts_the_rows_into_the_dusun_the_operator_chose(client, rangda, tmp_path):
    mekar_sari = ensure_rt(rangda, "001", "001", "Mekar Sari").dusun
    ensure_rt(rangda, "001", None, "Sidomulyo")
    check = _check_through_the_page(client, rangda, tmp_path)
    page = client.get(f"/impor/{check.pk}/").content.decode()
    # The report offers, for each name, to merge it or to make it new; same letters merge by default.
    assert "Nama dusun yang mirip" in page
    assert '<option value="Mekar Sari" selected>gabungkan ke: Mekar Sari (sudah ada di desa)</option>' in page
    assert '<option value="Sukamaju" selected>gabungkan ke: Sukamaju (juga baru di berkas ini)</option>' in page
    assert '<option value="" selected>buat dusun baru "Sidomulya"</option>' in page

    # Mekarsari into Mekar Sari, Suka Maju into Sukamaju, Sidomulya new; a name not offered is ignored.
    response = client.post(f"/impor/{check.pk}/simpan/", {"dusun-0": "Mekar Sari", "dusun-1": "Sukamaju",
                                                           "dusun-2": "Desa Lain"})
    assert response.status_code == 302
    done = Job.objects.exclude(pk=check.pk).get()
    assert done.status == Job.Status.DONE and done.result["committed"], done.message
    assert done.options["dusun_map"] == {"Mekarsari": "Mekar Sari", "Suka Maju": "Sukamaju"}
    # The import's report says where those rows went; the one left new is still a warning.
    said = {p["row"]: p["message"] for p in done.result["problems"] if p["column"] == "dusun"}
    assert said[3] == 'dusun "Mekarsari" ditulis sebagai dusun "Mekar Sari", sesuai pilihan setelah pemeriksaan'
    assert said[5] == 'dusun "Suka Maju" ditulis sebagai dusun "Sukamaju", sesuai pilihan setelah pemeriksaan'
    assert [d["nama"] for d in done.result["dusun_mirip"]] == ["Sidomulya"]

    assert sorted(Dusun.objects.filter(desa=rangda).values_list("nama", flat=True)) == [
        "Mekar Sari", "Melati", "Sidomulya", "Sidomulyo", "Sukamaju"]
    bambang = Penduduk.objects.select_related("rt__dusun").get(nama="Bambang")
    assert bambang.rt.dusun_id == mekar_sari.pk
    assert bambang.rt_id == Penduduk.objects.get(nama="Ahmad Yani").rt_id  # RW 001 / RT 001 of Mekar Sari: one RT
    dodi = Penduduk.objects.select_related("rt__dusun").get(nama="Dodi")
    assert (dodi.rt.dusun.nama, dodi.rt.nomor) == ("Sukamaju", "002")


def test_without_a_choice_the_import_writes_the_names_as_in_the_file(client, rangda, tmp_path):
    ensure_rt(rangda, "001", "001", "Mekar Sari")
    check = _check_through_the_page(client, rangda, tmp_path)
    client.post(f"/impor/{check.pk}/simpan/", {"dusun-0": "", "dusun-1": "", "dusun-2": ""})
    assert "Mekarsari" in Dusun.objects.filter(desa=rangda).values_list("nama", flat=True)
    assert Penduduk.objects.filter(rt__dusun__nama="Mekarsari").count() == 1
