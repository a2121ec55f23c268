"""One rule book for a resident (rules.py), through the rules alone, the service, the form, the API,
the importer (in this process and in the child) and the quality checks; and edits that mean something
(issue 14, items 4 and 5)."""

import datetime
import json
import random

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sidekel.core.models import ObjectChange
from sidekel.core.paging import _encode
from sidekel.penduduk.tests.factories import adult
from sidekel.penduduk import importer, kualitas, rules, services
from sidekel.penduduk.choices import HubunganKeluarga, JenisKelamin, StatusPerkawinan
from sidekel.penduduk.importer import UPDATE, import_penduduk
from sidekel.penduduk.models import Keluarga, Penduduk

from .files import GOOD_ROWS, HEADERS, write_csv, write_xlsx
from .test_api import auth, get_token, operator  # noqa: F401 (fixture)
from .test_import import snapshot
from .test_views import form_data, operator_client  # noqa: F401 (fixture)

D = datetime.date
TODAY = timezone.localdate()
BUDI_KK = "6201021501200001"


def codes(findings):
    return [f.code for f in findings]


def changes_of(p):
    return ObjectChange.objects.filter(content_type__model="penduduk", object_id=p.pk).count()


# --- the rules alone -----------------------------------------------------------------------------

def test_each_rule_at_its_limits():
    today = D(2024, 6, 1)
    assert rules.birth_date(D(1900, 1, 1), today) == [] and rules.birth_date(today, today) == []
    assert codes(rules.birth_date(D(1899, 12, 31), today)) == ["lahir-terlalu-awal"]
    assert codes(rules.birth_date(D(2024, 6, 2), today)) == ["lahir-masa-depan"]
    born = D(2000, 5, 5)
    assert rules.life_dates(born, today, tanggal_perkawinan=born, tanggal_mulai_tinggal=today) == []
    found = rules.life_dates(born, today, tanggal_perkawinan=D(2000, 5, 4), tanggal_perceraian=D(2024, 6, 2))
    assert [(f.code, f.field, f.error) for f in found] == [
        ("sebelum-lahir", "tanggal_perkawinan", True), ("masa-depan", "tanggal_perceraian", True)]
    assert codes(rules.event_date(D(2000, 5, 4), born, today)) == ["peristiwa-sebelum-lahir"]
    assert codes(rules.event_date(D(2024, 6, 2), born, today)) == ["peristiwa-masa-depan"]
    # Marriage: a warning below the minimum age, by the date or, without one, by the status.
    assert rules.marriage_age(born, StatusPerkawinan.KAWIN, D(2019, 5, 5), today) == []
    young = rules.marriage_age(born, StatusPerkawinan.KAWIN, D(2019, 5, 4), today)
    assert [(f.code, f.error) for f in young] == [("kawin-muda", False)] and "18" in young[0].message
    assert codes(rules.marriage_age(D(2007, 1, 1), StatusPerkawinan.KAWIN, None, today)) == ["kawin-muda"]
    assert rules.marriage_age(D(2007, 1, 1), StatusPerkawinan.BELUM_KAWIN, None, today) == []
    # Parent and child: at least ten years; 29 February counts to 1 March.
    assert rules.parent_age(D(1990, 1, 1), D(2000, 1, 1)) == []
    assert [(f.code, f.error) for f in rules.parent_age(D(1990, 1, 1), D(1999, 12, 31))] == [("umur-orang-tua", False)]
    assert codes(rules.parent_age(D(1992, 2, 29), D(2002, 2, 28))) == ["umur-orang-tua"]
    assert rules.parent_age(D(1992, 2, 29), D(2002, 3, 1)) == []
    assert codes(rules.role_age(HubunganKeluarga.ISTRI, D(2009, 6, 2), today)) == ["umur-peran"]
    assert rules.role_age(HubunganKeluarga.ISTRI, D(2009, 6, 1), today) == []
    assert rules.role_age(HubunganKeluarga.ANAK, D(2020, 1, 1), today) == []
    # A family member needs a family; a head, a helper or "lainnya" need not.
    assert codes(rules.family_number(HubunganKeluarga.ISTRI, False)) == ["anggota-tanpa-kk"]
    assert rules.family_number(HubunganKeluarga.ISTRI, True) == []
    assert all(rules.family_number(r, False) == [] for r in (1, 10, 11))
    second = rules.second_head("6201021501200001", "Budi")[0]
    assert second.error and "6201021501200001" in second.message and "Budi" in second.message
    assert rules.clean_query("a\x00b\x1fc\nd\u200b") == "a b c d " and rules.clean_query("Siti  Aminah") == "Siti  Aminah"


