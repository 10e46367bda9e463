"""Celery app. With no broker configured (the SQLite default) tasks run in-process, eagerly.

Each app keeps its tasks in its own ``tasks.py`` (workflow, intake, consult, portal); the periodic
schedule for Celery beat is declared here, by task name, so no app has to import another."""

from __future__ import annotations

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "massline.settings.base")

app = Celery("massline")
app.config_from_object("django.conf:settings", namespace="CELERY")
# eager without a broker: CELERY_TASK_ALWAYS_EAGER in the settings (CELERY_BROKER_URL or REDIS_URL)
app.conf.task_eager_propagates = True
app.autodiscover_tasks(
    [
        "massline.workflow",
        "massline.intake",
        "massline.consult",
        "massline.portal",
        "massline.notify",
        "massline.webhooks",
        "massline.open311out",
        "massline.subscriptions",
        "massline.opendata",
        "massline.workbench",
    ]
)
app.conf.beat_schedule = {
    "sweep-overdue-every-10-minutes": {"task": "massline.workflow.sweep_overdue", "schedule": 600.0},
    "warm-public-statistics-every-5-minutes": {"task": "massline.portal.warm_statistics", "schedule": 300.0},
    "notify-relay-due-every-minute": {"task": "massline.notify.relay_due", "schedule": 60.0},
    "notify-deadline-reminders-every-10-minutes": {
        "task": "massline.notify.deadline_reminders",
        "schedule": 600.0,
    },
    "webhooks-relay-due-every-minute": {"task": "massline.webhooks.relay_due", "schedule": 60.0},
    "open311-send-due-every-minute": {"task": "massline.open311out.send_due", "schedule": 60.0},
    "open311-poll-updates-every-5-minutes": {"task": "massline.open311out.poll", "schedule": 300.0},
    "notify-daily-digest": {"task": "massline.notify.daily_digest", "schedule": crontab(hour=8, minute=0)},
    "opendata-nightly": {"task": "massline.opendata.nightly", "schedule": crontab(hour=2, minute=30)},
    "workbench-hot-issues-every-10-minutes": {
        "task": "massline.workbench.refresh_hot_issues",
        "schedule": 600.0,
    },
    "hot-issue-alerts-hourly": {
        "task": "massline.workbench.alert_hot_issues",
        "schedule": crontab(minute=15),
    },
    "intake-route-due-every-minute": {"task": "massline.intake.route_due", "schedule": 60.0},
    "retrain-routing-model-nightly": {  # promotes the candidate only if it is better (docs/routing.md)
        "task": "massline.intake.retrain",
        "schedule": crontab(hour=3, minute=0),
    },
    "subscriptions-area-digests-every-5-minutes": {
        "task": "massline.subscriptions.area_digests",
        "schedule": 300.0,
    },
    "audit-partitions-ahead-daily": {  # PostgreSQL: next months' audit partitions (workflow.partitions)
        "task": "massline.workflow.ensure_partitions",
        "schedule": crontab(hour=1, minute=15),
    },
    "subscriptions-purge-daily": {
        "task": "massline.subscriptions.purge",
        "schedule": crontab(hour=3, minute=30),
    },
}
