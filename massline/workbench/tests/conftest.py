"""A small world for the workbench tests, built through the real actions."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from massline.core.routing import Suggestion

SH = ZoneInfo("Asia/Shanghai")
MON = datetime(2026, 3, 2, 10, 0, tzinfo=SH)
OWNER, OTHER = "housing", "econ"


@pytest.fixture
def world(make_request, actors, staff, city, category):
    from django.core.cache import cache

    from massline.workbench.actions import IssueFound, log_visit
    from massline.workflow import actions as wf
    from massline.workflow.models import Supervision

    cache.clear()  # the dashboard caches by newest audit id, and rolled-back test ids repeat

    def dispatched(text="小区路灯坏了两个月,晚上很黑,请尽快维修。", **kw):
        req = make_request(text=text, **kw)
        wf.do_dispatch(
            req, actors["dispatcher"], unit=city[OWNER], category=category, at=MON + timedelta(hours=1)
        )
        return req

    received = make_request(
        text="楼下餐馆油烟很大,每天中午熏得没法开窗。", suggestions=[Suggestion(category.name, 0.42)]
    )
    owned = dispatched(contact_name="张三", contact_phone="13800138000")
    report = make_request(text="某科长收受红包,要求调查。", kind="report")
    sup = Supervision.objects.create(request=owned, unit=city[OWNER], reason="manual", created_at=MON)
    visit = log_visit(
        staff[f"staff-{OWNER}"],
        date=date(2026, 3, 3),
        place="东塘街道某小区",
        issues=[IssueFound(text="小区门口井盖缺失,行人容易跌倒。", title="井盖缺失")],
    )
    return {
        "received": received,
        "owned": owned,
        "report": report,
        "supervision": sup,
        "visit": visit,
        "dispatched": dispatched,
        "staff": staff,
        "city": city,
        "category": category,
    }


ROLES = {
    "anonymous": None,
    "dispatcher": "dispatcher",
    "owner": f"staff-{OWNER}",
    "other_unit": f"staff-{OTHER}",
    "supervisor": "supervisor",
    "discipline": "discipline",
    "admin": "admin",
}


@pytest.fixture
def as_role(client, world):
    def login(role):
        client.logout()
        if ROLES[role]:
            client.force_login(world["staff"][ROLES[role]])
        return client

    return login