# --- through the service ---------------------------------------------------------------------------

@pytest.mark.parametrize("born,text", [(D(2056, 1, 1), "di masa depan"), (D(1870, 1, 1), "sebelum tahun 1900")])
def test_service_refuses_a_birth_date_in_the_future_or_before_1900(keluarga_budi, rangda, born, text):
    with pytest.raises(ValidationError) as exc:
        services.register_penduduk(rangda, nik=None, **adult(nama="Orang Baru", tanggal_lahir=born))
    assert text in exc.value.message_dict["tanggal_lahir"][0]
    budi = keluarga_budi[1]
    with pytest.raises(ValidationError) as exc:
        services.update_penduduk(budi, user=None, changes={"tanggal_lahir": born}, version=budi.version)
    assert text in exc.value.message_dict["tanggal_lahir"][0]
    budi.refresh_from_db()
    assert (budi.tanggal_lahir, budi.version) == (D(1985, 3, 12), 1)


def test_service_refuses_marriage_before_birth_and_warns_on_a_marriage_too_young(keluarga_budi, rangda):
    budi = keluarga_budi[1]
    with pytest.raises(ValidationError) as exc:
        services.update_penduduk(budi, user=None, changes={"tanggal_perkawinan": D(1980, 1, 1)}, version=1)
    assert "sebelum tanggal lahir" in exc.value.message_dict["tanggal_perkawinan"][0]
    _p, warnings = services.update_penduduk(budi, user=None, changes={"tanggal_perkawinan": D(2000, 1, 1)}, version=1)
    assert any("Kawin pada umur 14 tahun" in w for w in warnings)


def test_record_birth_warns_of_a_five_year_old_mother(keluarga_budi):
    keluarga, budi, _siti, _andi = keluarga_budi
    girl, _ = services.register_penduduk(
        keluarga.desa, keluarga=keluarga, nik=None,
        **adult(nama="Putri", jenis_kelamin=JenisKelamin.PEREMPUAN, tanggal_lahir=TODAY - datetime.timedelta(days=5 * 366),
                status_perkawinan=StatusPerkawinan.BELUM_KAWIN, hubungan_keluarga=HubunganKeluarga.ANAK))
    _baby, warnings = services.record_birth(keluarga, nama="Bayi", jenis_kelamin=JenisKelamin.LAKI_LAKI,
                                            tanggal_lahir=TODAY, ibu=girl)
    assert any("Ibu (Putri) hanya 5 tahun lebih tua" in w for w in warnings), warnings


def test_service_refuses_a_family_member_without_a_family_and_a_second_head_naming_the_family(keluarga_budi, rangda):
    keluarga = keluarga_budi[0]
    with pytest.raises(ValidationError) as exc:
        services.register_penduduk(rangda, nik=None, **adult(nama="Istri", hubungan_keluarga=HubunganKeluarga.ISTRI))
    assert "nomor KK" in exc.value.message_dict["hubungan_keluarga"][0]
    with pytest.raises(ValidationError) as exc:
        services.register_penduduk(rangda, keluarga=keluarga, nik=None, **adult(nama="Kepala Kedua"))
    message = exc.value.message_dict["hubungan_keluarga"][0]
    assert "Keluarga KK 620102**********" in message and "Budi Santoso" in message


def test_an_edit_is_not_refused_for_an_old_fault_it_does_not_touch(keluarga_budi):
    budi = keluarga_budi[1]
    Penduduk.objects.filter(pk=budi.pk).update(tanggal_lahir=D(1870, 1, 1))  # an old import's fault
    budi.refresh_from_db()
    services.update_penduduk(budi, user=None, changes={"nama": "Budi S."}, version=1)
    budi.refresh_from_db()
    with pytest.raises(ValidationError):
        services.update_penduduk(budi, user=None, changes={"tanggal_perkawinan": D(1860, 1, 1)}, version=2)


