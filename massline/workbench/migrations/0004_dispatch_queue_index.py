"""The dispatcher queue's own index: requests waiting for dispatch (received or returned, the sources of
``dispatch`` in the transition table) in the queue's order. Without it the queue walks the received_at
index past every request already dispatched (3,000 rows for the first page at 100k, more as history
grows); with it the first page and each next one read 51 index entries. A partial index: a few thousand
rows however long the history is. PostgreSQL and SQLite both have partial indexes."""

from django.db import migrations

# workflow.AWAITING_DISPATCH when this was written, frozen as a migration must be (a test compares them)
STATES = "'received', 'returned'"


class Migration(migrations.Migration):
    dependencies = [
        ("workbench", "0003_duplicate_index"),
        ("workflow", "0007_search_vector_statistics"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS workbench_dispatch_queue_idx ON workflow_request "
            f"(received_at, id) WHERE state IN ({STATES})",
            "DROP INDEX IF EXISTS workbench_dispatch_queue_idx",
        ),
    ]
