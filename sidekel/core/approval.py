"""The one submit/approve/lock mechanism: a village submits, the kecamatan approves or returns.

Used by the monthly population recap (``buku.Rekap``) and the yearly village profile
(``potensi.Profil``); any later "the village sends, the kecamatan verifies" record uses it too.
It knows nothing of what is approved: a model inherits ``Approvable`` (the status and who
decided when) and its service calls ``Workflow.apply(obj, transition, user=...)`` inside its own
transaction, with the row locked (``select_for_update``).

The states and the transitions, with who may take each (``core.scope``):

| transition | from                         | to           | who (action)            | note        |
| ---------- | ---------------------------- | ------------ | ----------------------- | ----------- |
| submit     | new, draf, dikembalikan      | diajukan     | the village (SUBMIT)    | -           |
| approve    | diajukan                     | disetujui    | the kecamatan (APPROVE) | -           |
| return     | diajukan                     | dikembalikan | the kecamatan (APPROVE) | required    |
| reopen     | disetujui                    | draf         | the kecamatan (APPROVE) | the reason  |

"disetujui" is the lock: ``is_locked`` / ``ensure_editable`` say whether the village's own
edits are still allowed (only while new, draf or dikembalikan). Every transition is recorded in
the audit log (``core.audit.record_change``) with the note as its reason; a refused one raises
``PermissionDenied`` (the role), ``WrongState`` (a ``ValidationError``: the state) or
``ValidationError`` (a missing note) and changes nothing.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .audit import record_change, snapshot
from .scope import Action, permits


class Status(models.TextChoices):
    DRAF = "draf", gettext_lazy("draft")
    DIAJUKAN = "diajukan", gettext_lazy("submitted, waiting for the kecamatan")
    DIKEMBALIKAN = "dikembalikan", gettext_lazy("sent back to the village")
    DISETUJUI = "disetujui", gettext_lazy("approved")


class WrongState(ValidationError):
    """The record is not in a state that allows this (the API answers 409); nothing changed."""


NEW = ""  # a record not yet saved, or saved without a status
EDITABLE = {NEW, Status.DRAF, Status.DIKEMBALIKAN}


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset
    target: str
    action: str  # core.scope.Action: who may
    needs_note: bool = False
    decides: bool = False  # stamps diputuskan_oleh/_pada (the kecamatan's decision)


SUBMIT = Transition("submit", frozenset({NEW, Status.DRAF, Status.DIKEMBALIKAN}), Status.DIAJUKAN, Action.SUBMIT)
APPROVE = Transition("approve", frozenset({Status.DIAJUKAN}), Status.DISETUJUI, Action.APPROVE, decides=True)
RETURN = Transition("return", frozenset({Status.DIAJUKAN}), Status.DIKEMBALIKAN, Action.APPROVE, needs_note=True,
                    decides=True)
REOPEN = Transition("reopen", frozenset({Status.DISETUJUI}), Status.DRAF, Action.APPROVE, needs_note=True)
TRANSITIONS = {t.name: t for t in (SUBMIT, APPROVE, RETURN, REOPEN)}


class Approvable(models.Model):
    """The fields of a record that goes through the workflow: its status and who did what when."""

    status = models.CharField(gettext_lazy("status"), max_length=15, choices=Status.choices)
    diajukan_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    diajukan_pada = models.DateTimeField(gettext_lazy("submitted at"), null=True)
    diputuskan_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    diputuskan_pada = models.DateTimeField(gettext_lazy("decided at"), null=True)
    catatan = models.TextField(gettext_lazy("note from the kecamatan"), blank=True)

    class Meta:
        abstract = True

    @property
    def disetujui(self):
        return self.status == Status.DISETUJUI

    @property
    def locked(self):
        return is_locked(self)


def state_of(obj):
    return (obj.status or NEW) if obj is not None else NEW


def is_locked(obj):
    """Approved: the village may not change it until the kecamatan reopens it."""
    return state_of(obj) not in EDITABLE


def can(user, transition, desa):
    """May ``user`` take ``transition`` (a Transition or its name) for village ``desa``?"""
    transition = TRANSITIONS[getattr(transition, "name", transition)]
    return permits(user, transition.action, desa)


def allowed_from(obj, transition):
    transition = TRANSITIONS[getattr(transition, "name", transition)]
    return state_of(obj) in transition.sources


class Workflow:
    """The workflow for one kind of record; ``messages`` words the refusals for that record:

    ``{"denied": {name: text}, "state": callable(obj, transition) -> text, "note": {name: text}}``
    (each optional; a generic sentence is used otherwise).
    """

    def __init__(self, *, denied=None, state=None, note=None):
        self.denied = denied or {}
        self.state = state
        self.note = note or {}

    def check_permission(self, user, transition, desa):
        transition = TRANSITIONS[getattr(transition, "name", transition)]
        if user is not None and not can(user, transition, desa):
            raise PermissionDenied(self.denied.get(transition.name) or _(
                "Your role may not %(action)s here.") % {"action": Action(transition.action).label})

    def check_state(self, obj, transition):
        transition = TRANSITIONS[getattr(transition, "name", transition)]
        if not allowed_from(obj, transition):
            message = self.state(obj, transition) if self.state else None
            raise WrongState(message or _("This cannot be done now (status: %(status)s).")
                                  % {"status": Status(state_of(obj)).label if state_of(obj) else _("new")})

    def apply(self, obj, transition, *, user, note="", prepare=None, reason=None):
        """Take ``transition`` on ``obj`` (locked by the caller, or new): check, stamp, save, audit.

        ``prepare(obj)`` runs after the checks and before the save (e.g. freeze the figures).
        ``user`` None is the system itself (the demo): no permission check, no one stamped.
        """
        transition = TRANSITIONS[getattr(transition, "name", transition)]
        with transaction.atomic():
            self.check_permission(user, transition, obj.desa_id)
            self.check_state(obj, transition)
            note = (note or "").strip()
            if transition.needs_note and not note:
                raise ValidationError({"catatan": self.note.get(transition.name) or _(
                    "Write a note for the village: what must be fixed?")})
            before = snapshot(obj) if obj.pk else None
            now = timezone.now()
            obj.status = transition.target
            if transition is SUBMIT:
                obj.diajukan_oleh, obj.diajukan_pada = user, now
            if transition.decides:
                obj.diputuskan_oleh, obj.diputuskan_pada = user, now
            if transition is RETURN:
                obj.catatan = note[:2000]
            if prepare is not None:
                prepare(obj)
            obj.save()
            record_change(obj, user, before=before, reason=(note or reason or self.reason(transition))[:300])
        return obj

    @staticmethod
    def reason(transition):
        return {"submit": _("Submitted to the kecamatan"), "approve": _("Approved and locked"),
                "return": _("Sent back to the village"),
                "reopen": _("Reopened for a correction")}[transition.name]
