"""Every write of the potensi app: a village's yearly profile, its values and its verification.

The village's operator fills values (form, XLSX upload or API: all through ``save_values``, all
or nothing) while the profile is new, a draft or returned; the village (operator or kepala
desa) submits; the kecamatan approves (the profile is locked) or returns it with comments per
indicator; a correction of an approved profile is reopened by the kecamatan with a reason. The
workflow is the shared one (core.approval), as for the monthly recap. Source documents
(``Lampiran``) are attached and removed under the same rule as the values: the village's
operator, while the profile is editable. Each function checks the
user's right inside its transaction and records the change in the audit log.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from sidekel.core import approval
from sidekel.core.audit import record_change, snapshot
from sidekel.core.models import ObjectChange
from sidekel.core.scope import Action, ensure_permits, permits

from . import lampiran as files
from .models import Indikator, Lampiran, Nilai, Profil
from .rules import check_year, clean_value
from .sdm import hitung_sdm


def _state_message(profil, transition):
    status = profil.get_status_display() if profil.status else _("not filled yet")
    if transition is approval.SUBMIT:
        if profil.status == approval.Status.DIAJUKAN:
            return _("The profile %(year)s has already been submitted and waits for the kecamatan.") % {
                "year": profil.tahun}
        return _("The profile %(year)s has already been approved.") % {"year": profil.tahun}
    if transition is approval.REOPEN:
        return _("Only an approved profile can be reopened (status: %(status)s).") % {"status": status}
    return _("The profile %(year)s is not waiting for verification (status: %(status)s).") % {
        "year": profil.tahun, "status": status}


DECIDE = _lazy("Only the camat or the kecamatan administrator can verify a village profile.")
WORKFLOW = approval.Workflow(
    denied={"submit": _lazy("Only the village's operator or kepala desa can submit its profile."),
            "approve": DECIDE, "return": DECIDE,
            "reopen": _lazy("Only the camat or the kecamatan administrator can reopen an approved profile.")},
    state=_state_message,
    note={"return": _lazy("Write a note or a comment on an indicator: what must the village fix?"),
          "reopen": _lazy("Write the reason for the correction.")},
)


def can_edit(user, desa_id):
    return permits(user, Action.CHANGE, desa_id)


def can_submit(user, desa_id):
    return approval.can(user, approval.SUBMIT, desa_id)


def can_decide(user):
    return permits(user, Action.APPROVE)


def _locked_profil(desa, tahun):
    return Profil.objects.select_for_update().filter(desa=desa, tahun=tahun).first()


def ensure_editable(profil, tahun):
    if profil is not None and approval.is_locked(profil):
        if profil.status == approval.Status.DIAJUKAN:
            raise approval.WrongState(_("The profile %(year)s has been submitted and waits for the kecamatan: it cannot "
                                    "be changed now.") % {"year": tahun})
        raise approval.WrongState(_("The profile %(year)s is approved and locked; the kecamatan can reopen it for a "
                                "correction.") % {"year": tahun})


def indicators_for(desa):
    return {i.kode: i for i in Indikator.objects.for_desa(desa)}


def check_values(desa, values):
    """{indikator: (angka, teks) or None} for ``values`` ({kode: raw}); ValidationError listing every
    problem (an unknown or retired code, a value outside its bounds or of the wrong type)."""
    known = indicators_for(desa)
    cleaned, problems = {}, []
    for kode, raw in values.items():
        indikator = known.get(str(kode).strip())
        if indikator is None:
            problems.append(_("Unknown indicator code “%(code)s” (or it does not apply to this %(kind)s).")
                            % {"code": str(kode)[:50], "kind": desa.get_jenis_display().lower()})
            continue
        try:
            cleaned[indikator] = clean_value(indikator, raw)
        except ValidationError as exc:
            problems.extend(exc.messages)
    if problems:
        raise ValidationError(problems)
    return cleaned


@transaction.atomic
def save_values(desa, tahun, values, *, user, sumber=None):
    """Write ``values`` ({kode: raw value, "" or None to clear}) into the village's profile of the
    year, creating it as a draft. All or nothing. Returns (profil, number of values changed)."""
    tahun = check_year(tahun)
    ensure_permits(user, Action.CHANGE, desa)
    profil = _locked_profil(desa, tahun)
    ensure_editable(profil, tahun)
    cleaned = check_values(desa, values)
    if profil is None:
        profil = Profil.objects.create(desa=desa, tahun=tahun, status=approval.Status.DRAF)
        record_change(profil, user, reason=_("Profile started"))
    if sumber is not None and sumber.strip() != profil.sumber:
        before = snapshot(profil)
        profil.sumber = sumber.strip()[:4000]
        profil.save(update_fields=["sumber", "diubah_pada"])
        record_change(profil, user, before=before)
    existing = {n.indikator_id: n for n in Nilai.objects.filter(profil=profil)}
    changed = 0
    for indikator, value in cleaned.items():
        row = existing.get(indikator.id)
        if value is None:
            if row is not None:
                record_change(row, user, action=ObjectChange.Action.DELETE)
                row.delete()
                changed += 1
            continue
        angka, teks = value
        if row is None:
            row = Nilai.objects.create(profil=profil, desa=desa, indikator=indikator, angka=angka, teks=teks)
            record_change(row, user)
            changed += 1
        elif (row.angka, row.teks) != (angka, teks):
            before = snapshot(row)
            row.angka, row.teks = angka, teks
            row.save(update_fields=["angka", "teks"])
            record_change(row, user, before=before)
            changed += 1
    return profil, changed


# --- source documents attached to a profile ------------------------------------------------------

def _check_lampiran_room(profil, tahun):
    ensure_editable(profil, tahun)
    if profil is not None and Lampiran.objects.filter(profil=profil).count() >= files.MAX_PER_PROFILE:
        raise ValidationError(_("A profile has at most %(n)d attachments: remove one first.")
                              % {"n": files.MAX_PER_PROFILE})


def add_lampiran(desa, tahun, upload, *, user, keterangan=""):
    """Attach a source document (PDF, JPEG or PNG, checked by content) to the village's profile of
    the year, creating the profile as a draft. Only while the profile is editable, at most
    ``lampiran.MAX_PER_PROFILE``. Returns the new Lampiran.

    The file is read and checked (a PDF parsed, a photo re-encoded) before the transaction: on
    SQLite a write transaction holds the one write lock, and every other writer would wait for it.
    The state and the count are checked once before (no work for a locked profile) and again
    inside, with the profile's row locked."""
    tahun = check_year(tahun)
    ensure_permits(user, Action.CHANGE, desa)
    _check_lampiran_room(Profil.objects.filter(desa=desa, tahun=tahun).first(), tahun)
    if upload is None:
        raise ValidationError(_("Choose a file to attach (PDF, JPEG or PNG)."))
    data, jenis = files.clean_upload(upload)
    path = files.folder() / files.new_name(jenis)
    try:
        with transaction.atomic():
            ensure_permits(user, Action.CHANGE, desa)
            profil = _locked_profil(desa, tahun)
            _check_lampiran_room(profil, tahun)
            if profil is None:
                profil = Profil.objects.create(desa=desa, tahun=tahun, status=approval.Status.DRAF)
                record_change(profil, user, reason=_("Profile started"))
            path.write_bytes(data)
            item = Lampiran.objects.create(
                profil=profil, desa=desa, berkas=path.name, nama=files.display_name(upload.name),
                keterangan=(keterangan or "").strip()[:200], jenis=jenis, ukuran=len(data),
                diunggah_oleh=user if user is not None and user.is_authenticated else None,
                diunggah_pada=timezone.now())
            record_change(item, user, reason=_("Source document attached"))
    except BaseException:
        path.unlink(missing_ok=True)  # refused or failed, the commit included: no file without its row
        raise
    # Should a transaction further out roll back, the file stays without a row: the orphan pruner
    # (lampiran.prune_orphans, `sidekel prune`) removes it a day later.
    return item