def test_an_edit_or_restore_that_changes_nothing_writes_nothing(keluarga_budi, arut_selatan):
    from sidekel.akun.choices import Role
    from sidekel.akun.models import User

    admin = User.objects.create_user("admin_kec", password="x", role=Role.ADMIN_KECAMATAN)
    budi = keluarga_budi[1]
    audited = changes_of(budi)
    services.update_penduduk(budi, user=admin, changes={"nama": "Budi Santoso", "pekerjaan": budi.pekerjaan}, version=1)
    budi.refresh_from_db()
    assert (budi.version, changes_of(budi)) == (1, audited)
    services.update_penduduk(budi, user=admin, changes={"nama": "Budi S."}, version=1)
    rename = ObjectChange.objects.filter(object_id=budi.pk, action="update").get()
    # The conflict message names who made the last real change.
    with pytest.raises(ValidationError) as exc:
        services.update_penduduk(budi, user=None, changes={"nama": "X"}, version=1)
    assert "admin_kec" in exc.value.messages[0]
    services.update_penduduk(budi, user=admin, changes={"nama": "Budi Santoso"}, version=2)
    budi.refresh_from_db()
    audited = changes_of(budi)
    with pytest.raises(ValidationError) as exc:  # the values are already those before the rename
        services.restore_change(rename, user=admin)
    assert "Tidak ada yang dipulihkan" in exc.value.messages[0]
    budi.refresh_from_db()
    assert (budi.version, changes_of(budi)) == (3, audited)


# --- through the form ----------------------------------------------------------------------------------

def test_form_shows_each_rule_on_its_field_and_saves_nothing(operator_client, keluarga_budi, rangda):
    url = f"/penduduk/tambah/?desa={rangda.kode}"
    response = operator_client.post(url, form_data(tanggal_lahir="01-01-2056"))
    assert "Tanggal lahir 01-01-2056 di masa depan" in response.context["form"].errors["tanggal_lahir"][0]
    response = operator_client.post(url, form_data(tanggal_lahir="01-01-1870"))
    assert "sebelum tahun 1900" in response.context["form"].errors["tanggal_lahir"][0]
    response = operator_client.post(url, form_data(tanggal_perkawinan="01-01-1990"))
    assert "sebelum tanggal lahir" in response.context["form"].errors["tanggal_perkawinan"][0]
    # The family rules come from the service, onto the field too.
    response = operator_client.post(url, form_data(hubungan_keluarga=HubunganKeluarga.ANAK))
    assert "nomor KK" in response.context["form"].errors["hubungan_keluarga"][0]
    assert not Penduduk.objects.filter(nama="Rina Marlina").exists()
    budi = keluarga_budi[1]
    data = form_data(nik=budi.nik, nama=budi.nama, jenis_kelamin=1, tanggal_lahir="12-03-2056", hubungan_keluarga=1,
                     version=1)
    response = operator_client.post(f"/penduduk/{budi.pk}/ubah/", data)
    assert "di masa depan" in response.context["form"].errors["tanggal_lahir"][0]
    budi.refresh_from_db()
    assert (budi.tanggal_lahir, budi.version) == (D(1985, 3, 12), 1)


def test_event_forms_refuse_a_date_before_the_birth(operator_client, keluarga_budi):
    andi = keluarga_budi[3]
    response = operator_client.post(f"/penduduk/{andi.pk}/pindah-keluar/", {"tanggal": "01-01-2009", "tujuan": "Sampit"})
    assert "sebelum tanggal lahir" in str(response.context["form"].errors)
    andi.refresh_from_db()
    assert andi.status_dasar == 1


# --- through the API ------------------------------------------------------------------------------

def patch(client, token, pk, body):
    return client.patch(f"/api/v1/penduduk/{pk}/", json.dumps(body), content_type="application/json", **auth(token))


