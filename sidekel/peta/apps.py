from django.apps import AppConfig


class PetaConfig(AppConfig):
    name = "sidekel.peta"
    label = "peta"
    verbose_name = "Pemetaan"

    def ready(self):
        # Hooks into apps below this one (they never import peta): the demo builder draws the demo
        # kecamatan's shapes after its residents, and the data-quality page gets the check of
        # families whose home lies outside their RT or village.
        from sidekel.penduduk import demo, kualitas

        from . import demo as peta_demo
        from . import kualitas as peta_kualitas

        demo.register_step(peta_demo.build_demo, reset=peta_demo.reset_demo)
        kualitas.register_check(peta_kualitas.KIND, peta_kualitas.findings, peta_kualitas.describe)
