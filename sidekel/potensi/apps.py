from django.apps import AppConfig


class PotensiConfig(AppConfig):
    name = "sidekel.potensi"
    label = "potensi"
    verbose_name = "Potensi wilayah"

    def ready(self):
        # The public read path reads approved values through this app's reader, and the demo
        # builds this app's profiles after the residents: both registered here, so that neither
        # statistik nor penduduk imports potensi (core/tests/test_layers.py).
        from sidekel.penduduk import demo
        from sidekel.statistik import publik

        from . import demo as potensi_demo
        from .public import approved_values

        publik.register_potensi_reader(approved_values)
        demo.register_step(potensi_demo.after_build, reset=potensi_demo.reset_profiles)
