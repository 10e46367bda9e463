"""``--defer-search-index``: on PostgreSQL, take the public-search trigram index (GIN) off the requests
table for the length of a large import and build it once at the end, as ``pg_restore`` does.

Why: that index costs about 1 ms of server CPU per message while it fits in memory; once it outgrows
``shared_buffers`` (about 400,000 messages on a default server) every insert reads index pages from disk
and the import slows to a crawl. One sorted build at the end reads the table once.

While it is off, public search still answers, by reading the table (slower, same results). The index
definitions are saved on the ``ImportRun`` *before* the index is dropped, in the same transaction, so a
crash cannot lose them: the resumed run (or ``restore``) rebuilds exactly what was there.
"""

from __future__ import annotations

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


def restore(run: ImportRun, memory: str = "512MB") -> list[str]:
    """Build the indexes ``take_off`` saved on ``run`` that are missing; their names."""
    saved: dict[str, str] = run.options.get("deferred_indexes", {}) if run.options else {}
    if connection.vendor != "postgresql" or not saved:
        return []
    built = []
    with connection.cursor() as cur:
        cur.execute(_GIN_INDEXES, [Request._meta.db_table])
        present = {name for name, _ in cur.fetchall()}
        cur.execute("SET maintenance_work_mem = %s", [memory])
        for name, definition in saved.items():
            if name not in present:
                cur.execute(definition)
                built.append(name)
        cur.execute("RESET maintenance_work_mem")
    return built
