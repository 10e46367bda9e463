"""三率 computed from what the actions recorded, checked against hand-computed numbers."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from massline.followup.actions import record_follow_up
from massline.followup.metrics import months_with_data, unit_ranking
from massline.workflow import actions as wf

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
MON = datetime(2026, 3, 2, 10, tzinfo=SH)


def test_ranking_from_the_database(make_request, actors, category, city):
    from massline.workflow.models import Category

    edu = Category.objects.get(level=1, name="教育文体")
    housing_staff, edu_staff = actors["staff-housing"], actors["staff-edu"]
    # housing: 2 dispatched, both signed in time; follow-ups: 1 solved satisfied, 1 unsolved dissatisfied
    for solved in (True, False):
        r = make_request()
        wf.do_dispatch(r, actors["dispatcher"], category=category, at=MON)
        wf.do_sign(r, housing_staff, at=MON + timedelta(hours=2))
        wf.do_reply(r, housing_staff, text="已處理", at=MON + timedelta(days=1))
        record_follow_up(
            r,
            wf.Actor.requester(),
            solved=solved,
            satisfaction="satisfied" if solved else "dissatisfied",
            at=MON + timedelta(days=2),
        )
    # edu: 1 dispatched, signed late (30 h > 24 h); follow-up solved, basically satisfied
    r = make_request()
    wf.do_dispatch(r, actors["dispatcher"], category=edu, at=MON)
    wf.do_sign(r, edu_staff, at=MON + timedelta(hours=30))
    wf.do_reply(r, edu_staff, text="已處理", at=MON + timedelta(days=3))
    record_follow_up(
        r, wf.Actor.requester(), solved=True, satisfaction="basically", at=MON + timedelta(days=4)
    )

    ranking = {s.unit: s for s in unit_ranking("2026-03")}
    h, e = ranking["housing"], ranking["edu"]
    # the reopened housing request is a second hand-over to housing, not yet signed
    assert (h.dispatched, h.signed_in_time, h.followed_up, h.solved) == (3, 2, 2, 1)
    assert h.composite == pytest.approx(100 * (0.30 * 2 / 3 + 0.35 * 0.5 + 0.35 * 0.5), abs=0.01)
    assert (e.dispatched, e.signed_in_time, e.followed_up) == (1, 0, 1)
    assert e.composite == pytest.approx(100 * (0.30 * 0 + 0.35 * 1 + 0.35 * 0.8))
    assert [s.unit for s in unit_ranking("2026-03")] == ["edu", "housing"]
    assert months_with_data() == ["2026-03"]
    assert unit_ranking("2026-04") == []


def test_misconduct_reports_stay_out_of_public_metrics(make_request, actors, city):
    report = make_request(kind="report")
    wf.do_dispatch(report, actors["dispatcher"], unit=city["discipline"], at=MON)
    assert unit_ranking("2026-03") == []


def test_month_bounded_records_agree_with_the_whole_history(make_request, actors, category, city):
    """A hand-over late in March, transferred in April before signing, counts as unsigned in March."""
    from massline.core.metrics import three_rates
    from massline.followup.metrics import dispatch_records, followup_records

    late = datetime(2026, 3, 31, 23, 0, tzinfo=SH)
    r = make_request(at=late - timedelta(hours=1))
    wf.do_dispatch(r, actors["dispatcher"], category=category, at=late)
    wf.do_transfer(
        r, actors["staff-housing"], to_unit=city["a3"], note="屬A3區", at=late + timedelta(hours=2)
    )
    wf.do_sign(r, actors["staff-a3"], at=late + timedelta(hours=3))
    for month in ("2026-03", "2026-04"):
        whole = three_rates(dispatch_records(), followup_records(), month)
        bounded = unit_ranking(month)
        assert [(s.unit, s.dispatched, s.signed_in_time) for s in bounded] == [
            (s.unit, s.dispatched, s.signed_in_time) for s in whole
        ]
    (march,) = unit_ranking("2026-03")
    assert (march.unit, march.dispatched, march.signed_in_time) == ("housing", 1, 0)
    (april,) = unit_ranking("2026-04")
    assert (april.unit, april.signed_in_time) == ("a3", 1)
