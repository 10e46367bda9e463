"""Background jobs of the workflow. Scheduled by Celery beat in production (massline/tasks.py);
eager without a broker."""

from __future__ import annotations

from massline.tasks import app


@app.task(name="massline.workflow.sweep_overdue")
def sweep_overdue_task() -> int:
    """Raise supervisions for overdue requests; returns how many were raised."""
    from .actions import sweep_overdue

    return len(sweep_overdue())
