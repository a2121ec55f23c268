from django.urls import path

from . import views

app_name = "aspirasi"
urlpatterns = [
    # The public: no login.
    path("aspirasi/", views.daftar, name="daftar"),
    path("aspirasi/kirim/", views.kirim, name="kirim"),
    path("aspirasi/lacak/", views.lacak_cari, name="lacak-cari"),
    path("aspirasi/lacak/<str:kode>/", views.lacak, name="lacak"),
    path("aspirasi/lacak/<str:kode>/balas/", views.balas, name="balas"),
    path("aspirasi/lacak/<str:kode>/nilai/", views.nilai, name="nilai"),
    path("aspirasi/foto/<int:pk>.jpg", views.foto, name="foto"),
    # Officials.
    path("petugas/aspirasi/", views.petugas_list, name="petugas"),
    path("petugas/aspirasi/<int:pk>/", views.petugas_detail, name="petugas-detail"),
    path("petugas/aspirasi/<int:pk>/verifikasi/", views.verifikasi, name="verifikasi"),
    path("petugas/aspirasi/<int:pk>/status/", views.ubah_status, name="status"),
    path("petugas/aspirasi/<int:pk>/tanggapan/", views.tanggapi, name="tanggapan"),
    path("petugas/aspirasi/<int:pk>/sembunyikan/", views.sembunyikan, name="sembunyikan"),
    path("petugas/aspirasi/<int:pk>/gabung/", views.gabung, name="gabung"),
]
