from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from sidekel.api import api
from sidekel.core.views import healthz

urlpatterns = [
    path("", include("sidekel.portal.urls")),
    path("", include("sidekel.akun.urls")),
    path("", include("sidekel.wilayah.urls")),
    path("", include("sidekel.penduduk.urls")),
    path("", include("sidekel.buku.urls")),
    path("", include("sidekel.statistik.urls")),
    path("api/v1/", api.urls),
    path("healthz", healthz, name="healthz"),
    # One login page for everyone, with its throttle: the admin's own login form is not used.
    path("admin/login/", RedirectView.as_view(pattern_name="akun:login", query_string=True)),
    path("admin/", admin.site.urls),
]
