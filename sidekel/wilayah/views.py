"""The kecamatan's list of villages and each village's home page, for officials."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from sidekel.core.models import ObjectChange
from sidekel.core.scope import can_write_desa
from sidekel.penduduk.choices import JenisKelamin, StatusDasar
from sidekel.penduduk.models import Keluarga, Penduduk

from . import services
from .forms import ProfilForm
from .models import Desa


def _population(desa_ids):
    """Living residents per village, split by sex: {desa_id: {"total", "l", "p"}}."""
    rows = (
        Penduduk.objects.filter(desa_id__in=desa_ids, status_dasar=StatusDasar.HIDUP, deleted_at__isnull=True)
        .values("desa_id")
        .annotate(total=Count("id"),
                  l=Count("id", filter=Q(jenis_kelamin=JenisKelamin.LAKI_LAKI)),
                  p=Count("id", filter=Q(jenis_kelamin=JenisKelamin.PEREMPUAN)))
    )
    return {r["desa_id"]: r for r in rows}


@login_required
def desa_list(request):
    villages = list(Desa.objects.for_user(request.user).order_by("jenis", "nama"))
    ids = [d.id for d in villages]
    population = _population(ids)
    activity = dict(ObjectChange.objects.filter(desa_id__in=ids).values_list("desa_id").annotate(last=Max("at")))
    for d in villages:
        d.population = population.get(d.id, {"total": 0, "l": 0, "p": 0})
        d.last_activity = activity.get(d.id)
    return render(request, "wilayah/desa_list.html", {
        "villages": villages, "total": sum(d.population["total"] for d in villages),
    })


@login_required
def desa_detail(request, kode):
    desa = get_object_or_404(Desa.objects.for_user(request.user), kode=kode)
    population = _population([desa.id]).get(desa.id, {"total": 0, "l": 0, "p": 0})
    families = Keluarga.objects.filter(desa=desa, anggota__status_dasar=StatusDasar.HIDUP).distinct().count()
    changes = ObjectChange.objects.filter(desa=desa).select_related("content_type")[:15]
    return render(request, "wilayah/desa_detail.html", {
        "desa": desa, "population": population, "families": families, "changes": changes,
        "can_write": can_write_desa(request.user, desa.id),
    })


@login_required
def profil_edit(request, kode):
    """The village's public profile: head, office address, contact, office hours."""
    desa = get_object_or_404(Desa.objects.for_user(request.user), kode=kode)
    if not can_write_desa(request.user, desa.id):
        raise PermissionDenied
    form = ProfilForm(request.POST or None, instance=Desa.objects.get(pk=desa.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_profil(desa, request.user, {f: form.cleaned_data[f] for f in services.PROFIL_FIELDS})
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The village profile is saved; it shows on the public page."))
            return redirect("wilayah:desa-detail", kode=desa.kode)
    return render(request, "wilayah/profil_form.html", {"desa": desa, "form": form})
