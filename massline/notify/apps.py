from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "massline.notify"
    label = "notify"

    def ready(self) -> None:
        from . import outbox

        outbox.connect()
