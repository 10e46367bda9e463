from django.apps import AppConfig


class Open311OutConfig(AppConfig):
    name = "massline.open311out"
    label = "open311out"
    verbose_name = "Open311 out"

    def ready(self) -> None:
        from . import outbox

        outbox.connect()
