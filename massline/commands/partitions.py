"""`massline partitions ensure|list`: the monthly partitions of the audit trail on PostgreSQL.

``ensure`` creates this month's partition and the next ones ahead (the beat task does it daily); rows
kept meanwhile in the default partition move into their month. ``list`` shows each partition and its
estimated rows. On SQLite, or before migration 0006, there is nothing to do and both say so."""

from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser("partitions", help="monthly partitions of the audit events (PostgreSQL)")
    actions = p.add_subparsers(dest="partitions_action", required=True)
    ensure = actions.add_parser("ensure", help="create this month's partition and the next ones ahead")
    ensure.add_argument("--months", type=int, default=3, help="months ahead besides this one (default 3)")
    ensure.set_defaults(func=run_ensure)
    show = actions.add_parser("list", help="each partition with its estimated number of rows")
    show.set_defaults(func=run_list)


def _partitioned(connection) -> bool:
    from massline.workflow.partitions import is_partitioned

    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        return is_partitioned(cursor)


def run_ensure(args) -> int:
    from massline.commands._django import setup_django

    setup_django()
    from django.db import connection

    from massline.workflow.partitions import ensure

    if args.months < 0 or args.months > 120:
        print("massline partitions: --months must be between 0 and 120")
        return 2
    if not _partitioned(connection):
        print("The audit events are not partitioned here (SQLite, or PostgreSQL before migration 0006).")
        return 0
    created = ensure(connection, months_ahead=args.months)
    print("created: " + ", ".join(created) if created else "every partition already exists")
    return 0


def run_list(args) -> int:
    from massline.commands._django import setup_django

    setup_django()
    from django.db import connection

    from massline.workflow.partitions import listing

    if not _partitioned(connection):
        print("The audit events are not partitioned here (SQLite, or PostgreSQL before migration 0006).")
        return 0
    for name, rows in listing(connection):
        print(f"{name}\t{rows}")
    return 0
