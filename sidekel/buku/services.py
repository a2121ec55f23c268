"""Every write of the books app: the monthly rekapitulasi (B.3) and its approval.

The village (its operator or kepala desa) submits a month; the kecamatan (admin kecamatan or
camat) approves it, which freezes the figures and locks the month, or sends it back with a note.
Each function checks the user's right inside its transaction, records the change in the audit
log and raises ``ValidationError`` or ``PermissionDenied`` with a message for the user.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sidekel.core.audit import record_change, snapshot
from sidekel.core.scope import Action, permits

from .models import Rekap, nama_bulan
from .rekap import batas_bulan, hitung_rekap


def can_submit_rekap(user, desa_id):
    """The village itself submits (core.scope: Action.SUBMIT)."""
    return permits(user, Action.SUBMIT, desa_id)


def can_approve_rekap(user):
    """The kecamatan approves (core.scope: Action.APPROVE)."""
    return permits(user, Action.APPROVE)


def _locked_rekap(desa, tahun, bulan):
    return Rekap.objects.select_for_update().filter(desa=desa, tahun=tahun, bulan=bulan).first()


@transaction.atomic
def submit_rekap(desa, tahun, bulan, *, user):
    """Send the month's B.3 to the kecamatan (again, after it was sent back)."""
    if not can_submit_rekap(user, desa.id):
        raise PermissionDenied(_("Only the village's operator or kepala desa can submit its monthly recap."))
    if batas_bulan(tahun, bulan)[1] > timezone.localdate():
        raise ValidationError(_("%(month)s has not ended yet; submit its recap on its last day or later.")
                              % {"month": nama_bulan(tahun, bulan)})
    rekap = _locked_rekap(desa, tahun, bulan)
    before = None
    if rekap is None:
        rekap = Rekap(desa=desa, tahun=tahun, bulan=bulan)
    else:
        if rekap.status == Rekap.Status.DISETUJUI:
            raise ValidationError(_("The recap of %(month)s has already been approved.") % {"month": rekap.nama_bulan})
        if rekap.status == Rekap.Status.DIAJUKAN:
            raise ValidationError(_("The recap of %(month)s has already been submitted and waits for the kecamatan.")
                                  % {"month": rekap.nama_bulan})
        before = snapshot(rekap)
    rekap.status = Rekap.Status.DIAJUKAN
    rekap.data = hitung_rekap(desa, tahun, bulan)
    rekap.diajukan_oleh, rekap.diajukan_pada = user, timezone.now()
    rekap.save()
    record_change(rekap, user, before=before, reason=_("Submitted to the kecamatan"))
    return rekap


def _pending(rekap_id, user):
    if not can_approve_rekap(user):
        raise PermissionDenied(_("Only the camat or the kecamatan administrator can approve a monthly recap."))
    rekap = Rekap.objects.select_for_update().select_related("desa").get(pk=rekap_id)
    if rekap.status != Rekap.Status.DIAJUKAN:
        raise ValidationError(_("This recap is not waiting for approval (status: %(status)s).")
                              % {"status": rekap.get_status_display()})
    return rekap


@transaction.atomic
def approve_rekap(rekap, *, user):
    """Approve: the figures are counted once more and frozen, and the month is locked."""
    rekap = _pending(rekap.pk, user)
    before = snapshot(rekap)
    rekap.data = hitung_rekap(rekap.desa, rekap.tahun, rekap.bulan)
    rekap.status = Rekap.Status.DISETUJUI
    rekap.diputuskan_oleh, rekap.diputuskan_pada = user, timezone.now()
    rekap.data["disetujui_oleh"] = user.get_username()
    rekap.data["disetujui_pada"] = rekap.diputuskan_pada.isoformat(timespec="seconds")
    rekap.save()
    record_change(rekap, user, before=before, reason=_("Approved; the month is locked"))
    return rekap


@transaction.atomic
def return_rekap(rekap, *, user, catatan):
    """Send the recap back to the village with a note saying what to fix."""
    catatan = (catatan or "").strip()
    if not catatan:
        raise ValidationError({"catatan": _("Write a note for the village: what must be fixed?")})
    rekap = _pending(rekap.pk, user)
    before = snapshot(rekap)
    rekap.status = Rekap.Status.DIKEMBALIKAN
    rekap.catatan = catatan[:2000]
    rekap.diputuskan_oleh, rekap.diputuskan_pada = user, timezone.now()
    rekap.save()
    record_change(rekap, user, before=before, reason=catatan[:300])
    return rekap
