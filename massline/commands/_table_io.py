"""What the table-reading commands (``train``, ``predict``, ``evaluate``) share.

Their common options (``FILE``, ``--text-column``, ``--label-column``, ``--encoding``, ``-q``), reading
the input with :func:`massline.core.text.tables.read_table` (encoding detection, clear
:class:`~massline.core.text.tables.TableError` messages), the ``[name] ...`` progress lines on stderr
and the ``massline name: ...`` error line with exit code 1. The leading "_" keeps the CLI from taking
this module for a sub-command.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from massline.core.text.tables import Table

#: What a command turns into an error message and exit code 1: unreadable or missing files, unknown
#: encodings, missing columns (TableError is a ValueError) and bad values.
FAILURES = (ValueError, OSError)


def add_input_arguments(parser: argparse.ArgumentParser, *, label: bool) -> None:
    """``FILE`` and ``--text-column C``, plus ``--label-column L`` when ``label`` is true."""
    parser.add_argument("file", help="CSV or XLSX with one request per row")
    parser.add_argument("--text-column", required=True, metavar="C", help="column holding the request text")
    if label:
        parser.add_argument("--label-column", required=True, metavar="L", help="column holding the category")


def add_reading_options(parser: argparse.ArgumentParser, *, encoding_of: str = "the file's") -> None:
    """``--encoding`` (help: "<encoding_of> encoding, if detection gets it wrong") and ``-q/--quiet``."""
    parser.add_argument("--encoding", help=f"{encoding_of} encoding, if detection gets it wrong")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress output on stderr")


def read_input(args: argparse.Namespace) -> Table:
    """The table at ``args.file`` in ``args.encoding`` (detected when None); TableError/OSError on failure."""
    from massline.core.text.tables import read_table

    return read_table(args.file, encoding=args.encoding)


def read_labelled(args: argparse.Namespace) -> tuple[Table, list[str], list[str]]:
    """The table, and the texts and labels of its rows having both (``args.text_column`` may join
    columns with "+"); a TableError when a column is missing or no row has both."""
    from massline.core.classify.training import labelled_examples

    table = read_input(args)
    texts, labels = labelled_examples(table, args.text_column, args.label_column)
    return table, texts, labels


def rows_read(table: Table) -> str:
    """The opening of the first progress line, e.g. ``read 3,609 rows (utf-8)``."""
    return f"read {len(table):,} rows ({table.encoding or 'xlsx'})"


def progress_printer(name: str, quiet: bool) -> Callable[[str], None]:
    """A function printing ``[name] message`` on stderr, or nothing when ``quiet``."""

    def emit(message: str) -> None:
        if not quiet:
            print(f"[{name}] {message}", file=sys.stderr, flush=True)

    return emit


def fail(name: str, exc: BaseException) -> int:
    """Print ``massline name: exc`` on stderr and return the exit code 1."""
    print(f"massline {name}: {exc}", file=sys.stderr)
    return 1
