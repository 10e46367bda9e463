"""What the public sees of a request is computed once, when its text is written, and stored: the redacted
title, text and address (``Request.public_title``, ``public_body``, ``public_place``) and each reply's
redacted text (``Reply.public_body``), by ``workflow.excerpt.public_forms`` and ``reply_form``. Backfilled
here in batches by primary key, on SQLite and PostgreSQL alike; a page falls back to the same functions for
a row the backfill has not reached, so the site stays correct while it runs.

The detector's findings depend on the text and on those of the requester's names that occur in it, so
identical texts (an imported history, the bench's generated rows) are redacted once per batch run.
"""

from functools import lru_cache

from django.db import migrations, models

BATCH = 1000
SAME_TEXTS = 20_000  # identical (title, text, address, names found) redacted once


def _present(names, *texts):
    return tuple(n for n in names if any(n in t for t in texts if t))


@lru_cache(maxsize=SAME_TEXTS)
def _request_forms(title, text, address, names):
    from massline.workflow.excerpt import public_forms

    forms = public_forms(title, text, address, names, words=False)
    return forms.title, forms.body, forms.place


@lru_cache(maxsize=SAME_TEXTS)
def _reply_form(text, names):
    from massline.workflow.excerpt import reply_form

    return reply_form(text, names)


def _names(name, phone, email):
    from massline.workflow.excerpt import requester_names

    return requester_names(
        type("R", (), {"contact_name": name, "contact_phone": phone, "contact_email": email})
    )


def backfill_requests(apps, schema_editor):
    Request = apps.get_model("workflow", "Request")
    rows = Request.objects.filter(public_title="").order_by("pk")
    columns = ("pk", "title", "text", "address", "contact_name", "contact_phone", "contact_email")
    last = 0
    while True:
        batch = list(rows.filter(pk__gt=last).values_list(*columns)[:BATCH])
        if not batch:
            break
        changed = []
        for pk, title, text, address, name, phone, email in batch:
            names = _present(_names(name, phone, email), title, text, address)
            t, b, p = _request_forms(title or "", text or "", address or "", names)
            changed.append(Request(pk=pk, public_title=t, public_body=b, public_place=p))
        Request.objects.bulk_update(changed, ["public_title", "public_body", "public_place"])
        last = batch[-1][0]


def backfill_replies(apps, schema_editor):
    Reply = apps.get_model("workflow", "Reply")
    rows = Reply.objects.filter(public_body="").order_by("pk")
    columns = ("pk", "text", "request__contact_name", "request__contact_phone", "request__contact_email")
    last = 0
    while True:
        batch = list(rows.filter(pk__gt=last).values_list(*columns)[:BATCH])
        if not batch:
            break
        changed = [
            Reply(pk=pk, public_body=_reply_form(text or "", _present(_names(name, phone, email), text)))
            for pk, text, name, phone, email in batch
        ]
        Reply.objects.bulk_update(changed, ["public_body"])
        last = batch[-1][0]


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
        migrations.RunPython(backfill_requests, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(backfill_replies, migrations.RunPython.noop, elidable=True),
    ]
