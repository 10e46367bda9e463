"""The keyboard alone, in real Chromium: a citizen submits a request on /submit/ and a participant votes on a
consultation's statements and adds one, with Tab, arrow keys, typing, Enter and Space: no mouse, no click.
Every element the Tab key reaches must show a visible focus indicator (the :focus-visible outline and
ring of massline.css). Screenshot: a11y-keyboard-focus.png in var/screenshots (docs/screenshots with
`make screenshots`)."""

from __future__ import annotations

import pytest
from browser_env import DESKTOP, OFFLINE_TILES, SHOTS
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAX_TABS = 60
OWN = "Stalls should close by nine on school nights."

FOCUS = """() => {
    const el = document.activeElement;
    const cs = getComputedStyle(el);
    const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0;
    return {
        what: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.name ? '[name=' + el.name + ']' : ''),
        visible: el.matches(':focus-visible'),
        ring: outline || cs.boxShadow !== 'none',
        width: Math.max(parseFloat(cs.outlineWidth) || 0, 0),
    };
}"""


def tab_to(page, selector: str, seen: list[dict]) -> dict:
    """Press Tab until ``selector`` has the focus; every stop on the way must show its focus indicator."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS)
        if focus["what"] != "body":
            seen.append(focus)
            assert focus["visible"] and focus["ring"], f"no visible focus indicator on {focus['what']}"
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return focus
    raise AssertionError(
        f"{MAX_TABS} presses of Tab never reached {selector}; reached {[f['what'] for f in seen]}"
    )


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"a11y-{name}.png"))


@pytest.fixture
def consultation(city):
    from django.contrib.auth.models import User

    from massline.consult import actions as consult

    organiser = User.objects.get(username="supervisor")
    c = consult.create_consultation(
        organiser,
        title="Should Riverside Road have a weekly night market?",
        question="A night market every Saturday on Riverside Road: what do you think?",
        languages=("zh-hant", "en"),
        seed_statements=[
            "A night market would bring life to Riverside Road.",
            "Residents need quiet after ten in the evening.",
        ],
        moderation="post",
    )
    consult.open_consultation(c, organiser)
    return c


def test_a_citizen_submits_a_request_with_the_keyboard_alone(browser, live_server, city, settings):
    from massline.workflow.models import Request

    settings.MASSLINE_TILE_URL = OFFLINE_TILES
    context = browser.new_context(viewport=DESKTOP, locale="zh-TW")
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    seen: list[dict] = []

    # From the home page: the skip link first, then the nav link to the form.
    first = tab_to(page, "a", seen)
    assert first["what"] == "a" and page.evaluate("document.activeElement.classList.contains('skip-link')")
    tab_to(page, "nav a[href='/submit/']", seen)
    page.keyboard.press("Enter")
    page.wait_for_url("**/submit/")
    page.wait_for_load_state("networkidle")

    tab_to(page, "input[name=kind]", seen)
    assert page.evaluate("document.activeElement.value") == "complaint"  # the checked choice takes the focus
    page.keyboard.press("ArrowDown")  # arrows move through a radio group and choose
    kind = page.evaluate("document.querySelector('input[name=kind]:checked').value")
    assert kind != "complaint"
    tab_to(page, "#id_title", seen)
    page.keyboard.type("公園路路燈壞了")
    tab_to(page, "#id_text", seen)
    page.keyboard.type("公園路 12 號前的路燈壞了一週，晚上很黑，老人小孩走路危險。")
    tab_to(page, "#id_address", seen)
    page.keyboard.type("公園路 12 號")
    tab_to(page, "#id_contact_phone", seen)
    page.keyboard.type("13812345678")
    shot(page, "keyboard-submit")
    tab_to(page, "form button[type=submit]", seen)
    page.keyboard.press("Enter")

    page.wait_for_url("**/receipt/")
    reference = page.locator("#reference").inner_text().strip()
    req = Request.objects.get(reference=reference)
    assert (req.kind, req.title, req.channel, req.contact_phone) == (
        kind,
        "公園路路燈壞了",
        "web",
        "13812345678",
    )
    assert len({f["what"] for f in seen}) > 10, "the walk went through the header, the nav and the form"
    context.close()


def test_a_participant_votes_and_adds_a_statement_with_the_keyboard_alone(browser, live_server, consultation):
    from massline.consult.models import Statement, Vote

    context = browser.new_context(viewport=DESKTOP, locale="en-US")
    page = context.new_page()
    page.goto(f"{live_server.url}/consult/{consultation.pk}/vote/")
    seen: list[dict] = []

    first = page.locator("blockquote.statement-text").inner_text()
    focus = tab_to(page, "button.vote-agree", seen)
    assert focus["width"] >= 2, "the focus outline is at least 2px wide"
    shot(page, "keyboard-focus")
    page.keyboard.press("Enter")
    # the vote posts and the next statement arrives: wait for it rather than for the old page's load state
    expect(page.locator("blockquote.statement-text")).not_to_have_text(first)
    second = page.locator("blockquote.statement-text").inner_text()
    assert second != first

    tab_to(page, "button.vote-disagree", seen)
    page.keyboard.press("Space")  # buttons answer Space as well as Enter
    page.get_by_test_id("all-voted").wait_for()

    votes = {v.statement.text: v.value for v in Vote.objects.filter(statement__consultation=consultation)}
    assert votes == {first: 1, second: -1}

    tab_to(page, "textarea", seen)
    page.keyboard.type(OWN)
    tab_to(page, ".add-statement form button[type=submit]", seen)
    page.keyboard.press("Enter")
    page.locator(".own-statements").wait_for()
    assert page.locator(".own-statements").inner_text().startswith(OWN)
    assert Statement.objects.filter(consultation=consultation, text=OWN).exists()
    context.close()
