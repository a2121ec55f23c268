"""Every write path for residents, families and population events.

Rules kept here and nowhere else:
- a NIK is registered once in the whole installation (``check_nik_available``);
- every change of status dasar or village records a ``Peristiwa`` in the same transaction;
- a family keeps exactly one living head: removing the head names the next one.

Functions raise ``django.core.exceptions.ValidationError`` with messages in the user's language
and change nothing when they do (each runs in one transaction).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sidekel.core.nik import nik_warnings, normalize_number
from sidekel.core.scope import can_see_desa

from .choices import (
    STATUS_SETELAH,
    HubunganKeluarga,
    JenisPeristiwa,
    PendidikanKK,
    PendidikanSedang,
    Pekerjaan,
    StatusDasar,
    StatusPerkawinan,
)
from .models import Keluarga, NomorKK, Penduduk, Peristiwa


def check_nik_available(nik, viewer=None, exclude_pk=None):
    """Refuse a NIK that is already registered anywhere in the installation.

    The message names the village and resident only to a ``viewer`` allowed to see that village
    (``None`` is the system itself, e.g. the command line).
    """
    if not nik:
        return
    existing = Penduduk.objects.filter(nik=nik).exclude(pk=exclude_pk).select_related("desa").first()
    if existing is None:
        return
    if viewer is None or can_see_desa(viewer, existing.desa_id):
        message = _("NIK %(nik)s is already registered to %(nama)s in %(desa)s.") % {
            "nik": nik,
            "nama": existing.nama,
            "desa": existing.desa,
        }
    else:
        message = _("NIK %(nik)s is already registered in another village of this kecamatan.") % {"nik": nik}
    raise ValidationError({"nik": message}, code="nik_taken")


def _today():
    return timezone.localdate()


def _check_event_date(tanggal, penduduk=None):
    if tanggal > _today():
        raise ValidationError({"tanggal": _("The date of the event cannot be in the future.")})
    if penduduk is not None and tanggal < penduduk.tanggal_lahir:
        raise ValidationError({"tanggal": _("The date of the event is before the resident's birth date.")})


@transaction.atomic
def register_penduduk(desa, viewer=None, **fields):
    """Add a resident to ``desa`` (no event: for someone already living there).

    Returns ``(penduduk, warnings)``; warnings are the soft NIK checks to show the operator.
    """
    if fields.get("nik"):
        fields["nik"] = normalize_number(fields["nik"])
    penduduk = Penduduk(desa=desa, **fields)
    if penduduk.keluarga_id and penduduk.keluarga.desa_id != desa.id:
        raise ValidationError({"keluarga": _("The family belongs to another village.")})
    if penduduk.keluarga_id and not penduduk.rt_id and not penduduk.alamat:
        penduduk.rt_id, penduduk.alamat = penduduk.keluarga.rt_id, penduduk.keluarga.alamat
    penduduk.full_clean(validate_unique=False, validate_constraints=False)
    check_nik_available(penduduk.nik, viewer)
    _check_head(penduduk)
    penduduk.save()
    warnings = nik_warnings(penduduk.nik, penduduk.jenis_kelamin, penduduk.tanggal_lahir) if penduduk.nik else []
    return penduduk, warnings


def _check_head(penduduk):
    if penduduk.hubungan_keluarga != HubunganKeluarga.KEPALA_KELUARGA or not penduduk.keluarga_id:
        return
    head = penduduk.keluarga.kepala
    if head is not None and head.pk != penduduk.pk:
        raise ValidationError(
            {"hubungan_keluarga": _("This family already has a head: %(nama)s.") % {"nama": head.nama}}
        )


@transaction.atomic
def create_keluarga(desa, nomor_kk=None, tanggal_kk=None, rt=None, alamat=""):
    keluarga = Keluarga(desa=desa, nomor_kk=normalize_number(nomor_kk) or None, tanggal_kk=tanggal_kk, rt=rt, alamat=alamat)
    keluarga.full_clean(validate_constraints=False)
    keluarga.save()
    if keluarga.nomor_kk:
        NomorKK.objects.create(desa=desa, keluarga=keluarga, nomor=keluarga.nomor_kk, tanggal_terbit=tanggal_kk)
    return keluarga


@transaction.atomic
def issue_nomor_kk(keluarga, nomor_kk, tanggal_terbit=None):
    """Record a newly issued KK: the family keeps its identity, the old number stays in history."""
    nomor_kk = normalize_number(nomor_kk)
    keluarga.nomor_kk, keluarga.tanggal_kk = nomor_kk, tanggal_terbit
    keluarga.full_clean(validate_constraints=False)
    keluarga.save(update_fields=["nomor_kk", "tanggal_kk", "updated_at"])
    NomorKK.objects.create(desa_id=keluarga.desa_id, keluarga=keluarga, nomor=nomor_kk, tanggal_terbit=tanggal_terbit)
    return keluarga


def _record(penduduk, jenis, tanggal, **details):
    return Peristiwa.objects.create(desa_id=penduduk.desa_id, penduduk=penduduk, jenis=jenis, tanggal=tanggal, **details)


@transaction.atomic
def record_birth(keluarga, *, nama, jenis_kelamin, tanggal_lahir, tempat_lahir="", ibu=None, ayah=None, viewer=None, **fields):
    """A baby born into ``keluarga``: the resident and a LAHIR event on the birth date.

    Religion, citizenship and parents' names come from the parents where given; the rest of the
    fields take what fits a newborn.
    """
    _check_event_date(tanggal_lahir)
    parent = ibu or ayah or keluarga.kepala
    defaults = {
        "hubungan_keluarga": HubunganKeluarga.ANAK,
        "agama": parent.agama if parent else None,
        "kewarganegaraan": parent.kewarganegaraan if parent else 1,
        "pendidikan_kk": PendidikanKK.TIDAK_BELUM_SEKOLAH,
        "pendidikan_sedang": PendidikanSedang.BELUM_MASUK_TK,
        "pekerjaan": Pekerjaan.BELUM_TIDAK_BEKERJA,
        "status_perkawinan": StatusPerkawinan.BELUM_KAWIN,
        "nama_ibu": ibu.nama if ibu else "",
        "nik_ibu": (ibu.nik or "") if ibu else "",
        "nama_ayah": ayah.nama if ayah else "",
        "nik_ayah": (ayah.nik or "") if ayah else "",
        "tanggal_mulai_tinggal": tanggal_lahir,
    }
    defaults.update(fields)
    penduduk, warnings = register_penduduk(
        keluarga.desa,
        viewer=viewer,
        keluarga=keluarga,
        nama=nama,
        jenis_kelamin=jenis_kelamin,
        tanggal_lahir=tanggal_lahir,
        tempat_lahir=tempat_lahir,
        **defaults,
    )
    _record(penduduk, JenisPeristiwa.LAHIR, tanggal_lahir, tempat=tempat_lahir)
    return penduduk, warnings


@transaction.atomic
def record_move_in(desa, *, tanggal, asal="", viewer=None, **fields):
    """Someone moves into ``desa`` from outside the installation: PINDAH_DATANG on ``tanggal``."""
    fields.setdefault("tanggal_mulai_tinggal", tanggal)
    penduduk, warnings = register_penduduk(desa, viewer=viewer, **fields)
    _check_event_date(tanggal, penduduk)
    _record(penduduk, JenisPeristiwa.PINDAH_DATANG, tanggal, asal_tujuan=asal)
    return penduduk, warnings


def _leave_village(penduduk, jenis, tanggal, kepala_baru=None, **details):
    """Take a living resident out of their village with the event ``jenis``."""
    penduduk = Penduduk.objects.select_for_update().get(pk=penduduk.pk)
    if penduduk.status_dasar != StatusDasar.HIDUP:
        raise ValidationError(
            _("%(nama)s no longer lives in the village (status: %(status)s).")
            % {"nama": penduduk.nama, "status": penduduk.get_status_dasar_display()}
        )
    _check_event_date(tanggal, penduduk)
    others = None
    if penduduk.keluarga_id and penduduk.hubungan_keluarga == HubunganKeluarga.KEPALA_KELUARGA:
        others = penduduk.keluarga.anggota.hidup().exclude(pk=penduduk.pk)
        if not others.exists():
            others = None
        elif kepala_baru is None or not others.filter(pk=kepala_baru.pk).exists():
            raise ValidationError(
                {"kepala_baru": _("%(nama)s is the head of a family: choose a family member as the new head.")
                 % {"nama": penduduk.nama}}
            )
    penduduk.status_dasar = STATUS_SETELAH[jenis]
    penduduk.save(update_fields=["status_dasar", "updated_at"])
    event = _record(penduduk, jenis, tanggal, **details)
    if others is not None:
        Penduduk.objects.filter(pk=kepala_baru.pk).update(
            hubungan_keluarga=HubunganKeluarga.KEPALA_KELUARGA, updated_at=timezone.now()
        )
    return event


@transaction.atomic
def record_death(penduduk, *, tanggal, tempat="", sebab="", kepala_baru=None):
    return _leave_village(penduduk, JenisPeristiwa.MATI, tanggal, kepala_baru, tempat=tempat, sebab=sebab)


@transaction.atomic
def record_move_out(penduduk, *, tanggal, tujuan="", kepala_baru=None):
    """The resident moves to a place outside this installation."""
    return _leave_village(penduduk, JenisPeristiwa.PINDAH_KELUAR, tanggal, kepala_baru, asal_tujuan=tujuan)


@transaction.atomic
def record_missing(penduduk, *, tanggal, keterangan="", kepala_baru=None):
    return _leave_village(penduduk, JenisPeristiwa.HILANG, tanggal, kepala_baru, keterangan=keterangan)


@transaction.atomic
def move_to_village(penduduk, desa_baru, *, tanggal, keluarga=None, hubungan_keluarga=None, kepala_baru=None):
    """A move between two villages of this installation.

    The resident keeps their record (and NIK); the old village gets PINDAH_KELUAR and the new one
    PINDAH_DATANG, both on ``tanggal``, so each village's counts stay right for every date.
    """
    if desa_baru.pk == penduduk.desa_id:
        raise ValidationError({"desa": _("The resident already lives in %(desa)s.") % {"desa": desa_baru}})
    if keluarga is not None and keluarga.desa_id != desa_baru.pk:
        raise ValidationError({"keluarga": _("The family belongs to another village.")})
    desa_lama_id = penduduk.desa_id
    _leave_village(penduduk, JenisPeristiwa.PINDAH_KELUAR, tanggal, kepala_baru, desa_asal_tujuan=desa_baru)
    penduduk.refresh_from_db()
    penduduk.desa = desa_baru
    penduduk.keluarga = keluarga
    penduduk.rt_id, penduduk.alamat = (keluarga.rt_id, keluarga.alamat) if keluarga else (None, "")
    if hubungan_keluarga is not None:
        penduduk.hubungan_keluarga = hubungan_keluarga
    penduduk.status_dasar = StatusDasar.HIDUP
    penduduk.tanggal_mulai_tinggal = tanggal
    _check_head(penduduk)
    penduduk.save()
    _record(penduduk, JenisPeristiwa.PINDAH_DATANG, tanggal, desa_asal_tujuan_id=desa_lama_id)
    return penduduk
