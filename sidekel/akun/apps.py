from django.apps import AppConfig


class AkunConfig(AppConfig):
    name = "sidekel.akun"
    label = "akun"
    verbose_name = "Akun"
