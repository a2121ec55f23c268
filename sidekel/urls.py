from django.contrib import admin
from django.urls import include, path

from sidekel.api import api
from sidekel.core.views import healthz

urlpatterns = [
    path("", include("sidekel.portal.urls")),
    path("api/v1/", api.urls),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
