from django.urls import path, re_path

from . import views

app_name = "portal"
urlpatterns = [
    # Public pages: no login.
    path("", views.beranda, name="beranda"),
    path("kecamatan/<str:kecamatan_kode>/statistik/<slug:slug>/", views.statistik, name="statistik-kecamatan"),
    path("desa/<str:kode>/", views.desa, name="desa"),
    path("desa/<str:kode>/statistik/<slug:slug>/", views.statistik, name="statistik"),
    path("berita/", views.berita_list, name="berita"),
    path("berita/<int:pk>/", views.berita_detail, name="berita-detail"),
    path("berita/<int:pk>/gambar.jpg", views.berita_gambar, name="berita-gambar"),
    path("data/", views.data_list, name="data"),
    path("privasi/", views.privasi, name="privasi"),
    path("data/<slug:slug>/", views.data_detail, name="data-detail"),
    re_path(r"^data/(?P<slug>[-\w]+)/(?P<kode>[\d.]+)\.(?P<fmt>csv|json|xlsx)$", views.data_resource, name="data-resource"),
    # The editor of news and announcements, for officials.
    path("petugas/berita/", views.berita_petugas, name="berita-petugas"),
    path("petugas/berita/tambah/", views.berita_form, name="berita-tambah"),
    path("petugas/berita/<int:pk>/ubah/", views.berita_form, name="berita-ubah"),
    path("petugas/berita/<int:pk>/hapus/", views.berita_hapus, name="berita-hapus"),
]
