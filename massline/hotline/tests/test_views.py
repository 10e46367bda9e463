"""The call screen and the knowledge base as a call-taker uses them; other roles and visitors are refused."""

import pytest
from django.urls import reverse

from massline.core.workflow import State
from massline.hotline import actions
from massline.workflow.models import Request

pytestmark = pytest.mark.django_db
ANSWER = "居住证续签请携带身份证到户籍所在地派出所办理。"


@pytest.fixture
def operator(client, staff):
    client.force_login(staff["dispatcher"])
    return client


@pytest.mark.parametrize("name", ["hotline:calls", "hotline:answers", "hotline:answer_new"])
def test_unit_staff_and_visitors_are_refused(client, staff, name):
    url = reverse(name)
    assert client.get(url).status_code == 302 and "/login/" in client.get(url)["Location"]
    client.force_login(staff["staff-housing"])
    assert client.get(url).status_code == 403
    assert client.post(reverse("hotline:take"), {"text": "x"}).status_code == 403


def test_the_caller_history_shows_open_requests_first(operator, staff, make_request, actors):
    closed = make_request("上个月问过公积金", contact_phone="13800138000", kind="inquiry")
    from massline.workflow import actions as wf

    wf.do_answer_on_call(closed, actors["dispatcher"], text=ANSWER)
    still_open = make_request("路灯还没修", contact_phone="138 0013 8000")
    page = operator.get(reverse("hotline:calls"), {"phone": "+86 138-0013-8000"}).content.decode()
    assert page.index(still_open.reference) < page.index(closed.reference)
    assert "autofocus" in page and 'value="+86 138-0013-8000"' in page


def test_taking_and_answering_a_call(operator):
    response = operator.post(
        reverse("hotline:take"),
        {
            "kind": "inquiry",
            "text": "居住证到期了怎么办？",
            "contact_phone": "13700001111",
            "answer": ANSWER,
            "mode": "answer",
        },
    )
    req = Request.objects.get(contact_phone="13700001111")
    assert response.status_code == 302 and req.reference in response["Location"]
    assert req.state == State.CLOSED and req.channel == "hotline"
    page = operator.get(response["Location"]).content.decode()
    assert req.reference in page
    # answering without an answer is refused, and nothing is created
    response = operator.post(
        reverse("hotline:take"),
        {"kind": "inquiry", "text": "又一个问题", "contact_phone": "13700001111", "mode": "answer"},
    )
    assert response.status_code == 400 and Request.objects.filter(contact_phone="13700001111").count() == 1


def test_the_knowledge_base_is_kept_and_found_on_the_call_screen(operator):
    response = operator.post(
        reverse("hotline:answer_new"),
        {"title": "居住证续签", "keywords": "居住证 到期", "answer": ANSWER, "active": "on"},
    )
    assert response.status_code == 302
    page = operator.get(reverse("hotline:calls"), {"q": "居住證"}).content.decode()
    assert "居住证续签" in page or "居住證續簽" in page
    assert operator.post(reverse("hotline:answer_new"), {"title": "", "answer": ""}).status_code == 400


def test_lookup_refuses_a_mismatch_without_saying_which_is_wrong(operator, make_request):
    req = make_request(contact_phone="13800138000")
    wrong_phone = operator.post(
        reverse("hotline:lookup"), {"reference": req.reference, "phone": "13900000000"}
    )
    wrong_ref = operator.post(
        reverse("hotline:lookup"), {"reference": "000000-00000", "phone": "13800138000"}
    )
    assert wrong_phone.status_code == wrong_ref.status_code == 400
    assert req.tracking_token not in wrong_phone.content.decode()
    found = operator.post(reverse("hotline:lookup"), {"reference": req.reference, "phone": "138 0013 8000"})
    assert found.status_code == 200 and req.reference in found.content.decode()
    resent = operator.post(reverse("hotline:resend"), {"reference": req.reference, "phone": "13800138000"})
    assert resent.status_code == 200 and 'role="status"' in resent.content.decode()
    no_contact = make_request()
    actions_found = actions.find_by_reference_and_phone(no_contact.reference, "")
    assert actions_found is None


def test_the_first_contact_rate_shows_on_the_dashboard_and_the_statistics_page(
    operator, make_request, actors
):
    from massline.workflow import actions as wf

    wf.do_answer_on_call(make_request(kind="inquiry", channel="hotline"), actors["dispatcher"], text=ANSWER)
    make_request(channel="hotline")
    assert "data-first-contact-rate>50%" in operator.get(reverse("workbench:dashboard")).content.decode()
    assert "data-first-contact-rate>50%" in operator.get(reverse("portal:statistics")).content.decode()
