"""A hot issue's requests, some with contacts, for the monthly problem's tests (built through intake)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

SH = ZoneInfo("Asia/Shanghai")
START = date(2026, 3, 2)  # a Monday


@pytest.fixture
def lift(make_request, category):
    """Five requests about the lifts of 幸福小区 (category 城乡建设), received before the start:
    three people with an e-mail (one of them twice, by the same requester key), one with a phone only,
    one without any contact; and a misconduct report that names the place."""

    def at(days_before: int) -> datetime:
        return datetime.combine(START - timedelta(days=days_before), datetime.min.time(), SH) + timedelta(
            hours=10
        )

    common = {"category": category, "title": "幸福小区电梯故障"}

    def make(language="zh-hant", **kw):
        with translation.override(language):
            return make_request(**kw)

    reqs = {
        "wang": make(
            text="幸福小区3号楼电梯又坏了。",
            contact_email="wang@example.org",
            requester_key="p-wang",
            language="zh-hant",
            at=at(3),
            **common,
        ),
        "wang2": make(
            text="幸福小区3号楼电梯还是坏的。",
            contact_email="wang@example.org",
            requester_key="p-wang",
            language="zh-hant",
            at=at(2),
            **common,
        ),
        "li": make(
            text="幸福小区5号楼电梯停了两天。",
            contact_email="li@example.org",
            contact_phone="13800000001",
            language="en",
            at=at(10),
            **common,
        ),
        "zhao": make(
            text="幸福小区电梯困人。", contact_phone="13800000002", language="zh-hans", at=at(20), **common
        ),
        "anon": make(text="幸福小区电梯没人修。", at=at(1), **common),
        "report": make(
            text="幸福小区物业经理收钱不修电梯。",
            kind="report",
            contact_email="whistle@example.org",
            at=at(4),
        ),
    }
    return reqs
