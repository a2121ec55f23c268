from django.apps import AppConfig


class StatistikConfig(AppConfig):
    name = "sidekel.statistik"
    verbose_name = "Statistik"

    def ready(self):
        from sidekel.core import versioned
        from sidekel.wilayah.models import served_ids

        from . import publik, services

        def make(desa_id):
            services.make_today(desa_id)
            publik.make_village(desa_id)

        versioned.maintain(served_ids, make, publik.make_drawings)
