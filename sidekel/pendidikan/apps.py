from django.apps import AppConfig


class PendidikanConfig(AppConfig):
    name = "sidekel.pendidikan"
    label = "pendidikan"
    verbose_name = "Pendidikan"

    def ready(self):
        from sidekel.penduduk import demo as penduduk_demo

        from . import demo, transfer  # noqa: F401 (transfer declares the import job, for the worker)

        # `sidekel demo` and the demo builder add schools after the residents; penduduk does not
        # know this app (core/tests/test_layers.py).
        if demo.build_schools not in penduduk_demo.AFTER_BUILD:
            penduduk_demo.AFTER_BUILD.append(demo.build_schools)
        if demo.reset_schools not in penduduk_demo.BEFORE_RESET:
            penduduk_demo.BEFORE_RESET.append(demo.reset_schools)
