"""The public statistics page and monthly report: one satisfaction definition, and units with too few
requests listed apart from the ranking."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from massline.followup.actions import record_follow_up
from massline.workflow import actions as wf

from .conftest import MON

pytestmark = pytest.mark.django_db


def stat_values(page: str) -> list[str]:
    return re.findall(r'class="stat-value">([^<]*)<', page)


def ranked_part(page: str) -> str:
    """The ranking table, without the units listed apart."""
    return page.split('id="h-rank"' if 'id="h-rank"' in page else "<h2>", 1)[-1].split('id="too-few"')[0]


def test_basically_satisfied_counts_the_same_in_the_headline_and_the_ranking(client, replied, settings):
    # housing: two follow-ups, one satisfied and one basically satisfied: (1 + 0.8) / 2 = 90.0%
    # (the headline once counted "basically" as fully satisfied: 100.0%)
    settings.MASSLINE_RANKING_MIN_DISPATCHED = 1
    for satisfaction in ("satisfied", "basically"):
        req = replied()
        record_follow_up(
            req, wf.Actor.requester(), solved=True, satisfaction=satisfaction, at=MON + timedelta(days=2)
        )
    for url in ("/statistics/", "/statistics/?month=2026-03", "/report/2026-03/"):
        page = client.get(url).content.decode()
        assert stat_values(page)[3] == "90.0%", url
        rates = re.findall(r'<td class="num">([^<]*%)</td>', ranked_part(page))
        assert rates == ["100.0%", "100.0%", "90.0%"], url  # response, resolution, satisfaction
        assert "80%" in page, "the page states how much “basically satisfied” counts"


def test_units_with_too_few_requests_are_listed_apart(client, replied, make_request, actors, city, settings):
    """housing: 2 requests (ranked first), a3: 1 request, all signed in time: a3 would tie for first."""
    settings.MASSLINE_RANKING_MIN_DISPATCHED = 2
    replied()
    replied()
    small = make_request()
    wf.do_dispatch(small, actors["dispatcher"], unit=city["a3"], at=MON + timedelta(hours=1))
    wf.do_sign(small, actors["staff-a3"], at=MON + timedelta(hours=2))
    housing, a3 = city["housing"].name, city["a3"].name
    for url in ("/statistics/", "/statistics/?month=2026-03", "/report/2026-03/"):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        ranked, apart = ranked_part(page), page.split('id="too-few"')[1].split("</table>")[0]
        assert housing in ranked and a3 not in ranked, url
        assert a3 in apart and housing not in apart, url
        assert "fewer than 2 hand-overs" in apart, url


def test_when_no_unit_has_enough_requests_the_page_says_so(client, replied):
    replied()  # one request; the default minimum is 10
    page = client.get("/statistics/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No unit had enough requests to be ranked in this period." in page
    assert "fewer than 10 hand-overs" in page
