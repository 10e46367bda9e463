"""Reading the time columns of hotline exports: one parser for every format the project meets."""

from __future__ import annotations

from datetime import date, datetime

EXPORT_TIME_FORMATS = (
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%Y-%m-%dT%H:%M:%S",
    "%Y年%m月%d日",
    "%Y.%m.%d",
    "%m/%d/%Y %I:%M:%S %p",  # US 311 exports
)


def parse_export_time(value: object) -> datetime:
    """A datetime from a datetime, a date, a POSIX timestamp or an export spelling ("2019/2/28 11:25:05",
    ISO 8601, "2019年2月28日" …). A time zone present in the value is kept. Raises ``ValueError`` naming
    the value when nothing reads it."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return datetime.fromtimestamp(value)
    text = str(value if value is not None else "").strip()
    for fmt in EXPORT_TIME_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"unreadable time {value!r}") from None