@transaction.atomic
def remove_lampiran(item, *, user):
    """Remove an attachment while its profile is editable; its file is deleted once this commits."""
    ensure_permits(user, Action.CHANGE, item.desa_id)
    profil = Profil.objects.select_for_update().get(pk=item.profil_id)
    ensure_editable(profil, profil.tahun)
    item = Lampiran.objects.filter(pk=item.pk).first()
    if item is None:
        raise ValidationError(_("This attachment has already been removed."))
    record_change(item, user, action=ObjectChange.Action.DELETE, reason=_("Source document removed"))
    berkas = item.berkas
    item.delete()
    transaction.on_commit(lambda: files.remove_file(berkas))
    return profil


def _freeze_sdm(profil):
    profil.sdm = hitung_sdm(profil.desa, profil.tanggal_acuan)


@transaction.atomic
def submit(desa, tahun, *, user):
    """Send the year's profile to the kecamatan (again, after it was returned); the SDM block is counted."""
    tahun = check_year(tahun)
    WORKFLOW.check_permission(user, approval.SUBMIT, desa.id)
    profil = _locked_profil(desa, tahun)
    if profil is None or not Nilai.objects.filter(profil=profil).exists():
        raise approval.WrongState(_("The profile %(year)s has no values yet: fill it before submitting it.")
                              % {"year": tahun})
    return WORKFLOW.apply(profil, approval.SUBMIT, user=user, prepare=_freeze_sdm)


