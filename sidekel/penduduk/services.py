"""Every write path for residents, families and population events.

Rules kept here and nowhere else:
- the user may write in the village (re-checked inside the transaction);
- every change of personal data is recorded in the audit log, with the user and a reason;
- a NIK is registered once in the whole installation (``check_nik_available``);
- every change of status dasar or village records a ``Peristiwa`` in the same transaction;
- an event dated in a month whose rekapitulasi is approved needs a reason and is a correction;
- a family keeps exactly one living head: removing the head names the next one;
- an edit based on an old version of a record is refused (optimistic locking);
- an edit that changes nothing writes nothing: no save, no new version, no audit row.

The rules of a valid resident (dates, ages, family) are in ``rules.py``; ``_findings`` applies
them to a resident as it would be saved, inside the service's transaction.

``user=None`` is the system itself (the command line, the demo builder). Functions raise
``ValidationError`` with messages in the user's language, or ``PermissionDenied``, and change
nothing when they do: each runs in one transaction.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sidekel.core.audit import IGNORED_FIELDS, record_change, snapshot
from sidekel.core.models import ObjectChange
from sidekel.core.nik import mask, nik_warnings, normalize_number
from sidekel.core.scope import Action, can_see_desa, ensure_can_write, permits
from sidekel.wilayah.models import Rt

from . import rules
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

# Fields an operator edits on the resident form. Village, family, status dasar and the deletion
# mark change only through their own services.
EDITABLE_FIELDS = [
    "nik", "nama", "jenis_kelamin", "tempat_lahir", "tanggal_lahir", "agama", "pendidikan_kk",
    "pendidikan_sedang", "pekerjaan", "status_perkawinan", "perkawinan_tercatat", "akta_perkawinan",
    "tanggal_perkawinan", "akta_perceraian", "tanggal_perceraian", "akta_lahir", "kewarganegaraan",
    "golongan_darah", "disabilitas", "nama_ayah", "nik_ayah", "nama_ibu", "nik_ibu", "dapat_membaca_huruf",
    "hubungan_keluarga", "rt", "alamat", "tanggal_mulai_tinggal", "status_penduduk",
]
EDITABLE_ATTNAMES = {"rt": "rt_id"}


def check_nik_available(nik, user=None, exclude_pk=None):
    """Refuse a NIK that is already registered anywhere in the installation.

    The message names the village and resident only to a ``user`` allowed to see that village.
    """
    if not nik:
        return
    existing = Penduduk.objects.filter(nik=nik).exclude(pk=exclude_pk).select_related("desa").first()
    if existing is None:
        return
    if existing.deleted_at is not None and (user is None or permits(user, Action.RESTORE)):
        message = _("NIK %(nik)s belongs to the deleted record of %(nama)s in %(desa)s; restore that record instead.")
    elif user is None or can_see_desa(user, existing.desa_id):
        message = _("NIK %(nik)s is already registered to %(nama)s in %(desa)s.")
    else:
        message = _("NIK %(nik)s is already registered in another village of this kecamatan.")
    raise ValidationError(
        {"nik": message % {"nik": nik, "nama": existing.nama, "desa": existing.desa}}, code="nik_taken"
    )


def _check_event_date(tanggal, penduduk=None):
    rules.raise_errors(rules.event_date(tanggal, penduduk.tanggal_lahir if penduduk is not None else None,
                                        timezone.localdate()))


def _family_name(keluarga):
    return f"KK {mask(keluarga.nomor_kk)}" if keluarga.nomor_kk else _("without a KK number")


def _check_head(penduduk):
    rules.raise_errors(_head_findings(penduduk))


def _head_findings(penduduk, head=None):
    """rules.second_head for a resident as it would be saved (``head``: the family's head, if read)."""
    if penduduk.hubungan_keluarga != HubunganKeluarga.KEPALA_KELUARGA or not penduduk.keluarga_id:
        return []
    if penduduk.status_dasar != StatusDasar.HIDUP:
        return []
    head = head if head is not None else penduduk.keluarga.kepala
    if head is not None and head.pk != penduduk.pk:
        return rules.second_head(_family_name(penduduk.keluarga), head.nama)
    return []


def _findings(penduduk):
    """Every rule of rules.py on ``penduduk`` as it would be saved. Reads the family's head (one
    query) and the parents named by NIK (one query, when there are any)."""
    today = timezone.localdate()
    values = {name: getattr(penduduk, name) for name in
              ("tanggal_lahir", "status_perkawinan", "hubungan_keluarga", *rules.LIFE_DATES)}
    found = rules.resident(values, today)
    found += rules.family_number(penduduk.hubungan_keluarga, penduduk.keluarga_id is not None)
    if penduduk.keluarga_id:
        head = penduduk.keluarga.kepala
        found += _head_findings(penduduk, head)
        if penduduk.hubungan_keluarga == HubunganKeluarga.ANAK and head is not None and head.pk != penduduk.pk:
            found += rules.parent_age(head.tanggal_lahir, penduduk.tanggal_lahir,
                                      parent=_("The head of the family, %(nama)s,") % {"nama": head.nama})
    parents = {nik: label for nik, label in ((penduduk.nik_ibu, _("The mother")), (penduduk.nik_ayah, _("The father")))
               if nik}
    if parents:
        for nik, nama, born in Penduduk.objects.filter(nik__in=list(parents)).exclude(pk=penduduk.pk).values_list(
                "nik", "nama", "tanggal_lahir"):
            found += rules.parent_age(born, penduduk.tanggal_lahir, parent=f"{parents[nik]} ({nama})")
    return found


def _validate(penduduk, user, before=()):
    """Check a resident before saving it; returns the warnings to show. ``before``: the findings
    of the record before an edit, whose errors the edit does not have to mend."""
    for name in ("nik", "nik_ayah", "nik_ibu"):  # as typed or sent to the API: "6201 0212 ...", "6201-02-..."
        if getattr(penduduk, name):
            setattr(penduduk, name, normalize_number(getattr(penduduk, name)))
    penduduk.full_clean(validate_unique=False, validate_constraints=False)
    if penduduk.rt_id and penduduk.rt.desa_id != penduduk.desa_id:
        raise ValidationError({"rt": _("This RT belongs to another village.")})
    check_nik_available(penduduk.nik, user, exclude_pk=penduduk.pk)
    found = _findings(penduduk)
    rules.raise_errors(rules.new_errors(found, before))
    warnings = nik_warnings(penduduk.nik, penduduk.jenis_kelamin, penduduk.tanggal_lahir) if penduduk.nik else []
    return warnings + [f.message for f in rules.warnings(found)]


@transaction.atomic
def register_penduduk(desa, *, user=None, reason="", **fields):
    """Add a resident to ``desa`` (no event: for someone already living there).

    Returns ``(penduduk, warnings)``; warnings are the soft NIK checks to show the operator.
    """
    ensure_can_write(user, desa.id)
    penduduk = Penduduk(desa=desa, **fields)
    if penduduk.keluarga_id:
        if penduduk.keluarga.desa_id != desa.id:
            raise ValidationError({"keluarga": _("The family belongs to another village.")})
        if not penduduk.rt_id and not penduduk.alamat:
            penduduk.rt_id, penduduk.alamat = penduduk.keluarga.rt_id, penduduk.keluarga.alamat
    warnings = _validate(penduduk, user)
    penduduk.save()
    record_change(penduduk, user, reason=reason)
    return penduduk, warnings


def _locked(penduduk, user):
    """The resident, locked for this transaction, after re-checking the user's right to write."""
    locked = Penduduk.objects.select_for_update().get(pk=penduduk.pk)
    ensure_can_write(user, locked.desa_id)
    return locked


def _changes_something(before, penduduk):
    """True when a field of ``penduduk`` differs from the snapshot ``before`` (the fields the
    audit log ignores aside)."""
    after = snapshot(penduduk)
    return any(before.get(k) != v for k, v in after.items() if k not in IGNORED_FIELDS)


def _save(penduduk, user, before, reason="", action=None):
    """Save an edited resident: one version up, and the change in the audit log. An edit that
    changes nothing writes nothing (same version, no audit row) and returns None."""
    if not _changes_something(before, penduduk):
        return None
    penduduk.version = F("version") + 1
    penduduk.save()
    penduduk.refresh_from_db(fields=["version", "updated_at"])
    return record_change(penduduk, user, before=before, action=action, reason=reason)


@transaction.atomic
def update_penduduk(penduduk, *, user, changes, version, reason=""):
    """Change the editable fields of a resident.

    ``version`` is the version the user's form was based on: if somebody saved in between, the
    edit is refused and nothing is lost. Returns ``(penduduk, warnings)``.
    """
    current = _locked(penduduk, user)
    if current.deleted_at is not None:
        raise ValidationError(_("This resident has been deleted."))
    if current.version != version:
        last = ObjectChange.objects.filter(
            content_type__model="penduduk", content_type__app_label="penduduk", object_id=current.pk
        ).first()
        raise ValidationError(
            _(
                "%(nama)s was changed by %(user)s at %(time)s while you were editing. "
                "Reload the page to see the new data, then make your change again."
            )
            % {
                "nama": current.nama,
                "user": last.username if last else _("someone else"),
                "time": timezone.localtime(last.at).strftime("%d-%m-%Y %H:%M") if last else "-",
            },
            code="stale",
        )
    before = snapshot(current)
    unknown = set(changes) - set(EDITABLE_FIELDS) - set(EDITABLE_ATTNAMES.values())
    if unknown:
        raise ValidationError(_("These fields cannot be changed here: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    found_before = _findings(current)
    for name, value in changes.items():
        setattr(current, name, value)
    warnings = _validate(current, user, found_before)
    _save(current, user, before, reason)
    return current, warnings


@transaction.atomic
def delete_penduduk(penduduk, *, user, reason):
    """Soft delete: the record disappears from every list but the administrator can restore it."""
    current = _locked(penduduk, user)
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason for deleting this resident.")})
    if current.is_living_head_with_family():
        raise ValidationError(_("%(nama)s is the head of a family with other members: change the head first.")
                              % {"nama": current.nama})
    before = snapshot(current)
    current.deleted_at = timezone.now()
    _save(current, user, before, reason, action=ObjectChange.Action.DELETE)
    return current


@transaction.atomic
def undelete_penduduk(penduduk, *, user, reason=""):
    """Bring back a soft-deleted resident (kecamatan administrator only)."""
    if user is not None and not permits(user, Action.RESTORE):
        raise PermissionDenied(_("Only the kecamatan administrator can restore deleted residents."))
    current = _locked(penduduk, user)
    before = snapshot(current)
    current.deleted_at = None
    _check_head(current)
    _save(current, user, before, reason, action=ObjectChange.Action.RESTORE)
    return current


@transaction.atomic
def restore_change(change, *, user, reason=""):
    """Undo one recorded change of a resident: its fields go back to the values before it.

    The restore is itself a change in the audit log.
    """
    if change.action != ObjectChange.Action.UPDATE or change.content_type.model_class() is not Penduduk:
        raise ValidationError(_("Only changes of a resident's data can be restored."))
    current = _locked(Penduduk(pk=change.object_id), user)
    attnames = {EDITABLE_ATTNAMES.get(f, f) for f in EDITABLE_FIELDS}
    values = {k: v for k, v in change.before.items() if k in attnames}
    if not values:
        raise ValidationError(_("This change has no data fields to restore."))
    if values.get("rt_id") and not Rt.objects.filter(pk=values["rt_id"]).exists():
        raise ValidationError(_("The RT from before this change has since been merged into another or deleted: "
                                "choose the resident's RT on the edit form instead."))
    before = snapshot(current)
    found_before = _findings(current)
    for attname, value in values.items():
        field = next(f for f in Penduduk._meta.concrete_fields if f.attname == attname)
        setattr(current, attname, field.to_python(value))
    warnings = _validate(current, user, found_before)
    if not _changes_something(before, current):
        raise ValidationError(_("Nothing to restore: the resident already has the values from before this change."),
                              code="unchanged")
    _save(current, user, before, reason or _("Restored the values from before the change of %(time)s")
          % {"time": timezone.localtime(change.at).strftime("%d-%m-%Y %H:%M")}, action=ObjectChange.Action.RESTORE)
    return current, warnings


@transaction.atomic
def create_keluarga(desa, *, user=None, nomor_kk=None, tanggal_kk=None, rt=None, alamat=""):
    ensure_can_write(user, desa.id)
    keluarga = Keluarga(desa=desa, nomor_kk=normalize_number(nomor_kk) or None, tanggal_kk=tanggal_kk, rt=rt, alamat=alamat)
    keluarga.full_clean(validate_unique=False, validate_constraints=False)
    if keluarga.nomor_kk and Keluarga.objects.filter(nomor_kk=keluarga.nomor_kk).exists():
        raise ValidationError({"nomor_kk": _("KK number %(nomor)s is already registered.") % {"nomor": keluarga.nomor_kk}})
    keluarga.save()
    if keluarga.nomor_kk:
        NomorKK.objects.create(desa=desa, keluarga=keluarga, nomor=keluarga.nomor_kk, tanggal_terbit=tanggal_kk)
    record_change(keluarga, user)
    return keluarga


@transaction.atomic
def issue_nomor_kk(keluarga, nomor_kk, tanggal_terbit=None, *, user=None, reason=""):
    """Record a newly issued KK: the family keeps its identity, the old number stays in history."""
    ensure_can_write(user, keluarga.desa_id)
    nomor_kk = normalize_number(nomor_kk)
    before = snapshot(keluarga)
    keluarga.nomor_kk, keluarga.tanggal_kk = nomor_kk, tanggal_terbit
    keluarga.full_clean(validate_unique=False, validate_constraints=False)
    if Keluarga.objects.filter(nomor_kk=nomor_kk).exclude(pk=keluarga.pk).exists():
        raise ValidationError({"nomor_kk": _("KK number %(nomor)s is already registered.") % {"nomor": nomor_kk}})
    keluarga.save(update_fields=["nomor_kk", "tanggal_kk", "updated_at"])
    NomorKK.objects.create(desa_id=keluarga.desa_id, keluarga=keluarga, nomor=nomor_kk, tanggal_terbit=tanggal_terbit)
    record_change(keluarga, user, before=before, reason=reason)
    return keluarga


@transaction.atomic
def change_head(keluarga, kepala_baru, *, hubungan_lama, user=None, reason=""):
    """Make ``kepala_baru`` the head; the old head takes the relationship ``hubungan_lama``."""
    ensure_can_write(user, keluarga.desa_id)
    if kepala_baru.keluarga_id != keluarga.pk or kepala_baru.status_dasar != StatusDasar.HIDUP:
        raise ValidationError({"kepala_baru": _("The new head must be a living member of this family.")})
    if hubungan_lama == HubunganKeluarga.KEPALA_KELUARGA:
        raise ValidationError({"hubungan_lama": _("Choose the old head's new relationship in the family.")})
    old = keluarga.kepala
    if old is not None and old.pk == kepala_baru.pk:
        return kepala_baru
    if old is not None:
        old = _locked(old, user)
        before = snapshot(old)
        old.hubungan_keluarga = hubungan_lama
        _save(old, user, before, reason)
    new = _locked(kepala_baru, user)
    before = snapshot(new)
    new.hubungan_keluarga = HubunganKeluarga.KEPALA_KELUARGA
    _save(new, user, before, reason)
    return new


# Who says that a village's month is closed (approved): the books app registers its monthly
# recap here (buku/apps.py), so this module imports no app above it.
MONTH_LOCKS = []


def month_locked(desa_id, tanggal):
    return any(locked(desa_id, tanggal) for locked in MONTH_LOCKS)


def _record(penduduk, jenis, tanggal, user, alasan_koreksi="", **details):
    """Write the event. In a month whose rekapitulasi is approved (locked) it needs a reason and is
    marked as a correction: it still counts, but the approved figures do not change."""
    alasan_koreksi = (alasan_koreksi or "").strip()
    koreksi = month_locked(penduduk.desa_id, tanggal)
    if koreksi and not alasan_koreksi:
        raise ValidationError({"alasan_koreksi": _(
            "The population recap of %(month)s has already been approved by the kecamatan. "
            "Give a reason: the event will be recorded as a correction.") % {"month": tanggal.strftime("%m-%Y")}},
            code="month_locked")
    event = Peristiwa.objects.create(desa_id=penduduk.desa_id, penduduk=penduduk, jenis=jenis, tanggal=tanggal,
                                     rt_id=penduduk.rt_id, koreksi=koreksi,
                                     alasan_koreksi=alasan_koreksi if koreksi else "", **details)
    record_change(event, user, reason=alasan_koreksi if koreksi else "")
    return event


@transaction.atomic
def record_birth(keluarga, *, nama, jenis_kelamin, tanggal_lahir, tempat_lahir="", ibu=None, ayah=None, user=None,
                 alasan_koreksi="", **fields):
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
        keluarga.desa, user=user, keluarga=keluarga, nama=nama, jenis_kelamin=jenis_kelamin,
        tanggal_lahir=tanggal_lahir, tempat_lahir=tempat_lahir, **defaults,
    )
    # Parents with a NIK were checked by it (_findings); the others here.
    for parent, label in ((ibu, _("The mother")), (ayah, _("The father"))):
        if parent is not None and not parent.nik:
            warnings += [f.message for f in rules.parent_age(parent.tanggal_lahir, tanggal_lahir,
                                                             parent=f"{label} ({parent.nama})")]
    _record(penduduk, JenisPeristiwa.LAHIR, tanggal_lahir, user, alasan_koreksi, tempat=tempat_lahir)
    return penduduk, warnings


@transaction.atomic
def record_move_in(desa, *, tanggal, asal="", user=None, alasan_koreksi="", **fields):
    """Someone moves into ``desa`` from outside the installation: PINDAH_DATANG on ``tanggal``."""
    fields.setdefault("tanggal_mulai_tinggal", tanggal)
    penduduk, warnings = register_penduduk(desa, user=user, **fields)
    _check_event_date(tanggal, penduduk)
    _record(penduduk, JenisPeristiwa.PINDAH_DATANG, tanggal, user, alasan_koreksi, asal_tujuan=asal)
    return penduduk, warnings


def _leave_village(penduduk, jenis, tanggal, user, kepala_baru=None, alasan_koreksi="", **details):
    """Take a living resident out of their village with the event ``jenis``."""
    penduduk = _locked(penduduk, user)
    if penduduk.status_dasar != StatusDasar.HIDUP or penduduk.deleted_at is not None:
        raise ValidationError(
            _("%(nama)s no longer lives in the village (status: %(status)s).")
            % {"nama": penduduk.nama, "status": penduduk.get_status_dasar_display()}
        )
    _check_event_date(tanggal, penduduk)
    successor = None
    if penduduk.is_living_head_with_family():
        if kepala_baru is None or not penduduk.other_living_members().filter(pk=kepala_baru.pk).exists():
            raise ValidationError(
                {"kepala_baru": _("%(nama)s is the head of a family: choose a family member as the new head.")
                 % {"nama": penduduk.nama}}
            )
        successor = kepala_baru
    if successor is not None:
        successor = _locked(successor, user)
        # Kept on the event, so cancelling it gives the old head their place back.
        details.update(kepala_baru=successor, hubungan_kepala_baru=successor.hubungan_keluarga)
    before = snapshot(penduduk)
    penduduk.status_dasar = STATUS_SETELAH[jenis]
    _save(penduduk, user, before)
    event = _record(penduduk, jenis, tanggal, user, alasan_koreksi, **details)
    if successor is not None:
        before = snapshot(successor)
        successor.hubungan_keluarga = HubunganKeluarga.KEPALA_KELUARGA
        _save(successor, user, before, _("New head of the family"))
    return event


@transaction.atomic
def record_death(penduduk, *, tanggal, tempat="", sebab="", kepala_baru=None, user=None, alasan_koreksi=""):
    return _leave_village(penduduk, JenisPeristiwa.MATI, tanggal, user, kepala_baru, alasan_koreksi,
                          tempat=tempat, sebab=sebab)


@transaction.atomic
def record_move_out(penduduk, *, tanggal, tujuan="", kepala_baru=None, user=None, alasan_koreksi=""):
    """The resident moves to a place outside this installation."""
    return _leave_village(penduduk, JenisPeristiwa.PINDAH_KELUAR, tanggal, user, kepala_baru, alasan_koreksi,
                          asal_tujuan=tujuan)


@transaction.atomic
def record_missing(penduduk, *, tanggal, keterangan="", kepala_baru=None, user=None, alasan_koreksi=""):
    return _leave_village(penduduk, JenisPeristiwa.HILANG, tanggal, user, kepala_baru, alasan_koreksi,
                          keterangan=keterangan)


@transaction.atomic
def move_to_village(penduduk, desa_baru, *, tanggal, keluarga=None, hubungan_keluarga=None, kepala_baru=None, user=None,
                    alasan_koreksi=""):
    """A move between two villages of this installation.

    The resident keeps their record (and NIK); the old village gets PINDAH_KELUAR and the new one
    PINDAH_DATANG, both on ``tanggal``, so each village's counts stay right for every date.
    """
    ensure_can_write(user, desa_baru.pk)
    if desa_baru.pk == penduduk.desa_id:
        raise ValidationError({"desa": _("The resident already lives in %(desa)s.") % {"desa": desa_baru}})
    if keluarga is not None and keluarga.desa_id != desa_baru.pk:
        raise ValidationError({"keluarga": _("The family belongs to another village.")})
    desa_lama_id = penduduk.desa_id
    _leave_village(penduduk, JenisPeristiwa.PINDAH_KELUAR, tanggal, user, kepala_baru, alasan_koreksi,
                   desa_asal_tujuan=desa_baru)
    moved = Penduduk.objects.get(pk=penduduk.pk)
    before = snapshot(moved)
    moved.desa = desa_baru
    moved.keluarga = keluarga
    moved.rt_id, moved.alamat = (keluarga.rt_id, keluarga.alamat) if keluarga else (None, "")
    if hubungan_keluarga is not None:
        moved.hubungan_keluarga = hubungan_keluarga
    moved.status_dasar = StatusDasar.HIDUP
    moved.tanggal_mulai_tinggal = tanggal
    _check_head(moved)
    _save(moved, user, before)
    _record(moved, JenisPeristiwa.PINDAH_DATANG, tanggal, user, alasan_koreksi, desa_asal_tujuan_id=desa_lama_id)
    return moved


# --- families on screen ---------------------------------------------------------------------------

def _living_resident(penduduk, user):
    """The resident locked for the transaction; refused unless they live in their village."""
    current = _locked(penduduk, user)
    if current.deleted_at is not None or current.status_dasar != StatusDasar.HIDUP:
        raise ValidationError(_("%(nama)s no longer lives in the village (status: %(status)s).")
                              % {"nama": current.nama, "status": current.get_status_dasar_display()})
    return current


def _refuse_head_leaving(penduduk):
    if penduduk.is_living_head_with_family():
        raise ValidationError(_("%(nama)s is the head of a family with other members: change the head of that "
                                "family first, or split the family.") % {"nama": penduduk.nama})


def _into_family(penduduk, keluarga, hubungan_keluarga, user, reason):
    """Move a locked living resident into ``keluarga`` with ``hubungan_keluarga``: the family's
    address comes along, every rule of a resident in a family is checked, the change audited."""
    before = snapshot(penduduk)
    found_before = _findings(penduduk)
    penduduk.keluarga = keluarga
    penduduk.hubungan_keluarga = hubungan_keluarga
    if keluarga.rt_id or keluarga.alamat:
        penduduk.rt_id, penduduk.alamat = keluarga.rt_id, keluarga.alamat
    warnings = _validate(penduduk, user, found_before)
    _save(penduduk, user, before, reason)
    return warnings


@transaction.atomic
def create_keluarga_for(penduduk, *, nomor_kk, tanggal_kk=None, user=None, reason=""):
    """"Buat KK baru": a new family with the KK number ``nomor_kk`` (checked like every KK number)
    and ``penduduk`` as its head, leaving the family they were in. Returns ``(keluarga, warnings)``."""
    current = _living_resident(penduduk, user)
    _refuse_head_leaving(current)
    if not normalize_number(nomor_kk or ""):
        raise ValidationError({"nomor_kk": _("Enter the number of the new KK.")})
    keluarga = create_keluarga(current.desa, user=user, nomor_kk=nomor_kk, tanggal_kk=tanggal_kk, rt=current.rt,
                               alamat=current.alamat)
    warnings = _into_family(current, keluarga, HubunganKeluarga.KEPALA_KELUARGA, user,
                            reason or _("Head of the new KK"))
    return keluarga, warnings


@transaction.atomic
def join_keluarga(penduduk, keluarga, *, hubungan_keluarga, user=None, reason=""):
    """"Masukkan ke KK": ``penduduk`` becomes a member of ``keluarga`` as ``hubungan_keluarga``.
    Returns ``(penduduk, warnings)``."""
    current = _living_resident(penduduk, user)
    keluarga = Keluarga.objects.select_for_update().get(pk=keluarga.pk)
    ensure_can_write(user, keluarga.desa_id)
    if keluarga.desa_id != current.desa_id:
        raise ValidationError({"keluarga": _("The family belongs to another village.")})
    if current.keluarga_id == keluarga.pk:
        raise ValidationError({"keluarga": _("%(nama)s is already a member of this family.") % {"nama": current.nama}})
    _refuse_head_leaving(current)
    warnings = _into_family(current, keluarga, hubungan_keluarga, user,
                            reason or _("Into %(kk)s") % {"kk": _family_name(keluarga)})
    return current, warnings


@transaction.atomic
def split_keluarga(keluarga, members, *, nomor_kk, tanggal_kk=None, user=None, reason=""):
    """Some members of ``keluarga`` form a family of their own: ``members`` is {resident: their
    relationship in the new family}, exactly one of them its head; the new KK number is checked
    like every KK number. The head of ``keluarga`` stays. Returns ``(new keluarga, warnings)``."""
    ensure_can_write(user, keluarga.desa_id)
    keluarga = Keluarga.objects.select_for_update().get(pk=keluarga.pk)
    living = list(keluarga.anggota.hidup().filter(deleted_at__isnull=True))
    ids = {p.pk for p in living}
    if any(p.pk not in ids for p in members):
        raise ValidationError({"anggota": _("Only living members of this family can be chosen.")})
    head = keluarga.kepala
    rules.raise_errors(rules.split(len(members), len(living), head is not None and head in members))
    rules.raise_errors(rules.family_heads(members.values(), field="anggota"))
    if not normalize_number(nomor_kk or ""):
        raise ValidationError({"nomor_kk": _("Enter the number of the new KK.")})
    baru = create_keluarga(keluarga.desa, user=user, nomor_kk=nomor_kk, tanggal_kk=tanggal_kk, rt=keluarga.rt,
                           alamat=keluarga.alamat)
    reason = reason or _("Split off from %(kk)s") % {"kk": _family_name(keluarga)}
    warnings = []
    # The head first: the others' rules (a child and the head's age) read the new family's head.
    for penduduk, hubungan in sorted(members.items(), key=lambda m: m[1] != HubunganKeluarga.KEPALA_KELUARGA):
        warnings += _into_family(_locked(penduduk, user), baru, hubungan, user, reason)
    return baru, warnings


@transaction.atomic
def move_in_keluarga(desa, *, nomor_kk, members, tanggal, asal, tanggal_kk=None, rt=None, alamat="", user=None,
                     alasan_koreksi=""):
    """A whole family moves into ``desa`` from outside: its KK (the number checked like every KK
    number), and each member (a dict of resident fields with their ``hubungan_keluarga``, exactly
    one head) registered with a PINDAH_DATANG on ``tanggal``. Returns ``(keluarga, warnings)``."""
    ensure_can_write(user, desa.id)
    if not members:
        raise ValidationError({"anggota": _("Enter at least the head of the family.")})
    rules.raise_errors(rules.family_heads([m.get("hubungan_keluarga") for m in members], field="anggota"))
    if not normalize_number(nomor_kk or ""):
        raise ValidationError({"nomor_kk": _("Enter the number of the KK.")})
    keluarga = create_keluarga(desa, user=user, nomor_kk=nomor_kk, tanggal_kk=tanggal_kk, rt=rt, alamat=alamat)
    warnings = []
    for fields in sorted(members, key=lambda m: m.get("hubungan_keluarga") != HubunganKeluarga.KEPALA_KELUARGA):
        try:
            _p, found = record_move_in(desa, tanggal=tanggal, asal=asal, user=user, alasan_koreksi=alasan_koreksi,
                                       keluarga=keluarga, **fields)
        except ValidationError as exc:
            raise ValidationError({"anggota": [_("%(nama)s: %(error)s") % {"nama": fields.get("nama") or "-",
                                                                              "error": " ".join(exc.messages)}]}) from exc
        warnings += [f"{fields.get('nama')}: {text}" for text in found]
    return keluarga, warnings


# --- cancelling an event recorded by mistake ------------------------------------------------------

LEAVING = frozenset(STATUS_SETELAH)
ARRIVING = frozenset({JenisPeristiwa.LAHIR, JenisPeristiwa.PINDAH_DATANG})


def cancellable(event):
    """Whether "Batalkan peristiwa" can work on ``event``: in force, the resident's latest event in
    force, and not one half of a move between two villages of this installation."""
    if event.dibatalkan_pada is not None or event.desa_asal_tujuan_id is not None:
        return False
    return not _later_events(event).exists()


def _later_events(event):
    return (Peristiwa.objects.berlaku().filter(penduduk_id=event.penduduk_id).exclude(pk=event.pk)
            .filter(Q(tanggal__gt=event.tanggal) | Q(tanggal=event.tanggal, id__gt=event.pk)))


def _head_before(penduduk, event):
    """Who must step back for ``penduduk`` (a head who left by ``event``) to be head again, and
    to which relationship: the successor named in the event, or, for an event recorded before
    successors were kept, how the family's present head became head (the audit log)."""
    head = Penduduk.objects.select_for_update().filter(
        keluarga_id=penduduk.keluarga_id, hubungan_keluarga=HubunganKeluarga.KEPALA_KELUARGA,
        status_dasar=StatusDasar.HIDUP, deleted_at__isnull=True).exclude(pk=penduduk.pk).first()
    if head is None:
        return None, None
    if event.kepala_baru_id == head.pk and event.hubungan_kepala_baru:
        return head, event.hubungan_kepala_baru
    became = ObjectChange.objects.filter(content_type__app_label="penduduk", content_type__model="penduduk",
                                         object_id=head.pk, after__hubungan_keluarga=HubunganKeluarga.KEPALA_KELUARGA
                                         ).order_by("-id").first()
    previous = became.before.get("hubungan_keluarga") if became else None
    if previous and previous != HubunganKeluarga.KEPALA_KELUARGA:
        return head, previous
    raise ValidationError(_("%(head)s is now the head of the family and it is not recorded what they were before: "
                            "change their relationship on their page first.") % {"head": head.nama})


@transaction.atomic
def cancel_peristiwa(event, *, alasan, user=None):
    """"Batalkan peristiwa (salah catat)": a birth, death, move in or move out recorded by mistake.

    The event stays, marked cancelled with the reason (the history shows both); every count
    reads the events in force, so the population on past dates is right again. The resident
    returns to the state before: someone who left lives in the village again, and a head who was
    replaced is head again (the successor takes back their relationship); someone born or moved
    in by mistake is deleted as entered by mistake. Returns the resident.
    """
    event = Peristiwa.objects.select_for_update().get(pk=event.pk)
    ensure_can_write(user, event.desa_id)
    if event.desa_asal_tujuan_id is not None:
        raise ValidationError(_("A move between two villages of this kecamatan cannot be cancelled: record the "
                                "move back to the first village instead."))
    rules.raise_errors(rules.cancel_event(alasan, event.dibatalkan_pada is not None,
                                          not _later_events(event).exists()))
    alasan = alasan.strip()
    penduduk = _locked(event.penduduk, user)
    if event.jenis in LEAVING:
        if penduduk.status_dasar != STATUS_SETELAH[event.jenis] or penduduk.deleted_at is not None:
            raise ValidationError(_("%(nama)s is no longer in the state this event left them in.")
                                  % {"nama": penduduk.nama})
        if penduduk.hubungan_keluarga == HubunganKeluarga.KEPALA_KELUARGA and penduduk.keluarga_id:
            head, hubungan = _head_before(penduduk, event)
            if head is not None:
                before = snapshot(head)
                head.hubungan_keluarga = hubungan
                _save(head, user, before, _("%(nama)s is head of the family again") % {"nama": penduduk.nama})
        before = snapshot(penduduk)
        penduduk.status_dasar = StatusDasar.HIDUP
        _check_head(penduduk)
        _save(penduduk, user, before, _("Cancelled %(event)s: %(reason)s") % {"event": event, "reason": alasan},
              action=ObjectChange.Action.RESTORE)
    elif event.jenis in ARRIVING:
        if penduduk.deleted_at is not None:
            raise ValidationError(_("This resident has been deleted."))
        _refuse_head_leaving(penduduk)
        before = snapshot(penduduk)
        penduduk.deleted_at = timezone.now()
        _save(penduduk, user, before, _("Cancelled %(event)s: %(reason)s") % {"event": event, "reason": alasan},
              action=ObjectChange.Action.DELETE)
    before = snapshot(event)
    event.dibatalkan_pada, event.alasan_batal = timezone.now(), alasan
    event.save(update_fields=["dibatalkan_pada", "alasan_batal"])
    record_change(event, user, before=before, reason=alasan)
    return penduduk
