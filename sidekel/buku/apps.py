from django.apps import AppConfig


class BukuConfig(AppConfig):
    name = "sidekel.buku"
    label = "buku"
    verbose_name = "Buku administrasi penduduk"

    def ready(self):
        from . import output  # noqa: F401 (declares its background jobs, for the worker)

        from sidekel.penduduk import services

        from .models import month_locked

        if month_locked not in services.MONTH_LOCKS:
            services.MONTH_LOCKS.append(month_locked)  # an event in an approved month is a correction
