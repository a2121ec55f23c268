from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sidekel.core"
    label = "core"
    verbose_name = "Sidekel"

    def ready(self):
        from . import checks  # noqa: F401  (registers Sidekel's checks of `sidekel check --deploy`)
