from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from massline.core.deadlines import DEFAULT_RULES, Duration, WorkCalendar, deadlines_for, pick_rule

SH = ZoneInfo("Asia/Shanghai")
TP = ZoneInfo("Asia/Taipei")


def at(y, m, d, h=10, mi=0, tz=SH):
    return datetime(y, m, d, h, mi, tzinfo=tz)


def test_working_days_skip_the_weekend():
    cal = WorkCalendar()
    # Thursday 2026-03-05 10:00 + 2 working days = Monday 2026-03-09 10:00
    assert cal.add(at(2026, 3, 5), Duration(2)) == at(2026, 3, 9)


def test_holidays_are_skipped_and_make_up_days_count():
    # National Day week 2026: Oct 1-7 off; Saturday Oct 10 is a make-up workday.
    cal = WorkCalendar(
        holidays=frozenset(date(2026, 10, d) for d in range(1, 8)),
        workdays=frozenset({date(2026, 10, 10)}),
    )
    # Wednesday Sep 30 + 1 working day: Oct 1-7 off, Oct 8 (Thu) is next.
    assert cal.add(at(2026, 9, 30), Duration(1)) == at(2026, 10, 8)
    # Friday Oct 9 + 1 working day = Saturday Oct 10 (make-up day), not Monday.
    assert cal.add(at(2026, 10, 9), Duration(1)) == at(2026, 10, 10)
    assert cal.is_workday(date(2026, 10, 10)) and not cal.is_workday(date(2026, 10, 5))


def test_start_on_a_holiday_counts_from_the_next_working_day():
    cal = WorkCalendar()
    # Saturday 2026-03-07 15:00, 1 working day: the whole Monday, i.e. until Tuesday 00:00.
    assert cal.add(at(2026, 3, 7, 15), Duration(1)) == at(2026, 3, 10, 0)
    # 7 working days from Saturday: Mon..Tue next week, due Wednesday 00:00 (7 full working days).
    assert cal.add(at(2026, 3, 7, 15), Duration(7)) == at(2026, 3, 18, 0)


def test_hours_run_on_the_clock_even_at_weekends():
    cal = WorkCalendar()
    assert cal.add(at(2026, 3, 7, 23, 30), Duration(1, "hours")) == at(2026, 3, 8, 0, 30)


def test_time_zones_shanghai_and_taipei_agree_on_local_clock():
    sh, tp = WorkCalendar("Asia/Shanghai"), WorkCalendar("Asia/Taipei")
    start = datetime(2026, 3, 5, 17, 0, tzinfo=ZoneInfo("UTC"))  # Friday 01:00 local in both zones
    assert sh.add(start, Duration(1)) == at(2026, 3, 9, 1, 0, SH)
    assert tp.add(start, Duration(1)) == at(2026, 3, 9, 1, 0, TP)
    # A UTC instant on Friday 23:30 UTC is already Saturday locally: counting starts on Monday.
    late = datetime(2026, 3, 6, 16, 30, tzinfo=ZoneInfo("UTC"))
    assert sh.add(late, Duration(1)) == at(2026, 3, 10, 0, 0, SH)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="aware"):
        WorkCalendar().add(datetime(2026, 3, 5), Duration(1))


def test_a_day_cannot_be_both_holiday_and_workday():
    with pytest.raises(ValueError, match="both"):
        WorkCalendar(holidays=frozenset({date(2026, 1, 1)}), workdays=frozenset({date(2026, 1, 1)}))


def test_beijing_12345_defaults():
    cal = WorkCalendar()
    t = at(2026, 3, 2, 9)  # Monday
    assert deadlines_for(t, "emergency", "help", cal) == (t + timedelta(hours=1), t + timedelta(hours=2))
    assert deadlines_for(t, "utility", "complaint", cal) == (t + timedelta(hours=2), t + timedelta(hours=24))
    assert deadlines_for(t, "general", "complaint", cal) == (t + timedelta(hours=24), at(2026, 3, 11, 9))
    assert deadlines_for(t, "complex", "complaint", cal)[1] == at(2026, 3, 23, 9)


def test_kind_specific_rule_wins_for_misconduct_reports():
    assert pick_rule(DEFAULT_RULES, "general", "report").reply == Duration(15)
    assert pick_rule(DEFAULT_RULES, "general", "inquiry").reply == Duration(7)
    with pytest.raises(LookupError, match="no deadline rule"):
        pick_rule(DEFAULT_RULES, "whenever", "")


def test_bad_durations_are_refused():
    with pytest.raises(ValueError):
        Duration(-1)
    with pytest.raises(ValueError, match="unknown duration unit"):
        Duration(3, "weeks")  # type: ignore[arg-type]
