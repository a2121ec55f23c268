from django.apps import AppConfig


class StatistikConfig(AppConfig):
    name = "sidekel.statistik"
    verbose_name = "Statistik"
