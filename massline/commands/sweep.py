"""`massline sweep`: raise supervisions (督辦) for overdue requests. Run it from cron or Celery beat."""

from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser("sweep", help="raise a supervision for every overdue request")
    p.set_defaults(func=run)


def run(args) -> int:
    from massline.commands._django import setup_django

    setup_django()
    from massline.workflow.actions import sweep_overdue

    created = sweep_overdue()
    print(f"{len(created)} new supervision(s)")
    return 0
