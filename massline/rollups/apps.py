from django.apps import AppConfig


class RollupsConfig(AppConfig):
    name = "massline.rollups"
    label = "rollups"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import apply

        apply.connect()
