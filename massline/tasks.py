"""Celery app. With no broker configured (the SQLite default) tasks run in-process, eagerly."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "massline.settings.base")

app = Celery("massline")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_always_eager = not os.environ.get("CELERY_BROKER_URL")
app.conf.task_eager_propagates = True
app.autodiscover_tasks(["massline.workflow", "massline.intake", "massline.consult"])
