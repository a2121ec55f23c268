from django.apps import AppConfig


class PendudukConfig(AppConfig):
    name = "sidekel.penduduk"
    label = "penduduk"
    verbose_name = "Kependudukan"

    def ready(self):
        from . import importer  # noqa: F401 (declares its background jobs, for the worker)
