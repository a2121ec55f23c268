from django.urls import path

from sidekel.core.pagecache import public_page

from . import views

app_name = "pendidikan"
urlpatterns = [
    path("petugas/sekolah/", views.sekolah_list, name="sekolah-list"),
    path("petugas/sekolah/tambah/", views.sekolah_add, name="sekolah-tambah"),
    path("petugas/sekolah/impor/", views.impor, name="impor"),
    path("petugas/sekolah/impor/<int:pk>/", views.impor_detail, name="impor-detail"),
    path("petugas/sekolah/impor/<int:pk>/simpan/", views.impor_simpan, name="impor-simpan"),
    path("petugas/sekolah/templat/", views.templat, name="templat"),
    path("petugas/sekolah/ekspor/", views.ekspor, name="ekspor"),
    path("petugas/sekolah/<int:pk>/", views.sekolah_detail, name="sekolah-detail"),
    path("petugas/sekolah/<int:pk>/ubah/", views.sekolah_edit, name="sekolah-ubah"),
    path("petugas/sekolah/<int:pk>/data/", views.sekolah_data, name="sekolah-data"),
    path("petugas/pendidikan/<str:kode>/", views.ringkasan, name="ringkasan"),
    path("petugas/pendidikan/<str:kode>/tidak-sekolah/", views.tidak_sekolah, name="tidak-sekolah"),
    path("petugas/pendidikan/<str:kode>/tidak-sekolah/xlsx/", views.tidak_sekolah_xlsx, name="tidak-sekolah-xlsx"),
    # Public: a village's schools and school participation.
    path("desa/<str:kode>/sekolah/", public_page(views.publik_desa), name="publik"),
]
