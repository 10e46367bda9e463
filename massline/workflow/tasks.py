"""Background jobs of the workflow. Scheduled by Celery beat in production; eager without a broker."""

from __future__ import annotations

from massline.tasks import app


@app.task(name="massline.workflow.sweep_overdue")
def sweep_overdue_task() -> int:
    """Raise supervisions for overdue requests; returns how many were raised."""
    from .actions import sweep_overdue

    return len(sweep_overdue())


@app.task(name="massline.portal.warm_statistics")
def warm_statistics_task() -> None:
    """Recompute the public statistics ahead of visitors (they can take a minute at a million requests)."""
    from massline.portal.stats import warm

    warm()


app.conf.beat_schedule = {
    "sweep-overdue-every-10-minutes": {"task": "massline.workflow.sweep_overdue", "schedule": 600.0},
    "warm-public-statistics-every-5-minutes": {"task": "massline.portal.warm_statistics", "schedule": 300.0},
}
