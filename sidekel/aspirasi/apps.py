from django.apps import AppConfig


class AspirasiConfig(AppConfig):
    name = "sidekel.aspirasi"
    label = "aspirasi"
    verbose_name = "Saran dan masukan"

    def ready(self):
        from sidekel.core import panels, publicapi, retention
        from sidekel.penduduk import demo as penduduk_demo

        from . import demo, services

        publicapi.register_public_api_path("/api/v1/aspirasi/")
        retention.register("foto aspirasi yatim", services.prune_orphan_photos)
        retention.register("kontak pelapor aspirasi", services.prune_sender_details)
        penduduk_demo.register_step(demo.after_build, reset=demo.reset_aspirasi)
        panels.register(services.overdue_panel)
