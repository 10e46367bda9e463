"""A whole consultation in real headless Chromium: an organiser creates and opens it, participants (each a
separate browser context, so separate cookies) vote and add statements, the organiser moderates, and the
opinion map on the public page grows its groups. Screenshots: consult-*.png in var/screenshots
(docs/screenshots with `make screenshots`)."""

from __future__ import annotations

import re

import pytest
from browser_env import SHOTS

# Two camps: the first three participants like the market, the last three side with the residents.
SEEDS = [
    "A weekly night market would bring life to Riverside Road.",
    "Residents need quiet after ten in the evening.",
    "Street food stalls are a good way to support small businesses.",
    "The road is too narrow for crowds and delivery vans.",
    "The street needs more rubbish bins whatever is decided.",
]
CAMP_VOTES = {
    "market": ["Agree", "Disagree", "Agree", "Disagree", "Agree"],
    "residents": ["Disagree", "Agree", "Disagree", "Agree", "Agree"],
}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def organiser_user(db):
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user("organiser", password="massline-demo")
    user.groups.add(Group.objects.get_or_create(name="supervisor")[0])
    return user


def new_page(browser):
    ctx = browser.new_context(locale="en-US", viewport={"width": 1100, "height": 900})
    page = ctx.new_page()
    page.set_default_timeout(15_000)
    return page


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"consult-{name}.png"), full_page=True)


def vote_through(page, base, cid, camp, screenshot=None):
    """Vote on every statement the page offers, following the camp's line on the seed statements."""
    page.goto(f"{base}/consult/{cid}/vote/")
    for _ in range(10):
        card = page.locator("blockquote.statement-text")
        if card.count() == 0:
            break
        if screenshot:
            shot(page, screenshot)
            screenshot = None
        text = card.inner_text()
        choice = (
            CAMP_VOTES[camp][SEEDS.index(text)]
            if text in SEEDS
            else ("Agree" if camp == "market" else "Pass / unsure")
        )
        page.get_by_role("button", name=choice, exact=True).click()
        page.wait_for_load_state()
    assert page.get_by_test_id("all-voted").is_visible()


def map_stats(page, base, cid):
    page.goto(f"{base}/consult/{cid}/")
    return page.get_by_test_id("map-stats").inner_text() if page.get_by_test_id("map-stats").count() else ""


def test_consultation_end_to_end(browser, live_server, organiser_user, settings):
    settings.MASSLINE_OPINION_DEBOUNCE_SECONDS = 0  # every vote refreshes the map, so the test can watch it
    base = live_server.url

    # The organiser signs in, creates the consultation and opens it.
    org = new_page(browser)
    org.goto(f"{base}/consult/manage/new/")
    org.fill("#id_username", "organiser")
    org.fill("#id_password", "massline-demo")
    org.get_by_role("button", name="Sign in").click()
    org.fill("#id_title", "Night market on Riverside Road")
    org.fill(
        "#id_question",
        "The district proposes a weekly night market on Riverside Road, Fridays 18:00-23:00. "
        "What do you think?",
    )
    org.fill("#id_seed_statements", "\n".join(SEEDS))
    shot(org, "create")
    org.get_by_role("button", name="Create").click()
    org.get_by_role("button", name="Open the consultation").click()
    assert org.get_by_text("The consultation is open.").is_visible()
    cid = int(re.search(r"/consult/manage/(\d+)/", org.url).group(1))

    # Three participants vote; two of them write statements (one hostile, one a near-duplicate).
    people = [new_page(browser) for _ in range(6)]
    camps = ["market"] * 3 + ["residents"] * 3
    for i, (page, camp) in enumerate(zip(people[:3], camps[:3], strict=True)):
        vote_through(page, base, cid, camp, screenshot="vote" if i == 0 else None)
    people[0].fill("#id_text", "Open the market only once a month <script>alert('x')</script>")
    people[0].get_by_role("button", name="Submit statement").click()
    assert people[0].get_by_text("will be shown to others once a moderator accepts it").is_visible()
    people[1].fill("#id_text", "Residents need quiet after ten in the evening!")
    people[1].get_by_role("button", name="Submit statement").click()
    assert people[1].get_by_test_id("similar").is_visible()
    shot(people[1], "similar")
    people[1].fill("#id_text", "Stalls should pay for the street cleaning afterwards.")
    people[1].get_by_role("button", name="Submit anyway").click()
    assert "3 participants ·" in map_stats(people[2], base, cid)

    # The organiser works through the moderation queue.
    org.goto(f"{base}/consult/manage/{cid}/moderation/")
    shot(org, "moderation")
    hostile = org.locator("article.mod-item", has_text="once a month")
    hostile.get_by_label("Reason for rejecting").fill("Contains program code; please rephrase.")
    hostile.get_by_role("button", name="Reject").click()
    org.locator("article.mod-item", has_text="street cleaning").get_by_role("button", name="Accept").click()
    assert org.get_by_test_id("queue-empty").is_visible()

    # The others vote, including on the accepted statement; the rejected one never reaches them.
    for page, camp in zip(people[3:], camps[3:], strict=True):
        vote_through(page, base, cid, camp)
        assert page.get_by_text("once a month").count() == 0
    for page, camp in zip(people[:3], camps[:3], strict=True):
        vote_through(page, base, cid, camp)
    shot(people[4], "vote-done")
    people[0].goto(f"{base}/consult/{cid}/vote/")
    assert (
        people[0].get_by_text("Contains program code; please rephrase.").is_visible()
    )  # the author sees why

    # The map now holds everyone, split into the two camps.
    stats = map_stats(people[0], base, cid)
    assert "6 participants ·" in stats
    groups = people[0].get_by_test_id("groups")
    assert "2 opinion groups" in people[0].content()
    assert groups.locator("section.group").count() == 2
    assert "rubbish bins" in people[0].get_by_test_id("common-ground").inner_text()  # both camps agree on it
    dots = people[0].locator("svg.map-svg circle[data-count]")
    assert sum(int(dots.nth(i).get_attribute("data-count")) for i in range(dots.count())) == 6
    shot(people[0], "map")
    people[1].goto(f"{base}/consult/")
    shot(people[1], "list")

    # The organiser closes it and publishes the outcome; voters see it and can no longer vote.
    org.goto(f"{base}/consult/manage/{cid}/")
    org.get_by_role("button", name="Close the consultation").click()
    org.fill(
        "#id_outcome",
        "Adopted: a monthly trial market, closing at 22:00, because both groups agreed on quiet "
        "evenings and support for small businesses.",
    )
    org.get_by_role("button", name="Publish the outcome").click()
    shot(org, "manage")
    people[3].goto(f"{base}/consult/{cid}/")
    assert people[3].get_by_text("Adopted: a monthly trial market").is_visible()
    people[3].goto(f"{base}/consult/{cid}/vote/")
    assert people[3].get_by_test_id("closed").is_visible()
    people[3].goto(f"{base}/consult/{cid}/")
    shot(people[3], "outcome")
