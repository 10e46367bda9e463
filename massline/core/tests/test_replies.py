"""Reply-quality scoring on real message–reply pairs from the govmsg data."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta

import pytest

from massline.core.replies import CRITERIA, ReplyScorer, extract_demands, working_days_between
from massline.shared_data import shared_data

# Real pairs from attachment4, chosen by reading them (see data/labels/reply_quality_labels.csv):
SUBSTANTIVE = "16703"  # labour inspection: date of visit, notice issued, rectified, hotline
TEMPLATE_ONLY = ("19602", "87854", "110437")  # "留言已收悉" / "已转相关部门" and nothing else
WRONG_MESSAGE = "6691"  # a reply about staff housing filed under a message on private schools


@pytest.fixture(scope="module")
def pairs() -> dict[str, dict[str, str]]:
    path = shared_data("govmsg", "attachment4_replies_2816.csv")
    with path.open(encoding="utf-8") as f:
        return {row["留言编号"]: row for row in csv.DictReader(f)}


@pytest.fixture(scope="module")
def scorer(pairs) -> ReplyScorer:
    rows = list(pairs.values())[:600]
    return ReplyScorer().fit(
        [r["答复意见"] for r in rows], [f"{r['留言主题']} {r['留言详情']}" for r in rows]
    )


def score(scorer, row, reply=None, reply_time=None):
    return scorer.score(
        row["留言详情"],
        row["答复意见"] if reply is None else reply,
        row["留言时间"],
        row["答复时间"] if reply_time is None else reply_time,
        title=row["留言主题"],
    )


def test_substantive_reply_beats_boilerplate(scorer, pairs):
    good = score(scorer, pairs[SUBSTANTIVE])
    for key in TEMPLATE_ONLY:
        empty = score(scorer, pairs[key])
        assert not empty.substantive
        assert empty.courtesy.score == 0.0
        assert empty.overall < good.overall
        assert empty.grade == 1
    assert good.substantive and good.grade >= 4


def test_the_same_message_with_a_template_reply_scores_lower(scorer, pairs):
    row = pairs[SUBSTANTIVE]
    real = score(scorer, row)
    canned = score(scorer, row, reply="网友您好！您的留言已收悉，已转相关部门处理，感谢您对我们工作的支持！")
    assert canned.overall < real.overall
    assert canned.completeness.score < real.completeness.score
    assert canned.explanation.score < real.explanation.score


def test_every_criterion_has_evidence(scorer, pairs):
    result = score(scorer, pairs[SUBSTANTIVE])
    for name in CRITERIA:
        crit = getattr(result, name)
        assert crit is not None and 0.0 <= crit.score <= 1.0
        assert crit.evidence, f"{name} has no evidence"
        assert crit.summary
    text = result.explain()
    for name in CRITERIA:
        assert name in text
    assert "[contact]" in text  # the hotline number is cited as the contact


def test_timeliness_drops_with_delay(scorer, pairs):
    row = pairs[SUBSTANTIVE]
    asked = datetime.strptime(row["留言时间"], "%Y/%m/%d %H:%M:%S")
    scores = [
        score(scorer, row, reply_time=asked + timedelta(days=d)).timeliness.score for d in (3, 14, 20, 60)
    ]
    assert scores[0] == 1.0
    assert scores == sorted(scores, reverse=True) and scores[-1] < scores[1] < scores[0]


def test_reply_to_another_message_is_not_relevant(scorer, pairs):
    wrong = score(scorer, pairs[WRONG_MESSAGE])
    right = score(scorer, pairs[SUBSTANTIVE])
    assert wrong.relevance.score < 0.5 <= right.relevance.score


def test_without_times_timeliness_is_left_out(scorer, pairs):
    row = pairs[SUBSTANTIVE]
    result = scorer.score(row["留言详情"], row["答复意见"], title=row["留言主题"])
    assert result.timeliness is None
    assert "n/a" in result.explain()
    assert result.as_row()["timeliness"] is None


def test_weights_are_parameters(pairs):
    rows = list(pairs.values())[:50]
    only_time = ReplyScorer(weights={"timeliness": 1.0}).fit([r["答复意见"] for r in rows])
    row = pairs[SUBSTANTIVE]
    result = score(only_time, row)
    assert result.overall == pytest.approx(result.timeliness.score)
    with pytest.raises(ValueError, match="unknown criteria"):
        ReplyScorer(weights={"speed": 1.0}).fit(["谢谢"])


def test_unfitted_scorer_says_so():
    with pytest.raises(RuntimeError, match="fit"):
        ReplyScorer().score("路灯不亮", "已修复")


def test_demands_come_from_questions_and_requests():
    demands = extract_demands(
        "小区门口的路灯坏了三个月。请问什么时候能修好？望领导重视！另外建议增设减速带。", title="小区路灯不亮"
    )
    assert demands[0] == "小区路灯不亮"
    assert any("什么时候" in d for d in demands)
    assert any("减速带" in d for d in demands)
    assert not any(d.startswith("望领导重视") for d in demands)  # urging alone is no demand


def test_working_days_skip_weekends_and_spring_festival():
    assert working_days_between(datetime(2019, 11, 1).date(), datetime(2019, 11, 8).date()) == 5
    # 2019 Spring Festival week (4–10 February) does not count.
    assert working_days_between(datetime(2019, 2, 1).date(), datetime(2019, 2, 12).date()) == 2


def test_traditional_chinese_scores_like_simplified(scorer, pairs):
    import opencc

    s2t = opencc.OpenCC("s2t")
    row = pairs[SUBSTANTIVE]
    simplified = score(scorer, row)
    traditional = scorer.score(
        s2t.convert(row["留言详情"]), s2t.convert(row["答复意见"]), row["留言时间"], row["答复时间"],
        title=s2t.convert(row["留言主题"]),
    )  # fmt: skip
    assert traditional.overall == pytest.approx(simplified.overall, abs=0.05)
    assert traditional.substantive
