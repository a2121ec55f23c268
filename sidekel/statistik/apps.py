from django.apps import AppConfig


class StatistikConfig(AppConfig):
    name = "sidekel.statistik"
    verbose_name = "Statistik"

    def ready(self):
        from sidekel.core import versioned
        from sidekel.wilayah.models import Desa

        from . import publik, services

        def villages():
            return Desa.objects.managed().values_list("id", flat=True)

        def make(desa_id):
            services.make_today(desa_id)
            publik.make_village(desa_id)

        versioned.maintain(villages, make, publik.make_drawings)
