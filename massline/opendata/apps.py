from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "massline.opendata"
    label = "opendata"