def test_api_answers_422_on_a_rule_and_on_fields_it_may_not_change(client, operator, keluarga_budi):
    budi = keluarga_budi[1]
    token = get_token(client).json()["token"]
    for body, field, text in [
        ({"tanggal_lahir": "2056-01-01"}, "tanggal_lahir", "di masa depan"),
        ({"tanggal_lahir": "1870-01-01"}, "tanggal_lahir", "sebelum tahun 1900"),
        ({"tanggal_perkawinan": "1980-01-01"}, "tanggal_perkawinan", "sebelum tanggal lahir"),
    ]:
        response = patch(client, token, budi.pk, {"version": 1, **body})
        assert response.status_code == 422 and text in response.json()["errors"][field][0], response.json()
    response = patch(client, token, budi.pk, {"version": 1, "pekerjan": 88, "status_dasar": 2, "nama": "X"})
    assert response.status_code == 422
    body = response.json()
    assert set(body["errors"]) == {"pekerjan", "status_dasar"} and "pekerjan, status_dasar" in body["detail"]
    assert body["errors"]["pekerjan"] == ["isian tidak dikenal"] and "hanya-baca" in body["errors"]["status_dasar"][0]
    budi.refresh_from_db()
    assert (budi.nama, budi.version, budi.status_dasar) == ("Budi Santoso", 1, 1)
    # A PATCH that changes nothing keeps the version and writes no audit row.
    audited = changes_of(budi)
    response = patch(client, token, budi.pk, {"version": 1, "nama": "Budi Santoso", "pekerjaan": budi.pekerjaan})
    assert response.status_code == 200 and response.json()["version"] == 1 and changes_of(budi) == audited
    response = patch(client, token, budi.pk, {"version": 1, "tanggal_perkawinan": "2010-01-01"})
    assert response.status_code == 200 and response.json()["version"] == 2
    assert response.json()["tanggal_perkawinan"] == "2010-01-01"


def test_search_parameters_with_nul_or_control_characters_never_fail(client, operator, keluarga_budi):
    from django.test import Client

    token = get_token(client).json()["token"]
    operator_client = Client()
    operator_client.force_login(operator)
    cursor = _encode("Bu\x00di", 1)
    for query in ["q=%01%1f%7f", "q=bu%1fdi", f"setelah={cursor}", "q=budi&setelah=" + _encode("x", 10**30)]:
        response = client.get(f"/api/v1/penduduk/?{query}", **auth(token))
        assert response.status_code == 200, (query, response.content)
        response = operator_client.get(f"/penduduk/?{query}")
        assert response.status_code == 200, query
    # A NUL is refused before the search (core/security.py): 400 with the reason, on both databases.
    for query in ["q=bu%00di", "q=%00", "desa=62.01%00.02", "setelah=%00", "q=6201%00021203850001"]:
        response = client.get(f"/api/v1/penduduk/?{query}", **auth(token))
        assert response.status_code == 400 and "NUL" in response.json()["detail"], query
        assert operator_client.get(f"/penduduk/?{query}").status_code == 400, query
    # Another control character separates words, as a space does: "bu\x1fdi" searches "bu di" (both fragments).
    assert client.get("/api/v1/penduduk/?q=bu%1fdi", **auth(token)).json()["count"] == \
        client.get("/api/v1/penduduk/?q=bu%20di", **auth(token)).json()["count"]
    assert client.get("/api/v1/penduduk/?q=bud%0A", **auth(token)).json()["count"] == 1


# --- through the importer ---------------------------------------------------------------------------

HEADERS_KAWIN = HEADERS + ["tanggal_perkawinan"]


def family_row(nik, kk, nama, born, role, sex="L", kawin="", status="Kawin"):
    return [nik, kk, nama, sex, "Kumai", born, "1", "4", "2", status, role, "Sumber Rejeki", "002", "003", "Jl. Tani",
            kawin]


def good_family():
    return [r + [""] for r in GOOD_ROWS]


@pytest.fixture(params=["here", "child"])
def where(request, monkeypatch):
    """Each importer test runs twice: the rows checked in this process, and in the child (core/worker.py)."""
    if request.param == "child":
        monkeypatch.setattr(importer, "IN_CHILD_FROM_BYTES", 0)
    return request.param


