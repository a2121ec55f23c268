"""A village's public profile, edited by its officials (the officials' village pages are in
penduduk/views_desa.py: they count residents)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from sidekel.core.scope import Action, permits

from . import services
from .forms import ProfilForm
from .models import Desa


@login_required
def profil_edit(request, kode):
    """The village's public profile: head, office address, contact, office hours."""
    desa = get_object_or_404(Desa.objects.for_user(request.user), kode=kode)
    if not permits(request.user, Action.PUBLISH, desa):
        raise PermissionDenied
    form = ProfilForm(request.POST or None, instance=Desa.objects.get(pk=desa.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_profil(desa, request.user, {f: form.cleaned_data[f] for f in services.PROFIL_FIELDS})
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The village profile is saved; it shows on the public page."))
            return redirect("penduduk:desa-detail", kode=desa.kode)
    return render(request, "wilayah/profil_form.html", {"desa": desa, "form": form})
