"""Hypothesis strategies for hostile input, shared by the fuzz tests of the portal, the importer and the
API (a dev dependency: only tests import this module).

``hostile_text`` mixes arbitrary Unicode with the values that broke things before: numbers past 64 bits,
dates at the ends of the calendar, NaN and infinities, NUL, bidi overrides, zero-width characters, SQL
and LIKE metacharacters, and text at and past the limits.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Bounded so that the suite stays fast; no deadline, since a shared machine's timing is no result.
# The tests use pytest-django's database fixtures across examples: each example leaves rows behind in
# the test's transaction, which the assertions allow for.
FUZZ = settings(
    max_examples=60,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

NASTY = [
    "",
    " ",
    "0",
    "-1",
    "1e20",
    "100000000000000000000",
    "99999999999999999999",
    "-9223372036854775809",
    "nan",
    "NaN",
    "inf",
    "-Infinity",
    "1e309",
    "0000-01",
    "9999-12",
    "0001-01-01",
    "9999-12-31T23:59:59",
    "0001-01-01T00:00:00+08:00",
    "2026-02-30",
    "2026-13-01",
    "\x00",
    "a\x00b",
    "\u202e13812345678",
    "\u200b\ufeff",
    "' OR 1=1 --",
    "%_%",
    "\\",
    "<script>alert(1)</script>",
    "路灯坏了",
    "臺北市",
    "😀\u200d🔥",
    "x" * 201,
    "长" * 2001,
]

text_chars = st.characters(exclude_categories=["Cs"])  # a form or URL cannot carry a lone surrogate
hostile_text = st.one_of(st.sampled_from(NASTY), st.text(text_chars, max_size=60))
hostile_numbers = st.one_of(
    st.sampled_from(NASTY[:14]),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)


def plausible(value, strategy=hostile_text):
    """Three times in four ``value``, else from ``strategy``: most calls get past the first check, so the
    deeper ones are reached too."""
    return st.integers(0, 3).flatmap(lambda i: st.just(value) if i else strategy)


def maybe(strategy):
    """Half the time None (the caller leaves the argument out), else from ``strategy``."""
    return st.integers(0, 1).flatmap(lambda i: strategy if i else st.none())
