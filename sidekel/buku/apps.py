from django.apps import AppConfig


class BukuConfig(AppConfig):
    name = "sidekel.buku"
    label = "buku"
    verbose_name = "Buku administrasi penduduk"
