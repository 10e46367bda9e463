"""Public search reads only redacted text: ``Request.public_text`` (the redacted title and text, the
requester's own name and contacts hidden too), backfilled here. ``Request.held``: a request waiting for a
moderator is not public (existing requests stay as they are).

On PostgreSQL the column gets a trigram GIN index (pg_trgm), so that ``LIKE '%路灯%'`` over it uses the
index instead of reading every row; SQLite reads the column with a plain LIKE.
"""

from django.db import migrations, models

BATCH = 2000
INDEX = "workflow_request_public_text_trgm"


def backfill(apps, schema_editor):
    from massline.workflow.excerpt import requester_names, searchable_text

    Request = apps.get_model("workflow", "Request")
    rows = Request.objects.order_by("pk").values_list(
        "pk", "title", "text", "contact_name", "contact_phone", "contact_email"
    )
    last = 0
    while True:
        batch = list(rows.filter(pk__gt=last)[:BATCH])
        if not batch:
            break
        for pk, title, text, name, phone, email in batch:
            names = requester_names(
                type("R", (), {"contact_name": name, "contact_phone": phone, "contact_email": email})
            )
            Request.objects.filter(pk=pk).update(public_text=searchable_text(title, text, names))
        last = batch[-1][0]


def add_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON workflow_request USING gin (public_text gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("workflow", "0003_resolve_supervisions_of_ended_requests")]

    operations = [
        migrations.AddField(
            model_name="request",
            name="held",
            field=models.BooleanField(db_index=True, default=False),
        ),
        migrations.AddField(
            model_name="request",
            name="public_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(add_trigram_index, drop_trigram_index),
    ]
