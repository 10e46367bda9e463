"""`massline opendata [DIR]`: write the open-data dump (public requests, replies, timeline, catalogue and
units, redacted, with its schema and README). ``massline export opendata DIR`` does the same."""

from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser(
        "opendata",
        help="write the open-data dump of public requests (redacted CSV and JSON, schema, README)",
        description="Write the open-data dump: public requests only, personal data removed; see docs/opendata.md.",
    )
    p.add_argument("folder", nargs="?", help="where to write (default: MASSLINE_OPENDATA_DIR, var/opendata)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=run)


def run(args) -> int:
    from massline.commands.export import run_opendata

    return run_opendata(args)
