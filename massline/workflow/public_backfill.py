"""Filling the stored public forms (``Request.public_title``, ``public_body``, ``public_place`` and
``Reply.public_body``) of rows written before they existed: migration ``workflow.0008`` for a small
database, ``massline publicforms fill`` for a large one (batches of 1,000 rows, each committed on its
own, so the table is never locked for long and a stopped run goes on where it was). Until a row is
filled, pages compute the same forms when they show it.

The detector's findings depend on the text and on those of the requester's names that occur in it, so
identical texts (an imported history, the bench's generated rows) are redacted once per run.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from types import SimpleNamespace

BATCH = 1000
SAME_TEXTS = 20_000  # identical (title, text, address, names found) redacted once
MIGRATION_LIMIT = 20_000  # more rows than this to fill: the migration leaves them to the command


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

    return requester_names(SimpleNamespace(contact_name=name, contact_phone=phone, contact_email=email))


def pending(apps) -> tuple[int, int]:
    """(requests, replies) whose stored forms are still empty."""
    Request = apps.get_model("workflow", "Request")
    Reply = apps.get_model("workflow", "Reply")
    return Request.objects.filter(public_title="").count(), Reply.objects.filter(public_body="").count()


def fill_requests(apps, progress: Callable[[int], None] | None = None) -> int:
    Request = apps.get_model("workflow", "Request")
    rows = Request.objects.filter(public_title="").order_by("pk")
    columns = ("pk", "title", "text", "address", "contact_name", "contact_phone", "contact_email")
    last, done = 0, 0
    while True:
        batch = list(rows.filter(pk__gt=last).values_list(*columns)[:BATCH])
        if not batch:
            return done
        changed = []
        for pk, title, text, address, name, phone, email in batch:
            names = _present(_names(name, phone, email), title, text, address)
            t, b, p = _request_forms(title or "", text or "", address or "", names)
            changed.append(Request(pk=pk, public_title=t, public_body=b, public_place=p))
        Request.objects.bulk_update(changed, ["public_title", "public_body", "public_place"])
        last, done = batch[-1][0], done + len(batch)
        if progress:
            progress(len(batch))


def fill_replies(apps, progress: Callable[[int], None] | None = None) -> int:
    Reply = apps.get_model("workflow", "Reply")
    rows = Reply.objects.filter(public_body="").order_by("pk")
    columns = ("pk", "text", "request__contact_name", "request__contact_phone", "request__contact_email")
    last, done = 0, 0
    while True:
        batch = list(rows.filter(pk__gt=last).values_list(*columns)[:BATCH])
        if not batch:
            return done
        changed = [
            Reply(pk=pk, public_body=_reply_form(text or "", _present(_names(name, phone, email), text)))
            for pk, text, name, phone, email in batch
        ]
        Reply.objects.bulk_update(changed, ["public_body"])
        last, done = batch[-1][0], done + len(batch)
        if progress:
            progress(len(batch))
