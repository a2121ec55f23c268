from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PetaConfig(AppConfig):
    name = "sidekel.peta"
    label = "peta"
    verbose_name = "Pemetaan"

    def ready(self):
        # Hooks into apps below this one (they never import peta): the demo builder draws the demo
        # kecamatan's shapes after its residents, and the data-quality page gets the check of
        # families whose home lies outside their RT or village.
        from sidekel.penduduk import demo, kualitas

        from . import kualitas as peta_kualitas
        from . import services  # noqa: F401 (declares the import job, for the worker)

        demo.register_step("sidekel.peta.demo.build_demo", reset="sidekel.peta.demo.reset_demo")
        kualitas.register_check(peta_kualitas.KIND, peta_kualitas.findings, peta_kualitas.describe)
        # The default place categories, again after every migrate and every flush (a test database
        # is flushed between transactional tests): missing ones come back, edited ones stay.
        post_migrate.connect(lambda **kwargs: seed_kategori(self.get_model("Kategori")), sender=self, weak=False)


def seed_kategori(Kategori):
    """The default categories that are not there yet (``Kategori``: the model, or a migration's)."""
    from .choices import DEFAULT_KATEGORI

    for lapisan, slug, nama, warna in DEFAULT_KATEGORI:
        Kategori.objects.get_or_create(slug=slug, defaults={"lapisan": lapisan, "nama": nama, "warna": warna})
