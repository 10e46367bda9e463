from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "massline.intake"
    label = "intake"
