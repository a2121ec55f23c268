from django.urls import path

from . import views

app_name = "akun"
urlpatterns = [
    path("masuk/", views.login_view, name="login"),
    path("masuk/kode/", views.code_view, name="kode"),
    path("keluar/", views.logout_view, name="logout"),
    path("akun/", views.profil, name="profil"),
    path("akun/sandi/", views.sandi, name="sandi"),
    path("akun/dua-langkah/", views.dua_langkah, name="dua-langkah"),
    path("akun/dua-langkah/matikan/", views.dua_langkah_matikan, name="dua-langkah-matikan"),
]
