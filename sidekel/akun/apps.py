from django.apps import AppConfig


class AkunConfig(AppConfig):
    name = "sidekel.akun"
    label = "akun"
    verbose_name = "Akun"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from sidekel.core import retention

        from . import services
        from .middleware import stamp_at_login

        retention.register("login gagal", services.prune_failed_logins)
        user_logged_in.connect(stamp_at_login, dispatch_uid="sidekel-akun-stamp-at-login")

