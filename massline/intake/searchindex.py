"""Deferred search indexes: on PostgreSQL, take the public-search GIN indexes (the trigram index on
``public_text`` and the full-text index on ``search_vector``) off the requests table for the length of a
large import and build them once at the end, as ``pg_restore`` does. The default for a load at least as
large as the table it goes into (``worth_deferring``); ``--defer-search-index`` / ``--no-defer-search-index``
decide instead. The indexes are built at the end at the same time, each in its own connection (one core
each: PostgreSQL 15 builds a GIN index in one process), with a raised ``maintenance_work_mem``.

Why: that index costs about 1 ms of server CPU per message while it fits in memory; once it outgrows
``shared_buffers`` (about 400,000 messages on a default server) every insert reads index pages from disk
and the import slows to a crawl. One sorted build at the end reads the table once.

While it is off, public search still answers, by reading the table (slower, same results). The index
definitions are saved on the ``ImportRun`` *before* the index is dropped, in the same transaction, so a
crash cannot lose them: the resumed run (or ``restore``) rebuilds exactly what was there.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from django.db import connection, transaction

from massline.workflow.models import Request

from .models import ImportRun

_GIN_INDEXES = """
    SELECT c.relname, pg_get_indexdef(i.indexrelid)
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
    WHERE i.indrelid = %s::regclass AND a.amname = 'gin'
"""


def take_off(run: ImportRun) -> list[str]:
    """Drop the GIN indexes of the requests table, remembering them on ``run``; their names."""
    if connection.vendor != "postgresql":
        return []
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().get(pk=run.pk)
        saved = dict(run.options.get("deferred_indexes", {}))
        with connection.cursor() as cur:
            cur.execute(_GIN_INDEXES, [Request._meta.db_table])
            present = dict(cur.fetchall())
        saved.update(present)
        run.options = {**run.options, "deferred_indexes": saved}
        run.save(update_fields=["options"])
        with connection.cursor() as cur:
            for name in present:
                cur.execute(f'DROP INDEX IF EXISTS "{name}"')
    return list(present)


# An import is worth loading without the search indexes when it adds at least this many rows and at least
# as many as the table holds already (rebuilding reads the whole table; maintaining reads only the new rows,
# but slows down as the trigram index outgrows memory). Rows are estimated from the file size.
DEFER_MIN_ROWS = 20_000
BYTES_PER_ROW = 1_000  # a govmsg message is about 1,150 bytes of CSV, a 311 row 600-1,500


def worth_deferring(file_size: int) -> bool:
    """Whether a load of ``file_size`` bytes of CSV should build the search indexes at the end."""
    if connection.vendor != "postgresql":
        return False
    rows = file_size // BYTES_PER_ROW
    if rows < DEFER_MIN_ROWS:
        return False
    with connection.cursor() as cur:  # the planner's estimate: no scan of a large table
        cur.execute(
            "SELECT GREATEST(reltuples, 0)::bigint FROM pg_class WHERE oid = %s::regclass",
            [Request._meta.db_table],
        )
        existing = cur.fetchone()[0]
    return rows >= existing


def restore(run: ImportRun, memory: str = "512MB") -> list[str]:
    """Build the indexes ``take_off`` saved on ``run`` that are missing, at the same time, each in its own
    connection; their names. Returns when all are built (an import is done only then)."""
    saved: dict[str, str] = run.options.get("deferred_indexes", {}) if run.options else {}
    if connection.vendor != "postgresql" or not saved:
        return []
    with connection.cursor() as cur:
        cur.execute(_GIN_INDEXES, [Request._meta.db_table])
        present = {name for name, _ in cur.fetchall()}
    missing = [(name, definition) for name, definition in saved.items() if name not in present]
    if not missing:
        return []
    if connection.in_atomic_block:  # a caller's transaction (tests): build in it
        with connection.cursor() as cur:
            cur.execute("SET maintenance_work_mem = %s", [memory])
            for _name, definition in missing:
                cur.execute(definition)
            cur.execute("RESET maintenance_work_mem")
        return [name for name, _ in missing]
    params = connection.get_connection_params()

    def build(name: str, definition: str) -> None:
        conn = connection.get_new_connection(params)
        try:
            conn.autocommit = True
            with conn.cursor() as cur:
                cur.execute("SELECT set_config('maintenance_work_mem', %s, false)", [memory])
                try:
                    cur.execute(definition)
                except Exception:
                    # A run killed during its build leaves the server building that index on its own (the
                    # backend finishes the statement and commits); a run resumed at once then collides with
                    # it. The index being there, valid, is what was wanted.
                    cur.execute(
                        "SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                        "WHERE c.relname = %s AND i.indisvalid",
                        [name],
                    )
                    if cur.fetchone() is None:
                        raise
        finally:
            conn.close()

    with ThreadPoolExecutor(len(missing)) as pool:
        for future in [pool.submit(build, name, definition) for name, definition in missing]:
            future.result()  # the first failure, after every build has ended
    return [name for name, _ in missing]
