from django.urls import path

from . import views

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
    path("v/<str:token>/", views.verifikasi, name="verifikasi"),
]
