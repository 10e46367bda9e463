"""The monthly problem (每月一題) in Chromium: a supervisor turns a hot issue from the dashboard into the
monthly problem and posts a milestone; a citizen who complained about it receives the e-mail through a real
SMTP server (aiosmtpd), and the public page shows the plan, the milestone and the progress.

Screenshots: monthly-staff.png, monthly-public.png (var/screenshots; docs/screenshots with
MASSLINE_SCREENSHOTS_DIR=docs/screenshots)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from browser_env import DESKTOP, SHOTS, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
COMPLAINANT = "chen@example.org"


@pytest.fixture
def lift_complaints(city):
    """Four people complained about the lifts of 幸福小区 this month (one, Chen, left an e-mail, in
    Traditional Chinese); three other requests make an ordinary month around them."""
    from django.utils import timezone, translation

    from massline.intake.actions import submit_request

    now = timezone.now()
    with translation.override("zh-hant"):
        lifts = [
            submit_request(
                text=f"幸福小区3号楼电梯又坏了,老人上下楼很困难,请尽快维修电梯。({i})",
                title="幸福小区电梯故障",
                contact_email=COMPLAINANT if i == 0 else "",
                at=now - timedelta(days=i + 1),
                auto_route=False,
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
            submit_request(text=text, title=text[:10], at=now - timedelta(days=i + 2), auto_route=False)
    return lifts


def _waiting_for(inbox, address, words, seconds=20.0):
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = [m for m in inbox.to(address) if words in m["Subject"]]
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(
        f"no message to {address} with {words!r}: {[m['Subject'] for m in inbox.to(address)]}"
    )


def test_a_supervisor_makes_a_hot_issue_the_monthly_problem_and_the_complainant_hears_of_the_milestone(
    browser, live_server, inbox, lift_complaints
):
    from massline.monthly.models import MonthlyProblem

    context, page = login(browser, live_server.url, "supervisor")
    page.goto(f"{live_server.url}/staff/dashboard/")
    # the dashboard shows hot issues in the reader's script: 电梯 reads 電梯 on the zh-Hant page
    row = page.locator("[data-row]", has_text="電梯").first
    row.get_by_role("button", name="列為每月一題").click()
    page.wait_for_url("**/staff/monthly/new/**")
    assert "其中 4 件訴求會成為關聯訴求" in page.content()
    page.get_by_label("牽頭單位").select_option("housing")
    page.get_by_label("工作方案").fill("本月內更換幸福小區3號樓電梯，物業每週檢查一次。")
    page.get_by_role("button", name="列為每月一題").click()
    page.wait_for_url("**/staff/monthly/*/")
    problem = MonthlyProblem.objects.get()
    assert problem.requests.count() == 4

    form = page.locator("#milestone-form")
    form.get_by_label("進展節點").fill("新電梯已到貨")
    form.get_by_label("說明").fill("安裝隊下週一進場。")
    form.get_by_label("完成進度（%）").fill("40")
    form.get_by_role("button", name="發布").click()
    page.get_by_text("進展節點已發布").wait_for()
    assert page.locator("progress").first.get_attribute("value") == "40"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "monthly-staff.png"), full_page=True)

    (mail,) = _waiting_for(inbox, COMPLAINANT, "您反映的問題有新進展")
    body = mail.get_body(preferencelist=("plain",)).get_content()
    assert (
        "新電梯已到貨" in body
        and "完成進度：40%" in body
        and f"{live_server.url}/monthly/{problem.pk}/" in body
    )

    context.close()

    public = browser.new_context(viewport=DESKTOP, locale="zh-TW").new_page()
    public.goto(f"{live_server.url}/")
    public.get_by_role("link", name="每月一題").first.click()
    public.get_by_role("link", name="幸福小區").first.click()
    public.wait_for_url(f"**/monthly/{problem.pk}/")
    content = public.content()
    assert "新電梯已到貨" in content and "本月內更換幸福小區3號樓電梯" in content
    assert COMPLAINANT not in content
    assert public.locator("progress").first.get_attribute("value") == "40"
    assert public.locator("#results li.card").count() == 4
    public.screenshot(path=str(SHOTS / "monthly-public.png"), full_page=True)
    assert len(_waiting_for(inbox, COMPLAINANT, "您反映的問題有新進展")) == 1