def test_importer_applies_each_rule_of_a_row(keluarga_budi, rangda, tmp_path, where):
    rows = good_family() + [
        family_row("6201021708700001", "", "Istri Tanpa KK", "17-08-1970", "Istri", "P"),               # 5
        family_row("6201021708700002", "6201021501150002", "Kakek", "17-08-1870", "Kepala Keluarga"),  # 6
        family_row("6201021708900003", "6201021501150003", "Kepala", "17-08-1990", "Kepala Keluarga",  # 7
                   kawin="01-01-1989"),
        family_row("6201021708900004", "6201021501150004", "Muda", "17-08-1990", "Kepala Keluarga",    # 8: warning
                   kawin="01-01-2005"),
        family_row("6201021708950005", "6201021501150004", "Anak", "17-08-1995", "Anak",               # 9: warning
                   status="Belum Kawin"),
        family_row("6201021708700006", "", "Lainnya", "17-08-1970", "Lainnya"),                        # 10: fine
    ]
    path = write_csv(tmp_path / "aturan.csv", HEADERS_KAWIN, rows)
    report = import_penduduk(path, rangda)
    errors = [str(p) for p in report.errors()]
    assert any(t.startswith("Baris 5, kolom no_kk: Istri adalah hubungan dalam keluarga") for t in errors), errors
    assert any(t.startswith("Baris 6, kolom tanggal_lahir: Tanggal lahir 17-08-1870 sebelum tahun 1900") for t in errors)
    assert any(t.startswith("Baris 7, kolom tanggal_perkawinan: Tanggal perkawinan 01-01-1989 sebelum") for t in errors)
    warnings = [str(p) for p in report.warnings()]
    assert any(t.startswith("Baris 8, kolom tanggal_perkawinan: Kawin pada umur 14 tahun") for t in warnings), warnings
    assert any(t.startswith("Baris 9, kolom hubungan_keluarga: Kepala keluarga (baris 8) hanya 5 tahun") for t in warnings)
    assert report.refused == {5, 6, 7} and report.new == 6
    report = import_penduduk(path, rangda, dry_run=False)
    assert report.committed and report.new == 6 and not Penduduk.objects.filter(nama="Istri Tanpa KK").exists()


def test_importer_refuses_a_second_head_of_a_family_already_in_the_village_and_then_commits(keluarga_budi, rangda,
                                                                                           tmp_path, where):
    budi = keluarga_budi[1]
    rows = good_family() + [
        family_row("6201021708900001", BUDI_KK, "Kepala Kedua", "17-08-1990", "Kepala Keluarga"),        # 5
        family_row("6201021708150002", BUDI_KK, "Anak Baru", "17-08-2015", "Anak", status="Belum Kawin"),  # 6
    ]
    path = write_xlsx(tmp_path / "kepala.xlsx", HEADERS_KAWIN, rows)
    before = snapshot()
    report = import_penduduk(path, rangda)
    errors = [str(p) for p in report.errors()]
    assert any(t.startswith(f"Baris 5, kolom hubungan_keluarga: Keluarga {BUDI_KK} sudah punya kepala keluarga "
                            "yang hidup: Budi Santoso") for t in errors), errors
    assert report.refused == {5, 6} and report.new == 3  # refused with its family
    assert snapshot() == before
    report = import_penduduk(path, rangda, dry_run=False)  # no "Kesalahan tak terduga"
    assert report.committed and report.new == 3 and Keluarga.objects.get(nomor_kk=BUDI_KK).kepala == budi
    # The head's own row (skipped: already registered) and a new child join without a second head.
    rows = [family_row(budi.nik, BUDI_KK, "Budi Santoso", "12-03-1985", "Kepala Keluarga"),
            family_row("6201021708150002", BUDI_KK, "Anak Baru", "17-08-2015", "Anak", status="Belum Kawin")]
    report = import_penduduk(write_csv(tmp_path / "anak.csv", HEADERS_KAWIN, rows), rangda, dry_run=False)
    assert (report.refused, report.skipped, report.new, report.committed) == (set(), 1, 1, True)
    assert Penduduk.objects.get(nik="6201021708150002").keluarga.kepala == budi


