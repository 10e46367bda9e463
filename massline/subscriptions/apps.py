from django.apps import AppConfig


class SubscriptionsConfig(AppConfig):
    name = "massline.subscriptions"
    label = "subscriptions"

    def ready(self) -> None:
        from . import actions

        actions.connect()
