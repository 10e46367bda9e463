"""Consultations end to end through the actions and the pages, against the real database."""

from __future__ import annotations

import random

import pytest
from django.urls import reverse

from massline.consult import actions
from massline.consult.actions import ConsultError
from massline.consult.models import Consultation, OpinionSnapshot, Statement, Vote
from massline.consult.tasks import compute_snapshot, recompute_opinion_map

pytestmark = pytest.mark.django_db


def participant(c, key):
    return actions.get_or_create_participant(c, cookie_key=key)


def test_lifecycle_through_actions(organiser, client, django_capture_on_commit_callbacks, eager_map):
    c = actions.create_consultation(
        organiser,
        title="Bus lane on Elm Street",
        question="Draft: a bus lane from 7 to 9 am.",
        moderation="pre",
        languages=["zh-hant", "en", "xx"],
        seed_statements=["Buses will be faster."],
    )
    assert c.status == Consultation.Status.DRAFT and c.language_list() == ["zh-hant", "en"]
    seed = c.statements.get()
    assert seed.state == Statement.State.ACCEPTED
    alice = participant(c, "alice")
    with pytest.raises(ConsultError, match="not open"):
        actions.cast_vote(alice, seed, Vote.AGREE)
    assert client.get(reverse("consult:detail", args=[c.pk])).status_code == 404  # drafts are not public

    actions.open_consultation(c, organiser)
    mine = actions.add_statement(c, alice, "Cyclists need the lane too.")
    assert mine.state == Statement.State.PENDING
    assert list(c.voter_statements()) == [seed]  # pre-moderated: hidden until accepted
    actions.moderate_statement(mine, organiser, accept=True)
    assert set(c.voter_statements()) == {seed, mine}

    with django_capture_on_commit_callbacks(execute=True):
        actions.cast_vote(alice, seed, Vote.AGREE)
    assert c.snapshots.exists()

    actions.close_consultation(c, organiser)
    with pytest.raises(ConsultError, match="closed"):
        actions.cast_vote(alice, mine, Vote.AGREE)
    with pytest.raises(ConsultError):
        actions.publish_outcome(c, organiser, "   ")
    actions.publish_outcome(
        c, organiser, "Adopted: the lane opens in May, shared with bicycles, because most agreed."
    )
    page = client.get(reverse("consult:detail", args=[c.pk])).content.decode()
    assert "shared with bicycles" in page
    assert [e.action for e in c.events.order_by("at", "id")] == [
        "create",
        "seed_statement",
        "open",
        "accept",
        "close",
        "publish_outcome",
    ]


def test_statement_validation(open_consultation):
    c = open_consultation
    p = participant(c, "bob")
    with pytest.raises(ConsultError, match="at least"):
        actions.add_statement(c, p, "  hi ")
    with pytest.raises(ConsultError, match="at most"):
        actions.add_statement(c, p, "x" * 301)
    with pytest.raises(ConsultError, match="already exists"):
        actions.add_statement(c, p, "The night market would bring life to the street.")
    st = actions.add_statement(c, p, "Stalls\u202e should close\x00 at   eleven.")
    assert st.text == "Stalls should close at eleven."  # bidi overrides, NUL and runs of spaces removed
    with pytest.raises(ConsultError, match="reason"):
        actions.moderate_statement(st, None, accept=False, reason=" ")


def test_latest_vote_counts(open_consultation, eager_map):
    c = open_consultation
    st = c.statements.first()
    p = participant(c, "carol")
    actions.cast_vote(p, st, Vote.AGREE)
    actions.cast_vote(p, st, Vote.DISAGREE)
    actions.cast_vote(p, st, Vote.DISAGREE)
    vote = Vote.objects.get(participant=p, statement=st)
    assert (vote.value, vote.changes) == (Vote.DISAGREE, 1)
    assert compute_snapshot(c).vote_count == 1


def test_rejected_statements_never_reach_voters(open_consultation, organiser, client):
    c = open_consultation
    author = participant(c, "dave")
    bad = actions.add_statement(c, author, "Buy cheap watches at example dot com")
    actions.moderate_statement(bad, organiser, accept=False, reason="advertising")
    c.moderation = Consultation.Moderation.POST  # even post-moderation never shows a rejected statement
    c.save()
    url = reverse("consult:vote", args=[c.pk])
    seen = []
    for _ in range(5):
        page = client.get(url).content.decode()
        assert "cheap watches" not in page
        if 'name="statement"' not in page:
            break
        sid = int(page.split('name="statement" value="')[1].split('"')[0])
        seen.append(sid)
        client.post(reverse("consult:cast_vote", args=[c.pk]), {"statement": sid, "value": "1"})
    assert sorted(seen) == sorted(c.statements.filter(state="accepted").values_list("pk", flat=True))
    resp = client.post(
        reverse("consult:cast_vote", args=[c.pk]), {"statement": bad.pk, "value": "1"}, follow=True
    )
    assert "not open for votes" in resp.content.decode()
    assert not Vote.objects.filter(statement=bad).exists()


