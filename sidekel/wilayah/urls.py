from django.urls import path

from . import views

app_name = "wilayah"
urlpatterns = [
    path("desa/", views.desa_list, name="desa-list"),
    path("desa/<str:kode>/", views.desa_detail, name="desa-detail"),
    path("desa/<str:kode>/kualitas/", views.desa_kualitas, name="desa-kualitas"),
]
