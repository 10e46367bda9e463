from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "massline.workflow"
    label = "workflow"

    def ready(self) -> None:
        from django.utils.translation import get_language

        from massline.core.text import script

        # Content converts to the script of the active interface language (core has no Django of its own).
        script.language_source = get_language
