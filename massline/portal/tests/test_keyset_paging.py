"""The public list and search page by keyset (``?after=<cursor>``): walking every page shows every
request exactly once, also when requests arrive while someone is paging."""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from massline.portal import browse

SHANGHAI = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)
CARD = re.compile(r'<li class="card">\s*<h3><a href="/requests/([^/]+)/"')
NEXT = re.compile(r'<a rel="next" href="(\?[^"]*)"')


@pytest.fixture
def small_pages(monkeypatch, settings):
    settings.MASSLINE_PREMODERATE = False
    monkeypatch.setattr(browse, "PAGE_SIZE", 4)


def walk(client, query: str, between=None) -> list[str]:
    """The references on every page, following "next" links; ``between()`` runs after the first page."""
    seen: list[str] = []
    url = "/requests/" + query
    for number in range(100):
        page = client.get(url).content.decode()
        seen.extend(CARD.findall(page))
        found = NEXT.search(page)
        if number == 0 and between:
            between()
        if not found:
            return seen
        assert "after=" in found.group(1) and "page=" not in found.group(1)
        url = "/requests/" + html.unescape(found.group(1))
    raise AssertionError("the pages never end")


def test_every_request_once_with_ties_in_time(client, make_request, small_pages):
    # three share one minute: the id breaks the tie, so none is lost at a page edge
    made = [make_request(text=f"第{i}号楼的路灯坏了。", at=T0 + timedelta(minutes=i // 3)) for i in range(13)]
    seen = walk(client, "")
    assert sorted(seen) == sorted(r.reference for r in made) and len(seen) == len(set(seen))
    assert seen[0] == made[-1].reference  # newest first


def test_requests_arriving_while_paging_neither_repeat_nor_skip(client, make_request, small_pages):
    made = [make_request(text=f"第{i}号楼的路灯坏了。", at=T0 + timedelta(hours=i)) for i in range(11)]
    late = []

    def arrive():
        late.append(make_request(text="新来的路灯诉求。", at=T0 + timedelta(days=3)))  # newest: page 1
        late.append(make_request(text="补录的路灯诉求。", at=T0 - timedelta(days=3)))  # oldest: last page

    seen = walk(client, "", between=arrive)
    assert len(seen) == len(set(seen))
    assert {r.reference for r in made} <= set(seen)
    assert late[1].reference in seen and late[0].reference not in seen  # it came before the cursor


def test_search_pages_keep_the_query_and_rank(client, make_request, small_pages):
    made = [make_request(text=f"第{i}号楼的路灯坏了，路灯很暗。", at=T0 + timedelta(hours=i)) for i in range(9)]
    make_request(text="自来水停了。")
    seen = walk(client, "?q=%E8%B7%AF%E7%87%88")  # 路燈, Traditional
    assert sorted(seen) == sorted(r.reference for r in made)


def test_the_first_page_link_and_a_changed_cursor(client, make_request, small_pages):
    for i in range(6):
        make_request(text=f"第{i}号楼的路灯坏了。", at=T0 + timedelta(hours=i))
    first = client.get("/requests/?status=").content.decode()
    link = html.unescape(NEXT.search(first).group(1))
    second = client.get("/requests/" + link).content.decode()
    assert "First page" in client.get("/requests/" + link, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert CARD.findall(second)
    cursor = link.split("after=")[1]
    forged = cursor[:-2] + ("AA" if not cursor.endswith("AA") else "BB")
    assert client.get("/requests/?after=" + forged).status_code == 404
