from django.urls import path

from . import views

app_name = "panduan"
urlpatterns = [
    path("bantuan/", views.index, name="index"),
    path("bantuan/panduan-operator.pdf", views.pdf_file, name="pdf"),
    path("bantuan/buat-pdf/", views.pdf_make, name="pdf-buat"),
    path("bantuan/<slug:slug>/", views.section, name="section"),
]
