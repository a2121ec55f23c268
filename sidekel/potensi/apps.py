from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PotensiConfig(AppConfig):
    name = "sidekel.potensi"
    label = "potensi"
    verbose_name = "Potensi wilayah"

    def ready(self):
        # The public read path reads approved values through this app's reader, and the demo
        # builds this app's profiles after the residents: both registered here, so that neither
        # statistik nor penduduk imports potensi (core/tests/test_layers.py).
        from sidekel.core import retention
        from sidekel.penduduk import demo
        from sidekel.statistik import publik

        from . import lampiran
        from .katalog import load as load_katalog
        from .public import approved_values

        publik.register_potensi_reader(approved_values)
        retention.register("lampiran profil potensi yatim", lampiran.prune_orphans)
        demo.register_step("sidekel.potensi.demo.after_build", reset="sidekel.potensi.demo.reset_profiles")
        # The catalogue's indicators, again after every migrate and every flush (a test database is
        # flushed between transactional tests): missing ones come back, edited ones stay.
        post_migrate.connect(lambda **kwargs: load_katalog(self.get_model("Indikator")), sender=self, weak=False)
