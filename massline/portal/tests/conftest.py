from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

SH = ZoneInfo("Asia/Shanghai")
MON = datetime(2026, 3, 2, 10, 0, tzinfo=SH)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Statistics are cached for a minute; each test starts from an empty cache."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def replied(make_request, actors, category):
    """A request dispatched, signed and replied to by the housing department, through the real actions."""
    from massline.workflow import actions as wf

    def make(text="小区路灯坏了两个月,晚上很黑,请尽快维修。", reply="已安排维修,三天内完成。", **kwargs):
        req = make_request(text=text, **kwargs)
        wf.do_dispatch(req, actors["dispatcher"], category=category, at=MON + timedelta(hours=1))
        wf.do_sign(req, actors["staff-housing"], at=MON + timedelta(hours=2))
        wf.do_reply(req, actors["staff-housing"], text=reply, at=MON + timedelta(days=1))
        req.refresh_from_db()
        return req

    return make


@pytest.fixture
def plain_request(db):
    """A request submitted through intake without the city's catalogue: for pages that need no unit."""
    from massline.intake.actions import submit_request

    def make(text="小区路灯坏了两个月,晚上很黑,请尽快维修。", **kwargs):
        kwargs.setdefault("auto_route", False)
        kwargs.setdefault("title", text[:20])
        return submit_request(text=text, at=MON, **kwargs)

    return make
