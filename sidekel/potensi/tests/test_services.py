"""The profile's values, the shared approval workflow, the SDM block and what becomes public."""

import datetime
import itertools
from collections import Counter
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sidekel.core import approval
from sidekel.core.models import ObjectChange
from sidekel.penduduk import services as penduduk_services
from sidekel.penduduk.choices import Agama, Disabilitas, JenisKelamin, Pekerjaan, PendidikanKK
from sidekel.penduduk.tests.factories import adult
from sidekel.potensi import services
from sidekel.potensi.choices import Kelompok
from sidekel.potensi.models import Indikator, Nilai, Profil
from sidekel.statistik import publik
from sidekel.wilayah.services import ensure_rt

LUAS, SAWAH, BPD, SINYAL, WISATA = ("sda.umum.luas", "sda.lahan.sawah-teknis", "lembaga.pemerintahan.bpd",
                                    "prasarana.komunikasi.sinyal", "sda.wisata.utama")


def test_the_catalogue_has_every_group_and_at_least_120_indicators(db):
    counts = Counter(Indikator.objects.aktif().values_list("kelompok", flat=True))
    assert sum(counts.values()) >= 120
    assert set(counts) == set(Kelompok.values)
    assert Indikator.objects.filter(kode__startswith="sda.ternak.", satuan="ekor").count() >= 5
    assert Indikator.objects.filter(kode__startswith="prasarana.jalan.", satuan="km").count() >= 4


def test_values_of_each_type_are_stored_and_read_back(rangda, users, last_year):
    profil, changed = services.save_values(rangda, last_year, {LUAS: "1.250,5", BPD: "ya", SINYAL: "Kuat",
                                                               WISATA: " Riam Pangkalan "}, user=users["op_a"])
    assert changed == 4 and profil.status == approval.Status.DRAF
    values = {n.indikator.kode: n.value for n in Nilai.objects.filter(profil=profil).select_related("indikator")}
    assert values == {LUAS: 1250.5, BPD: True, SINYAL: "kuat", WISATA: "Riam Pangkalan"}
    assert ObjectChange.objects.filter(content_type__model="nilai", desa_id=rangda.id).count() == 4
    # Clearing a value deletes it; writing the same again changes nothing.
    _p, changed = services.save_values(rangda, last_year, {LUAS: "", BPD: True}, user=users["op_a"])
    assert changed == 1 and not Nilai.objects.filter(profil=profil, indikator__kode=LUAS).exists()


@pytest.mark.parametrize("values, named", [
    ({LUAS: "-3"}, "Luas wilayah"),  # below its bounds
    ({LUAS: "600000"}, "Luas wilayah"),  # above
    ({LUAS: "banyak"}, "Luas wilayah"),  # not a number
    ({"sda.ternak.sapi": "2.5"}, "Sapi"),  # heads are whole
    ({BPD: "mungkin"}, "Badan Permusyawaratan"),  # yes/no
    ({SINYAL: "sedang"}, "Sinyal telepon"),  # not one of the list
    ({"sda.tidak.ada": "1"}, "sda.tidak.ada"),  # unknown code
    ({LUAS: "10", "sda.ternak.sapi": "-1"}, "Sapi"),  # one bad value: none written
])
def test_bad_values_name_the_indicator_and_write_nothing(rangda, users, last_year, values, named):
    with pytest.raises(ValidationError) as refused:
        services.save_values(rangda, last_year, values, user=users["op_a"])
    assert any(named in message for message in refused.value.messages), refused.value.messages
    assert not Profil.objects.exists() and not Nilai.objects.exists()


def test_a_year_in_the_future_and_a_kelurahan_only_code_are_refused(rangda, raja, users):
    with pytest.raises(ValidationError):
        services.save_values(rangda, timezone.localdate().year + 1, {LUAS: "1"}, user=users["op_a"])
    # BPD exists in a desa only: Raja is a kelurahan.
    assert raja.get_jenis_display() == "Kelurahan"
    with pytest.raises(ValidationError):
        services.save_values(raja, 2024, {BPD: "ya"}, user=users["op_b"])
    assert not Nilai.objects.exists()


def test_only_who_may_change_the_village_writes_its_values(rangda, users, last_year):
    for persona in ("camat", "op_b", "kades_a"):
        with pytest.raises(PermissionDenied):
            services.save_values(rangda, last_year, {LUAS: "1"}, user=users[persona])
    assert not Profil.objects.exists()


# --- the state machine: every transition, from every state, as every role -----------------------------

TRANSITIONS = {
    "submit": lambda d, y, u: services.submit(d, y, user=u),
    "approve": lambda d, y, u: services.approve(d, y, user=u),
    "return": lambda d, y, u: services.return_profil(d, y, user=u, catatan="Periksa lagi"),
    "reopen": lambda d, y, u: services.reopen(d, y, user=u, alasan="Koreksi luas"),
    "edit": lambda d, y, u: services.save_values(d, y, {LUAS: "77"}, user=u)[0],
}
# The state a profile reaches from each state, by transition (absent: refused).
ALLOWED = {
    "draf": {"submit": "diajukan", "edit": "draf"},
    "diajukan": {"approve": "disetujui", "return": "dikembalikan"},
    "dikembalikan": {"submit": "diajukan", "edit": "dikembalikan"},
    "disetujui": {"reopen": "draf"},
}
WHO = {"submit": {"op_a", "kades_a"}, "approve": {"admin", "camat"}, "return": {"admin", "camat"},
       "reopen": {"admin", "camat"}, "edit": {"op_a", "admin"}}


