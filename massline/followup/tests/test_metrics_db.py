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
    assert [(s.unit, s.rank) for s in unit_ranking("2026-03", min_dispatched=0)] == [
        ("edu", 1),
        ("housing", 2),
    ]
    assert months_with_data() == ["2026-03"]
    assert unit_ranking("2026-04") == []


def test_misconduct_reports_stay_out_of_public_metrics(make_request, actors, city):
    report = make_request(kind="report")
    wf.do_accept(report, actors["discipline"], at=MON)  # reports follow their own workflow
    assert unit_ranking("2026-03") == []


def test_each_month_reads_only_its_own_hand_overs_and_follow_ups(make_request, actors, category, city):
    """Two months, worked out by hand (sign deadline: 24 h on the clock for these general requests).

    R1  housing  dispatched 03-30 10:00, signed 03-30 12:00 (in time), replied 03-31;
                 follow-up 04-02 10:00 unsolved, dissatisfied → reopened: a hand-over to housing in April,
                 signed 04-02 20:00 (in time), replied 04-03; follow-up 04-06 solved, basically satisfied.
    R2  housing  dispatched 03-31 22:00, signed 04-02 08:00 (34 h: late), replied 04-03;
                 follow-up 04-07 solved, satisfied.
    R3  housing  dispatched 03-10 10:00, signed 03-10 11:00, replied 03-11; follow-up 03-12 solved, satisfied.
    R4  housing  dispatched 03-20 10:00, transferred unsigned to a3 at 03-20 11:00; a3 signs 03-21 09:00.

    March  housing: hand-overs R1 R2 R3 R4 = 4, in time R1 R3 = 2 → response 0.5;
                    follow-ups R3 = 1, solved 1 → resolution 1.0; satisfied 1 → satisfaction 1.0;
                    composite 100 × (0.30·0.5 + 0.35·1 + 0.35·1) = 85.0
           a3:      hand-overs 1, in time 1 → response 1.0; no follow-ups → composite 100.0 (partial)
    April  housing: hand-overs R1's reopening = 1, in time 1 → response 1.0 (R2's late signature
                    belongs to its March hand-over); follow-ups R1, R1, R2 = 3, solved 2 → 2/3;
                    satisfaction (1 satisfied + 0.8 × 1 basically + 0 × 1 dissatisfied) / 3 = 0.6;
                    composite 100 × (0.30·1 + 0.35·2/3 + 0.35·0.6) = 30 + 23.33 + 21 = 74.33
           a3:      nothing in April.
    """
    from massline.followup.metrics import dispatch_records, followup_records

    d, hs, a3s = actors["dispatcher"], actors["staff-housing"], actors["staff-a3"]
    citizen = wf.Actor.requester()

    def at(month, day, hour):
        return datetime(2026, month, day, hour, tzinfo=SH)

    r1 = make_request(at=at(3, 30, 9))
    wf.do_dispatch(r1, d, category=category, at=at(3, 30, 10))
    wf.do_sign(r1, hs, at=at(3, 30, 12))
    wf.do_reply(r1, hs, text="已維修", at=at(3, 31, 10))
    record_follow_up(r1, citizen, solved=False, satisfaction="dissatisfied", at=at(4, 2, 10))
    wf.do_sign(r1, hs, at=at(4, 2, 20))
    wf.do_reply(r1, hs, text="已再次維修", at=at(4, 3, 10))
    record_follow_up(r1, citizen, solved=True, satisfaction="basically", at=at(4, 6, 10))

    r2 = make_request(at=at(3, 31, 21))
    wf.do_dispatch(r2, d, category=category, at=at(3, 31, 22))
    wf.do_sign(r2, hs, at=at(4, 2, 8))
    wf.do_reply(r2, hs, text="已處理", at=at(4, 3, 11))
    record_follow_up(r2, citizen, solved=True, satisfaction="satisfied", at=at(4, 7, 10))

    r3 = make_request(at=at(3, 10, 9))
    wf.do_dispatch(r3, d, category=category, at=at(3, 10, 10))
    wf.do_sign(r3, hs, at=at(3, 10, 11))
    wf.do_reply(r3, hs, text="已處理", at=at(3, 11, 10))
    record_follow_up(r3, citizen, solved=True, satisfaction="satisfied", at=at(3, 12, 10))

    r4 = make_request(at=at(3, 20, 9))
    wf.do_dispatch(r4, d, category=category, at=at(3, 20, 10))
    wf.do_transfer(r4, hs, to_unit=city["a3"], note="屬A3區", at=at(3, 20, 11))
    wf.do_sign(r4, a3s, at=at(3, 21, 9))

    def figures(month):
        return {
            s.unit: (
                s.dispatched,
                s.signed_in_time,
                s.followed_up,
                s.solved,
                s.satisfaction_rate,
                s.composite,
            )
            for s in unit_ranking(month, min_dispatched=0)
        }

    assert figures("2026-03") == {
        "housing": (4, 2, 1, 1, 1.0, 85.0),
        "a3": (1, 1, 0, 0, None, 100.0),
    }
    april = figures("2026-04")
    assert list(april) == ["housing"]
    assert april["housing"][:4] == (1, 1, 3, 2)
    assert april["housing"][4] == pytest.approx(0.6)
    assert april["housing"][5] == pytest.approx(74.33)
    assert figures("2026-05") == {}
    # the month's records hold that month's hand-overs and follow-ups only
    assert {f"{r.dispatched_at:%Y-%m}" for r in dispatch_records("2026-04")} == {"2026-04"}
    assert len(dispatch_records("2026-03")) == 5 and len(followup_records("2026-03")) == 1
    assert months_with_data() == ["2026-03"]  # months with a dispatch (reopenings are not dispatches)


def test_units_under_the_minimum_volume_are_listed_apart(make_request, actors, category, city, settings):
    """housing: 2 hand-overs, a3: 1. With a minimum of 2 only housing is ranked; a3 is kept, unranked."""
    d = actors["dispatcher"]
    for _ in range(2):
        wf.do_dispatch(make_request(), d, category=category, at=MON)
    wf.do_dispatch(make_request(), d, unit=city["a3"], at=MON)
    settings.MASSLINE_RANKING_MIN_DISPATCHED = 2
    scores = unit_ranking("2026-03")
    assert [(s.unit, s.rank, s.too_few) for s in scores] == [("housing", 1, False), ("a3", None, True)]
    # the function argument overrides the setting
    assert [s.too_few for s in unit_ranking("2026-03", min_dispatched=1)] == [False, False]
