from django.urls import path

from . import views

app_name = "wilayah"
urlpatterns = [
    path("petugas/desa/<str:kode>/profil/", views.profil_edit, name="profil"),
]
