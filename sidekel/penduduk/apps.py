from django.apps import AppConfig


class PendudukConfig(AppConfig):
    name = "sidekel.penduduk"
    label = "penduduk"
    verbose_name = "Kependudukan"

    def ready(self):
        from . import exporter, importer  # noqa: F401 (they declare their background jobs, for the worker)
