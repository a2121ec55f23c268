from django.apps import AppConfig


class WilayahConfig(AppConfig):
    name = "sidekel.wilayah"
    label = "wilayah"
    verbose_name = "Wilayah"
