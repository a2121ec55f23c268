from django.apps import AppConfig


class PendidikanConfig(AppConfig):
    name = "sidekel.pendidikan"
    label = "pendidikan"
    verbose_name = "Pendidikan"

    def ready(self):
        from sidekel.penduduk import demo as penduduk_demo

        from . import transfer  # noqa: F401 (declares the import job, for the worker)

        # `sidekel demo` and the demo builder add schools after the residents; penduduk does not
        # know this app (core/tests/test_layers.py).
        penduduk_demo.register_step("sidekel.pendidikan.demo.build_schools", reset="sidekel.pendidikan.demo.reset_schools")
