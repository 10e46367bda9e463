"""What the public sees of a request is computed once, when its text is written, and stored: the redacted
title, text and address (``Request.public_title``, ``public_body``, ``public_place``) and each reply's
redacted text (``Reply.public_body``), by ``workflow.excerpt.public_forms`` and ``reply_form``. Backfilled
here for a small database, by ``massline publicforms fill`` for a large one; a page falls back to the same functions for
a row the backfill has not reached, so the site stays correct while it runs.

The detector's findings depend on the text and on those of the requester's names that occur in it, so
identical texts (an imported history, the bench's generated rows) are redacted once per batch run.
"""

from django.db import migrations, models

from massline.workflow import public_backfill


def backfill(apps, schema_editor):
    """Fill the new columns here when there are few rows; on a large database, leave them to
    ``massline publicforms fill`` (batches committed one by one: this migration's single transaction
    would hold the requests table for hours at a million rows, every updated row also updating the
    search indexes). Pages compute the forms of an unfilled row when they show it."""
    requests, replies = public_backfill.pending(apps)
    if requests + replies > public_backfill.MIGRATION_LIMIT:
        print(
            f"\n  {requests} requests and {replies} replies have no stored public forms yet: "
            "run 'massline publicforms fill' (pages compute them meanwhile)."
        )
        return
    public_backfill.fill_requests(apps)
    public_backfill.fill_replies(apps)


class Migration(migrations.Migration):
    dependencies = [("workflow", "0007_search_vector_statistics")]

    operations = [
        migrations.AddField(
            model_name="reply",
            name="public_body",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="request",
            name="public_body",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="request",
            name="public_place",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="request",
            name="public_title",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
