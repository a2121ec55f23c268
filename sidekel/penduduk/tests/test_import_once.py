"""One check, one import (issue 14 item 2): a second click on "Impor" for the same check finds the
first import instead of writing the rows again."""

from sidekel.akun.choices import Role
from sidekel.akun.services import create_user
from sidekel.core import jobs
from sidekel.core.models import Job
from sidekel.penduduk.models import Penduduk

ROWS = ("nik,no_kk,nama,jenis_kelamin,tanggal_lahir,agama,pendidikan_kk,pekerjaan,status_perkawinan,hubungan_keluarga\n"
        "6201020505800005,6201020101230009,Kepala Baru,1,05-05-1980,1,5,9,2,1\n"
        ",6201020101230009,Anak Tanpa NIK,2,01-01-2015,1,1,3,1,4\n")


def checked(rangda, name):
    """An operator of Rangda and a finished check of a two-row file."""
    operator = create_user("op", role=Role.OPERATOR, password="x", desa_kode=[rangda.kode], validate=False)
    (jobs.jobs_dir() / name).write_text(ROWS)
    check = jobs.start(Job.objects.create(
        kind="import-penduduk", desa=rangda, user=operator, filename=name, stored_file=name,
        options={"format": "auto", "existing": "skip", "dry_run": True}))
    assert check.status == Job.Status.DONE and check.result["rows"] == 2
    return operator, check


def test_a_check_is_imported_once(client, rangda):
    operator, check = checked(rangda, "sekali.csv")
    client.force_login(operator)

    first = client.post(f"/impor/{check.pk}/simpan/")
    imported = Job.objects.get(options__check=check.pk)
    assert first["Location"] == f"/impor/{imported.pk}/" and imported.status == Job.Status.DONE
    assert Penduduk.objects.filter(desa=rangda, nama="Anak Tanpa NIK").count() == 1

    again = client.post(f"/impor/{check.pk}/simpan/", follow=True)
    assert again.redirect_chain[0][0] == f"/impor/{imported.pk}/"  # the first import, not a new one
    assert "sudah diimpor" in again.content.decode()
    assert Job.objects.filter(options__check=check.pk).count() == 1
    assert Penduduk.objects.filter(desa=rangda, nama="Anak Tanpa NIK").count() == 1  # no resident twice


def test_a_failed_import_of_a_check_can_be_tried_again(client, rangda):
    operator, check = checked(rangda, "gagal.csv")
    failed = Job.objects.create(kind="import-penduduk", desa=rangda, user=operator, filename="gagal.csv",
                                stored_file="gagal.csv", status=Job.Status.FAILED,
                                options={**check.options, "dry_run": False, "check": check.pk})
    check.options = {**check.options, "imported_as": failed.pk}
    check.save()
    client.force_login(operator)
    client.post(f"/impor/{check.pk}/simpan/")
    assert Job.objects.filter(options__check=check.pk).count() == 2
    assert Penduduk.objects.filter(desa=rangda, nama="Anak Tanpa NIK").count() == 1


def test_the_audit_rows_of_a_background_import_carry_the_address_of_its_request(transactional_db, rangda, settings):
    """The job waits on the queue and the worker runs it after the request has answered; its audit
    rows still say who asked from where (before, a web import's rows had no address and no request id)."""
    from django.core.management import call_command

    import uuid

    from sidekel.core.audit import acting_for
    from sidekel.core.models import ObjectChange

    settings.SIDEKEL_JOBS_INLINE = False
    operator = create_user("op", role=Role.OPERATOR, password="x", desa_kode=[rangda.kode], validate=False)
    (jobs.jobs_dir() / "alamat.csv").write_text(ROWS)
    job = Job.objects.create(kind="import-penduduk", desa=rangda, user=operator, filename="alamat.csv",
                             stored_file="alamat.csv", options={"format": "auto", "existing": "skip", "dry_run": False})
    request_id = uuid.uuid4()
    with acting_for("10.1.2.3", request_id):
        jobs.start(job)
    assert job.status == Job.Status.QUEUED
    call_command("worker", "--batch", "--no-startup-delay", verbosity=0)  # every queued task, then exit
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.message
    rows = ObjectChange.objects.filter(desa=rangda, reason__contains="alamat.csv")
    assert rows.count() == 2
    assert {(str(r.ip), r.request_id) for r in rows} == {("10.1.2.3", request_id)}
