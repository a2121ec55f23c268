from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "sidekel.portal"
    label = "portal"
