from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "massline.followup"
    label = "followup"

    def ready(self) -> None:
        from django.utils.translation import gettext
        from django.utils.translation import gettext_lazy as _

        from massline.workflow import registry

        from .actions import check_follow_up, record_follow_up

        registry.register(
            registry.ActionSpec(
                "follow_up",
                ("follow_up_solved", "follow_up_unsolved"),
                _("Record follow-up"),
                check_follow_up,
                record_follow_up,
                lambda r: gettext("Follow-up recorded."),
                ("solved", "satisfaction", "comment"),
                40,
            )
        )
