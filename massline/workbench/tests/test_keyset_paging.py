"""Staff queues and the board page by keyset over their sort (nullable due dates included): walking
every page shows every row exactly once, with the filters kept, also when requests arrive meanwhile."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest

from massline.workbench.views import board, queues
from massline.workflow import actions as wf

from .conftest import MON

ROW = re.compile(r'href="/staff/r/([^/]+)/" data-open')
NEXT = re.compile(r'<a href="(\?[^"]*)" rel="next"')


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(queues, "PAGE_SIZE", 3)
    monkeypatch.setattr(board, "PAGE_SIZE", 3)


def walk(client, path: str, between=None) -> list[str]:
    seen: list[str] = []
    url = path
    for number in range(100):
        page = client.get(url).content.decode()
        seen.extend(ROW.findall(page))
        found = NEXT.search(page)
        if number == 0 and between:
            between()
        if not found:
            return seen
        url = path.split("?")[0] + html.unescape(found.group(1))
    raise AssertionError("the pages never end")


@pytest.fixture
def mixed(world, make_request):
    """Received requests (no due date yet) and dispatched ones (a sign-by date), some at the same time."""
    made = [make_request(text=f"第{i}号楼路灯不亮。", at=MON + timedelta(minutes=i // 2)) for i in range(7)]
    made += [world["dispatched"](text=f"第{i}栋楼道灯不亮。") for i in range(5)]
    return made


@pytest.mark.parametrize("sort", ["due", "-due", "received", "-received", "reference", "-reference"])
def test_all_requests_every_row_once_in_every_sort(mixed, as_role, small_pages, sort):
    seen = walk(as_role("admin"), f"/staff/requests/?sort={sort}")
    assert len(seen) == len(set(seen))
    assert {r.reference for r in mixed} <= set(seen)


def test_the_dispatch_queue_keeps_its_filters_and_takes_arrivals(world, make_request, as_role, small_pages):
    made = [make_request(text=f"第{i}号路灯不亮。", channel="hotline", at=MON + timedelta(minutes=i)) for i in range(8)]
    web = make_request(text="网上提交的诉求。", channel="web")
    late = []

    def arrive():
        late.append(make_request(text="又一盏路灯不亮。", channel="hotline", at=MON + timedelta(days=1)))

    seen = walk(as_role("dispatcher"), "/staff/queue/?channel=hotline&sort=received", between=arrive)
    assert len(seen) == len(set(seen)) and web.reference not in seen
    assert {r.reference for r in made} | {late[0].reference} == set(seen)  # the newest comes last


def test_the_board_pages_every_supervision_once(world, as_role, small_pages):
    reqs = [world["dispatched"](text=f"第{i}栋楼道灯不亮。") for i in range(8)]
    wf.sweep_overdue(MON + timedelta(days=30))
    client = as_role("supervisor")
    refs: list[str] = []
    url = "/staff/supervision/"
    while url:
        page = client.get(url).content.decode()
        refs.extend(re.findall(r'href="/staff/r/([^/]+)/"', page.split('id="open"')[1].split("</ul>")[0]))
        found = NEXT.search(page)
        url = "/staff/supervision/" + html.unescape(found.group(1)) if found else ""
    assert {r.reference for r in reqs} <= set(refs)
