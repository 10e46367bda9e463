from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "massline.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.contrib import admin

        from .login import AdminLockoutAuthenticationForm

        # the admin's own sign-in page gets the same lockout as the workbench's
        admin.site.login_form = AdminLockoutAuthenticationForm
