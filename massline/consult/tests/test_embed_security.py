"""Abuse controls of consultations: signed xids, one vote per statement, a statement cap, sign-in required."""

from __future__ import annotations

import pytest
from django.urls import reverse

from massline.consult import actions
from massline.consult.actions import ConsultError
from massline.consult.embedding import sign_xid
from massline.consult.models import Participant, Statement, Vote

pytestmark = pytest.mark.django_db


def test_100_made_up_xids_cast_no_vote(open_consultation, client):
    c = open_consultation
    st = c.statements.first()
    url = reverse("consult:embed_vote", args=[c.pk])
    answers = [
        client.post(f"{url}?xid=fake-{i}", {"statement": st.pk, "value": "1"}, HTTP_ACCEPT_LANGUAGE="en")
        for i in range(100)
    ]
    assert {a.status_code for a in answers} == {403}
    assert "not signed" in answers[0].content.decode()
    forged = client.post(f"{url}?xid=fake-1&sig={'0' * 64}", {"statement": st.pk, "value": "1"})
    assert forged.status_code == 403
    assert Vote.objects.count() == 0 and Participant.objects.count() == 0


def test_an_xid_signed_for_another_consultation_is_refused(open_consultation, organiser, client):
    other = actions.create_consultation(organiser, title="Other", question="Another question?")
    sig = sign_xid(other, "user-7")
    page = client.get(reverse("consult:embed", args=[open_consultation.pk]) + f"?xid=user-7&sig={sig}")
    assert page.status_code == 403


def test_the_normal_vote_page_refuses_an_unsigned_xid_too(open_consultation, client):
    url = reverse("consult:vote", args=[open_consultation.pk])
    assert client.get(url + "?xid=anyone").status_code == 403
    assert client.get(url).status_code == 200


def test_a_signed_xid_votes_once_per_statement(open_consultation, client):
    c = open_consultation
    st = c.statements.first()
    url = reverse("consult:embed_vote", args=[c.pk]) + f"?xid=user-1&sig={sign_xid(c, 'user-1')}"
    for value in ("1", "1", "-1", "1"):
        assert client.post(url, {"statement": st.pk, "value": value}).status_code == 302
    vote = Vote.objects.get()
    assert vote.value == 1 and vote.participant.xid == "user-1"


def test_statements_per_participant_per_hour_are_capped(open_consultation, settings):
    settings.MASSLINE_CONSULT_STATEMENTS_PER_HOUR = 3
    p = actions.get_or_create_participant(open_consultation, xid="busy")
    for i in range(3):
        actions.add_statement(open_consultation, p, f"第{i}個不同的觀點,關於夜市的安排。")
    with pytest.raises(ConsultError, match="3 statements in the last hour"):
        actions.add_statement(open_consultation, p, "再一個觀點,關於夜市的垃圾清理。")
    assert Statement.objects.filter(author=p).count() == 3


def test_sign_in_required_refuses_anonymous_participants(open_consultation, organiser, client):
    c = open_consultation
    actions.update_consultation(c, organiser, sign_in_required=True)
    st = c.statements.first()
    client.post(
        reverse("consult:cast_vote", args=[c.pk]),
        {"statement": st.pk, "value": "1"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert Vote.objects.count() == 0
    page = client.get(reverse("consult:vote", args=[c.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "signed-in participants only" in page
    client.force_login(organiser)
    client.post(reverse("consult:cast_vote", args=[c.pk]), {"statement": st.pk, "value": "1"})
    assert Vote.objects.get().participant.user == organiser


def test_each_consultation_has_its_own_embed_secret(open_consultation, organiser):
    other = actions.create_consultation(organiser, title="Other", question="Another question?")
    assert len(open_consultation.embed_secret) == 64 and open_consultation.embed_secret != other.embed_secret
