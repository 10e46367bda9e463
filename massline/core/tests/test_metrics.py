"""三率 against hand-computed expectations."""

from datetime import UTC, datetime, timedelta

import pytest

from massline.core.metrics import (
    DispatchRecord,
    FollowUpRecord,
    Weights,
    format_table,
    satisfaction_rate,
    split_ranking,
    three_rates,
)

T = datetime(2026, 3, 10, 9, tzinfo=UTC)


def dispatch(unit, signed_after_h, due_h=24, when=T):
    return DispatchRecord(
        unit,
        when,
        when + timedelta(hours=due_h),
        None if signed_after_h is None else when + timedelta(hours=signed_after_h),
    )


def test_the_documented_worked_example():
    d = [dispatch("A", 1)] * 8 + [dispatch("A", 30), dispatch("A", None)]
    f = [FollowUpRecord("A", T, True, "satisfied")] * 3 + [
        FollowUpRecord("A", T, True, "basically"),
        FollowUpRecord("A", T, False, "dissatisfied"),
    ]
    (a,) = three_rates(d, f, "2026-03")
    assert (a.dispatched, a.signed_in_time, a.followed_up, a.solved) == (10, 8, 5, 4)
    assert a.response_rate == pytest.approx(0.8)
    assert a.resolution_rate == pytest.approx(0.8)
    assert a.satisfaction_rate == pytest.approx(0.76)
    assert a.composite == pytest.approx(78.6)
    assert a.rank == 1 and not a.partial


def test_ranking_order_and_custom_weights():
    d = [dispatch("A", 1), dispatch("A", 1), dispatch("B", 1), dispatch("B", 48)]
    f = [FollowUpRecord("A", T, False, "dissatisfied"), FollowUpRecord("B", T, True, "satisfied")]
    ranked = three_rates(d, f, "2026-03")
    # A: 100% response, 0 resolution, 0 satisfaction → 30.0; B: 50%, 100%, 100% → 85.0
    assert [(s.unit, s.composite) for s in ranked] == [("B", 85.0), ("A", 30.0)]
    response_only = three_rates(d, f, "2026-03", Weights(1.0, 0.0, 0.0))
    assert [s.unit for s in response_only] == ["A", "B"]


def test_months_are_separate():
    d = [dispatch("A", 1), dispatch("A", 30, when=T + timedelta(days=31))]
    (march,) = three_rates(d, [], "2026-03")
    (april,) = three_rates(d, [], "2026-04")
    assert march.response_rate == 1.0 and april.response_rate == 0.0
    assert march.partial and march.composite == 100.0


def test_signing_exactly_at_the_deadline_counts_as_in_time():
    (a,) = three_rates([dispatch("A", 24, due_h=24)], [], None)
    assert a.signed_in_time == 1


def test_basic_weight_changes_satisfaction():
    f = [FollowUpRecord("A", T, True, "basically")] * 2
    (a,) = three_rates([], f, None, Weights(basic_weight=0.5))
    assert a.satisfaction_rate == 0.5


def test_invalid_weights_and_levels_are_refused():
    with pytest.raises(ValueError, match="add up to 1"):
        Weights(0.5, 0.5, 0.5)
    with pytest.raises(ValueError, match="unknown satisfaction"):
        three_rates([], [FollowUpRecord("A", T, True, "ecstatic")], None)


def test_table_lists_every_unit_with_its_score():
    d = [dispatch("A", 1), dispatch("B", 48)]
    text = format_table(three_rates(d, [], None), {"A": "住建局", "B": "教育局"})
    assert "住建局" in text and "100.0%" in text and "教育局" in text and "0.0%" in text


def test_satisfaction_rate_is_one_definition():
    # 2 satisfied, 1 basically satisfied, 1 dissatisfied: (2 + 0.8) / 4 = 0.7
    assert satisfaction_rate({"satisfied": 2, "basically": 1, "dissatisfied": 1}) == pytest.approx(0.7)
    assert satisfaction_rate({"basically": 1}, basic_weight=0.5) == 0.5
    assert satisfaction_rate({}) is None
    with pytest.raises(ValueError, match="unknown satisfaction"):
        satisfaction_rate({"happy": 1})


def test_a_unit_under_the_minimum_volume_is_listed_apart_not_ranked_first():
    # A: one hand-over, signed in time, one solved satisfied follow-up → composite 100, but 1 < 3
    # B: three hand-overs, two in time (2/3), one solved basically satisfied → 30·2/3 + 35 + 35·0.8 = 83.0
    d = [dispatch("A", 1)] + [dispatch("B", 1), dispatch("B", 1), dispatch("B", 30)]
    f = [FollowUpRecord("A", T, True, "satisfied"), FollowUpRecord("B", T, True, "basically")]
    everyone = three_rates(d, f, "2026-03")
    assert [(s.unit, s.rank) for s in everyone] == [("A", 1), ("B", 2)]
    scores = three_rates(d, f, "2026-03", min_dispatched=3)
    assert [(s.unit, s.rank, s.too_few) for s in scores] == [("B", 1, False), ("A", None, True)]
    assert scores[0].composite == pytest.approx(83.0)
    assert scores[1].composite == 100.0  # still computed, shown apart
    ranked, too_few = split_ranking(scores)
    assert [s.unit for s in ranked] == ["B"] and [s.unit for s in too_few] == ["A"]
    text = format_table(scores, {"A": "住建局", "B": "教育局"}, min_dispatched=3)
    table, apart = text.split("Too few requests to rank (fewer than 3 hand-overs):")
    assert "教育局" in table and "住建局" not in table and "住建局" in apart
    with pytest.raises(ValueError, match="min_dispatched"):
        three_rates(d, f, None, min_dispatched=-1)
