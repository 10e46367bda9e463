"""`massline city dump DIR` / `massline city load DIR` / `massline city password USERNAME`.

A city's configuration (units, catalogue, routing and deadline rules, calendar, reply templates, staff)
as plain UTF-8 CSV files; see massline/console/citydata.py and docs/operations.md.
"""

from __future__ import annotations

import sys


def register(sub) -> None:
    p = sub.add_parser(
        "city", help="dump or load a city's configuration as CSV files (units, catalogue, staff …)"
    )
    city = p.add_subparsers(dest="city_command", metavar="ACTION")
    dump = city.add_parser("dump", help="write the configuration to DIR as seven CSV files")
    dump.add_argument("dir")
    dump.set_defaults(func=run_dump)
    load = city.add_parser("load", help="load the CSV files in DIR (all or nothing; audited)")
    load.add_argument("dir")
    load.set_defaults(func=run_load)
    pw = city.add_parser("password", help="set a staff account's password (asked twice, not echoed)")
    pw.add_argument("username")
    pw.set_defaults(func=run_password)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])


def _setup() -> None:
    from massline.commands._django import setup_django

    setup_django()
    from django.core.management import call_command
    from django.utils import translation

    call_command("migrate", verbosity=0, interactive=False)
    translation.activate("en")  # the messages of the model checks, as the rest of the CLI


def run_dump(args) -> int:
    _setup()
    from massline.console.citydata import dump_city

    counts = dump_city(args.dir)
    for name, n in counts.items():
        print(f"  {name:<20} {n:>5} rows")
    print(f"city configuration written to {args.dir}")
    return 0


def _actor_label() -> str:
    import getpass

    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = "unknown user"
    return f"city load ({who})"[:100]


def run_load(args) -> int:
    _setup()
    from massline.console.actions import ConsoleActor
    from massline.console.citydata import CityLoadError, load_city

    try:
        report = load_city(args.dir, ConsoleActor.command(_actor_label()))
    except CityLoadError as exc:
        print(f"massline city load: nothing was changed; {len(exc.problems)} problem(s):", file=sys.stderr)
        for problem in exc.problems[:50]:
            print(f"  {problem}", file=sys.stderr)
        if len(exc.problems) > 50:
            print(f"  … {len(exc.problems) - 50} more", file=sys.stderr)
        return 2
    for name, n in report.rows.items():
        print(f"  {name:<20} {n:>5} rows, {report.changes[name]:>5} changes")
    total = sum(report.changes.values())
    if total:
        print(f"loaded {args.dir}: {total} changes, each recorded as a config event")
    else:
        print(f"loaded {args.dir}: nothing to change, the database already matches")
    if report.new_staff:
        shown = ", ".join(report.new_staff[:5]) + (" …" if len(report.new_staff) > 5 else "")
        print(
            f"{len(report.new_staff)} new staff account(s) ({shown}) cannot sign in until a password is set:\n"
            f"  massline city password USERNAME    (or an administrator sets it in the console, /staff/console/staff/)"
        )
    return 0


def run_password(args) -> int:
    import getpass

    _setup()
    from django.contrib.auth.models import User

    from massline.console.actions import ConsoleActor, ConsoleError, set_staff_password

    if not User.objects.filter(username=args.username).exists():
        print(f"massline city password: there is no account {args.username!r}", file=sys.stderr)
        return 2
    first = getpass.getpass(f"New password for {args.username}: ")
    if first != getpass.getpass("Again: "):
        print("massline city password: the two passwords differ; nothing changed", file=sys.stderr)
        return 2
    try:
        set_staff_password(
            ConsoleActor.command(f"city password ({_actor_label()[11:-1]})"), args.username, first
        )
    except ConsoleError as exc:
        print(f"massline city password: {exc}", file=sys.stderr)
        return 2
    print(f"password set for {args.username}")
    return 0
