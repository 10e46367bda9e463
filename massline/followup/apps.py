from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "massline.followup"
    label = "followup"
