from django.apps import AppConfig


class HotlineConfig(AppConfig):
    name = "massline.hotline"
    label = "hotline"

    def ready(self) -> None:
        from . import actions

        actions.connect()
