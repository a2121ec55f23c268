from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "sidekel.portal"
    label = "portal"

    def ready(self):
        from sidekel.core.pagecache import register_schedule

        from .models import Berita

        register_schedule(lambda: Berita.objects.next_publication())
