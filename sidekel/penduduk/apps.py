from django.apps import AppConfig


class PendudukConfig(AppConfig):
    name = "sidekel.penduduk"
    label = "penduduk"
    verbose_name = "Kependudukan"
