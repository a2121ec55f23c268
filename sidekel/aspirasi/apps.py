from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AspirasiConfig(AppConfig):
    name = "sidekel.aspirasi"
    label = "aspirasi"
    verbose_name = "Saran dan masukan"

    def ready(self):
        from sidekel.core import panels, publicapi, retention
        from sidekel.penduduk import demo as penduduk_demo

        from . import services

        publicapi.register_public_api_path("/api/v1/aspirasi/")
        retention.register("foto aspirasi yatim", services.prune_orphan_photos)
        retention.register("kontak pelapor aspirasi", services.prune_sender_details)
        penduduk_demo.register_step("sidekel.aspirasi.demo.after_build", reset="sidekel.aspirasi.demo.reset_aspirasi")
        panels.register(services.overdue_panel)
        # The first categories, again after every migrate and every flush (a test database is
        # flushed between transactional tests): missing ones come back, edited ones stay.
        post_migrate.connect(lambda **kwargs: seed_kategori(self.get_model("Kategori")), sender=self, weak=False)


def seed_kategori(Kategori):
    """The first categories that are not there yet (``Kategori``: the model, or a migration's)."""
    from .choices import KATEGORI_AWAL

    for urutan, (slug, nama) in enumerate(KATEGORI_AWAL, 1):
        Kategori.objects.get_or_create(slug=slug, defaults={"nama": nama, "urutan": urutan * 10})
