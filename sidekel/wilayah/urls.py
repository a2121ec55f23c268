from django.urls import path

from . import views

app_name = "wilayah"
urlpatterns = [
    path("desa/", views.desa_list, name="desa-list"),
    # The public village page is /desa/<kode>/ (portal); the officials' village home lives here.
    path("petugas/desa/<str:kode>/", views.desa_detail, name="desa-detail"),
    path("petugas/desa/<str:kode>/profil/", views.profil_edit, name="profil"),
    path("petugas/desa/<str:kode>/kualitas/", views.desa_kualitas, name="desa-kualitas"),
]
