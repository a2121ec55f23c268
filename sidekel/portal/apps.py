from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "sidekel.portal"
    label = "portal"

    def ready(self):
        from sidekel.core.pagecache import register_schedule

        from .models import Berita

        register_schedule(lambda: Berita.objects.next_publication())

        from sidekel.core import versioned
        from sidekel.wilayah.models import served_ids

        from . import opendata

        # The date of the newest change that the open-data pages show, made again by the worker.
        versioned.maintain(served_ids, lambda desa_id: opendata.last_update([desa_id]))
