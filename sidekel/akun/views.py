from django.contrib.auth import login, logout
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from sidekel.core.publicapi import public_figures

from .forms import LoginForm


@public_figures("none")
def login_view(request):
    form = LoginForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        login(request, form.user)
        target = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = "penduduk:beranda-petugas"
        return redirect(target)
    return render(request, "akun/login.html", {"form": form})


@require_POST
def logout_view(request):
    logout(request)
    return redirect("portal:beranda")
