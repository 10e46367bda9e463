from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "massline.workflow"
    label = "workflow"
