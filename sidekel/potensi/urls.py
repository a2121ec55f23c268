from django.urls import path

from . import views

app_name = "potensi"
urlpatterns = [
    path("potensi/", views.index, name="index"),
    path("potensi/banding/", views.banding, name="banding"),
    path("potensi/indikator/", views.katalog, name="katalog"),
    path("potensi/indikator/<int:pk>/pensiun/", views.pensiun, name="pensiun"),
    path("potensi/<str:kode>/", views.desa, name="desa"),
    path("potensi/<str:kode>/tren/<str:indikator>/", views.tren, name="tren"),
    path("potensi/<str:kode>/<int:tahun>/", views.profil, name="profil"),
    path("potensi/<str:kode>/<int:tahun>/isi/<str:kelompok>/", views.isi, name="isi"),
    path("potensi/<str:kode>/<int:tahun>/templat.xlsx", views.templat, name="templat"),
    path("potensi/<str:kode>/<int:tahun>/unggah/", views.unggah, name="unggah"),
    path("potensi/<str:kode>/<int:tahun>/lampiran/", views.lampiran_tambah, name="lampiran-tambah"),
    path("potensi/<str:kode>/<int:tahun>/lampiran/<int:pk>/", views.lampiran_unduh, name="lampiran-unduh"),
    path("potensi/<str:kode>/<int:tahun>/lampiran/<int:pk>/hapus/", views.lampiran_hapus, name="lampiran-hapus"),
    path("potensi/<str:kode>/<int:tahun>/ajukan/", views.ajukan, name="ajukan"),
    path("potensi/<str:kode>/<int:tahun>/setujui/", views.setujui, name="setujui"),
    path("potensi/<str:kode>/<int:tahun>/kembalikan/", views.kembalikan, name="kembalikan"),
    path("potensi/<str:kode>/<int:tahun>/buka/", views.buka, name="buka"),
]
