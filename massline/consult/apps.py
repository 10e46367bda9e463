from django.apps import AppConfig


class ConsultConfig(AppConfig):
    name = "massline.consult"
    label = "consult"

    def ready(self) -> None:
        # Register the recompute task with the Celery app wherever Django starts (web and workers).
        from . import tasks  # noqa: F401
