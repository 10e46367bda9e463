"""Staff pages from the cache (workbench.fragments): shared by the staff who see the same requests, never
by those who see others, each with their own form token, and new as soon as a request changes."""

from __future__ import annotations

import re

from django.core.cache import cache
from django.test import Client

from massline.workflow import actions as wf

from .conftest import MON, OWNER, ROLES

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _client(world, role: str) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["staff"][ROLES[role]])
    return client


def test_a_change_shows_at_once_and_each_reader_posts_with_their_own_token(world, make_request):
    cache.clear()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(world["staff"]["dispatcher"])
    second.force_login(world["staff"]["admin"])
    page = first.get("/staff/queue/").content.decode()
    assert world["received"].reference in page
    new = make_request(text="新来的诉求：小区垃圾无人清运。", at=MON)
    page = second.get("/staff/queue/").content.decode()
    assert new.reference in page  # the submission retired the cached queue

    again = second.get("/staff/queue/").content.decode()  # now from the cache
    token = TOKEN.findall(again)[-1]
    assert token not in first.get("/staff/queue/").content.decode()  # each reader their own token
    answer = second.post(
        "/staff/queue/bulk/",
        {"selected": [new.reference], "op": "reject", "reason": "重复", "csrfmiddlewaretoken": token},
    )
    assert answer.status_code == 302  # the token from the cached body is accepted
    listed = f'name="selected" value="{new.reference}"'
    assert listed not in second.get("/staff/queue/").content.decode()  # (the message names it, the list not)
    assert listed not in first.get("/staff/queue/").content.decode()


def test_staff_of_another_unit_never_get_a_units_cached_queue(world):
    cache.clear()
    owned = world["owned"].reference
    assert owned in _client(world, "owner").get("/staff/unit/").content.decode()
    other = _client(world, "other_unit").get("/staff/unit/")
    assert other.status_code == 200 and owned not in other.content.decode()
    assert owned in _client(world, "owner").get("/staff/unit/").content.decode()


def test_tab_counts_follow_the_workflow(world, actors):
    cache.clear()
    client = _client(world, "owner")

    def counts() -> dict[str, int]:
        page = client.get("/staff/unit/").content.decode()
        return {k: int(n) for k, n in re.findall(r'tab=(\w+)"[^>]*>[^<]*<span class="count">(\d+)', page)}

    before = counts()
    assert before["new"] >= 1
    wf.do_sign(world["owned"], actors[ROLES["owner"]], at=MON)
    after = counts()
    assert after["new"] == before["new"] - 1 and after["progress"] == before["progress"] + 1
    assert world["city"][OWNER].name  # the owner's unit is the one whose queue was counted


def test_the_dispatch_queue_index_holds_the_queues_states():
    """The partial index (migration 0004) must cover exactly the states the queue lists, or the queue
    falls back to walking the whole history."""
    import importlib

    from massline.workbench.views.queues import DISPATCH_STATES

    migration = importlib.import_module("massline.workbench.migrations.0004_dispatch_queue_index")
    assert migration.STATES == ", ".join(f"'{s}'" for s in DISPATCH_STATES)


def test_with_a_worker_the_dashboard_shows_the_hot_issues_it_detected(world, as_role, monkeypatch):
    """With a broker the page never detects hot issues itself: it asks the worker once, says so, and
    shows them once the worker has detected them (the broker is the one thing not run here)."""
    from django.test import override_settings

    from massline.workbench import hot, tasks

    asked = []
    monkeypatch.setattr(tasks.refresh_hot_issues, "delay", lambda: asked.append(1))
    cache.clear()
    client = as_role("supervisor")
    with override_settings(CELERY_TASK_ALWAYS_EAGER=False):
        first = client.get("/staff/dashboard/").content.decode()
        client.get("/staff/dashboard/")
        assert asked == [1] and cache.get(hot.LATEST_KEY) is None  # asked once, nothing detected here
        tasks.refresh_hot_issues()  # what the worker runs
        again = client.get("/staff/dashboard/").content.decode()
    assert "重新載入本頁" in first  # "reload the page in a minute"
    assert "重新載入本頁" not in again and "每十分鐘重新偵測" in again  # the new detection retired the page
