from django.apps import AppConfig
from django.db.models.signals import post_migrate


class LayananConfig(AppConfig):
    name = "sidekel.layanan"
    verbose_name = "Layanan surat"

    def ready(self):
        # The letter types, again after every migrate and every flush (a test database is flushed
        # between transactional tests): missing ones come back, edited ones stay.
        from sidekel.core import panels
        from sidekel.penduduk import demo as penduduk_demo

        from .katalog import seed
        from .views import panel

        panels.register(panel)  # online requests and drafts waiting, on the officials' home pages
        penduduk_demo.register_step("sidekel.layanan.demo.after_build", reset="sidekel.layanan.demo.reset_demo")
        post_migrate.connect(lambda **kwargs: seed(self.get_model("JenisSurat")), sender=self, weak=False)
