"""Query-count guards on every public page: with more requests in the database, no page runs more
queries (measured with an empty cache, so what is measured is the page's own cost, not the page cache)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext

from .conftest import MON

MAX_QUERIES = 40  # a ceiling for any public page, whatever the data


def _urls(req) -> list[str]:
    return [
        "/",
        "/requests/",
        "/requests/?q=路燈",
        "/requests/?q=燈",
        "/requests/?q=量子纠缠",
        "/requests/?status=replied",
        "/requests/map/",
        f"/requests/{req.reference}/",
        f"/track/{req.tracking_token}/",
        "/statistics/",
        "/report/",
    ]


def _count(client, url: str) -> int:
    cache.clear()
    reset_queries()  # the log keeps 9000 queries; a full one would count nothing
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, follow=True)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.fixture
def grow(replied, make_request):
    def add(n: int) -> None:
        for i in range(n):
            at = MON - timedelta(days=i % 40, minutes=i)
            if i % 3:
                make_request(text=f"第{i}号楼的路灯坏了，晚上很黑。", at=at)
            else:
                replied(text=f"第{i}号楼下水道堵了，污水漫出。", at=at)

    return add


def test_no_public_page_runs_more_queries_with_more_requests(
    client, replied, grow, settings, django_assert_max_num_queries
):
    settings.MASSLINE_PREMODERATE = False
    req = replied()
    grow(4)
    small = {url: _count(client, url) for url in _urls(req)}
    grow(36)
    for url in _urls(req):
        cache.clear()
        reset_queries()
        with django_assert_max_num_queries(min(small[url], MAX_QUERIES), info=url):
            assert client.get(url, follow=True).status_code == 200
