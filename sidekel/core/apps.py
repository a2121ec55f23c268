from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sidekel.core"
    label = "core"
    verbose_name = "Sidekel"
