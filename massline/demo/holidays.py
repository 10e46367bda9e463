"""Public holidays and make-up workdays (調休) of mainland China, after the State Council's notices.

Verify each year against the official notice before relying on it in production.

Administrators keep these as CalendarDay rows; this list seeds the demo and the tests.
"""

from datetime import date

_H, _W = False, True


def _span(y, m, d, n, name):
    from datetime import timedelta

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
