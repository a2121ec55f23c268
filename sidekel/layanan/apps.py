from django.apps import AppConfig


class LayananConfig(AppConfig):
    name = "sidekel.layanan"
    verbose_name = "Layanan surat"
