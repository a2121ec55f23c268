from django.urls import path

from . import views, views_desa, views_wilayah

app_name = "penduduk"
urlpatterns = [
    path("petugas/", views.beranda_petugas, name="beranda-petugas"),
    # The kecamatan's villages and each village's home, for officials.
    path("desa/", views_desa.desa_list, name="desa-list"),
    path("petugas/desa/<str:kode>/", views_desa.desa_detail, name="desa-detail"),
    path("petugas/desa/<str:kode>/kualitas/", views_desa.desa_kualitas, name="desa-kualitas"),
    # A village's dusun, RW and RT: list, rename, merge, delete (issue 15).
    path("petugas/desa/<str:kode>/wilayah/", views_wilayah.wilayah_list, name="wilayah"),
    path("petugas/desa/<str:kode>/wilayah/<str:tingkat>/<int:pk>/", views_wilayah.wilayah_unit, name="wilayah-unit"),
    path("petugas/desa/<str:kode>/wilayah/<str:tingkat>/<int:pk>/ganti-nama/", views_wilayah.wilayah_rename,
         name="wilayah-ganti-nama"),
    path("petugas/desa/<str:kode>/wilayah/<str:tingkat>/<int:pk>/gabung/", views_wilayah.wilayah_merge,
         name="wilayah-gabung"),
    path("petugas/desa/<str:kode>/wilayah/<str:tingkat>/<int:pk>/hapus/", views_wilayah.wilayah_delete,
         name="wilayah-hapus"),
    path("penduduk/", views.penduduk_list, name="list"),
    path("penduduk/tambah/", views.penduduk_add, name="tambah"),
    path("penduduk/pindah-datang/", views.record_move_in, name="pindah-datang"),
    path("penduduk/terhapus/", views.deleted_list, name="terhapus"),
    path("penduduk/terhapus/<int:pk>/pulihkan/", views.undelete, name="pulihkan"),
    path("penduduk/<int:pk>/", views.penduduk_detail, name="detail"),
    path("penduduk/<int:pk>/ubah/", views.penduduk_edit, name="ubah"),
    path("penduduk/<int:pk>/hapus/", views.penduduk_delete, name="hapus"),
    path("penduduk/<int:pk>/identitas/", views.reveal_nik, name="identitas"),
    path("penduduk/<int:pk>/riwayat/<int:change_id>/kembalikan/", views.restore_version, name="kembalikan"),
    path("penduduk/<int:pk>/kematian/", views.record_death, name="kematian"),
    path("penduduk/<int:pk>/pindah-keluar/", views.record_move_out, name="pindah-keluar"),
    path("penduduk/<int:pk>/kk-baru/", views.penduduk_kk_baru, name="kk-baru"),
    path("penduduk/<int:pk>/masuk-kk/", views.penduduk_masuk_kk, name="masuk-kk"),
    path("penduduk/<int:pk>/peristiwa/<int:event_id>/batal/", views.peristiwa_batal, name="peristiwa-batal"),
    path("keluarga/pindah-datang/", views.keluarga_pindah_datang, name="keluarga-pindah-datang"),
    path("keluarga/<int:pk>/", views.keluarga_detail, name="keluarga"),
    path("keluarga/<int:pk>/pisah/", views.keluarga_pisah, name="keluarga-pisah"),
    path("keluarga/<int:pk>/identitas/", views.keluarga_reveal, name="keluarga-identitas"),
    path("keluarga/<int:pk>/anggota/", views.keluarga_add_member, name="keluarga-anggota"),
    path("keluarga/<int:pk>/kelahiran/", views.keluarga_birth, name="keluarga-kelahiran"),
    path("keluarga/<int:pk>/kepala/", views.keluarga_change_head, name="keluarga-kepala"),
    path("keluarga/<int:pk>/nomor-kk/", views.keluarga_nomor_kk, name="keluarga-nomor-kk"),
]
urlpatterns += [
    path("penduduk/ekspor/", views.export, name="ekspor"),
    path("impor/", views.import_start, name="impor"),
    path("impor/templat/", views.import_template, name="impor-templat"),
    path("impor/<int:pk>/", views.import_detail, name="impor-detail"),
    path("impor/<int:pk>/simpan/", views.import_commit, name="impor-simpan"),
    path("impor/<int:pk>/batal/", views.import_cancel, name="impor-batal"),
    path("impor/<int:pk>/ditolak/", views.import_refused_rows, name="impor-ditolak"),
    path("impor/<int:pk>/laporan/", views.import_report, name="impor-laporan"),
]
