from django.urls import path

from . import views, views_warga

app_name = "layanan"
urlpatterns = [
    path("surat/", views.index, name="index"),
    path("surat/buat/", views.buat, name="buat"),
    path("surat/isian/", views.placeholders, name="placeholders"),
    path("surat/agenda/<str:kode>/", views.agenda, name="agenda"),
    path("surat/<int:pk>/", views.detail, name="detail"),
    path("surat/<int:pk>/tandatangani/", views.tandatangani, name="tandatangani"),
    path("surat/<int:pk>/cabut/", views.cabut, name="cabut"),
    path("surat/<int:pk>/koreksi/", views.koreksi, name="koreksi"),
    path("surat/<int:pk>/hapus/", views.hapus, name="hapus"),
    path("surat/<int:pk>/pdf/", views.surat_pdf, name="pdf"),
    path("surat/permohonan/<int:pk>/", views.permohonan, name="permohonan"),
    path("surat/permohonan/<int:pk>/proses/", views.permohonan_proses, name="permohonan-proses"),
    path("surat/permohonan/<int:pk>/tolak/", views.permohonan_tolak, name="permohonan-tolak"),
    path("surat/pin/", views.pin, name="pin"),
    path("surat/pin/<int:pk>/", views.pin_penduduk, name="pin-penduduk"),
    path("v/<str:token>/", views.verifikasi, name="verifikasi"),
    # Residents, without an account (views_warga).
    path("layanan/", views_warga.beranda, name="warga"),
    path("layanan/masuk/", views_warga.masuk, name="warga-masuk"),
    path("layanan/keluar/", views_warga.keluar, name="warga-keluar"),
    path("layanan/ajukan/", views_warga.ajukan, name="warga-ajukan"),
    path("layanan/lacak/", views_warga.lacak_cari, name="lacak-cari"),
    path("layanan/lacak/<str:kode>/", views_warga.lacak, name="lacak"),
    path("layanan/lacak/<str:kode>/surat.pdf", views_warga.lacak_pdf, name="lacak-pdf"),
]
