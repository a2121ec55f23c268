from django.apps import AppConfig


class PanduanConfig(AppConfig):
    name = "sidekel.panduan"
    label = "panduan"

    def ready(self):
        from . import pdf  # noqa: F401  (declares the job that makes the guide's PDF)
