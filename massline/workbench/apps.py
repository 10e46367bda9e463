from django.apps import AppConfig


class WorkbenchConfig(AppConfig):
    name = "massline.workbench"
    label = "workbench"