def _profile_in(state, desa, year):
    services.save_values(desa, year, {LUAS: "10"}, user=None)
    if state != "draf":
        services.submit(desa, year, user=None)
    if state == "dikembalikan":
        services.return_profil(desa, year, user=None, catatan="x")
    if state == "disetujui":
        services.approve(desa, year, user=None)
    return Profil.objects.get(desa=desa, tahun=year)


@pytest.mark.parametrize("state, transition", list(itertools.product(ALLOWED, TRANSITIONS)))
def test_the_state_machine_refuses_every_wrong_transition_for_every_role(rangda, users, last_year, state,
                                                                         transition):
    profil = _profile_in(state, rangda, last_year)
    for persona, user in users.items():
        before = (Profil.objects.get(pk=profil.pk).status, list(Nilai.objects.values_list("angka", flat=True)),
                  ObjectChange.objects.count())
        allowed = persona in WHO[transition] and transition in ALLOWED[state]
        if allowed:
            continue
        expected = PermissionDenied if persona not in WHO[transition] else ValidationError
        with pytest.raises(expected):
            TRANSITIONS[transition](rangda, last_year, user)
        after = (Profil.objects.get(pk=profil.pk).status, list(Nilai.objects.values_list("angka", flat=True)),
                 ObjectChange.objects.count())
        assert after == before, (state, transition, persona)
    # And the allowed ones work, for each role that may.
    for persona in sorted(WHO[transition]):
        if transition not in ALLOWED[state]:
            break
        Profil.objects.all().delete()
        profil = _profile_in(state, rangda, last_year)
        TRANSITIONS[transition](rangda, last_year, users[persona])
        assert Profil.objects.get(pk=profil.pk).status == ALLOWED[state][transition], (state, transition, persona)


def test_return_needs_a_note_or_a_comment_and_keeps_comments_per_indicator(rangda, users, last_year):
    _profile_in("diajukan", rangda, last_year)
    with pytest.raises(ValidationError):
        services.return_profil(rangda, last_year, user=users["camat"], catatan="  ")
    with pytest.raises(ValidationError):
        services.return_profil(rangda, last_year, user=users["camat"], komentar={"bukan.kode": "x"})
    profil = services.return_profil(rangda, last_year, user=users["camat"], komentar={LUAS: "Terlalu kecil"})
    assert profil.status == "dikembalikan" and profil.komentar == {LUAS: "Terlalu kecil"}
    assert ObjectChange.objects.filter(object_id=profil.pk, content_type__model="profil",
                                       reason__contains="Terlalu kecil").exists()


def test_the_monthly_recap_and_the_profile_share_one_workflow():
    from sidekel.buku import services as buku_services
    from sidekel.buku.models import Rekap

    assert isinstance(buku_services.WORKFLOW, approval.Workflow) and isinstance(services.WORKFLOW, approval.Workflow)
    assert issubclass(Rekap, approval.Approvable) and issubclass(Profil, approval.Approvable)
    assert Rekap.Status is Profil.Status is approval.Status


# --- SDM ---------------------------------------------------------------------------------------------

