"""Limits on what API arguments may hold, shared by the REST API and Open311.

Dates: Python's datetime stops at years 1 and 9999, and a date there overflows as soon as it is moved
to UTC or widened by a window, so a date-time argument must lie between EARLIEST and LATEST (no request
of a hotline is older or newer). Offsets: the databases hold 64-bit integers, and no list is longer than
MAX_OFFSET. Text: a lone UTF-16 surrogate (JSON "\\ud800") or a NUL character is no text a database
stores; they are refused with a message instead of failing on write.
"""

from __future__ import annotations

import re
from datetime import datetime

from django.utils import timezone

from massline.intake.actions import EARLIEST_YEAR, LATEST_YEAR

MAX_OFFSET = 1_000_000_000
_UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")


def date_in_range(value: datetime, name: str) -> datetime:
    """``value`` made aware (in the hotline's time zone when it has none), or ValueError naming ``name``."""
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValueError(
            f"{name} must be a date between {EARLIEST_YEAR}-01-01 and {LATEST_YEAR}-12-31, not {value.date()}"
        )
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def unstorable_character(text: str) -> str | None:
    """Why ``text`` cannot be stored (a lone surrogate or a NUL character), or None when it can."""
    found = _UNSTORABLE.search(text)
    if found is None:
        return None
    if found.group() == "\x00":
        return "a NUL character (\\u0000), which is not text"
    return f"a lone UTF-16 surrogate (\\u{ord(found.group()):04x}), which is not a character"


def no_json_constant(name: str):
    """``json.loads(..., parse_constant=no_json_constant)``: NaN and Infinity are no JSON numbers."""
    raise ValueError(f"{name} is not a JSON number")