def test_voting_on_closed_consultation_says_so(open_consultation, organiser, client):
    c = open_consultation
    st = c.statements.first()
    client.get(reverse("consult:vote", args=[c.pk]))
    actions.close_consultation(c, organiser)
    resp = client.post(
        reverse("consult:cast_vote", args=[c.pk]), {"statement": st.pk, "value": "1"}, follow=True
    )
    assert "This consultation is closed: votes are no longer accepted." in resp.content.decode()
    assert not Vote.objects.exists()


def test_hostile_strings_are_escaped(organiser, client, django_capture_on_commit_callbacks, eager_map):
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    c = actions.create_consultation(
        organiser, title=f"T {evil}", question=f"Q {evil}", seed_statements=[f"S {evil}"]
    )
    actions.open_consultation(c, organiser)
    client.post(reverse("consult:add_statement", args=[c.pk]), {"text": f"P {evil}", "confirm": "True"})
    st = c.statements.get(text__startswith="P ")
    client.force_login(organiser)
    actions.moderate_statement(st, organiser, accept=True)
    for i in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            for s in c.statements.all():
                actions.cast_vote(participant(c, f"v{i}"), s, Vote.AGREE)
    pages = [
        reverse("consult:list"),
        reverse("consult:detail", args=[c.pk]),
        reverse("consult:vote", args=[c.pk]),
        reverse("consult:manage", args=[c.pk]),
        reverse("consult:moderation", args=[c.pk]),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html, url
        assert "&lt;script&gt;" in html, url


def test_vote_page_shows_an_unvoted_statement_by_priority(open_consultation, client, eager_map):
    c = open_consultation
    # A map with priorities exists (several participants voted), so the priority rule is in charge.
    for i in range(4):
        p = participant(c, f"p{i}")
        for s in c.statements.all():
            actions.cast_vote(p, s, random.Random(i).choice([1, -1, 0]))
    compute_snapshot(c)
    assert c.snapshots.get().data["priority"]
    url = reverse("consult:vote", args=[c.pk])
    client.get(url)
    voted = set()
    for _ in range(c.statements.count()):
        page = client.get(url).content.decode()
        sid = int(page.split('name="statement" value="')[1].split('"')[0])
        assert sid not in voted
        assert f'data-statement="{sid}"' in client.get(url).content.decode()  # a reload shows the same one
        client.post(reverse("consult:cast_vote", args=[c.pk]), {"statement": sid, "value": "0"})
        voted.add(sid)
    assert "You have voted on every statement" in client.get(url).content.decode()


def test_similar_statements_are_suggested(open_consultation, client):
    c = open_consultation
    url = reverse("consult:add_statement", args=[c.pk])
    client.get(reverse("consult:vote", args=[c.pk]))
    resp = client.post(url, {"text": "The night market would bring life to our street!"})
    html = resp.content.decode()
    assert "Similar statements already exist" in html and "bring life to the street" in html
    assert not c.statements.filter(text__contains="our street").exists()
    client.post(url, {"text": "The night market would bring life to our street!", "confirm": "True"})
    assert c.statements.filter(text__contains="our street", state="pending").exists()


def test_embedding_with_xid(open_consultation, client):
    c = open_consultation
    st = c.statements.first()
    embed = reverse("consult:embed", args=[c.pk])
    assert client.get(embed).status_code == 404  # an embed without an xid has nobody to vote as
    from massline.consult.embedding import sign_xid

    signed = f"?xid=user-42&sig={sign_xid(c, 'user-42')}"  # the embedding site signs its xids
    resp = client.get(embed + signed)
    assert resp.status_code == 200 and "X-Frame-Options" not in resp.headers
    assert "Staff sign-in" not in resp.content.decode()  # no portal chrome inside someone else's page
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.post(reverse("consult:embed_vote", args=[c.pk]) + signed, {"statement": st.pk, "value": "-1"})
    vote = Vote.objects.get()
    assert vote.participant.xid == "user-42" and vote.value == -1


def test_organiser_pages_need_the_role(open_consultation, client, organiser):
    from django.contrib.auth.models import User

    url = reverse("consult:manage", args=[open_consultation.pk])
    assert client.get(url)["Location"].startswith("/staff/login/")
    client.force_login(User.objects.create_user("citizen"))
    assert client.get(url).status_code == 403
    client.force_login(organiser)
    assert client.get(url).status_code == 200


def test_moderation_queue_accepts_and_rejects(open_consultation, client, organiser):
    c = open_consultation
    p = participant(c, "erin")
    good = actions.add_statement(c, p, "Close the market at eleven on weekdays.")
    bad = actions.add_statement(c, p, "Everyone who disagrees is an idiot.")
    client.force_login(organiser)
    url = reverse("consult:moderation", args=[c.pk])
    assert "Close the market at eleven" in client.get(url).content.decode()
    client.post(url, {"statement": good.pk, "decision": "accept"})
    resp = client.post(url, {"statement": bad.pk, "decision": "reject", "reason": ""}, follow=True)
    assert "Give a reason" in resp.content.decode()
    client.post(url, {"statement": bad.pk, "decision": "reject", "reason": "insults other participants"})
    good.refresh_from_db()
    bad.refresh_from_db()
    assert (good.state, bad.state, bad.reject_reason) == (
        "accepted",
        "rejected",
        "insults other participants",
    )
    assert "Nothing is waiting for moderation." in client.get(url).content.decode()


def test_recompute_is_debounced_in_process(open_consultation, settings, django_capture_on_commit_callbacks):
    settings.MASSLINE_OPINION_DEBOUNCE_SECONDS = 3600
    c = open_consultation
    statements = list(c.statements.all())
    with django_capture_on_commit_callbacks(execute=True):
        actions.cast_vote(participant(c, "f"), statements[0], 1)
    with django_capture_on_commit_callbacks(execute=True):
        actions.cast_vote(participant(c, "g"), statements[0], -1)
    assert OpinionSnapshot.objects.count() == 1  # the second vote waits for the debounce interval
    c.refresh_from_db()
    assert c.opinion_dirty_since is not None
    with django_capture_on_commit_callbacks(execute=True):
        actions.request_recompute(c, force=True)  # the organiser's "recompute now"
    assert c.snapshots.first().vote_count == 2
    c.refresh_from_db()
    assert c.opinion_dirty_since is None


def test_list_page_query_count(open_consultation, organiser, client, django_assert_max_num_queries):
    for i in range(5):
        c = actions.create_consultation(organiser, title=f"C{i}", question="Q?")
        actions.open_consultation(c, organiser)
    with django_assert_max_num_queries(6):
        html = client.get(reverse("consult:list")).content.decode()
    assert "C4" in html and "Night market" in html
    c = open_consultation
    for i in range(12):
        p = participant(c, f"q{i}")
        for s in c.statements.all():
            actions.cast_vote(p, s, 1 if i % 2 else -1)
    recompute_opinion_map(c.pk, force=True)  # what the worker does: the map is current, nothing is due
    client.get(reverse("consult:vote", args=[c.pk]))  # sets the participant cookie
    for url in (reverse("consult:detail", args=[c.pk]), reverse("consult:vote", args=[c.pk])):
        with django_assert_max_num_queries(9):
            assert client.get(url).status_code == 200


# ---------------------------------------------------------------- the opinion map


CAMP_A_AGREES = [0, 1, 2, 3]  # camp A agrees with statements 0-3 and rejects 4-7; camp B the opposite


def build_camps(organiser):
    """Two opposed camps of 10 participants over 8 statements (10% passes); returns (c, statements, camps)."""
    c = actions.create_consultation(
        organiser,
        title="Riverside park",
        question="What should the new park have?",
        seed_statements=[f"Statement number {i}: the park should have feature {i}." for i in range(8)],
    )
    actions.open_consultation(c, organiser)
    statements = list(c.statements.order_by("id"))
    rng = random.Random(7)
    camps = {}
    for i in range(20):
        p = participant(c, f"camp{i}")
        camps[p.pk] = "A" if i < 10 else "B"
        for j, s in enumerate(statements):
            agree = (j in CAMP_A_AGREES) == (i < 10)
            value = 0 if rng.random() < 0.1 else (1 if agree else -1)
            actions.cast_vote(p, s, value)
    return c, statements, camps


def test_map_finds_two_opposed_camps(organiser, client, eager_map, django_capture_on_commit_callbacks):
    c, statements, camps = build_camps(organiser)
    # A turncoat first votes with camp A, then changes every vote to camp B's: the latest vote counts.
    turncoat = participant(c, "turncoat")
    camps[turncoat.pk] = "B"
    for j, s in enumerate(statements):
        actions.cast_vote(turncoat, s, 1 if j in CAMP_A_AGREES else -1)
    for j, s in enumerate(statements):
        actions.cast_vote(turncoat, s, -1 if j in CAMP_A_AGREES else 1)

    snap = compute_snapshot(c)
    groups = snap.data["groups"]
    assert len(groups) == 2
    by_point = {pid: g for _x, _y, g, pid in snap.data["points"]}
    assert set(by_point) == set(camps)
    for camp in "AB":
        assert len({by_point[pid] for pid, k in camps.items() if k == camp}) == 1
    assert by_point[turncoat.pk] != by_point[next(pid for pid, k in camps.items() if k == "A")]
    # Each group's representative statements are the ones its camp agrees with.
    group_of_a = by_point[next(pid for pid, k in camps.items() if k == "A")]
    rep_a = [r for r in groups[group_of_a]["repness"] if r["repful_for"] == "agree"]
    assert rep_a and all(statements.index(c.statements.get(pk=r["tid"])) in CAMP_A_AGREES for r in rep_a)

    client.force_login(organiser)
    manage = client.get(reverse("consult:manage", args=[c.pk])).content.decode()
    assert "Group A agrees" in manage and "Group B agrees" in manage and "feature 7" in manage
    export = client.get(reverse("consult:export", args=[c.pk]))
    import csv
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(export.content)) as zf:
        assert sorted(zf.namelist()) == ["comments.csv", "participants-votes.csv", "votes.csv"]
        rows = list(csv.DictReader(io.StringIO(zf.read("participants-votes.csv").decode())))
    assert len(rows) == 21 and len({r["group-id"] for r in rows}) == 2  # Pol.is format, with our groups
    html = client.get(reverse("consult:detail", args=[c.pk])).content.decode()
    assert "2 opinion groups" in html
    import re

    assert sum(int(n) for n in re.findall(r'data-count="(\d+)"', html)) == 21  # every participant is drawn


