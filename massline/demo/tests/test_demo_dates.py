"""The demo looks real: nothing in it is dated after now (or after the end it was given)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.db.models import DateTimeField, Max
from django.utils import timezone

from massline.demo import loader
from massline.followup.models import FollowUp
from massline.workflow.models import AuditEvent, Reply, Request, Supervision

pytestmark = pytest.mark.django_db

# Dates that lie ahead by nature: deadlines. Everything else records something that already happened.
AHEAD = {"sign_due", "reply_due"}


def latest_recorded() -> dict[str, datetime]:
    """The latest value of every 'it happened at' date the demo writes, by model.field."""
    found = {}
    for model in (Request, Reply, AuditEvent, FollowUp, Supervision):
        for field in model._meta.fields:
            if isinstance(field, DateTimeField) and field.name not in AHEAD:
                value = model.objects.aggregate(m=Max(field.name))["m"]
                if value is not None:
                    found[f"{model.__name__}.{field.name}"] = value
    return found


def test_the_demo_built_today_has_nothing_in_the_future(staff):
    loader.run(requests=60, seed=11)
    now = timezone.now()
    dates = latest_recorded()
    assert {"Request.received_at", "Reply.created_at", "AuditEvent.at"} <= set(dates), dates
    future = {name: value for name, value in dates.items() if value > now}
    assert not future, f"dated after now ({now}): {future}"


def test_the_office_hours_nudge_never_passes_the_end(staff):
    """With the end early in the morning, the nudge into office hours would push the night's requests
    past it; they stay before it."""
    yesterday = timezone.localtime() - timedelta(days=1)
    end = yesterday.replace(hour=6, minute=30, second=0, microsecond=0)
    loader.run(requests=40, seed=2, end=end, days=1)
    dates = latest_recorded()
    dates.pop("Request.updated_at")  # when the row was last written (now), not a date of the story
    assert Request.objects.count() == 40
    assert max(dates.values()) <= end, {name: value for name, value in dates.items() if value > end}


def test_the_end_is_the_close_of_today_or_now_whichever_is_earlier():
    now = timezone.localtime()
    end = loader.demo_end()
    assert end <= timezone.now()
    assert end.date() == now.date() and (end.hour, end.minute) <= (17, 30)
    assert loader.demo_end(now + timedelta(days=3)) <= timezone.now()  # a future end is clamped too
    past = now - timedelta(days=30)
    assert loader.demo_end(past) == past


def test_replies_and_follow_ups_come_after_what_they_answer(staff):
    loader.run(requests=60, seed=11)
    for reply in Reply.objects.select_related("request"):
        assert reply.request.received_at <= reply.created_at
    for follow_up in FollowUp.objects.select_related("request"):
        assert follow_up.request.replied_at is None or follow_up.request.received_at <= follow_up.created_at
    for req in Request.objects.exclude(dispatched_at=None).exclude(sign_due=None):
        assert req.dispatched_at <= req.sign_due
