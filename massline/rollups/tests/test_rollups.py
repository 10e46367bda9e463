"""The rollups, kept by the event hook while the demo city is worked through the real actions, give the
same 三率 as the Python computation over the audit trail: every unit × month figure, and the rankings."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from massline.core import metrics as core_metrics
from massline.demo import loader
from massline.followup.actions import record_follow_up
from massline.followup.metrics import dispatch_records, followup_records, month_bounds
from massline.rollups import build, read, tally
from massline.rollups.models import OpenHandover, UnitMonthRollup
from massline.shared_data import shared_data
from massline.workflow import actions as wf

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
END = datetime(2026, 3, 31, 17, 30, tzinfo=SH)


def figures(scores):
    return [
        (
            s.unit,
            s.rank,
            s.dispatched,
            s.signed_in_time,
            s.followed_up,
            s.solved,
            s.satisfaction_counts,
            s.response_rate,
            s.resolution_rate,
            s.satisfaction_rate,
            s.composite,
            s.partial,
            s.too_few,
        )
        for s in scores
    ]


def python_ranking(month, min_dispatched=0):
    """The computation the pages used before the rollups: every record read into Python."""
    return core_metrics.three_rates(
        dispatch_records(), followup_records(), month, core_metrics.Weights(), min_dispatched
    )


def test_rollups_equal_the_python_computation_on_the_demo_city(staff):
    shared_data("govmsg", "attachment4_replies_2816.csv")
    loader.run(requests=300, seed=5, end=END, days=120)
    months = sorted(UnitMonthRollup.objects.values_list("month", flat=True).distinct())
    assert len(months) >= 4, months  # hand-overs and follow-ups spread over several months
    from massline.followup.metrics import months_with_data

    assert read.months() == months_with_data()  # the dashboard's months (every month had a dispatch)
    records = dispatch_records()
    assert len(records) > 300 and any(r.signed_at is None for r in records)
    for month in [*months, None]:  # every month, and all time
        for minimum in (0, 10):
            python = python_ranking(month, minimum)
            assert python, month
            assert figures(read.unit_scores(month, min_dispatched=minimum)) == figures(python), month
    # city-wide, per month (the dashboard's trends) and the public headline's satisfaction counts
    for month, city in read.city_by_month(months).items():
        pooled = core_metrics.three_rates(
            [r.__class__(**{**r.__dict__, "unit": "*"}) for r in records],
            [f.__class__(**{**f.__dict__, "unit": "*"}) for f in followup_records()],
            month,
        )
        assert figures([city]) == figures(pooled), month
    for month in [*months, None]:
        python_levels = dict.fromkeys(core_metrics.SATISFACTION_LEVELS, 0)
        for f in followup_records():
            if month is None or f"{f.at:%Y-%m}" == month:
                python_levels[f.satisfaction] += 1
        assert read.satisfaction_counts(month) == python_levels
    assert_tally_equals_the_requests()
    # the rebuild finds nothing to change, and rebuilds the same rows from scratch
    assert build.check() == []
    before = sorted(UnitMonthRollup.objects.values_list("unit", "month", "dispatched", "signed_in_time"))
    UnitMonthRollup.objects.all().delete()
    OpenHandover.objects.all().delete()
    assert build.check() != []
    build.rebuild()
    assert (
        sorted(UnitMonthRollup.objects.values_list("unit", "month", "dispatched", "signed_in_time")) == before
    )
    assert build.check() == []
    assert_tally_equals_the_requests()


def assert_tally_equals_the_requests():
    """The dashboard's counts and the public statistics from the tally equal those counted from the
    requests themselves (the queries the pages ran before)."""
    from django.db.models import Count, Q

    from massline.portal import stats
    from massline.portal.public import public_requests
    from massline.workbench.views import dashboard as d
    from massline.workflow.models import Request

    staff_qs = Request.objects.exclude(kind="report")
    everything = tally.tallies()
    assert d.tally_volumes_by_month(tally.by_month(everything)) == d.volumes_by_month(staff_qs)
    # all categories (the chart's top 10 may cut a tie differently: the old query left ties in row order)
    assert sorted(d.tally_volumes_by_category(tally.by_category(everything), 100)) == sorted(
        d.volumes_by_category(staff_qs, 100)
    )
    assert sorted(d.tally_volumes_by_unit(tally.by_unit())) == sorted(d.volumes_by_unit(staff_qs))
    assert tally.deadlines_met() == d.deadlines_met(staff_qs)
    assert tally.total(everything) == staff_qs.count()
    assert (
        tally.open_total(everything) == staff_qs.exclude(state__in=["closed", "merged", "rejected"]).count()
    )
    public = public_requests()
    months = sorted(
        {f"{timezone.localtime(at):%Y-%m}" for at in public.values_list("received_at", flat=True)}
    )
    assert stats.recent_months(24)[::-1] == months
    assert stats.FIGURES["monthly"](12) == [
        (
            m,
            sum(
                1
                for at in public.values_list("received_at", flat=True)
                if f"{timezone.localtime(at):%Y-%m}" == m
            ),
        )
        for m in months[-12:]
    ]
    roots = stats._roots()
    for month in [*months, None]:
        qs = (
            public.filter(received_at__gte=month_bounds(month)[0], received_at__lt=month_bounds(month)[1])
            if month
            else public
        )
        agg = qs.aggregate(
            total=Count("id"),
            replied=Count("id", filter=Q(state__in=["replied", "closed"])),
            closed=Count("id", filter=Q(state="closed")),
        )
        h = stats.FIGURES["headline"](month)
        assert (h.total, h.replied, h.closed) == (agg["total"], agg["replied"], agg["closed"]), month
        by_root: dict[str, int] = {}
        for cat_id in qs.filter(category__isnull=False).values_list("category_id", flat=True):
            by_root[roots[cat_id]] = by_root.get(roots[cat_id], 0) + 1
        expected = sorted(by_root.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
        assert stats.FIGURES["categories"](month) == expected, month


def test_a_hand_over_signed_next_month_counts_in_its_own_month(make_request, actors, category, city):
    """Dispatched 03-31 22:00 (due in 24 h), signed 04-01 08:00: in time, in March; then unsolved in
    April, reopened (a hand-over in April, not yet signed)."""
    staff = actors["staff-housing"]
    r = make_request()
    at = datetime(2026, 3, 31, 22, tzinfo=SH)
    wf.do_dispatch(r, actors["dispatcher"], category=category, at=at)
    wf.do_sign(r, staff, at=at + timedelta(hours=10))
    wf.do_reply(r, staff, text="已處理", at=at + timedelta(days=1))
    record_follow_up(
        r, wf.Actor.requester(), solved=False, satisfaction="basically", at=at + timedelta(days=2)
    )
    rows = {
        (u.unit, u.month): (u.dispatched, u.signed_in_time, u.followed_up, u.solved, u.basically)
        for u in UnitMonthRollup.objects.all()
    }
    assert rows == {("housing", "2026-03"): (1, 1, 0, 0, 0), ("housing", "2026-04"): (1, 0, 1, 0, 1)}
    assert OpenHandover.objects.get(request=r).month == "2026-04"
    assert build.check() == []
    assert figures(read.unit_scores("2026-04")) == figures(python_ranking("2026-04"))


def test_misconduct_reports_never_reach_the_rollups(make_request, actors, city):
    report = make_request(kind="report")
    wf.do_accept(report, actors["discipline"], at=datetime(2026, 3, 2, 10, tzinfo=SH))
    assert not UnitMonthRollup.objects.exists()
    assert read.unit_scores("2026-03") == []


def test_rollups_command_checks_and_rebuilds(make_request, actors, category, capsys):
    from massline.cli import main

    r = make_request()
    at = datetime(2026, 3, 2, 10, tzinfo=SH)
    wf.do_dispatch(r, actors["dispatcher"], category=category, at=at)
    wf.do_sign(r, actors["staff-housing"], at=at + timedelta(hours=1))
    assert main(["rollups", "check", "--no-progress"]) == 0
    assert "agree with the audit trail" in capsys.readouterr().out
    UnitMonthRollup.objects.filter(unit="housing").update(signed_in_time=0)  # as after a lost write
    assert main(["rollups", "check", "--no-progress"]) == 1
    out, err = capsys.readouterr()
    assert "housing 2026-03 signed_in_time: stored 0, fresh 1" in out
    assert "1 differences" in err and "massline rollups rebuild" in err
    assert main(["rollups", "rebuild", "--no-progress"]) == 0
    assert "rebuilt 1 unit-months" in capsys.readouterr().out
    assert UnitMonthRollup.objects.get(unit="housing").signed_in_time == 1
    assert main(["rollups", "check"]) == 0  # with the progress bar (on stderr)


def test_a_bulk_import_of_history_is_counted_in_the_statistics(tmp_path, city):
    """History imported in bulk bypasses the event hook; the import tallies it itself."""
    from massline.intake.fastimport import import_csv
    from massline.intake.tests.test_fastimport import NYC, opts, write
    from massline.portal import stats

    rows = [
        ["1", "2018-10-21 00:00:00", "2018-10-21 02:08:00", "Noise", "Loud Music", "Closed", "", ""],
        ["2", "2018-10-22 08:00:00", "", "Derelict Vehicle", "With Plate", "In Progress", "", ""],
    ]
    out = import_csv(write(tmp_path / "nyc.csv", NYC, rows), opts())
    assert out.states == {"closed": 1, "received": 1}
    h = stats.FIGURES["headline"]("2018-10")
    assert (h.total, h.closed) == (2, 1)
    assert build.check() == []
