"""The monthly problem (每月一題): choosing it from a hot issue, who may do what, telling the complainants
once per milestone, the before/after volume against hand-counted data, and the public page's privacy."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from html import unescape

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from massline.monthly import actions
from massline.monthly.measure import weekly_volume
from massline.monthly.models import Milestone, MonthlyProblem
from massline.notify.models import Message, Suppression

from .conftest import SH, START

pytestmark = pytest.mark.django_db


def choose(staff, city, members, **kw):
    fields = {
        "title": "幸福小区电梯",
        "month": date(2026, 3, 1),
        "lead_unit": city["housing"],
        "plan": "三月底前更换3号楼和5号楼电梯。",
        "starts_on": START,
        "members": [r.pk for r in members],
        "hot_issue_title": "幸福小区 电梯故障",
        "hot_issue_place": "岳麓区 幸福小区",
    }
    fields.update(kw)
    return actions.choose_problem(staff["supervisor"], **fields)


def milestone(problem, user, token="t1", **kw):
    fields = {"title": "3号楼电梯检修完成", "date": date(2026, 3, 9), "progress": 30, "token": token}
    fields.update(kw)
    return actions.post_milestone(problem, user, **fields)


def told(template="monthly_milestone"):
    return sorted(Message.objects.filter(template=template).values_list("channel", "recipient", "language"))


# --- reporting back -----------------------------------------------------------------------------------


def test_each_complainant_is_told_once_per_milestone_in_their_language(lift, staff, city):
    problem = choose(staff, city, lift.values())
    assert problem.requests.count() == 5, "the misconduct report is never linked"
    m, created = milestone(problem, staff["supervisor"])
    assert created
    # wang complained twice (one requester key): one e-mail; li left both: the e-mail; zhao a phone: an SMS;
    # the anonymous requester left nothing; the reporter is never told.
    assert told() == [
        ("email", "li@example.org", "en"),
        ("email", "wang@example.org", "zh-hant"),
        ("sms", "13800000002", "zh-hans"),
    ]
    wang = Message.objects.get(template="monthly_milestone", recipient="wang@example.org")
    assert wang.subject == "您反映的問題有新進展：幸福小區電梯"
    assert "3號樓電梯檢修完成" in wang.body and "30%" in wang.body and f"/monthly/{problem.pk}/" in wang.body
    li = Message.objects.get(template="monthly_milestone", recipient="li@example.org")
    assert li.subject == "Progress on the problem you raised: 幸福小区电梯" and "Progress: 30%" in li.body

    # the same form posted again: no second milestone, no second message
    again, created = milestone(problem, staff["supervisor"])
    assert (again.pk, created) == (m.pk, False)
    assert Milestone.objects.filter(problem=problem).count() == 1
    assert len(told()) == 3

    # a new milestone: each person hears once more
    milestone(problem, staff["supervisor"], token="t2", title="5号楼电梯更换", progress=60)
    assert len(told()) == 6
    assert problem.progress == 60


def test_a_status_change_tells_them_once_and_an_unsubscribed_address_is_skipped(lift, staff, city):
    Suppression.objects.create(address="li@example.org", created_at=timezone.now())
    problem = choose(staff, city, lift.values())
    edit = {
        "title": problem.title,
        "plan": problem.plan,
        "lead_unit": problem.lead_unit,
        "starts_on": problem.starts_on,
        "month": problem.month,
    }
    actions.update_problem(problem, staff["supervisor"], status="in_progress", **edit)
    # li unsubscribed their e-mail; their phone still reaches them
    assert told("monthly_status") == [
        ("email", "wang@example.org", "zh-hant"),
        ("sms", "13800000001", "en"),
        ("sms", "13800000002", "zh-hans"),
    ]
    sms = Message.objects.get(template="monthly_status", recipient="13800000002")
    assert sms.body.startswith("每月一题“幸福小区电梯”现在进行中")
    actions.update_problem(problem, staff["supervisor"], status="in_progress", **edit)  # saved again
    assert len(told("monthly_status")) == 3


def test_nobody_is_told_when_no_complainant_left_a_contact(lift, staff, city):
    problem = choose(staff, city, [lift["anon"], lift["report"]])
    assert list(problem.requests.all()) == [lift["anon"]]
    milestone(problem, staff["supervisor"])
    assert told() == []


# --- permissions --------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["dispatcher", "staff-housing", "discipline"])
def test_only_supervisors_and_admins_choose(lift, staff, city, who):
    with pytest.raises(PermissionDenied):
        actions.choose_problem(
            staff[who], title="x", month=START, lead_unit=city["housing"], plan="y", members=[lift["wang"].pk]
        )
    assert not MonthlyProblem.objects.exists()
    actions.choose_problem(staff["admin"], title="x", month=START, lead_unit=city["housing"], plan="y")


def test_the_lead_unit_posts_milestones_other_units_do_not(lift, staff, city):
    problem = choose(staff, city, lift.values())
    milestone(problem, staff["staff-housing"])
    with pytest.raises(PermissionDenied):
        milestone(problem, staff["staff-econ"], token="t2")
    with pytest.raises(PermissionDenied):
        actions.open_consultation(problem, staff["staff-housing"])


def test_staff_pages_refuse_whoever_may_not_use_them(client, lift, staff, city):
    problem = choose(staff, city, lift.values())
    assert client.get("/staff/monthly/")["Location"].startswith("/staff/login/")
    assert (
        client.get("/monthly/").status_code == 200
        and client.get(f"/monthly/{problem.pk}/").status_code == 200
    )
    client.force_login(staff["discipline"])
    assert client.get("/staff/monthly/").status_code == 403
    client.force_login(staff["dispatcher"])
    assert client.get(f"/staff/monthly/{problem.pk}/").status_code == 200
    assert client.get("/staff/monthly/new/").status_code == 403
    post = {"form": "milestone", "title": "x", "date": "2026-03-09", "progress": "10", "token": "tok"}
    assert client.post(f"/staff/monthly/{problem.pk}/", post).status_code == 403
    assert client.post(f"/staff/monthly/{problem.pk}/consult/").status_code == 403
    assert not Milestone.objects.exists()


# --- choosing it from the dashboard's hot issues --------------------------------------------------------


def test_a_supervisor_turns_a_hot_issue_into_the_monthly_problem_and_the_two_link_both_ways(
    client, make_request, staff, city
):
    from django.core.cache import cache

    from massline.workbench.actions import create_proactive_task

    cache.clear()
    now = timezone.now()
    lifts = [
        make_request(
            text=f"幸福小区3号楼电梯又坏了,老人上下楼很困难,请尽快维修电梯。({i})",
            title="幸福小区电梯故障",
            contact_email=f"n{i}@example.org",
            at=now - timedelta(days=i + 1),
        )
        for i in range(4)
    ]
    for i, text in enumerate(
        [
            "楼下餐馆油烟很大,每天中午熏得没法开窗。",
            "小区门口井盖缺失,行人容易跌倒。",
            "公园路灯坏了,晚上很黑。",
        ]
    ):
        make_request(text=text, at=now - timedelta(days=i + 2))  # other problems, as in any month
    client.force_login(staff["supervisor"])
    page = client.get("/staff/dashboard/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    form = re.search(r'<form method="get" action="/staff/monthly/new/".*?</form>', page, re.S).group(0)
    query = {k: unescape(v) for k, v in re.findall(r'name="(\w+)" value="([^"]*)"', form)}
    assert sorted(map(int, query["members"].split(","))) == sorted(r.pk for r in lifts)
    new_page = client.get("/staff/monthly/new/", query, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "its 4 requests become the linked requests" in unescape(new_page)

    post = {
        **query,
        "title": query["hot_title"],
        "month": "2026-03",
        "lead_unit": "housing",
        "plan": "",
        "starts_on": "2026-03-02",
    }
    refused = client.post("/staff/monthly/new/", post, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert (
        "This field is required." in refused and not MonthlyProblem.objects.exists()
    )  # nothing half-written

    response = client.post("/staff/monthly/new/", {**post, "plan": "一个月内更换电梯。"})
    problem = MonthlyProblem.objects.get()
    assert response["Location"] == f"/staff/monthly/{problem.pk}/"
    assert sorted(problem.requests.values_list("pk", flat=True)) == sorted(r.pk for r in lifts)
    assert problem.month == date(2026, 3, 1) and problem.hot_issue_title == query["hot_title"]

    page = client.get("/staff/dashboard/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'href="/staff/monthly/{problem.pk}/" data-monthly-link' in page
    assert 'action="/staff/monthly/new/"' not in page
    again = client.post("/staff/monthly/new/", post | {"plan": "再来一次"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "already the monthly problem" in unescape(again.content.decode())

    task = create_proactive_task(staff["supervisor"], title="电梯", text="电梯巡查", members=[lifts[0].pk])
    detail = client.get(f"/staff/monthly/{problem.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'href="/staff/r/{task.reference}/" data-task-link' in detail
    assert "Chosen from the hot issue" in unescape(detail)


def test_a_monthly_problem_can_start_from_scratch_and_bad_progress_is_refused(client, staff, city):
    client.force_login(staff["admin"])
    response = client.post(
        "/staff/monthly/new/",
        {
            "title": "背街小巷停车难",
            "month": "2026-04",
            "lead_unit": "housing",
            "plan": "新增车位。",
            "starts_on": "2026-04-01",
        },
    )
    problem = MonthlyProblem.objects.get()
    assert response.status_code == 302 and problem.requests.count() == 0
    page = client.post(
        f"/staff/monthly/{problem.pk}/",
        {"form": "milestone", "title": "x", "date": "2026-04-09", "progress": "150", "token": "tok"},
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    assert "less than or equal to 100" in page and not Milestone.objects.exists()


# --- measuring ----------------------------------------------------------------------------------------


def test_the_before_and_after_volume_matches_a_hand_count(lift, make_request, category, city, staff):
    """Start Monday 2026-03-02. Topic: category 城乡建设 and the place 幸福小区. Hand count, by week start:
    02-09: zhao (20 days before); 02-16: li (10); 02-23: wang (3), report (4, never public), wang2 (2),
    anon (1) → 3; 03-02: two new (day 0 and day 6); 03-09: one (day 7). Not counted: another place, another
    category, a request before the 8 weeks, and one after today."""
    problem = choose(staff, city, lift.values())

    def at(day):
        return datetime.combine(START + timedelta(days=day), datetime.min.time(), SH) + timedelta(hours=9)

    same = {"category": category, "title": "幸福小区电梯"}
    make_request(text="幸福小区电梯又停了。", at=at(0), **same)
    make_request(text="幸福小区电梯按钮坏了。", at=at(6), **same)
    make_request(text="幸福小区电梯异响。", at=at(7), **same)
    make_request(text="幸福小区电梯异响。", at=at(-57), **same)  # 8 weeks and a day before
    make_request(text="幸福小区电梯异响。", at=at(12), **same)  # after "today"
    make_request(text="和平小区电梯坏了。", at=at(1), category=category)  # another place
    with translation.override("en"):
        other = type(category).objects.exclude(pk=category.pk).filter(level=1).first()
    make_request(text="幸福小区门口噪音扰民。", at=at(1), category=other)  # another category

    volume = weekly_volume(problem, today=START + timedelta(days=10))
    counts = {w.start.isoformat(): w.count for w in volume.weeks}
    assert counts == {
        "2026-01-05": 0,
        "2026-01-12": 0,
        "2026-01-19": 0,
        "2026-01-26": 0,
        "2026-02-02": 0,
        "2026-02-09": 1,
        "2026-02-16": 1,
        "2026-02-23": 3,
        "2026-03-02": 2,
        "2026-03-09": 1,
    }
    # the week of 03-09 is still under way on 03-12: shown, but not in the average
    assert [w.complete for w in volume.weeks][-2:] == [True, False]
    assert volume.before_per_week == 5 / 8 and volume.after_per_week == 2


# --- the public page ----------------------------------------------------------------------------------


def test_the_public_page_shows_the_plan_milestones_and_redacted_requests_only(client, lift, staff, city):
    problem = choose(staff, city, lift.values(), plan="方案：请联系王经理 13912345678 协调。")
    milestone(problem, staff["supervisor"], description="已检修。")
    page = client.get(f"/monthly/{problem.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hant").content.decode()
    assert "幸福小區電梯" in page and "3號樓電梯檢修完成" in page and 'value="30"' in page
    for personal in ("13912345678", "wang@example.org", "li@example.org", "13800000001", "13800000002"):
        assert personal not in page
    assert "物業經理收錢" not in page and "物业经理收钱" not in page  # the report is never shown
    assert lift["wang"].reference in page and "data-volume" in page and "<svg" in page
    assert "每月一題" in client.get("/monthly/", HTTP_ACCEPT_LANGUAGE="zh-hant").content.decode()


def test_a_consultation_opened_from_it_and_its_outcome_show_on_the_public_page(client, lift, staff, city):
    from massline.consult import actions as consult

    problem = choose(staff, city, lift.values())
    client.force_login(staff["supervisor"])
    response = client.post(f"/staff/monthly/{problem.pk}/consult/")
    problem.refresh_from_db()
    c = problem.consultation
    assert response["Location"] == f"/consult/manage/{c.pk}/"
    assert (c.title, c.question, c.status) == (problem.title, problem.plan, "draft")
    client.post(f"/staff/monthly/{problem.pk}/consult/")  # a second click makes no second consultation
    assert MonthlyProblem.objects.get().consultation_id == c.pk
    client.logout()
    assert f"/consult/{c.pk}/" not in client.get(f"/monthly/{problem.pk}/").content.decode()  # a draft

    consult.open_consultation(c, staff["supervisor"])
    consult.publish_outcome(c, staff["supervisor"], "采纳：先换3号楼电梯。")
    actions.attach_outcome(problem, staff["supervisor"], "居民同意分两批更换。")
    page = client.get(f"/monthly/{problem.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert f"/consult/{c.pk}/" in page and "采纳：先换3号楼电梯。" in page and "居民同意分两批更换。" in page


def test_the_demo_problem_comes_from_the_hottest_issue_and_sends_nothing(make_request, staff, city):
    from massline.monthly.demo import create_demo_problem

    now = timezone.now()
    for i in range(4):
        make_request(
            text=f"幸福小区3号楼电梯又坏了,老人上下楼很困难,请尽快维修电梯。({i})",
            title="幸福小区电梯故障",
            contact_email=f"d{i}@example.org",
            at=now - timedelta(days=i + 1),
        )
    for i, text in enumerate(
        [
            "楼下餐馆油烟很大,每天中午熏得没法开窗。",
            "小区门口井盖缺失,行人容易跌倒。",
            "公园路灯坏了,晚上很黑。",
        ]
    ):
        make_request(text=text, at=now - timedelta(days=i + 2))
    problem = create_demo_problem(now)
    assert problem is not None and problem.requests.count() == 4 and problem.progress == 60
    assert problem.status == "in_progress"
    assert not Message.objects.filter(template__startswith="monthly_").exists()
    assert create_demo_problem(now) is None  # once
