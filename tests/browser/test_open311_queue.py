"""The Open311 failure queue in Chromium: a dispatcher sees a delivery that failed (in Traditional Chinese,
the staff's default), retries it with one click, and sees it waiting again. Screenshot: open311-queue.png."""

from __future__ import annotations

import pytest
from browser_env import SHOTS, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_dispatcher_retries_a_failed_delivery(browser, live_server, city):
    from django.contrib.auth.models import User

    from massline.console.actions import ConsoleActor
    from massline.intake.actions import submit_request
    from massline.open311out import sending
    from massline.open311out.actions import save_endpoint
    from massline.open311out.models import Delivery
    from massline.testing_services import free_port
    from massline.workflow import actions as wf
    from massline.workflow.models import Unit

    unit = Unit.objects.create(code="water-co", name="自來水公司", parent=Unit.objects.get(code="city"))
    endpoint = save_endpoint(
        ConsoleActor.command("test"),
        name="water",
        unit=unit.code,
        base_url=f"http://127.0.0.1:{free_port()}/open311/v2",  # nothing listens there
        service_codes={"*": "leak"},
    )
    req = submit_request(
        text="人民路的水管爆了，馬路上全是水。", title="人民路水管爆裂", kind="complaint", channel="web"
    )
    wf.do_dispatch(req, wf.Actor.of(User.objects.get(username="dispatcher")), unit=unit)
    delivery = Delivery.objects.get(request=req, endpoint=endpoint)  # tried once, after the commit
    for _attempt in range(sending.MAX_ATTEMPTS):
        Delivery.objects.filter(pk=delivery.pk, state="pending").update(next_attempt_at=delivery.created_at)
        sending.send(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.state == "failed"

    context, page = login(browser, live_server.url, "dispatcher")
    page.click("nav >> text=Open311")
    page.wait_for_url("**/staff/open311/")
    row = page.locator("tr", has_text=req.reference)
    assert "失敗" in row.inner_text() and "Connection" in row.inner_text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "open311-queue.png"), full_page=True)
    row.get_by_role("button", name="立即重試").click()
    page.wait_for_load_state()
    assert "正在重新發送" in page.content() or "等待發送" in page.content()
    delivery.refresh_from_db()
    assert delivery.state in ("pending", "failed") and delivery.attempts <= 1  # a fresh round began
    context.close()
