from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "massline.portal"
    label = "portal"
