from django.apps import AppConfig


class AkunConfig(AppConfig):
    name = "sidekel.akun"
    label = "akun"
    verbose_name = "Akun"

    def ready(self):
        from sidekel.core import retention

        from . import services

        retention.register("login gagal", services.prune_failed_logins)

