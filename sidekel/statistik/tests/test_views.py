"""The statistics pages: who sees which area, downloads that match the records, bad input."""

import csv
import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from sidekel.penduduk.choices import Pekerjaan, StatusDasar
from sidekel.penduduk.demo import DemoBuilder
from sidekel.penduduk.models import Penduduk
from sidekel.wilayah.models import Desa


def build_once():
    DemoBuilder(seed=5).build(penduduk=1200)
    return Desa.objects.get(kode="62.01.02.2010"), Desa.objects.get(kode="62.01.02.1007")


@pytest.fixture
def kecamatan(once):
    return once


def login(client, django_user_model, role, desa=()):
    user = django_user_model.objects.create_user(f"u-{role}", password="x", role=role)
    user.desa.set(desa)
    client.force_login(user)
    return client


def living(**filters):
    return Penduduk.objects.filter(status_dasar=StatusDasar.HIDUP, deleted_at__isnull=True, **filters)


def test_dashboard_shows_every_village_with_its_population(client, django_user_model, kecamatan):
    login(client, django_user_model, "camat")
    page = client.get("/statistik/?urut=-jumlah")
    assert page.status_code == 200
    rows = page.context["rows"]
    assert len(rows) == 20
    assert [r["jumlah"] for r in rows] == sorted((living(desa=r["desa"]).count() for r in rows), reverse=True)
    assert page.context["total"]["jumlah"] == living().count()
    assert page.context["total"]["keluarga"] == living(keluarga__isnull=False).values("keluarga").distinct().count()


def test_a_village_account_sees_its_own_village_only(client, django_user_model, kecamatan):
    rangda, raja = kecamatan
    login(client, django_user_model, "operator", [rangda])
    assert client.get("/statistik/").url == f"/statistik/{rangda.kode}/"
    assert client.get(f"/statistik/{rangda.kode}/").status_code == 200
    assert client.get(f"/statistik/{raja.kode}/").status_code == 404
    assert client.get("/statistik/62.01.02/").status_code == 404  # the kecamatan's totals are for kecamatan roles
    assert client.get(f"/statistik/{rangda.kode}/tidak-ada/").status_code == 404


def test_csv_and_xlsx_downloads_match_the_records(client, django_user_model, kecamatan):
    rangda, _raja = kecamatan
    login(client, django_user_model, "admin-kecamatan")
    response = client.get(f"/statistik/{rangda.kode}/pekerjaan/?format=csv&bom=1")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffkode,label,laki_laki,perempuan,jumlah")
    rows = {r["kode"]: r for r in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))}
    assert len(rows) >= len(Pekerjaan.choices)
    for code, _label in Pekerjaan.choices:
        people = living(desa=rangda, pekerjaan=code)
        assert (int(rows[str(code)]["laki_laki"]), int(rows[str(code)]["perempuan"])) == (
            people.filter(jenis_kelamin=1).count(), people.filter(jenis_kelamin=2).count())
    workbook = load_workbook(io.BytesIO(client.get("/statistik/62.01.02/agama/?format=xlsx").content))
    cells = list(workbook.active.iter_rows(values_only=True))
    assert cells[0] == ("kode", "label", "laki_laki", "perempuan", "jumlah")
    assert {r[0]: r[4] for r in cells[1:]}["1"] == living(agama=1).count()


def test_a_past_date_and_a_dusun_narrow_the_figures(client, django_user_model, kecamatan):
    rangda, _raja = kecamatan
    login(client, django_user_model, "operator", [rangda])
    dusun = rangda.dusun_set.first() if hasattr(rangda, "dusun_set") else None
    from sidekel.wilayah.models import Dusun

    dusun = Dusun.objects.filter(desa=rangda).first()
    page = client.get(f"/statistik/{rangda.kode}/jenis-kelamin/?dusun={dusun.id}")
    assert page.status_code == 200
    assert page.context["total"].jumlah == living(desa=rangda, rt__dusun=dusun).count()
    before = (timezone.localdate() - datetime.timedelta(days=365)).strftime("%d-%m-%Y")
    assert client.get(f"/statistik/{rangda.kode}/?tanggal={before}").status_code == 200


@pytest.mark.parametrize("query,message", [
    ("tanggal=31-02-2020", "dd-mm-yyyy"),
    ("tanggal=01-01-2999", "hari ini"),
    ("rt=999999", "Pilih"),
])
def test_bad_choices_get_a_message_and_the_default_figures(client, django_user_model, kecamatan, query, message):
    rangda, _raja = kecamatan
    login(client, django_user_model, "operator", [rangda])
    page = client.get(f"/statistik/{rangda.kode}/agama/?{query}")
    assert page.status_code == 200
    assert message in page.content.decode()
    assert page.context["total"].jumlah == living(desa=rangda).count()
