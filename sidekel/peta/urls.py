from django.urls import path, re_path

from . import views

app_name = "peta"
urlpatterns = [
    # Public: the kecamatan's or a village's map.
    path("peta/<str:kode>/", views.publik, name="publik"),
    path("peta/foto/<int:pk>.jpg", views.foto, name="foto"),
    # Officials.
    path("petugas/peta/", views.index, name="index"),
    path("petugas/peta/<str:kode>/", views.petugas, name="petugas"),
    path("petugas/peta/<str:kode>/data.geojson", views.data, name="data"),
    path("petugas/peta/<str:kode>/fitur/", views.fitur_simpan, name="fitur-simpan"),
    path("petugas/peta/fitur/<int:pk>/hapus/", views.fitur_hapus, name="fitur-hapus"),
    path("petugas/peta/<str:kode>/impor/", views.impor, name="impor"),
    path("petugas/peta/impor/<int:pk>/", views.impor_detail, name="impor-detail"),
    path("petugas/peta/impor/<int:pk>/simpan/", views.impor_simpan, name="impor-simpan"),
    path("petugas/peta/impor/<int:pk>/batal/", views.impor_batal, name="impor-batal"),
    path("petugas/peta/fitur/<int:pk>/foto/", views.fitur_foto, name="fitur-foto"),
    re_path(r"^petugas/peta/(?P<kode>[\d.]+)/ekspor\.(?P<fmt>geojson|kml)$", views.ekspor, name="ekspor"),
    path("petugas/peta/<str:kode>/lokasi/", views.lokasi, name="lokasi"),
    path("petugas/peta/<str:kode>/tetapkan-rt/", views.tetapkan_rt, name="tetapkan-rt"),
]
