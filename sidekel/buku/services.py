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
from django.utils.translation import gettext_lazy as _lazy

from sidekel.core import approval
from sidekel.core.scope import Action, permits

from .models import Rekap, nama_bulan
from .rekap import batas_bulan, hitung_rekap


def _state_message(rekap, transition):
    if transition is approval.SUBMIT:
        if rekap.status == Rekap.Status.DISETUJUI:
            return _("The recap of %(month)s has already been approved.") % {"month": rekap.nama_bulan}
        return _("The recap of %(month)s has already been submitted and waits for the kecamatan.") \
            % {"month": rekap.nama_bulan}
    return _("This recap is not waiting for approval (status: %(status)s).") % {"status": rekap.get_status_display()}


# The shared submit/approve/lock mechanism (core.approval), worded for the monthly recap.
WORKFLOW = approval.Workflow(
    denied={"submit": _lazy("Only the village's operator or kepala desa can submit its monthly recap."),
            "approve": _lazy("Only the camat or the kecamatan administrator can approve a monthly recap."),
            "return": _lazy("Only the camat or the kecamatan administrator can approve a monthly recap.")},
    state=_state_message,
)


def can_submit_rekap(user, desa_id):
    """The village itself submits (core.scope: Action.SUBMIT)."""
    return approval.can(user, approval.SUBMIT, desa_id)


def can_approve_rekap(user):
    """The kecamatan approves (core.scope: Action.APPROVE)."""
    return permits(user, Action.APPROVE)


def _locked_rekap(desa, tahun, bulan):
    return Rekap.objects.select_for_update().filter(desa=desa, tahun=tahun, bulan=bulan).first()


@transaction.atomic
def submit_rekap(desa, tahun, bulan, *, user):
    """Send the month's B.3 to the kecamatan (again, after it was sent back)."""
    WORKFLOW.check_permission(user, approval.SUBMIT, desa.id)
    if batas_bulan(tahun, bulan)[1] > timezone.localdate():
        raise ValidationError(_("%(month)s has not ended yet; submit its recap on its last day or later.")
                              % {"month": nama_bulan(tahun, bulan)})
    rekap = _locked_rekap(desa, tahun, bulan) or Rekap(desa=desa, tahun=tahun, bulan=bulan)

    def count(r):
        r.data = hitung_rekap(desa, tahun, bulan)

    return WORKFLOW.apply(rekap, approval.SUBMIT, user=user, prepare=count)


def _pending(rekap_id, user):
    if not can_approve_rekap(user):
        raise PermissionDenied(WORKFLOW.denied["approve"])
    return Rekap.objects.select_for_update().select_related("desa").get(pk=rekap_id)


@transaction.atomic
def approve_rekap(rekap, *, user):
    """Approve: the figures are counted once more and frozen, and the month is locked."""
    rekap = _pending(rekap.pk, user)

    def freeze(r):
        r.data = hitung_rekap(r.desa, r.tahun, r.bulan)
        r.data["disetujui_oleh"] = user.get_username()
        r.data["disetujui_pada"] = r.diputuskan_pada.isoformat(timespec="seconds")

    return WORKFLOW.apply(rekap, approval.APPROVE, user=user, prepare=freeze,
                          reason=_("Approved; the month is locked"))


@transaction.atomic
def return_rekap(rekap, *, user, catatan):
    """Send the recap back to the village with a note saying what to fix."""
    rekap = _pending(rekap.pk, user)
    return WORKFLOW.apply(rekap, approval.RETURN, user=user, note=catatan)
