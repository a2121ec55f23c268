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
        from django.db.models.signals import post_delete, post_save
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice

        for device in (TOTPDevice, StaticDevice):  # the kinds of second factor in INSTALLED_APPS
            post_save.connect(services.forget_two_factor, sender=device, dispatch_uid=f"sidekel-2fa-{device.__name__}")
            post_delete.connect(services.forget_two_factor, sender=device, dispatch_uid=f"sidekel-2fa-{device.__name__}-del")
        user_logged_in.connect(stamp_at_login, dispatch_uid="sidekel-akun-stamp-at-login")