def _pending(desa, tahun, user, transition):
    WORKFLOW.check_permission(user, transition, desa.id)
    profil = _locked_profil(desa, tahun)
    if profil is None:
        raise approval.WrongState(_("The village has no profile for %(year)s yet.") % {"year": tahun})
    return profil


@transaction.atomic
def approve(desa, tahun, *, user):
    """Approve: the SDM block is counted once more and frozen, and the profile is locked (and public)."""
    profil = _pending(desa, tahun, user, approval.APPROVE)
    return WORKFLOW.apply(profil, approval.APPROVE, user=user, prepare=_freeze_sdm)


@transaction.atomic
def return_profil(desa, tahun, *, user, catatan="", komentar=None):
    """Send the profile back with a note and/or comments per indicator ({kode: text})."""
    profil = _pending(desa, tahun, user, approval.RETURN)
    komentar = {str(k).strip(): str(v).strip()[:500] for k, v in (komentar or {}).items() if str(v).strip()}
    if komentar:
        known = indicators_for(desa)
        unknown = [k for k in komentar if k not in known]
        if unknown:
            raise ValidationError(_("Unknown indicator code “%(code)s”.") % {"code": unknown[0][:50]})
    note = (catatan or "").strip() or ("; ".join(f"{k}: {v}" for k, v in komentar.items()) if komentar else "")

    def comment(p):
        p.komentar = komentar

    return WORKFLOW.apply(profil, approval.RETURN, user=user, note=note, prepare=comment)


@transaction.atomic
def reopen(desa, tahun, *, user, alasan):
    """Unlock an approved profile for a correction, with the reason; it is a draft again (and not public)."""
    profil = _pending(desa, tahun, user, approval.REOPEN)
    return WORKFLOW.apply(profil, approval.REOPEN, user=user, note=alasan)


# --- the catalogue (kecamatan admin) ----------------------------------------------------------------

@transaction.atomic
def add_indicator(*, user, **fields):
    ensure_permits(user, Action.CATALOGUE)
    indikator = Indikator(**fields)
    if Indikator.objects.filter(kode=indikator.kode).exists():
        raise ValidationError({"kode": _("The code %(code)s is already used (perhaps by a retired indicator): "
                                         "choose a new one.") % {"code": indikator.kode}})
    indikator.full_clean()
    indikator.save()
    record_change(indikator, user)
    return indikator


@transaction.atomic
def retire_indicator(indikator, *, user):
    """Retire: no longer asked for; its values stay, with their meaning. Never edited in place."""
    ensure_permits(user, Action.CATALOGUE)
    indikator = Indikator.objects.select_for_update().get(pk=indikator.pk)
    if not indikator.aktif:
        raise ValidationError(_("This indicator is already retired."))
    before = snapshot(indikator)
    indikator.aktif = False
    indikator.dipensiunkan_pada = timezone.now()
    indikator.save()
    record_change(indikator, user, before=before, reason=_("Retired"))
    return indikator


def ensure_can_decide(user):
    if not can_decide(user):
        raise PermissionDenied(str(DECIDE))
