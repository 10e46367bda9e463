"""Background jobs of the workflow. Scheduled by Celery beat in production (massline/tasks.py);
eager without a broker."""

from __future__ import annotations

from massline.tasks import app


@app.task(name="massline.workflow.sweep_overdue")
def sweep_overdue_task() -> int:
    """Raise supervisions for overdue requests; returns how many were raised."""
    from .actions import sweep_overdue

    return len(sweep_overdue())


@app.task(name="massline.workflow.ensure_partitions")
def ensure_partitions_task() -> list[str]:
    """PostgreSQL: create the audit trail's partitions of this month and the next ones ahead."""
    from django.db import connection

    from .partitions import ensure

    return ensure(connection)
