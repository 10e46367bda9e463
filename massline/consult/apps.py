from django.apps import AppConfig


class ConsultConfig(AppConfig):
    name = "massline.consult"
    label = "consult"
