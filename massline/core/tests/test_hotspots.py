"""Hot issues (熱點問題) and place extraction on real govmsg messages."""

from __future__ import annotations

import csv
from datetime import datetime

import pytest

from massline.core.hotspots import detect_hot_issues, heat_index, parse_time
from massline.core.places import extract_places
from massline.shared_data import shared_data


@pytest.mark.parametrize(
    "text, expected",
    [
        ("A5区劳动东路魅力之城小区一楼的夜宵摊严重污染附近的空气", ["A5区", "劳动东路", "魅力之城小区"]),
        ("A5區勞動東路魅力之城小區油煙擾民", ["A5区", "劳动东路", "魅力之城小区"]),
        ("A市经济学院强制学生实习", ["A市", "经济学院"]),
        ("请彻查A4区青竹湖镇广胜村村委成员贪腐", ["A4区", "青竹湖镇", "广胜村"]),
        ("A6区高塘岭街道望福佳园附近农家乐破坏白鹭的生存环境", ["A6区", "高塘岭街道", "望福佳园"]),
        ("投诉A市伊景园滨河苑捆绑车位销售", ["A市", "伊景园滨河苑"]),
        ("A市古曲南路广益实验中学门口摊贩脏乱差", ["A市", "古曲南路", "广益实验中学"]),
        ("请A市提高民办幼儿园的师资待遇水平", ["A市"]),
        ("咨询购房政策的社保缴纳相关问题", []),
    ],
)
def test_places_from_real_titles(text, expected):
    assert extract_places(text) == expected


def test_heat_grows_with_people_support_and_recency():
    base = heat_index(5, 5, 0, 0, age_days=10, duration_days=14)
    assert heat_index(10, 10, 0, 0, age_days=10, duration_days=14) > base
    assert heat_index(5, 1, 0, 0, age_days=10, duration_days=14) < base  # one person posting 5 times
    assert heat_index(5, 5, 100, 0, age_days=10, duration_days=14) > base
    assert heat_index(5, 5, 0, 0, age_days=200, duration_days=14) < base


def test_times_in_export_formats():
    assert parse_time("2019/2/28 11:25:05") == datetime(2019, 2, 28, 11, 25, 5)
    assert parse_time("2019-09-05 12:29:01") == datetime(2019, 9, 5, 12, 29, 1)
    with pytest.raises(ValueError):
        parse_time("last Tuesday")


def test_same_problem_same_place_is_one_issue_and_other_places_stay_apart():
    day = datetime(2024, 5, 1)
    records = [
        {"id": i, "title": t, "text": t, "time": day.replace(day=1 + i), "requester": f"u{i}"}
        for i, t in enumerate(
            [
                "A3区金麓小区楼下烧烤摊噪音扰民",
                "金麓小区楼下烧烤摊半夜噪音扰民严重",
                "投诉A3区金麓小区烧烤摊噪音",
                "A1区望月湖小区楼下烧烤摊噪音扰民",
                "A2区公交站台破损无人维修",
            ]
        )
    ]
    issues = detect_hot_issues(records)
    assert [sorted(h.member_ids) for h in issues] == [[0, 1, 2]]
    assert "金麓小区" in issues[0].title and "烧烤" in issues[0].title + "".join(issues[0].keywords)


@pytest.fixture(scope="module")
def attachment3_issues():
    path = shared_data("govmsg", "attachment3_hot_issues_4326.csv")
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    records = [
        {
            "id": r["留言编号"],
            "title": r["留言主题"],
            "text": r["留言主题"] + "\n" + r["留言详情"],
            "time": r["留言时间"],
            "requester": r["留言用户"],
            "likes": r["点赞数"],
            "dislikes": r["反对数"],
        }
        for r in rows
    ]
    return records, detect_hot_issues(records)


def test_known_hot_issues_of_the_challenge_are_near_the_top(attachment3_issues):
    _, issues = attachment3_issues
    top = issues[:10]
    meili = [h for h in top if "魅力之城" in h.title]
    assert meili, [h.title for h in top]
    assert "油烟" in meili[0].title or "噪音" in meili[0].title
    # the challenge dates it 2019/08/18 - 09/04; the posts around it run from late July to late September
    assert datetime(2019, 7, 1) <= meili[0].first <= datetime(2019, 8, 18)
    assert datetime(2019, 9, 4) <= meili[0].last <= datetime(2019, 10, 31)
    assert {"236798", "242792", "268914"} <= set(meili[0].member_ids)
    college = [h for h in top if "经济学院" in h.title]
    assert college and "实习" in college[0].title


def test_no_catch_all_cluster_and_readable_titles(attachment3_issues):
    records, issues = attachment3_issues
    assert max(h.n_requests for h in issues) < 0.03 * len(records)
    for h in issues[:10]:
        assert h.place and h.problem and len(h.title) <= 50
        assert h.n_requesters >= 2 and h.first <= h.last
    heats = [h.heat for h in issues]
    assert heats == sorted(heats, reverse=True)
