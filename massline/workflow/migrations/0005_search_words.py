"""Full-text search over the redacted text: ``Request.search_words`` (``public_text`` cut into words,
``core.text.searchwords``), backfilled in batches.

On PostgreSQL a generated column ``search_vector`` (``to_tsvector('simple', search_words)``, stored)
with a GIN index answers public searches; Django never reads or writes it (the database keeps it in
step, COPY included). SQLite has neither and searches ``public_text`` with LIKE.

On a large table, adding the stored column rewrites the table once and builds the index: plan the
migration for a quiet hour (about a minute per million rows, after the backfill's segmentation).
"""

from django.db import migrations, models

BATCH = 2000
INDEX = "workflow_request_search_vector_gin"


def backfill(apps, schema_editor):
    from massline.core.text.searchwords import index_words

    Request = apps.get_model("workflow", "Request")
    rows = Request.objects.order_by("pk").values_list("pk", "public_text")
    last = 0
    while True:
        batch = list(rows.filter(pk__gt=last)[:BATCH])
        if not batch:
            break
        objs = [Request(pk=pk, search_words=index_words(text)) for pk, text in batch]
        Request.objects.bulk_update(objs, ["search_words"], batch_size=500)
        last = batch[-1][0]


def add_vector(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE workflow_request ADD COLUMN IF NOT EXISTS search_vector tsvector "
        "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_words)) STORED"
    )
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON workflow_request USING gin (search_vector)")


def drop_vector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
        schema_editor.execute("ALTER TABLE workflow_request DROP COLUMN IF EXISTS search_vector")


class Migration(migrations.Migration):
    dependencies = [("workflow", "0004_public_text_and_hold")]

    operations = [
        migrations.AddField(
            model_name="request",
            name="search_words",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(add_vector, drop_vector),
    ]
