"""Onboarding figures per village, checked against counts made here by hand; the pages around them."""

import datetime

import pytest
from django.utils import timezone

from sidekel.akun.choices import Role
from sidekel.akun.services import create_user
from sidekel.core import jobs
from sidekel.core.models import AccessLog, Job, ObjectChange
from sidekel.penduduk import services
from sidekel.penduduk.models import Penduduk
from sidekel.penduduk.tests.files import GOOD_ROWS, HEADERS, write_csv
from sidekel.wilayah.models import KualitasHarian
from sidekel.penduduk.progress import BELUM_MULAI, LENGKAP, REQUIRED_FIELDS, SEDANG_INPUT, onboarding
from sidekel.penduduk.progress import record_quality


def run_import(desa, user, rows, name="warga.csv"):
    path = jobs.jobs_dir() / name
    write_csv(path, HEADERS, rows)
    job = Job.objects.create(kind="import-penduduk", desa=desa, user=user, filename=name, stored_file=name,
                             options={"format": "auto", "existing": "skip", "dry_run": False})
    return jobs.start(job)


@pytest.fixture
def accounts(rangda, raja):
    op = create_user("op_rangda", role=Role.OPERATOR, password="x", desa_kode=[rangda.kode], validate=False)
    create_user("op_rangda2", role=Role.OPERATOR, password="x", desa_kode=[rangda.kode, raja.kode], validate=False)
    gone = create_user("op_lama", role=Role.OPERATOR, password="x", desa_kode=[rangda.kode], validate=False)
    gone.is_active = False
    gone.save()
    create_user("kades", role=Role.KEPALA_DESA, password="x", desa_kode=[rangda.kode], validate=False)
    return op


def test_onboarding_figures_match_independent_counts(keluarga_budi, raja, accounts, arut_selatan):
    keluarga, budi, siti, andi = keluarga_budi
    rangda = keluarga.desa
    from sidekel.akun.models import User

    importer = User.objects.get(username="op_rangda2")
    job = run_import(raja, importer, GOOD_ROWS)
    assert job.status == Job.Status.DONE and job.result["committed"], job.message
    dry = Job.objects.create(kind="import-penduduk", desa=raja, user=importer, filename="x.csv", stored_file="x.csv",
                             options={"format": "auto", "existing": "skip", "dry_run": True})
    write_csv(jobs.jobs_dir() / "x.csv", HEADERS, GOOD_ROWS)
    jobs.start(dry)  # a check only: not an import
    ids = list(arut_selatan.desa.values_list("id", flat=True))
    progress = onboarding(ids)

    r = progress[rangda.id]
    assert (r.penduduk, r.keluarga, r.operator) == (3, 1, 2)
    assert r.impor_terakhir is None
    assert r.ubah_terakhir == ObjectChange.objects.filter(desa=rangda).latest("at").at
    # Independent count of the 14 required fields: everything is filled except "can read" (all are 7+).
    people = Penduduk.objects.filter(desa=rangda)
    filled = sum(
        sum([bool(p.nik), bool(p.nama), True, True, bool(p.tempat_lahir), True, True, True, True,
             bool(p.dapat_membaca_huruf), True, p.rt_id is not None, True, bool(p.keluarga and p.keluarga.nomor_kk)])
        for p in people)
    assert len(REQUIRED_FIELDS) == 14
    assert r.kelengkapan == round(100 * filled / (3 * 14), 1) == 92.9
    assert r.skor == 100.0 and r.status == SEDANG_INPUT  # quality fine, fields not yet

    x = progress[raja.id]
    assert x.penduduk == 3 and x.keluarga == 1 and x.operator == 1
    assert x.impor_terakhir == Job.objects.get(pk=job.pk).finished_at

    empty = [d for d in ids if d not in (rangda.id, raja.id)]
    assert all(progress[d].status == BELUM_MULAI and progress[d].penduduk == 0 and progress[d].skor is None
               for d in empty)

    # Filling the missing column makes Rangda complete once its figures are computed again.
    Penduduk.objects.filter(desa=rangda).update(dapat_membaca_huruf="L")
    record_quality([rangda.id])
    assert onboarding([rangda.id])[rangda.id].status == LENGKAP
    # A new resident changes the count, so the snapshot is computed again by itself.
    services.register_penduduk(rangda, nik="6201024101900002", **{
        "nama": "Tanpa RT", "jenis_kelamin": 2, "tanggal_lahir": datetime.date(1990, 1, 1), "agama": 1,
        "pendidikan_kk": 5, "pekerjaan": 9, "status_perkawinan": 1, "hubungan_keluarga": 11})
    unchanged = onboarding([rangda.id])[rangda.id]  # the snapshot is minutes old: reused
    assert unchanged.penduduk == 4 and unchanged.skor == 100.0
    again = onboarding([rangda.id], refresh_after=datetime.timedelta(0))[rangda.id]
    assert again.penduduk == 4 and again.skor == 75.0 and again.status == SEDANG_INPUT
    assert KualitasHarian.objects.filter(desa=rangda).count() == 1


@pytest.fixture
def op_client(client, accounts):
    client.force_login(accounts)
    return client


def test_village_list_sorts_and_explains(client, keluarga_budi, arut_selatan):
    admin = create_user("adm", role=Role.ADMIN_KECAMATAN, password="x", validate=False)
    client.force_login(admin)
    body = client.get("/desa/?urut=-penduduk").content.decode()
    assert body.index("Rangda") < body.index("Mendawai Seberang")
    assert "Belum mulai" in body and "Sedang input" in body and "95 %" in body
    for bad in ("x", "-", "nama;drop"):
        assert client.get(f"/desa/?urut={bad}").status_code == 200
    assert client.get("/desa/?urut=%00").status_code == 400  # a NUL: refused with its reason (core/security.py)


def test_findings_page_lists_masks_and_links(op_client, keluarga_budi, raja):
    keluarga, budi, siti, andi = keluarga_budi
    rangda = keluarga.desa
    Penduduk.objects.filter(pk=budi.pk).update(rt=None)
    response = op_client.get(f"/petugas/desa/{rangda.kode}/kualitas/")
    body = response.content.decode()
    assert response.status_code == 200
    # The first check with findings is shown by default: Budi has no RT.
    assert f'href="/penduduk/{budi.pk}/"' in body and "Tanpa RT" in body
    assert budi.nik not in body and "620102**********" in body
    # Andi is 7-18 with no schooling status.
    body = op_client.get(f"/petugas/desa/{rangda.kode}/kualitas/?jenis=sekolah-kosong").content.decode()
    assert f'href="/penduduk/{andi.pk}/"' in body and andi.nik not in body
    assert AccessLog.objects.filter(desa=rangda, detail__contains="kualitas").exists()
    for bad in ("?jenis=nope", "?jenis=ganda&setelah=%%%", "?sebelum=zz&jenis=kk-tanpa-kepala"):
        assert op_client.get(f"/petugas/desa/{rangda.kode}/kualitas/{bad}").status_code == 200
    assert op_client.get(f"/petugas/desa/{raja.kode}/kualitas/").status_code == 404
    assert op_client.get("/petugas/desa/99.99/kualitas/").status_code == 404
    snapshot = KualitasHarian.objects.get(desa=rangda, tanggal=timezone.localdate())
    assert snapshot.jumlah["tanpa-rt"] == 1 and snapshot.skor == round(100 * 2 / 3, 1)
