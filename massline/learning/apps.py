from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "massline.learning"
    label = "learning"
    verbose_name = "Routing that learns"

    def ready(self) -> None:
        from massline.workflow.events import subscribe

        from .labels import record_decision

        subscribe(record_decision, phase="atomic")
