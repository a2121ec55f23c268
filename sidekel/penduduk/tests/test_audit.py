"""Every change of personal data is recorded, explained and reversible."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from sidekel.akun.choices import Role
from sidekel.akun.services import create_user, deactivate_user
from sidekel.core.audit import prune
from sidekel.core.models import AccessLog, ObjectChange
from sidekel.penduduk import services
from sidekel.penduduk.choices import HubunganKeluarga, Pekerjaan
from sidekel.penduduk.models import Penduduk


@pytest.fixture
def operator(rangda):
    return create_user("op_rangda", role=Role.OPERATOR, password="x", desa_kode=[rangda.kode], validate=False)


def changes_of(obj):
    return list(ObjectChange.objects.filter(object_id=obj.pk, content_type__model=obj._meta.model_name).order_by("id"))


def test_create_and_update_are_recorded_with_who_what_and_why(keluarga_budi, operator):
    budi = keluarga_budi[1]
    created = changes_of(budi)
    assert [c.action for c in created] == ["create"] and created[0].after["nik"] == budi.nik
    services.update_penduduk(budi, user=operator, changes={"pekerjaan": Pekerjaan.WIRASWASTA, "nama": "Budi Santosa"},
                             version=budi.version, reason="salah ketik")
    change = changes_of(budi)[-1]
    assert change.action == "update" and change.username == "op_rangda" and change.reason == "salah ketik"
    assert change.before == {"nama": "Budi Santoso", "pekerjaan": Pekerjaan.PETANI_PEKEBUN}
    assert change.after == {"nama": "Budi Santosa", "pekerjaan": Pekerjaan.WIRASWASTA}
    assert change.desa_id == budi.desa_id


def test_restore_brings_back_the_old_values_and_is_itself_audited(keluarga_budi, operator):
    budi = keluarga_budi[1]
    services.update_penduduk(budi, user=operator, changes={"nama": "Budi S."}, version=1)
    services.update_penduduk(budi, user=operator, changes={"pekerjaan": Pekerjaan.GURU}, version=2)
    rename = changes_of(budi)[1]
    services.restore_change(rename, user=operator)
    budi.refresh_from_db()
    assert (budi.nama, budi.pekerjaan, budi.version) == ("Budi Santoso", Pekerjaan.GURU, 4)
    restore = changes_of(budi)[-1]
    assert restore.action == "restore" and restore.before == {"nama": "Budi S."} and restore.after == {"nama": "Budi Santoso"}


def test_second_save_on_an_old_version_is_refused_and_nothing_is_lost(keluarga_budi, operator, rangda):
    budi = keluarga_budi[1]
    other = create_user("op_lain", role=Role.OPERATOR, password="x", desa_kode=[rangda.kode], validate=False)
    services.update_penduduk(budi, user=other, changes={"pekerjaan": Pekerjaan.GURU}, version=1)
    with pytest.raises(ValidationError) as exc:
        services.update_penduduk(budi, user=operator, changes={"nama": "Budi X"}, version=1)
    assert exc.value.code == "stale" and "op_lain" in exc.value.messages[0] and "Muat ulang" in exc.value.messages[0]
    budi.refresh_from_db()
    assert (budi.nama, budi.pekerjaan) == ("Budi Santoso", Pekerjaan.GURU)


def test_fields_outside_the_form_cannot_be_changed_by_update(keluarga_budi, operator):
    budi = keluarga_budi[1]
    with pytest.raises(ValidationError, match="status_dasar"):
        services.update_penduduk(budi, user=operator, changes={"status_dasar": 2}, version=1)


def test_writes_are_rechecked_against_the_users_villages(keluarga_budi, raja):
    budi = keluarga_budi[1]
    outsider = create_user("op_raja", role=Role.OPERATOR, password="x", desa_kode=[raja.kode], validate=False)
    camat = create_user("camat", role=Role.CAMAT, password="x", validate=False)
    for user in (outsider, camat):
        with pytest.raises(PermissionDenied):
            services.update_penduduk(budi, user=user, changes={"nama": "X"}, version=1)
        with pytest.raises(PermissionDenied):
            services.record_death(budi, tanggal=timezone.localdate(), user=user, kepala_baru=keluarga_budi[2])
    assert Penduduk.objects.get(pk=budi.pk).nama == "Budi Santoso"


def test_soft_delete_hides_and_the_admin_restores(keluarga_budi, operator):
    keluarga, budi, siti, andi = keluarga_budi
    with pytest.raises(ValidationError, match="alasan"):
        services.delete_penduduk(andi, user=operator, reason=" ")
    with pytest.raises(ValidationError, match="ganti kepala keluarga"):
        services.delete_penduduk(budi, user=operator, reason="ganda")
    services.delete_penduduk(andi, user=operator, reason="data ganda")
    assert not Penduduk.objects.for_user(operator).filter(pk=andi.pk).exists()
    assert Penduduk.objects.deleted().filter(pk=andi.pk).exists()
    with pytest.raises(PermissionDenied):
        services.undelete_penduduk(andi, user=operator)
    admin = create_user("admin", role=Role.ADMIN_KECAMATAN, password="x", validate=False)
    services.undelete_penduduk(andi, user=admin)
    assert Penduduk.objects.for_user(operator).filter(pk=andi.pk).exists()
    assert [c.action for c in changes_of(andi)] == ["create", "delete", "restore"]


def test_change_of_head_keeps_one_head(keluarga_budi, operator):
    keluarga, budi, siti, _andi = keluarga_budi
    services.change_head(keluarga, siti, hubungan_lama=HubunganKeluarga.SUAMI, user=operator)
    budi.refresh_from_db()
    assert keluarga.kepala == siti and budi.hubungan_keluarga == HubunganKeluarga.SUAMI


def test_deactivated_official_keeps_their_records(keluarga_budi, operator):
    budi = keluarga_budi[1]
    services.update_penduduk(budi, user=operator, changes={"nama": "Budi S."}, version=1)
    deactivate_user("op_rangda")
    change = changes_of(budi)[-1]
    assert change.user_id == operator.pk and change.username == "op_rangda"
    operator.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.update_penduduk(budi, user=operator, changes={"nama": "X"}, version=2)


def test_logs_are_pruned_after_their_retention_in_batches(keluarga_budi, settings, capsys):
    old = timezone.now() - datetime.timedelta(days=4000)
    ObjectChange.objects.update(at=old)
    assert ObjectChange.objects.count() == 4
    assert prune(ObjectChange, 3650, batch_size=3) == 4
    settings.SIDEKEL_ACCESS_LOG_DAYS = 30
    AccessLog.objects.create(username="x", action="view")
    AccessLog.objects.update(at=old)
    call_command("audit", "prune")
    assert "1 catatan akses" in capsys.readouterr().out and not AccessLog.objects.exists()


@pytest.mark.django_db(transaction=True)  # outside any transaction, as in a request
def test_an_access_record_outside_a_transaction_is_written_whole(rangda, keluarga_budi):
    """On PostgreSQL the record is one INSERT that does not wait for the disk (``core.audit``);
    every field arrives as given, on both databases, and nothing stays set on the connection."""
    from django.db import connection

    from sidekel.core.audit import acting_for, log_access

    user = create_user("op_rangda", role=Role.OPERATOR, password="x", desa_kode=[rangda.kode], validate=False)
    budi = keluarga_budi[1]
    with acting_for("10.1.2.3", None):
        entry = log_access(user, AccessLog.Action.VIEW, obj=budi, detail="q=budi")
    row = AccessLog.objects.get()
    assert entry.pk == row.pk and not entry._state.adding
    assert (row.desa_id, row.user_id, row.username, row.ip, row.action, row.object_id, row.detail) == (
        budi.desa_id, user.pk, "op_rangda", "10.1.2.3", "view", budi.pk, "q=budi")
    assert row.content_type.model == "penduduk" and abs(timezone.now() - row.at) < datetime.timedelta(minutes=1)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            assert cursor.fetchone()[0] == "on"


def test_a_search_of_one_village_is_logged_with_that_village(client, rangda, raja, operator, keluarga_budi):
    """The list's access record names the village asked for: the one the list read, without asking
    for its code again, and for a village not the operator's, the village asked (the page refuses it)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(operator)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/penduduk/", {"desa": rangda.kode, "q": "budi"}).status_code == 200
    assert not any('"wilayah_desa"."kode" =' in q["sql"] for q in queries.captured_queries)
    client.get("/penduduk/", {"desa": raja.kode})
    client.get("/penduduk/", {"q": "budi"})
    logged = list(AccessLog.objects.filter(action=AccessLog.Action.SEARCH).order_by("id").values_list("desa_id", "detail"))
    assert logged == [(rangda.id, f"desa={rangda.kode}&q=budi"), (raja.id, f"desa={raja.kode}"), (None, "q=budi")]


def test_a_resident_or_family_page_is_logged_with_what_it_read_without_reading_it_again(client, operator, keluarga_budi):
    """``seen``: the page names the record it showed; its access record takes it from there."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    keluarga, budi, _siti, _andi = keluarga_budi
    client.force_login(operator)
    for url, table, record in ((reverse("penduduk:detail", args=[budi.pk]), "penduduk_penduduk", budi),
                               (reverse("penduduk:keluarga", args=[keluarga.pk]), "penduduk_keluarga", keluarga)):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        reads = [q["sql"] for q in queries.captured_queries
                 if q["sql"].startswith("SELECT") and f'FROM "{table}"' in q["sql"] and f'"{table}"."id" = {record.pk}' in q["sql"]]
        assert len(reads) == 1, reads
        entry = AccessLog.objects.filter(action=AccessLog.Action.VIEW).latest("id")
        assert (entry.object_id, entry.desa_id, entry.username) == (record.pk, record.desa_id, operator.username)