def test_the_sdm_block_equals_independent_counts_of_the_residents(rangda, users, last_year):
    rt = ensure_rt(rangda, "001", "001", "Hulu")
    people = [
        dict(jenis_kelamin=JenisKelamin.LAKI_LAKI, tanggal_lahir=datetime.date(1970, 1, 5), agama=Agama.ISLAM,
             pendidikan_kk=PendidikanKK.SLTA, pekerjaan=Pekerjaan.PETANI_PEKEBUN, kepala=True),
        dict(jenis_kelamin=JenisKelamin.PEREMPUAN, tanggal_lahir=datetime.date(1975, 6, 1), agama=Agama.ISLAM,
             pendidikan_kk=PendidikanKK.TAMAT_SD, pekerjaan=Pekerjaan.MENGURUS_RUMAH_TANGGA),
        dict(jenis_kelamin=JenisKelamin.LAKI_LAKI, tanggal_lahir=datetime.date(2015, 3, 3), agama=Agama.KRISTEN,
             pendidikan_kk=PendidikanKK.TIDAK_BELUM_SEKOLAH, pekerjaan=Pekerjaan.PELAJAR_MAHASISWA),
        dict(jenis_kelamin=JenisKelamin.PEREMPUAN, tanggal_lahir=datetime.date(1950, 2, 2), agama=Agama.HINDU,
             pendidikan_kk=PendidikanKK.TAMAT_SD, pekerjaan=Pekerjaan.PETANI_PEKEBUN,
             disabilitas=Disabilitas.values[1], kepala=True),
        # Born after the reference date: not counted then.
        dict(jenis_kelamin=JenisKelamin.PEREMPUAN, tanggal_lahir=timezone.localdate().replace(month=1, day=1),
             agama=Agama.ISLAM, pendidikan_kk=PendidikanKK.TIDAK_BELUM_SEKOLAH, pekerjaan=Pekerjaan.BELUM_TIDAK_BEKERJA),
    ]
    families = 0
    for n, p in enumerate(people):
        kepala = p.pop("kepala", False)
        keluarga = None
        if kepala:
            families += 1
            keluarga = penduduk_services.create_keluarga(rangda, nomor_kk=f"620102150120000{n + 1}", rt=rt, alamat="x")
        penduduk_services.register_penduduk(rangda, keluarga=keluarga, nik=None, **adult(
            nama=f"Orang {n}", hubungan_keluarga=1 if kepala else 11, **p))
        p["kepala"] = kepala
    services.save_values(rangda, last_year, {LUAS: "5"}, user=users["op_a"])
    profil = services.submit(rangda, last_year, user=users["op_a"])
    ref = datetime.date(last_year, 12, 31)
    counted = [p for p in people if p["tanggal_lahir"] <= ref]
    sdm = profil.sdm
    assert sdm["tanggal"] == ref.isoformat()
    assert sdm["ringkasan"]["jumlah"] == len(counted) == 4
    assert sdm["ringkasan"]["laki_laki"] == sum(p["jenis_kelamin"] == JenisKelamin.LAKI_LAKI for p in counted)
    assert sdm["ringkasan"]["keluarga"] == families
    ages = [ref.year - p["tanggal_lahir"].year - ((ref.month, ref.day) < (p["tanggal_lahir"].month,
                                                                          p["tanggal_lahir"].day)) for p in counted]
    assert sdm["ringkasan"]["anak"] == sum(a < 15 for a in ages)
    assert sdm["ringkasan"]["lansia"] == sum(a >= 65 for a in ages)
    tables = {t["slug"]: {r["kode"]: r["jumlah"] for r in t["baris"]} for t in sdm["tabel"]}
    assert tables["agama"] == {str(k): v for k, v in Counter(int(p["agama"]) for p in counted).items()}
    assert tables["pendidikan"] == {str(k): v for k, v in Counter(int(p["pendidikan_kk"]) for p in counted).items()}
    assert tables["pekerjaan"] == {str(k): v for k, v in Counter(int(p["pekerjaan"]) for p in counted).items()}
    assert sum(tables["disabilitas"].get(str(v), 0) for v in Disabilitas.values[1:]) == 1
    assert sum(tables["umur"].values()) == len(counted)


# --- public: approved values only ----------------------------------------------------------------------

def test_only_approved_values_are_public_and_a_reopened_profile_is_not(rangda, users, last_year):
    services.save_values(rangda, last_year, {LUAS: "321", BPD: "ya"}, user=users["op_a"])
    assert publik.potensi_values([rangda.id]) == {rangda.id: []}
    services.submit(rangda, last_year, user=users["op_a"])
    assert publik.potensi_values([rangda.id])[rangda.id] == []
    services.approve(rangda, last_year, user=users["camat"])
    public = {r["kode"]: r["nilai"] for r in publik.potensi_values([rangda.id])[rangda.id]}
    assert public == {LUAS: 321, BPD: True}
    year, groups = publik.potensi_profile(rangda.id)
    assert year == last_year and [g for g, _subs in groups] == ["sda", "kelembagaan"]
    # Approved: locked. A correction needs the kecamatan to reopen it, which takes it off the public page.
    with pytest.raises(approval.WrongState):
        services.save_values(rangda, last_year, {LUAS: "999"}, user=users["op_a"])
    services.reopen(rangda, last_year, user=users["camat"], alasan="Luas salah ketik")
    services.save_values(rangda, last_year, {LUAS: "999"}, user=users["op_a"])
    assert publik.potensi_values([rangda.id])[rangda.id] == []
    assert Nilai.objects.get(indikator__kode=LUAS).angka == Decimal("999")


def test_a_retired_indicator_keeps_its_values_but_is_no_longer_asked(rangda, users, last_year):
    services.save_values(rangda, last_year, {LUAS: "5"}, user=users["op_a"])
    luas = Indikator.objects.get(kode=LUAS)
    with pytest.raises(PermissionDenied):
        services.retire_indicator(luas, user=users["camat"])
    services.retire_indicator(luas, user=users["admin"])
    assert Nilai.objects.filter(indikator=luas).exists()
    with pytest.raises(ValidationError):
        services.save_values(rangda, last_year, {LUAS: "6"}, user=users["op_a"])
    new = services.add_indicator(user=users["admin"], kode="sda.umum.luas-2026", kelompok="sda", subkelompok="Umum",
                                 nama="Luas wilayah (peta 2026)", satuan="ha", tipe="angka", maksimum=500000)
    with pytest.raises(ValidationError):
        services.add_indicator(user=users["admin"], kode=LUAS, kelompok="sda", subkelompok="Umum", nama="x",
                               tipe="angka")
    services.save_values(rangda, last_year, {new.kode: "6"}, user=users["op_a"])
