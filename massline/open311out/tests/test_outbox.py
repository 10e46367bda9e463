"""Deliveries to external Open311 endpoints: queued with the hand-over, retried with backoff up to a bound,
failures on the staff queue with a retry button, configuration through `massline open311 endpoint`."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from massline.cli import main
from massline.testing_services import free_port


@pytest.fixture
def water(city):
    """An external unit (a water company) whose endpoint nothing listens on."""
    from massline.console.actions import ConsoleActor
    from massline.open311out.actions import save_endpoint
    from massline.workflow.models import Unit

    unit = Unit.objects.create(code="water-co", name="自來水公司", parent=city["city"])
    return save_endpoint(
        ConsoleActor.command("test"),
        name="water",
        unit=unit.code,
        base_url=f"http://127.0.0.1:{free_port()}/open311/v2",
        api_key="k",
        service_codes={"*": "leak"},
    )


def test_a_dispatch_to_an_external_unit_queues_one_delivery_and_others_none(
    make_request, actors, water, city
):
    from massline.open311out.models import Delivery
    from massline.workflow import registry
    from massline.workflow.actions import ActionInput

    ours = make_request(text="水管爆了，马路上全是水")
    registry.perform("dispatch", ours, actors["dispatcher"], ActionInput(unit="water-co"))
    other = make_request(text="路灯坏了")
    registry.perform("dispatch", other, actors["dispatcher"], ActionInput(unit="housing"))
    (delivery,) = Delivery.objects.all()
    assert (delivery.request_id, delivery.endpoint, delivery.state) == (ours.pk, water, "pending")
    # a transfer to the external unit is a hand-over too
    registry.perform("transfer", other, actors["dispatcher"], ActionInput(unit="water-co", note="水務"))
    assert Delivery.objects.filter(request=other, endpoint=water).count() == 1


def test_a_failing_endpoint_is_retried_with_backoff_then_fails_onto_the_staff_queue(
    make_request, actors, water, client, staff
):
    from massline.open311out import sending
    from massline.open311out.models import Delivery
    from massline.workflow import actions as wf
    from massline.workflow.models import Unit

    req = make_request(text="水管爆了")
    wf.do_dispatch(req, actors["dispatcher"], unit=Unit.objects.get(code="water-co"))
    delivery = Delivery.objects.get(request=req)
    now = timezone.now()
    assert sending.send(delivery.pk, now) == "pending"
    delivery.refresh_from_db()
    assert delivery.attempts == 1 and delivery.next_attempt_at == now + timedelta(minutes=1)
    assert "Connection" in delivery.last_error
    assert sending.due(now) == []  # not before its time
    for minutes in (1, 6, 36, 156, 756):
        now += timedelta(minutes=minutes)
        assert sending.due(now) == [delivery.pk]
        state = sending.send(delivery.pk, now)
    delivery.refresh_from_db()
    assert (state, delivery.attempts) == ("failed", sending.MAX_ATTEMPTS)
    assert sending.due(now + timedelta(days=1)) == []  # bounded: no more attempts by itself
    req.refresh_from_db()
    assert req.state == "dispatched"  # nobody took it: the unit has not signed

    client.force_login(staff["dispatcher"])
    page = client.get("/staff/open311/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert req.reference in page and "failed" in page and "Retry now" in page
    response = client.post(f"/staff/open311/{delivery.pk}/retry/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("pending", 0)

    client.force_login(staff["staff-housing"])
    assert client.get("/staff/open311/").status_code == 403


def test_a_category_without_a_service_code_fails_at_once_with_the_reason(make_request, actors, water):
    from massline.open311out import sending
    from massline.open311out.models import Delivery
    from massline.workflow import actions as wf
    from massline.workflow.models import Unit

    water.service_codes = {"c1-none": "leak"}
    water.save()
    req = make_request(text="水管爆了")
    wf.do_dispatch(req, actors["dispatcher"], unit=Unit.objects.get(code="water-co"))
    delivery = Delivery.objects.get(request=req)
    assert sending.send(delivery.pk) == "failed"
    delivery.refresh_from_db()
    assert delivery.attempts == 1 and "no service_code" in delivery.last_error


def test_the_cli_configures_endpoints_and_reports_status(city, capsys):
    from massline.console.models import ConfigEvent
    from massline.open311out.models import Endpoint

    argv = ["open311", "endpoint", "housing-sys", "housing", "https://housing.example.org/open311/v2"]
    assert main([*argv, "--code", "*=general", "--api-key", "secret-key"]) == 0
    endpoint = Endpoint.objects.get(name="housing-sys")
    assert endpoint.unit.code == "housing" and endpoint.service_codes == {"*": "general"}
    (event,) = ConfigEvent.objects.filter(action="open311.endpoint")
    assert "secret-key" not in str(event.after)
    assert main([*argv, "--code", "nonsense"]) == 2
    assert "OUR_CATEGORY=THEIR_CODE" in capsys.readouterr().err
    assert main(["open311", "status"]) == 0
    assert "housing-sys\thousing\ton\tsent 0\twaiting 0\tfailed 0" in capsys.readouterr().out
