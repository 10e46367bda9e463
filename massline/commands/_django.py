"""Helpers for commands that need the Django app (database, models, actions)."""

from __future__ import annotations

import os


def setup_django(settings: str = "massline.settings.base") -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings)
    import django

    django.setup()
