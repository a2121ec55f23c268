"""Merging a village's dusun, RW and RT: the residents, families, households and recorded events
of the one merged away move to the one kept, in one transaction, audited.

Renaming and deleting an empty unit touch the region tree alone (``wilayah.services``); a merge
moves residents, so it lives here (wilayah must not import penduduk).

A merge keeps the structure the village already has: merging a dusun into another moves its RWs
(and the RTs directly under it) into the other; an RW whose number the other dusun already has is
merged into that RW, and likewise an RT into the RT of the same number. Every resident whose RT
changes gets a new version (an edit form opened before the merge is refused as stale, rather than
saving the RT that no longer exists) and a row in the audit log.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sidekel.core.audit import data_changed, record_change, request_meta, snapshot
from sidekel.core.models import ObjectChange
from sidekel.core.scope import Action, ensure_permits
from sidekel.wilayah.models import Dusun, Rt, Rw

from .choices import StatusDasar
from .models import Keluarga, Penduduk, Peristiwa, RumahTangga


def _locked_pair(model, source, target, user):
    """Both units locked, after the checks every merge makes: same kind, same village, not the
    same unit, and the user may change that village."""
    rows = {u.pk: u for u in model.objects.select_for_update(of=("self",)).select_related("desa")
            .filter(pk__in=[source.pk, target.pk])}
    source, target = rows.get(source.pk), rows.get(target.pk)
    if source is None or target is None:
        raise ValidationError(_("This dusun, RW or RT no longer exists; reload the page."))
    ensure_permits(user, Action.CHANGE, source.desa_id)
    if source.pk == target.pk:
        raise ValidationError(_("%(unit)s cannot be merged into itself: choose another one.") % {"unit": source})
    if source.desa_id != target.desa_id:
        raise ValidationError(_("%(unit)s can only be merged into a dusun, RW or RT of its own village.")
                              % {"unit": source})
    return source, target


def _audit_rows(model, ids_and_names, field, before, after, user, reason):
    """One audit row per record whose ``field`` went from ``before`` to ``after`` (written in bulk)."""
    meta = request_meta()
    now = timezone.now()
    content_type = ContentType.objects.get_for_model(model)
    user_id = user.pk if user is not None and user.is_authenticated else None
    ObjectChange.objects.bulk_create([
        ObjectChange(at=now, desa_id=desa_id, content_type=content_type, object_id=pk, object_repr=str(name)[:200],
                     action=ObjectChange.Action.UPDATE, before={field: before}, after={field: after}, user_id=user_id,
                     username=getattr(user, "username", "") or "sistem", ip=meta["ip"], request_id=meta["request_id"],
                     reason=reason[:300])
        for pk, desa_id, name in ids_and_names], batch_size=500)


def _move_rt(source, target, user, reason, moved):
    """Everything that points at RT ``source`` points at ``target`` instead; ``source`` is deleted."""
    people = list(Penduduk.objects.filter(rt=source).values_list("pk", "desa_id", "nama"))
    Penduduk.objects.filter(rt=source).update(rt=target, version=F("version") + 1, updated_at=timezone.now())
    _audit_rows(Penduduk, people, "rt_id", source.pk, target.pk, user, reason)
    families = list(Keluarga.objects.filter(rt=source).values_list("pk", "desa_id", "nomor_kk"))
    Keluarga.objects.filter(rt=source).update(rt=target, updated_at=timezone.now())
    _audit_rows(Keluarga, [(pk, desa_id, f"KK {nomor or '-'}") for pk, desa_id, nomor in families],
                "rt_id", source.pk, target.pk, user, reason)
    RumahTangga.objects.filter(rt=source).update(rt=target, updated_at=timezone.now())
    # Recorded events keep pointing at a place: the RT they happened in is now part of ``target``.
    Peristiwa.objects.filter(rt=source).update(rt=target)
    moved["penduduk"] += len(people)
    moved["keluarga"] += len(families)
    record_change(source, user, action=ObjectChange.Action.DELETE, reason=reason)
    source.delete()


def _move_unit(unit, user, reason, **parents):
    """``unit`` (an RW or RT) now hangs under other parents (``dusun``, ``rw``), audited."""
    before = snapshot(unit)
    for name, value in parents.items():
        setattr(unit, name, value)
    unit.save(update_fields=list(parents))
    record_change(unit, user, before=before, reason=reason)


def _merge_rw_into(source, target, user, reason, moved):
    """The RTs of RW ``source`` go to RW ``target`` (into its RT of the same number, if any)."""
    theirs = {rt.nomor: rt for rt in Rt.objects.filter(rw=target)}
    for rt in Rt.objects.filter(rw=source):
        if rt.nomor in theirs:
            _move_rt(rt, theirs[rt.nomor], user, reason, moved)
        else:
            _move_unit(rt, user, reason, rw=target, dusun=target.dusun)
    record_change(source, user, action=ObjectChange.Action.DELETE, reason=reason)
    source.delete()


def _merge_dusun_into(source, target, user, reason, moved):
    """The RWs of dusun ``source`` and the RTs directly under it go to dusun ``target``."""
    their_rw = {rw.nomor: rw for rw in Rw.objects.filter(dusun=target)}
    for rw in Rw.objects.filter(dusun=source):
        if rw.nomor in their_rw:
            _merge_rw_into(rw, their_rw[rw.nomor], user, reason, moved)
        else:
            _move_unit(rw, user, reason, dusun=target)
            for rt in Rt.objects.filter(rw=rw):
                _move_unit(rt, user, reason, dusun=target)
    their_rt = {rt.nomor: rt for rt in Rt.objects.filter(dusun=target, rw__isnull=True)}
    for rt in Rt.objects.filter(dusun=source, rw__isnull=True):
        if rt.nomor in their_rt:
            _move_rt(rt, their_rt[rt.nomor], user, reason, moved)
        else:
            _move_unit(rt, user, reason, dusun=target)
    for rt in Rt.objects.filter(dusun=source):  # an RT whose RW is in another dusun (a data slip)
        _move_unit(rt, user, reason, dusun=target)
    record_change(source, user, action=ObjectChange.Action.DELETE, reason=reason)
    source.delete()


MERGES = {Dusun: _merge_dusun_into, Rw: _merge_rw_into, Rt: _move_rt}


@transaction.atomic
def merge_unit(source, target, *, user):
    """Merge dusun, RW or RT ``source`` into ``target`` of the same kind and village: its
    residents, families, households and events move there and ``source`` is gone. Returns
    {"penduduk": n, "keluarga": n} moved to another RT. Refused (ValidationError or
    PermissionDenied, nothing changed) across villages, into itself, or without the right to
    change the village."""
    if type(source) is not type(target):
        raise ValidationError(_("A dusun merges into a dusun, an RW into an RW, an RT into an RT."))
    model = type(source)
    source, target = _locked_pair(model, source, target, user)
    reason = _("%(unit)s merged into %(other)s") % {"unit": source, "other": target}
    moved = {"penduduk": 0, "keluarga": 0}
    MERGES[model](source, target, user, reason, moved)
    data_changed()
    return moved


# --- what the page shows ----------------------------------------------------------------------------

def unit_counts(desa):
    """Per RT of ``desa``: {rt id: {"penduduk": living residents, "keluarga": families, "dipakai":
    any resident (any status, deleted too), family, household or event points at it}}."""
    counts = {}
    living = Q(status_dasar=StatusDasar.HIDUP, deleted_at__isnull=True)
    for rt_id, hidup, semua in (Penduduk.objects.filter(desa=desa, rt__isnull=False).values_list("rt_id")
                                .annotate(hidup=Count("id", filter=living), semua=Count("id")).order_by()):
        counts.setdefault(rt_id, {})
        counts[rt_id].update(penduduk=hidup, dipakai=semua > 0)
    for rt_id, n in Keluarga.objects.filter(desa=desa, rt__isnull=False).values_list("rt_id").annotate(Count("id")).order_by():
        counts.setdefault(rt_id, {}).update(keluarga=n)
        counts[rt_id]["dipakai"] = True
    for model in (RumahTangga, Peristiwa):
        for rt_id in model.objects.filter(desa=desa, rt__isnull=False).values_list("rt_id", flat=True).distinct().order_by():
            counts.setdefault(rt_id, {})["dipakai"] = True
    return counts
