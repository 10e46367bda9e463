"""`massline beat`: send the scheduled tasks (deadline sweep, statistics, outbox relays, digests) to the
broker at their times. Run exactly one beat per site; the schedule is ``beat_schedule`` in
``massline/tasks.py``, and the time each entry last ran is kept in ``var/celerybeat-schedule``."""

from __future__ import annotations

import sys
from pathlib import Path

from .worker import LOG_LEVELS, broker_problem, celery_app


def register(sub) -> None:
    p = sub.add_parser("beat", help="send scheduled tasks to the broker in REDIS_URL (Celery beat)")
    p.add_argument("--loglevel", "-l", default="info", choices=LOG_LEVELS, type=str.lower)
    p.add_argument(
        "--schedule", "-s", type=Path, default=None, help="schedule file (default: var/celerybeat-schedule)"
    )
    p.set_defaults(func=run)


def run(args) -> int:
    problem = broker_problem("beat")
    if problem:
        print(problem, file=sys.stderr)
        return 2
    app = celery_app()
    from django.conf import settings

    schedule = Path(args.schedule or Path(settings.VAR_DIR) / "celerybeat-schedule")
    try:
        schedule.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"massline beat: cannot create the folder of {schedule} ({exc.strerror})", file=sys.stderr)
        return 2
    try:
        app.start(["beat", f"--loglevel={args.loglevel.upper()}", f"--schedule={schedule}"])
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 1
    return 0
