from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from sidekel.api import api
from sidekel.core import views as core_views
from sidekel.core.views import healthz

urlpatterns = [
    path("", include("sidekel.portal.urls")),
    path("", include("sidekel.akun.urls")),
    path("", include("sidekel.wilayah.urls")),
    path("", include("sidekel.penduduk.urls")),
    path("", include("sidekel.buku.urls")),
    path("", include("sidekel.layanan.urls")),
    path("", include("sidekel.statistik.urls")),
    path("", include("sidekel.potensi.urls")),
    path("", include("sidekel.panduan.urls")),
    path("", include("sidekel.aspirasi.urls")),
    path("", include("sidekel.pendidikan.urls")),
    path("", include("sidekel.peta.urls")),
    path("api/v1/", api.urls),
    path("healthz", healthz, name="healthz"),
    path("unduhan/", include(([
        path("<int:pk>/", core_views.unduhan, name="unduhan"),
        path("<int:pk>/batal/", core_views.batal, name="batal"),
        path("<int:pk>/berkas/", core_views.unduhan_berkas, name="unduhan-berkas"),
    ], "jobs"))),
    # One login page for everyone, with its throttle: the admin's own login form is not used.
    path("admin/login/", RedirectView.as_view(pattern_name="akun:login", query_string=True)),
    path("admin/", admin.site.urls),
]

# A database that is busy or out of reach answers 503 "try again", also when a middleware meets it (core/busy.py).
handler500 = "sidekel.core.busy.server_error"
