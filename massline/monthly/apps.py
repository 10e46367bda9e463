from django.apps import AppConfig


class MonthlyConfig(AppConfig):
    name = "massline.monthly"
    label = "monthly"

    def ready(self) -> None:
        from .notices import connect

        connect()
