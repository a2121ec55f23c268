from django.apps import AppConfig
from django.db.models.signals import post_migrate


class LayananConfig(AppConfig):
    name = "sidekel.layanan"
    verbose_name = "Layanan surat"

    def ready(self):
        # The letter types, again after every migrate and every flush (a test database is flushed
        # between transactional tests): missing ones come back, edited ones stay.
        from .katalog import seed

        post_migrate.connect(lambda **kwargs: seed(self.get_model("JenisSurat")), sender=self, weak=False)
