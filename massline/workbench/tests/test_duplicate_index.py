"""The stored duplicate index gives the dispatcher the same candidates as an index rebuilt from the
texts on every load, sketches each request once (at submission), and costs the queue a fixed number of
queries however many requests there are."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext

from massline.core.dedupe import DuplicateIndex, _choose_bands
from massline.workbench import duplicates
from massline.workbench.duplicate_store import DuplicateBand, DuplicateSketch
from massline.workflow.models import Request

from .conftest import MON

TEXTS = [
    "小区路灯坏了两个月，晚上很黑，请尽快维修。",
    "小区路灯坏了两个月，晚上很黑，请快点维修。",
    "小区的路灯坏了两个月了，晚上很黑，请尽快维修。",
    "楼下烧烤店深夜噪音扰民，影响休息。",
    "楼下烧烤店深夜噪音扰民，影响睡觉，请管管。",
    "自来水停了三天，没有通知。",
    "井盖丢失，行人容易跌倒。",
]


def rebuilt(requests, base, top=3):
    """The previous way: index every request of the pool from its text on each load."""
    pool = list(
        duplicates.pool_of(requests, base)
        .order_by("-received_at", "-id")
        .values_list("id", "reference", "title", "text", "state", "received_at")
    )
    by_id = {row[0]: row for row in pool}
    index = DuplicateIndex(threshold=0.5).fit((row[0], f"{row[2]} {row[3]}") for row in pool)
    found = {}
    for req, matches in zip(
        requests, index.query_many([f"{r.title} {r.text}" for r in requests], top + 1), strict=True
    ):
        rows = [
            {"reference": by_id[k][1], "title": by_id[k][2], "state": by_id[k][4], "similarity": s}
            for k, s in matches
            if k != req.pk and by_id[k][5] <= req.received_at
        ]
        if rows:
            found[req.pk] = rows[:top]
    return found


@pytest.fixture
def many(make_request):
    return [
        make_request(text=text + "。" * (i // len(TEXTS)), at=MON + timedelta(minutes=i))
        for i, text in enumerate(TEXTS * 4)
    ]


def test_the_stored_index_answers_as_the_rebuilt_one(many):
    base = Request.objects.all()
    page = list(Request.objects.filter(pk__in=[r.pk for r in many]).order_by("received_at", "id"))
    expected = rebuilt(page, base)
    assert expected  # the data has duplicates to find
    assert duplicates.candidates_for(page, base) == expected
    # a second load reads the stored sketches (no new ones) and answers the same
    count = DuplicateSketch.objects.count()
    assert duplicates.candidates_for(page, base) == expected
    assert DuplicateSketch.objects.count() == count == len(many)


def test_a_new_request_is_sketched_at_submission_and_found(make_request, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = make_request(text=TEXTS[0])
    assert DuplicateSketch.objects.filter(request=first).exists()
    assert DuplicateBand.objects.filter(request=first).count() == _choose_bands(0.5, 128)[0]
    with django_capture_on_commit_callbacks(execute=True):
        second = make_request(text=TEXTS[1], at=MON + timedelta(hours=1))
    found = duplicates.candidates_for([second], Request.objects.all())
    assert [c["reference"] for c in found[second.pk]] == [first.reference]


def _queries(client, url: str) -> int:
    reset_queries()  # the log keeps 9000 queries; a full one would count nothing
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_queue_costs_the_same_queries_with_more_requests(world, make_request, as_role):
    client = as_role("dispatcher")
    client.get("/staff/queue/")  # sketches what the hook did not (the tests' commits are rolled back)
    small = _queries(client, "/staff/queue/")
    for i, text in enumerate(TEXTS * 6):
        make_request(text=text, at=MON + timedelta(minutes=i))
    client.get("/staff/queue/")
    assert _queries(client, "/staff/queue/") <= small
