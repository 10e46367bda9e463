""" "Me too" (我也遇到) on public request pages: counted once per person, never on reports or held requests,
subscribing whoever asks to be kept informed, and feeding the heat of hot issues."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from massline.portal.models import MeToo
from massline.subscriptions.models import Subscription
from massline.workflow.models import Request

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    """A visitor reading English (so the messages are the msgids); ``Client()`` again is another person."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def other_person():
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def recent(make_request):
    def make(text="麓山南路的路灯坏了两个月，晚上很黑，请尽快维修。", days=3, **kwargs):
        return make_request(text=text, at=timezone.now() - timedelta(days=days), **kwargs)

    return make


def me_too(client, req, **data):
    return client.post(f"/requests/{req.reference}/me-too/", data, follow=True)


def test_a_visitor_says_me_too_once_and_sees_the_count(client, recent):
    req = recent()
    page = client.get(f"/requests/{req.reference}/").content.decode()
    assert 'id="me-too-button"' in page and "People who said “me too”: 0" in page
    response = me_too(client, req)
    assert response.status_code == 200
    page = response.content.decode()
    assert "You are the first" in page
    assert MeToo.objects.filter(request=req).count() == 1
    assert "People who said “me too”: 1" in page

    again = me_too(client, req).content.decode()
    assert "already said this concerns you too" in again
    assert MeToo.objects.filter(request=req).count() == 1, "counted once per person"

    other = other_person()  # another person (another cookie)
    page = me_too(other, req).content.decode()
    assert "2 people have this problem, you included" in page
    assert MeToo.objects.filter(request=req).count() == 2
    listing = other.get("/requests/").content.decode()
    assert "“Me too”: 2" in listing


def test_the_stored_key_is_not_the_cookie(client, recent):
    req = recent()
    response = client.post(f"/requests/{req.reference}/me-too/")
    cookie = response.cookies["massline_person"].value
    row = MeToo.objects.get(request=req)
    assert row.client_key and row.client_key not in cookie and cookie.split(":")[0] != row.client_key
    assert response.cookies["massline_person"]["httponly"]


def test_me_too_with_an_email_subscribes_with_confirmation(client, recent):
    req = recent()
    page = me_too(client, req, email="Neighbour@Example.org").content.decode()
    assert "We sent a confirmation link to neighbour@example.org" in page
    sub = Subscription.objects.get(request=req)
    assert sub.email == "neighbour@example.org" and not sub.confirmed
    assert MeToo.objects.get(request=req).email == "neighbour@example.org"
    # Saying "me too" again with the address asks nothing new of the count, and sends no second row.
    me_too(client, req, email="neighbour@example.org")
    assert Subscription.objects.filter(request=req).count() == 1
    assert MeToo.objects.filter(request=req).count() == 1


def test_a_bad_email_counts_nothing(client, recent):
    req = recent()
    page = me_too(client, req, email="not an address").content.decode()
    assert "Enter a valid e-mail address." in page
    assert not MeToo.objects.exists() and not Subscription.objects.exists()


@pytest.mark.parametrize("case", ["report", "held", "merged"])
def test_no_me_too_on_reports_held_or_merged_requests(client, recent, case, settings):
    if case == "report":
        req = recent(kind="report")
    elif case == "held":
        settings.MASSLINE_PREMODERATE = True
        req = recent()
        assert Request.objects.get(pk=req.pk).held
    else:
        lead = recent(text="岳麓区桃子湖路井盖丢失，很危险")
        req = recent(text="桃子湖路井盖不见了")
        Request.objects.filter(pk=req.pk).update(state="merged", merged_into=lead)
    response = client.post(f"/requests/{req.reference}/me-too/", follow=True)
    if case == "merged":  # the page exists (it points to the lead) but takes no "me too"
        page = response.content.decode()
        assert 'id="me-too-button"' not in page
        assert "it is not public" in page
    else:
        assert response.status_code == 404
    assert not MeToo.objects.exists()


def test_a_get_goes_back_to_the_page(client, recent):
    req = recent()
    response = client.get(f"/requests/{req.reference}/me-too/")
    assert response.status_code == 302 and response["Location"] == f"/requests/{req.reference}/#me-too"
    assert not MeToo.objects.exists()


def test_many_me_toos_from_one_address_are_refused(client, recent, settings):
    settings.MASSLINE_THROTTLE_ENABLED = True
    settings.MASSLINE_ME_TOO_RATE = "2/3600"
    cache.clear()
    reqs = [recent(text=f"第{i}个路口的红绿灯坏了很久了") for i in range(3)]
    assert client.post(f"/requests/{reqs[0].reference}/me-too/").status_code == 302
    assert other_person().post(f"/requests/{reqs[1].reference}/me-too/").status_code == 302
    refused = other_person().post(f"/requests/{reqs[2].reference}/me-too/")
    assert refused.status_code == 429 and "Retry-After" in refused
    assert MeToo.objects.count() == 2
    cache.clear()


def test_heat_of_a_hot_issue_counts_its_me_toos(recent):
    from massline.portal import actions
    from massline.workbench.hot import top_hot_issues

    texts = [
        "麓山南路路灯坏了，晚上很黑",
        "麓山南路的路灯不亮了，走路很危险",
        "麓山南路路灯坏了好几天，请修理",
    ]
    reqs = [recent(text=t, days=2 + i, requester_key=f"person-{i}") for i, t in enumerate(texts)]
    background = [
        "小区垃圾没人清运",
        "公交站台破损",
        "噪音扰民到深夜",
        "下水道堵塞返味",
        "菜市场占道经营",
        "学校门口交通拥堵",
        "电梯经常停运",
        "公园健身器材损坏",
        "自来水发黄",
        "违章停车堵消防通道",
    ]
    for i, t in enumerate(background):
        recent(text=t, days=1 + i, requester_key=f"other-{i}")
    before = top_hot_issues(days=30, limit=5)
    issue = next(h for h in before if set(r.pk for r in reqs) & set(h.member_ids))
    for n in range(10):
        actions.me_too(reqs[0], f"neighbour-{n}")
    after = top_hot_issues(days=30, limit=5)
    hotter = next(h for h in after if set(h.member_ids) == set(issue.member_ids))
    assert hotter.me_too == 10
    assert hotter.heat > issue.heat + 4  # 2·ln(1 + 10) ≈ 4.8, times recency and persistence ≥ 0.5


def test_the_requester_sees_the_count_in_the_rest_tracking_view(client, recent):
    req = recent()
    me_too(other_person(), req)
    body = client.get(f"/api/requests/track/{req.tracking_token}").json()
    assert body["me_too"] == 1


def test_staff_see_the_count_on_the_request(client, recent, staff):
    req = recent()
    me_too(other_person(), req)
    client.force_login(staff["admin"])
    page = client.get(f"/staff/r/{req.reference}/").content.decode()
    assert "“Me too”: 1" in page
