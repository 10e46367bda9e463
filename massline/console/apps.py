from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "massline.console"
    label = "console"
    verbose_name = "Operator console"
