from django.urls import path

from . import views

app_name = "statistik"
urlpatterns = [
    path("statistik/", views.dashboard, name="dashboard"),
    path("statistik/wilayah/", views.home, name="home"),
    path("statistik/<str:kode>/", views.ringkasan, name="ringkasan"),
    path("statistik/<str:kode>/<slug:slug>/", views.kategori, name="kategori"),
]
