"""Query-count guards on every staff page: with more requests (received, dispatched, supervised), no page
runs more queries than with few (measured with an empty cache: the page's own cost)."""

from __future__ import annotations

from datetime import timedelta

from django.core.cache import cache
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext

from massline.workflow import actions as wf

from .conftest import MON

MAX_QUERIES = 40

PAGES = {
    "dispatcher": [
        "/staff/queue/",
        "/staff/queue/?sort=-due",
        "/staff/queue/map/",
        "/staff/requests/",
        "/staff/requests/?q=路灯&sort=due",
        "/staff/r/{ref}/",
        "/staff/r/{ref}/print/",
        "/staff/visits/",
    ],
    "owner": ["/staff/unit/", "/staff/unit/?tab=progress", "/staff/unit/?tab=overdue", "/staff/requests/"],
    "supervisor": ["/staff/supervision/", "/staff/supervision/?sort=-due", "/staff/dashboard/"],
    "discipline": ["/staff/reports/", "/staff/reports/?tab=all"],
    "admin": ["/staff/held/", "/staff/requests/?sort=reference"],
}


def _measure(as_role, ref: str) -> dict[tuple[str, str], int]:
    counts = {}
    for role, urls in PAGES.items():
        client = as_role(role)
        for url in urls:
            url = url.format(ref=ref)
            client.get(url)  # the session and the per-user lookups
            cache.clear()
            reset_queries()  # the log keeps 9000 queries; a full one would count nothing
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200, (role, url)
            counts[role, url] = len(ctx.captured_queries)
    return counts


def test_no_staff_page_runs_more_queries_with_more_requests(world, make_request, as_role):
    ref = world["owned"].reference

    def grow(n: int) -> None:
        for i in range(n):
            at = MON + timedelta(minutes=i)
            if i % 2:
                world["dispatched"](text=f"第{i}栋楼道灯不亮，请维修。")
            else:
                make_request(text=f"第{i}号楼下水道堵了。", at=at)
        make_request(text=f"某科长收受红包{n}，要求调查。", kind="report")
        wf.sweep_overdue(MON + timedelta(days=30))

    grow(3)
    small = _measure(as_role, ref)
    grow(30)
    large = _measure(as_role, ref)
    grown = {page: (small[page], large[page]) for page in small if large[page] > small[page]}
    assert not grown, f"pages whose query count grew with the data (few → more): {grown}"
    assert max(large.values()) <= MAX_QUERIES, large
