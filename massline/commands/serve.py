"""`massline serve`: serve the app (Django's server in DEBUG, else gunicorn)."""

from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser("serve", help="serve massline on http://127.0.0.1:8000")
    p.add_argument("--addr", default="127.0.0.1:8000")
    p.set_defaults(func=lambda args: serve(args.addr))


def serve(addr: str) -> int:
    from massline.commands._django import setup_django

    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    if settings.DEBUG:
        call_command("runserver", addr, use_reloader=False)
        return 0
    import subprocess

    return subprocess.call(server_command(addr))


def server_command(addr: str, workers: int = 3) -> list[str]:
    """gunicorn (DEBUG off): WhiteNoise serves /static/ from the source folders (WHITENOISE_USE_FINDERS),
    or from collectstatic's folder once it has been run, so no manual step is needed."""
    import sys

    return [sys.executable, "-m", "gunicorn", "massline.wsgi", "-b", addr, "-w", str(workers)]
