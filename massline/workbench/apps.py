from django.apps import AppConfig


class WorkbenchConfig(AppConfig):
    name = "massline.workbench"
    label = "workbench"

    def ready(self) -> None:
        from massline.workflow import events

        from .duplicate_store import on_submit

        events.subscribe(on_submit)  # after the commit: sketch each new request for the duplicate index