def test_importer_update_checks_against_the_database_and_never_aborts(keluarga_budi, rangda, tmp_path):
    _keluarga, budi, siti, _andi = keluarga_budi
    # Siti made head of Budi's family by an update: refused at the check, naming the family.
    rows = [family_row(siti.nik, BUDI_KK, "Siti Aminah", "25-07-1987", "Kepala Keluarga", "P")]
    path = write_csv(tmp_path / "siti.csv", HEADERS_KAWIN, rows)
    report = import_penduduk(path, rangda, existing=UPDATE)
    assert report.refused == {2} and "sudah punya kepala keluarga yang hidup: Budi Santoso" in str(report.errors()[0])
    assert import_penduduk(path, rangda, existing=UPDATE, dry_run=False).updated == 0
    # The file's birth date with the marriage date on record breaks a rule the row alone does not:
    # the commit refuses that row and writes the others.
    Penduduk.objects.filter(pk=budi.pk).update(tanggal_perkawinan=D(2005, 1, 1))
    rows = [family_row(budi.nik, BUDI_KK, "Budi Santoso", "12-03-2006", "Kepala Keluarga")] + good_family()
    path = write_csv(tmp_path / "budi.csv", HEADERS_KAWIN, rows)
    assert import_penduduk(path, rangda, existing=UPDATE).updated == 1
    report = import_penduduk(path, rangda, existing=UPDATE, dry_run=False)
    assert report.committed and (report.updated, report.new, report.refused) == (0, 3, {2})
    assert "tidak diperbarui" in str(report.errors()[0])
    budi.refresh_from_db()
    assert budi.tanggal_lahir == D(1985, 3, 12)


# --- the quality checks agree with the rules ----------------------------------------------------------

def test_quality_checks_agree_with_the_rules_on_a_generated_population(keluarga_budi, rangda):
    """Residents with dates around every limit of rules.py: the SQL of kualitas.py finds exactly
    the residents the rules find."""
    rng = random.Random(14)
    base = adult(nama="Warga", tempat_lahir="", status_perkawinan=StatusPerkawinan.KAWIN)
    limits = [D(1899, 12, 31), D(1900, 1, 1), TODAY, TODAY + datetime.timedelta(days=1),
              rules.years_after(TODAY, -15), rules.years_after(TODAY, -15) + datetime.timedelta(days=1),
              D(1992, 2, 29), D(2002, 2, 28), D(2002, 3, 1), D(1980, 6, 15)]

    def near(day):
        return day + datetime.timedelta(days=rng.choice([-1, 0, 0, 1]))

    for i in range(60):
        keluarga = Keluarga.objects.create(desa=rangda, nomor_kk=f"6201021601{i:06d}")
        head_born = near(rng.choice(limits))
        head = Penduduk(desa=rangda, keluarga=keluarga, **{**base, "tanggal_lahir": head_born})
        members = [head]
        for role in rng.sample([HubunganKeluarga.ISTRI, HubunganKeluarga.ANAK, HubunganKeluarga.ANAK], 2):
            born = near(rng.choice(limits + [rules.years_after(head_born, 10), rules.years_after(head_born, 9)]))
            members.append(Penduduk(desa=rangda, keluarga=keluarga, **{**base, "tanggal_lahir": born,
                                                                      "hubungan_keluarga": role}))
        for p in members:
            for name in rules.LIFE_DATES:
                if rng.random() < 0.3:
                    setattr(p, name, near(rng.choice([p.tanggal_lahir, TODAY, D(1950, 1, 1)])))
            p.save()
    people = list(Penduduk.objects.filter(desa=rangda))
    heads = {p.keluarga_id: p for p in people if p.hubungan_keluarga == HubunganKeluarga.KEPALA_KELUARGA}
    expected = {"tanggal-mustahil": set(), "umur-peran": set()}
    for p in people:
        dates = rules.birth_date(p.tanggal_lahir, TODAY) + rules.life_dates(
            p.tanggal_lahir, TODAY, **{name: getattr(p, name) for name in rules.LIFE_DATES})
        if rules.errors(dates):
            expected["tanggal-mustahil"].add(p.pk)
        head = heads.get(p.keluarga_id)
        if rules.role_age(p.hubungan_keluarga, p.tanggal_lahir, TODAY) or (
                p.hubungan_keluarga == HubunganKeluarga.ANAK and head and rules.parent_age(head.tanggal_lahir, p.tanggal_lahir)):
            expected["umur-peran"].add(p.pk)
    assert all(len(found) > 10 for found in expected.values()), expected
    for code, found in expected.items():
        assert set(kualitas.findings(code, [rangda.id], TODAY).values_list("id", flat=True)) == found, code
