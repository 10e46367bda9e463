"""`massline demo`: migrate an SQLite database, load the demo city, print the logins, and serve."""

from __future__ import annotations

import os
import sys


def register(sub) -> None:
    p = sub.add_parser("demo", help="set up the demo city (SQLite) and serve it on http://127.0.0.1:8000")
    p.add_argument("--requests", type=int, default=2400, help="how many requests to build (default 2400)")
    p.add_argument("--seed", type=int, default=12345)
    p.add_argument("--reload", action="store_true", help="delete the demo database and build it again")
    p.add_argument("--no-serve", action="store_true", help="load the data, then stop")
    p.add_argument("--addr", default="127.0.0.1:8000")
    p.set_defaults(func=run)


def _bar(i: int, total: int) -> None:
    if i < total and i % max(total // 100, 1):
        return
    width = 30
    done = int(width * i / max(total, 1))
    end = "\n" if i >= total else ""
    sys.stderr.write(f"\r  requests [{'#' * done}{'.' * (width - done)}] {i}/{total}{end}")
    sys.stderr.flush()


def served_as_a_site() -> None:
    """The demo is served as a real site: DEBUG off (no tracebacks or settings shown to visitors, the
    styled error pages), gunicorn, WhiteNoise for the static files. Set before Django reads its settings;
    the gunicorn workers inherit it. To debug, use ``MASSLINE_DEBUG=1 massline serve`` instead."""
    if os.environ.get("MASSLINE_DEBUG", "0").lower() not in ("", "0", "false", "no", "off"):
        print("massline demo: ignoring MASSLINE_DEBUG: the demo runs with DEBUG off", file=sys.stderr)
    os.environ["MASSLINE_DEBUG"] = "0"


def run(args) -> int:
    from massline.commands._django import setup_django

    served_as_a_site()
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        from pathlib import Path

        if args.reload:
            for suffix in ("", "-wal", "-shm"):
                Path(str(db["NAME"]) + suffix).unlink(missing_ok=True)
        Path(db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    elif args.reload:
        print(
            "massline demo: --reload only deletes the SQLite demo database; empty this database yourself",
            file=sys.stderr,
        )
        return 2
    print("massline demo: migrating the database …", file=sys.stderr)
    call_command("migrate", verbosity=0, interactive=False)

    from massline.workflow.models import Request

    if not Request.objects.exists():
        load_demo(args.requests, args.seed)
    else:
        print(
            f"massline demo: the database already holds {Request.objects.count()} requests "
            "(use --reload to build it again)",
            file=sys.stderr,
        )
    print_logins(args.addr)
    if args.no_serve:
        return 0
    from massline.commands.serve import serve

    return serve(args.addr)


def load_demo(requests: int, seed: int) -> dict:
    from massline.demo import city, loader
    from massline.intake.training import train_default_model

    print("massline demo: building the city (units, catalogue, staff) …", file=sys.stderr)
    summary = city.build_city()
    from django.utils import timezone

    year = timezone.localtime().year
    city.install_holidays([year - 1, year, year + 1])
    city.build_staff()
    if not summary["real_catalogue"]:
        print(
            "massline demo: ../shared/data is not beside this checkout: using the small bundled set "
            "(15 first-level categories, 24 messages)",
            file=sys.stderr,
        )
    trained = train_default_model()
    print(f"massline demo: routing model: {trained}", file=sys.stderr)
    print(f"massline demo: pushing {requests} requests through the workflow (seed {seed}) …", file=sys.stderr)
    stats = loader.run(requests=requests, seed=seed, progress=_bar)
    if not stats["real_data"]:
        print(
            "massline demo: NOTE: built from the bundled sample, not the real govmsg messages",
            file=sys.stderr,
        )
    print(f"massline demo: {stats}", file=sys.stderr)
    print(
        f"massline demo: hotline knowledge base and calls answered on the spot: {_hotline_seed()}",
        file=sys.stderr,
    )
    from django.contrib.auth.models import User

    from massline.consult.demo import build_demo_consultation

    print("massline demo: a consultation with 60 participants and its opinion map …", file=sys.stderr)
    build_demo_consultation(User.objects.get(username="supervisor"), n_participants=60)
    from massline.monthly.demo import create_demo_problem

    problem = create_demo_problem(loader.demo_end())
    print(f"massline demo: monthly problem (每月一題): {problem or 'none (no hot issue)'}", file=sys.stderr)
    return stats


def _hotline_seed() -> dict:
    from massline.hotline.demo import seed

    return seed()


def print_logins(addr: str = "127.0.0.1:8000") -> None:
    from massline.demo.city import DEMO_PASSWORD
    from massline.workflow.models import Unit

    units = ", ".join(f"staff-{u.code}" for u in Unit.objects.exclude(code="city")[:6])
    base = f"http://{addr}" if ":" in addr else f"http://127.0.0.1:{addr}"  # runserver takes a bare port too
    print(
        f"\nmassline demo is ready: {base}/   (staff workbench: {base}/staff/)\n"
        f"  staff logins (password: {DEMO_PASSWORD}):\n"
        "    admin        administrator\n"
        "    dispatcher   dispatcher queue (派單)\n"
        "    supervisor   supervision board (督辦) and follow-ups\n"
        "    discipline   misconduct reports (舉報), visible to this role alone\n"
        f"    {units} …  unit staff, one per unit (staff-<unit code>)\n"
        f"  consultations (徵求意見) and the opinion map: {base}/consult/\n"
    )
