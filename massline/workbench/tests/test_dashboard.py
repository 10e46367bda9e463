"""The dashboard's 三率 ranking (units under the minimum volume apart) and its hot issues (熱點問題),
which link to the proactive task made from them."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone

from massline.workflow import actions as wf
from massline.workflow.models import Request

from .conftest import MON, OWNER

pytestmark = pytest.mark.django_db


def test_units_with_too_few_requests_are_listed_apart_from_the_ranking(as_role, world, actors, settings):
    """The world's owner unit has 1 hand-over; two more make 3, one of which it hands on to a3 (a3: 1).
    With a minimum of 2, only the owner unit is ranked; a3 is shown apart."""
    settings.MASSLINE_RANKING_MIN_DISPATCHED = 2
    world["dispatched"]()
    small = world["dispatched"]()
    wf.do_transfer(small, actors[f"staff-{OWNER}"], to_unit=world["city"]["a3"], note="屬A3區", at=MON)
    page = as_role("supervisor").get("/staff/dashboard/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    ranked, apart = page.split("Unit ranking, 2026-03")[1].split('id="too-few"')
    owner, a3 = world["city"][OWNER].name, world["city"]["a3"].name
    assert owner in ranked and a3 not in ranked
    assert a3 in apart.split("</table>")[0] and "fewer than 2 hand-overs" in apart
    assert "counting as 80%" in page  # the satisfaction definition, as in the ranking


def hot_issue_forms(page: str) -> list[dict[str, str]]:
    forms = re.findall(r'<form method="post" action="/staff/dashboard/proactive/".*?</form>', page, re.S)
    return [{k: unescape(v) for k, v in re.findall(r'name="(\w+)" value="([^"]*)"', form)} for form in forms]


def test_a_hot_issue_turned_into_a_task_links_to_it_instead_of_offering_the_button(
    as_role, world, make_request
):
    now = timezone.now()
    for i in range(4):
        make_request(
            text=f"幸福小区3号楼电梯又坏了,老人上下楼很困难,请尽快维修电梯。({i})",
            title="幸福小区电梯故障",
            contact_phone=f"1380013800{i}",
            at=now - timedelta(days=i + 1),
        )
    client = as_role("supervisor")
    page = client.get("/staff/dashboard/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    forms = [f for f in hot_issue_forms(page) if "电梯" in f["title"]]
    assert len(forms) == 1, "the four lift complaints make one hot issue with a button"
    assert len(forms[0]["members"].split(",")) == 4

    response = client.post("/staff/dashboard/proactive/", forms[0])
    task = Request.objects.get(title=forms[0]["title"], channel="visit", kind="suggestion")
    assert response["Location"] == f"/staff/r/{task.reference}/"

    page = client.get("/staff/dashboard/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert not [f for f in hot_issue_forms(page) if "电梯" in f["title"]], "no second button"
    assert f'href="/staff/r/{task.reference}/" data-task-link' in page
    assert f"Proactive task {task.reference}" in page

    # a stale page posting the same issue again is refused, and names the task
    again = client.post(
        "/staff/dashboard/proactive/", forms[0], follow=True, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert f"This hot issue is already proactive task {task.reference}." in unescape(again)
    assert Request.objects.filter(title=forms[0]["title"], channel="visit").count() == 1


def test_unreadable_hot_issue_members_get_a_clear_message(as_role, world):
    client = as_role("supervisor")
    page = client.post(
        "/staff/dashboard/proactive/",
        {"title": "井盖缺失", "text": "井盖缺失", "members": "1,two"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    assert "could not be read" in unescape(page)
    assert not Request.objects.filter(title="井盖缺失", channel="visit", kind="suggestion").exists()
