from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "massline.webhooks"
    label = "webhooks"

    def ready(self) -> None:
        from . import outbox

        outbox.connect()
