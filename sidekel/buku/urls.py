from django.urls import path

from . import views

app_name = "buku"
urlpatterns = [
    path("buku/", views.index, name="index"),
    path("buku/kecamatan/", views.kecamatan, name="kecamatan"),
    path("buku/kecamatan/unduh/", views.kecamatan_unduh, name="kecamatan-unduh"),
    path("buku/<str:kode>/", views.desa, name="desa"),
    path("buku/<str:kode>/rekap/ajukan/", views.ajukan, name="ajukan"),
    path("buku/<str:kode>/rekap/setujui/", views.setujui, name="setujui"),
    path("buku/<str:kode>/rekap/kembalikan/", views.kembalikan, name="kembalikan"),
    path("buku/<str:kode>/<str:buku>/", views.buku, name="buku"),
    path("buku/<str:kode>/<str:buku>/xlsx/", views.xlsx, name="xlsx"),
    path("buku/<str:kode>/<str:buku>/pdf/", views.pdf, name="pdf"),
]
