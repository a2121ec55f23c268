"""A village's dusun, RW and RT on screen: the list with resident counts, and per unit its
rename, merge and delete (services in wilayah.services and services_wilayah)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sidekel.core.scope import Action, permits
from sidekel.wilayah import services as wilayah_services
from sidekel.wilayah.forms import MergeForm, RenameForm
from sidekel.wilayah.models import Desa, Dusun, Rt, Rw, dusun_label, rt_label, rw_with_dusun

from . import services_wilayah
from .choices import StatusDasar
from .models import Penduduk

LEVELS = {"dusun": Dusun, "rw": Rw, "rt": Rt}


def _tree(desa):
    """The village's dusun, each with its RWs (each with its RTs) and the RTs directly under it,
    then the RWs and RTs under no dusun; every unit with ``penduduk`` (living residents),
    ``keluarga`` and ``dipakai`` (anything points at it: it can be merged, not deleted)."""
    counts = services_wilayah.unit_counts(desa)
    dusun = list(Dusun.objects.filter(desa=desa).order_by("nama"))
    names = {d.id: d.nama for d in dusun}
    rws = list(Rw.objects.filter(desa=desa).order_by("nomor"))
    rw_nomor = {rw.id: rw.nomor for rw in rws}
    rts = list(Rt.objects.filter(desa=desa).order_by("nomor"))
    for rt in rts:
        found = counts.get(rt.id, {})
        rt.penduduk, rt.keluarga, rt.dipakai = found.get("penduduk", 0), found.get("keluarga", 0), found.get("dipakai", False)
        rt.label = rt_label(dusun_label(desa, names[rt.dusun_id]) if rt.dusun_id else None, rw_nomor.get(rt.rw_id),
                            rt.nomor)

    def total(unit, parts):
        unit.penduduk = sum(p.penduduk for p in parts)
        unit.keluarga = sum(p.keluarga for p in parts)
        unit.dipakai = any(p.dipakai for p in parts)

    for rw in rws:
        rw.rts = [rt for rt in rts if rt.rw_id == rw.id]
        rw.label = rw_with_dusun(rw.nomor, names.get(rw.dusun_id))
        total(rw, rw.rts)
    for d in dusun:
        d.rws = [rw for rw in rws if rw.dusun_id == d.id]
        d.rts = [rt for rt in rts if rt.dusun_id == d.id and rt.rw_id is None]
        d.label = dusun_label(desa, d.nama)
        total(d, d.rws + d.rts)
    loose_rws = [rw for rw in rws if rw.dusun_id is None]
    loose_rts = [rt for rt in rts if rt.dusun_id is None and rt.rw_id is None]
    return dusun, loose_rws, loose_rts


@login_required
def wilayah_list(request, kode):
    """The village's dusun, RW and RT with their residents; each a link to change it."""
    desa = get_object_or_404(Desa.objects.for_user(request.user), kode=kode)
    dusun, loose_rws, loose_rts = _tree(desa)
    return render(request, "penduduk/wilayah.html", {
        "desa": desa, "dusun": dusun, "loose_rws": loose_rws, "loose_rts": loose_rts,
        "can_write": permits(request.user, Action.CHANGE, desa),
        "total": sum(d.penduduk for d in dusun) + sum(u.penduduk for u in loose_rws + loose_rts),
    })


def _unit(request, kode, tingkat, pk):
    """(village, unit) for a user who may change the village: 404 outside their villages, 403
    for a role that may only look."""
    desa = get_object_or_404(Desa.objects.for_user(request.user), kode=kode)
    if tingkat not in LEVELS:
        raise Http404
    unit = get_object_or_404(LEVELS[tingkat].objects.filter(desa=desa).select_related("desa"), pk=pk)
    if not permits(request.user, Action.CHANGE, desa):
        raise PermissionDenied(_("Your role may not change this village's dusun, RW and RT."))
    return desa, unit


def residents_in(unit):
    """Living residents whose RT is ``unit`` or inside it."""
    where = {Dusun: Q(rt__dusun=unit), Rw: Q(rt__rw=unit), Rt: Q(rt=unit)}[type(unit)]
    return Penduduk.objects.filter(where, status_dasar=StatusDasar.HIDUP, deleted_at__isnull=True).count()


def _unit_page(request, desa, unit, tingkat, rename=None, merge=None, delete_error=None, status=200):
    return render(request, "penduduk/wilayah_unit.html", {
        "desa": desa, "unit": unit, "tingkat": tingkat, "penduduk": residents_in(unit),
        "rename": rename or RenameForm(initial={"nama": unit.nama if tingkat == "dusun" else unit.nomor}),
        "merge": merge or MergeForm(unit=unit), "delete_error": delete_error,
    }, status=status)


def _back(desa, message_unit=None):
    url = reverse("penduduk:wilayah", args=[desa.kode])
    return redirect(f"{url}#{message_unit}" if message_unit else url)


@login_required
def wilayah_unit(request, kode, tingkat, pk):
    """One dusun, RW or RT: rename it, merge it into another, or delete it while empty."""
    desa, unit = _unit(request, kode, tingkat, pk)
    return _unit_page(request, desa, unit, tingkat)


@login_required
@require_POST
def wilayah_rename(request, kode, tingkat, pk):
    desa, unit = _unit(request, kode, tingkat, pk)
    form = RenameForm(request.POST)
    if form.is_valid():
        old = str(unit)
        try:
            renamed = wilayah_services.rename_unit(unit, form.cleaned_data["nama"], user=request.user)
        except ValidationError as exc:
            form.add_error("nama", exc)
        else:
            if renamed is None:
                messages.info(request, _("%(unit)s keeps its name: nothing changed.") % {"unit": old})
            else:
                messages.success(request, _("%(old)s is now %(new)s.") % {"old": old, "new": renamed})
            return _back(desa, f"{tingkat}-{unit.pk}")
    return _unit_page(request, desa, unit, tingkat, rename=form)


@login_required
@require_POST
def wilayah_merge(request, kode, tingkat, pk):
    """Merge, in two steps: the choice, then a page that says what moves and asks to confirm."""
    desa, unit = _unit(request, kode, tingkat, pk)
    form = MergeForm(request.POST, unit=unit)
    if not form.is_valid():
        return _unit_page(request, desa, unit, tingkat, merge=form)
    target = form.cleaned_data["ke"]
    penduduk, name = residents_in(unit), str(unit)
    if request.POST.get("yakin") != "1":
        return render(request, "penduduk/wilayah_gabung.html", {
            "desa": desa, "unit": unit, "target": target, "tingkat": tingkat, "penduduk": penduduk,
            "label": form.fields["ke"].label_from_instance(target),
        })
    try:
        services_wilayah.merge_unit(unit, target, user=request.user)
    except ValidationError as exc:
        form.add_error("ke", exc)
        return _unit_page(request, desa, unit, tingkat, merge=form)
    messages.success(request, _("%(unit)s is merged into %(target)s: its %(n)d living residents are now there.")
                     % {"unit": name, "target": form.fields["ke"].label_from_instance(target), "n": penduduk})
    return _back(desa, f"{tingkat}-{target.pk}")


@login_required
@require_POST
def wilayah_delete(request, kode, tingkat, pk):
    desa, unit = _unit(request, kode, tingkat, pk)
    name = str(unit)
    try:
        wilayah_services.delete_unit(unit, user=request.user)
    except ValidationError as exc:
        return _unit_page(request, desa, unit, tingkat, delete_error=" ".join(exc.messages))
    messages.success(request, _("%(unit)s is deleted.") % {"unit": name})
    return _back(desa)