def test_demo_consultation(organiser, client):
    from massline.consult.demo import build_demo_consultation

    c = build_demo_consultation(organiser, n_participants=30)
    assert build_demo_consultation(organiser).pk == c.pk  # idempotent
    snap = c.snapshots.get()
    assert len(snap.data["groups"]) >= 2 and snap.participant_count == 30
    assert c.statements.filter(state="pending").count() == 1  # one statement waits for the moderators
    assert "opinion group" in client.get(reverse("consult:detail", args=[c.pk])).content.decode()


def test_incremental_update_agrees_with_a_full_fit(organiser):
    c, statements, camps = build_camps(organiser)
    first = compute_snapshot(c)
    assert first.engine.endswith("(full)")
    newcomer = participant(c, "newcomer")
    for j, s in enumerate(statements):
        actions.cast_vote(newcomer, s, 1 if j in CAMP_A_AGREES else -1)
    changer = next(pid for pid, k in camps.items() if k == "B")
    for s in statements[:2]:  # a camp-B participant changes two votes: the warm update must see the change
        actions.cast_vote(c.participants.get(pk=changer), s, 0)
    warm = compute_snapshot(c)
    assert warm.engine.endswith("(incremental)")
    assert (warm.participant_count, warm.vote_count) == (21, 21 * 8)
    cold = compute_snapshot(c, full=True)
    assert cold.engine.endswith("(full)")

    def partition(snap):
        members: dict[int, set] = {}
        for _x, _y, g, pid in snap.data["points"]:
            members.setdefault(g, set()).add(pid)
        return {frozenset(m) for m in members.values()}

    assert partition(warm) == partition(cold)  # group numbers may differ, the groups may not
    group = {pid: g for _x, _y, g, pid in warm.data["points"]}
    a_member = next(pid for pid, k in camps.items() if k == "A")
    assert group[newcomer.pk] == group[a_member] != group[changer]


def test_a_statement_that_still_looks_personal_waits_for_a_moderator(open_consultation, organiser, settings):
    """Even in post-moderation, where statements are shown before review, one whose redacted text still
    looks personal (the detector's hold score) is held until a moderator accepts it."""
    c = open_consultation
    c.moderation = Consultation.Moderation.POST
    c.save(update_fields=["moderation"])
    alice = participant(c, "alice-held")
    plain = actions.add_statement(c, alice, "公交专用道应该全天开放。")
    personal = actions.add_statement(c, alice, "我的联系方式在简介里，加我 ID 请私信 77 88 99 00 11")
    assert not plain.held and personal.held
    shown = set(c.voter_statements())
    assert plain in shown and personal not in shown
    actions.moderate_statement(personal, organiser, accept=True)
    assert personal in set(c.voter_statements())

    settings.MASSLINE_PREMODERATE = True  # everything waits when the city says so
    later = actions.add_statement(c, participant(c, "bob-held"), "自行车道也要保留。")
    assert later.held and later not in set(c.voter_statements())
