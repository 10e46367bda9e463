"""Mainland China's public holidays: the one place the project keeps holiday dates.

``CN_HOLIDAYS``: every holiday and make-up workday (調休) of 2025–2026, after the State Council's
notices; verify each year against the official notice before relying on it in production. A running
deployment keeps its calendar as CalendarDay rows (edited in the operator console or loaded with
``massline city load``); this list seeds the demo and the tests.

``GOLDEN_WEEKS``: only the Spring Festival and National Day weeks of 2012–2020, the holidays that move
reply times most, for scoring the timeliness of replies in historical exports (the govmsg data).

The working-day arithmetic on these dates is ``massline.core.deadlines.WorkCalendar``.
"""

from __future__ import annotations

from datetime import date, timedelta

_H, _W = False, True


def _span(y: int, m: int, d: int, n: int, name: str) -> list[tuple[date, bool, str]]:
    start = date(y, m, d)
    return [(start + timedelta(days=i), _H, name) for i in range(n)]


CN_HOLIDAYS: list[tuple[date, bool, str]] = [
    # 2025
    *_span(2025, 1, 1, 1, "元旦"),
    *_span(2025, 1, 28, 8, "春节"),
    (date(2025, 1, 26), _W, "春节調休"),
    (date(2025, 2, 8), _W, "春节調休"),
    *_span(2025, 4, 4, 3, "清明节"),
    *_span(2025, 5, 1, 5, "劳动节"),
    (date(2025, 4, 27), _W, "劳动节調休"),
    *_span(2025, 5, 31, 3, "端午节"),
    *_span(2025, 10, 1, 8, "国庆节、中秋节"),
    (date(2025, 9, 28), _W, "国庆节調休"),
    (date(2025, 10, 11), _W, "国庆节調休"),
    # 2026
    *_span(2026, 1, 1, 3, "元旦"),
    (date(2026, 1, 4), _W, "元旦調休"),
    *_span(2026, 2, 15, 9, "春节"),
    (date(2026, 2, 14), _W, "春节調休"),
    (date(2026, 2, 28), _W, "春节調休"),
    *_span(2026, 4, 4, 3, "清明节"),
    *_span(2026, 5, 1, 5, "劳动节"),
    (date(2026, 5, 9), _W, "劳动节調休"),
    *_span(2026, 6, 19, 3, "端午节"),
    *_span(2026, 9, 25, 3, "中秋节"),
    *_span(2026, 10, 1, 7, "国庆节"),
    (date(2026, 9, 20), _W, "国庆节調休"),
    (date(2026, 10, 10), _W, "国庆节調休"),
]


def _golden_weeks() -> frozenset[date]:
    spans = [
        ("2012-01-22", 7), ("2012-09-30", 8), ("2013-02-09", 7), ("2013-10-01", 7),
        ("2014-01-31", 7), ("2014-10-01", 7), ("2015-02-18", 7), ("2015-10-01", 7),
        ("2016-02-07", 7), ("2016-10-01", 7), ("2017-01-27", 7), ("2017-10-01", 8),
        ("2018-02-15", 7), ("2018-10-01", 7), ("2019-02-04", 7), ("2019-10-01", 7),
        ("2020-01-24", 10), ("2020-10-01", 8),
    ]  # fmt: skip
    days: set[date] = set()
    for start, n in spans:
        first = date.fromisoformat(start)
        days.update(first + timedelta(days=i) for i in range(n))
    return frozenset(days)


GOLDEN_WEEKS = _golden_weeks()
